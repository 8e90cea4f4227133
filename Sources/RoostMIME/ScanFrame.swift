/// The scanner's state for one open part: one frame per nesting level.
///
/// A frame is created when its header starts (the message start, the line after a delimiter, or
/// the body start of a message/rfc822 part) and closed when a boundary of an enclosing multipart
/// or the end of input ends it. Only the header block is buffered; it is released once parsed,
/// except for the top-level header which the caller receives.
struct ScanFrame: Sendable {
    enum Kind: Sendable, Hashable {
        /// A part whose body is not parsed further.
        case leaf
        /// A multipart container with its boundary's bytes; empty when the boundary parameter is
        /// missing or too long, so no delimiter can match.
        case multipart(boundary: [UInt8])
        /// A message/rfc822 part whose body is parsed as a message.
        case message
    }

    var headerStart: StreamPosition
    /// Nil while the header is being read.
    var bodyStart: StreamPosition?
    var headerBytes: [UInt8] = []
    var headerTruncated = false
    /// The Content-Type assumed when the header has none.
    var defaultType: ContentType
    /// True for the top-level message and the message inside a message/rfc822 part.
    var isMessageRoot: Bool
    var kind: Kind = .leaf
    /// The header-derived fields, set when the header is complete.
    var part: BodyPart?
    var envelope: Envelope?
    /// Closed children of a multipart.
    var children: [BodyPart] = []
    /// The closed encapsulated message of a message/rfc822 part.
    var embedded: EmbeddedMessage?
    /// A multipart whose close delimiter was seen: its boundary is no longer looked for.
    var inEpilogue = false

    init(headerStart: StreamPosition, defaultType: ContentType, isMessageRoot: Bool) {
        self.headerStart = headerStart
        self.defaultType = defaultType
        self.isMessageRoot = isMessageRoot
    }

    /// The boundary this frame contributes to boundary matching, if any.
    var activeBoundary: [UInt8]? {
        guard case .multipart(let boundary) = kind, !boundary.isEmpty, !inEpilogue else { return nil }
        return boundary
    }
}
