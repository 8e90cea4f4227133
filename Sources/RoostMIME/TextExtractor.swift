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
/// `MessageParser` plus the decoders' small carry-over state. One extractor can read message after
/// message (`reset()`), reusing its buffers.
public struct TextExtractor: Sendable {
    private var scanner: MIMEScanner<TextSink>

    public init(limits: MIMELimits = .default) {
        scanner = MIMEScanner(limits: limits, sink: TextSink())
    }

    /// Consumes the next chunk and returns the text completed so far.
    public mutating func feed(chunk: some Collection<UInt8>) -> [TextSegment] {
        var segments: [TextSegment] = []
        withContiguousBytes(of: chunk) { feed(chunk: $0) { segments.append($0) } }
        return segments
    }

    /// Consumes the next chunk and hands each piece of text completed so far to `body`, in order.
    /// A `.bodyText` buffer is reused for later text once the segment is no longer referenced.
    public mutating func feed(chunk: UnsafeBufferPointer<UInt8>, each body: (TextSegment) -> Void) {
        scanner.feed(chunk)
        scanner.sink.drain(each: body)
    }

    /// Ends the message and returns the remaining text.
    public mutating func finish() -> [TextSegment] {
        var segments: [TextSegment] = []
        finish { segments.append($0) }
        return segments
    }

    /// Ends the message and hands the remaining text to `body`.
    public mutating func finish(each body: (TextSegment) -> Void) {
        _ = scanner.finish()
        scanner.sink.drain(each: body)
    }

    /// Forgets the message so far (finished or not), ready for the next one; buffers are kept.
    public mutating func reset() {
        var sink = TextSink()
        swap(&sink, &scanner.sink)
        sink.reset()
        scanner = MIMEScanner(limits: scanner.limits, sink: sink)
    }

    /// Extracts the text of a whole message held in memory.
    public static func extract(_ bytes: some Collection<UInt8>, limits: MIMELimits = .default) -> [TextSegment] {
        var extractor = TextExtractor(limits: limits)
        var segments = extractor.feed(chunk: bytes)
        segments.append(contentsOf: extractor.finish())
        return segments
    }
}
