/// Streams the searchable text of a message: decoded header values and decoded text bodies.
///
/// IMAP SEARCH (RFC 3501 section 6.4.4) matches HEADER, SUBJECT, FROM... against header values and
/// BODY/TEXT against the body; matching decoded text is what users expect and what Dovecot does.
/// Produced, in message order:
/// - for the top-level header and each message/rfc822 encapsulated header, one `.header` per field
///   (MIME part headers are structure, not content, and are not produced);
/// - for each text/* leaf, its body transfer-decoded (base64, quoted-printable) and converted from
///   its charset (unknown charsets like US-ASCII: UTF-8 where valid, else Windows-1252, line by
///   line), in pieces, then `.bodyEnd`. Non-text leaves (images, attachments) produce nothing.
/// The text produced is the same however the message is split into chunks. Memory use is that of
/// `MessageParser` plus the decoders' small carry-over state.
public struct TextExtractor: Sendable {
    private var scanner: MIMEScanner<TextSink>

    public init(limits: MIMELimits = .default) {
        scanner = MIMEScanner(limits: limits, sink: TextSink())
    }

    /// Consumes the next chunk and returns the text completed so far.
    public mutating func feed(chunk: some Collection<UInt8>) -> [TextSegment] {
        let handled: Void? = chunk.withContiguousStorageIfAvailable { scanner.feed($0) }
        if handled == nil {
            Array(chunk).withUnsafeBufferPointer { scanner.feed($0) }
        }
        return scanner.sink.drain()
    }

    /// Ends the message and returns the remaining text.
    public mutating func finish() -> [TextSegment] {
        _ = scanner.finish()
        return scanner.sink.drain()
    }

    /// Extracts the text of a whole message held in memory.
    public static func extract(_ bytes: some Collection<UInt8>, limits: MIMELimits = .default) -> [TextSegment] {
        var extractor = TextExtractor(limits: limits)
        var segments = extractor.feed(chunk: bytes)
        segments.append(contentsOf: extractor.finish())
        return segments
    }
}
