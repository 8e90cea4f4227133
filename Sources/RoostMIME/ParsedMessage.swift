/// A message's own header as the streaming parser found it (`MessageParser.header`).
public struct ParsedHeader: Sendable, Hashable {
    public var header: Header
    public var envelope: Envelope
    /// The header was longer than `MIMELimits.maxHeaderBytes`; `header` has the whole lines that fit.
    public var headerTruncated: Bool
    /// Where the body starts, in octets as stored: after the blank line ending the header, or the
    /// end of the message when it has none.
    public var bodyOffset: Int
}

/// Everything the streaming parser learns about one message, ready to cache (Codable).
public struct ParsedMessage: Sendable, Hashable, Codable {
    /// The MIME tree with offsets and BODYSTRUCTURE fields.
    public var structure: MessageStructure
    /// The top-level ENVELOPE.
    public var envelope: Envelope
    /// The top-level header fields.
    public var header: Header
    /// The top-level header block as stored, blank line included (the bytes of `BODY[HEADER]`),
    /// unless it exceeded `MIMELimits.maxHeaderBytes`, in which case `headerTruncated` is true and
    /// only whole lines up to the limit are kept.
    public var headerBytes: [UInt8]
    public var headerTruncated: Bool
    /// The size of the whole message: octets as stored, CRLF-normalised octets (RFC822.SIZE), lines.
    public var size: PartSize

    public init(
        structure: MessageStructure, envelope: Envelope, header: Header, headerBytes: [UInt8],
        headerTruncated: Bool, size: PartSize
    ) {
        self.structure = structure
        self.envelope = envelope
        self.header = header
        self.headerBytes = headerBytes
        self.headerTruncated = headerTruncated
        self.size = size
    }
}
