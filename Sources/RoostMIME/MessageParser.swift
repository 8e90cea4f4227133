/// A streaming parser that computes a message's MIME structure, envelope and sizes.
///
/// ```swift
/// var parser = MessageParser()
/// while let chunk = try file.read(upToCount: 65536) { parser.feed(chunk: chunk) }
/// let parsed = parser.finish()
/// ```
/// Chunks may be of any size and split the message anywhere. Memory stays bounded by the header
/// blocks (each at most `MIMELimits.maxHeaderBytes`) and the nesting depth: body bytes are never
/// kept. Both CRLF and bare-LF files are handled; see `PartSize` for the two sizes reported.
///
/// Malformed input never fails; it yields what Dovecot would report:
/// - an empty file is an empty text/plain message;
/// - a message without a blank line is all header;
/// - a multipart whose boundary never appears, or that has no boundary parameter, has no children
///   and its whole body as preamble;
/// - a missing close delimiter ends every open part at the end of input;
/// - NUL and other 8-bit bytes are ordinary content.
public struct MessageParser: Sendable {
    private var scanner: MIMEScanner<DiscardingSink>

    /// A parser with the given limits.
    public init(limits: MIMELimits = .default) {
        scanner = MIMEScanner(limits: limits, sink: DiscardingSink())
    }

    /// Parses the next chunk of the message. Chunks fed after `finish()` are ignored.
    public mutating func feed(chunk: some Collection<UInt8>) {
        let handled: Void? = chunk.withContiguousStorageIfAvailable { scanner.feed($0) }
        if handled == nil {
            Array(chunk).withUnsafeBufferPointer { scanner.feed($0) }
        }
    }

    /// The message's own header, as soon as the line that ends it has been fed (or the input has
    /// ended): what a mail client's message list needs, without reading the body. The same values
    /// as `finish()`'s `header`, `envelope` and `headerTruncated`.
    public var header: ParsedHeader? {
        guard let bodyStart = scanner.topBodyStart else { return nil }
        return ParsedHeader(
            header: scanner.topHeader, envelope: scanner.topEnvelope, headerTruncated: scanner.topHeaderTruncated,
            bodyOffset: bodyStart.offset)
    }

    /// Ends the message and returns what was learned; calling it again returns the same value.
    public mutating func finish() -> ParsedMessage {
        scanner.finish()
    }

    /// Parses a whole message held in memory.
    public static func parse(_ bytes: some Collection<UInt8>, limits: MIMELimits = .default) -> ParsedMessage {
        var parser = MessageParser(limits: limits)
        parser.feed(chunk: bytes)
        return parser.finish()
    }
}
