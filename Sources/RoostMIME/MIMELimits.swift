/// The limits that keep parsing of hostile mail bounded in memory and time.
///
/// Every limit degrades gracefully: input beyond it is kept in the byte counts and offsets but not
/// interpreted, so a message is never rejected for exceeding one.
public struct MIMELimits: Sendable, Hashable, Codable {
    /// Largest header block kept and parsed for one part, in bytes.
    ///
    /// Header lines past this size are still counted in the part's header size but not parsed; the
    /// cut is made at a line boundary so no field is half-kept. Default: 1 MiB.
    public var maxHeaderBytes: Int

    /// Deepest nesting of multipart and message/rfc822 containers that is parsed.
    ///
    /// A container deeper than this is treated as an opaque `application/octet-stream` leaf, as
    /// its boundaries are no longer looked for. Default: 100, Dovecot's limit.
    public var maxNestingDepth: Int

    /// Longest multipart boundary accepted, in bytes.
    ///
    /// RFC 2046 section 5.1.1 allows 70; real mail sometimes exceeds that a little. A multipart whose
    /// boundary is longer is treated like one without a boundary: a container whose delimiters are
    /// never found. The value also bounds the line prefix the streaming parser keeps. Default: 200.
    public var maxBoundaryLength: Int

    /// Creates limits; every argument defaults to the documented default.
    public init(maxHeaderBytes: Int = 1 << 20, maxNestingDepth: Int = 100, maxBoundaryLength: Int = 200) {
        self.maxHeaderBytes = max(0, maxHeaderBytes)
        self.maxNestingDepth = max(1, maxNestingDepth)
        self.maxBoundaryLength = max(1, maxBoundaryLength)
    }

    /// The defaults: 1 MiB headers, depth 100, boundaries up to 200 bytes.
    public static let `default` = MIMELimits()
}
