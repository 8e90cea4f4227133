/// The limits that keep parsing of hostile mail bounded in memory and time.
///
/// Every limit degrades gracefully: input beyond it is kept in the byte counts and offsets but not
/// interpreted, so a message is never rejected for exceeding one. Together they bound the memory
/// and the number of parts a parse produces, whatever the message.
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

    /// Most MIME parts parsed in one message, counting the message itself, every part of every
    /// multipart and the message inside every message/rfc822 part.
    ///
    /// Without it `--b` lines alone make one part per few bytes, hundreds of thousands for a
    /// message of a few megabytes (CVE-2020-12100, which gave Dovecot's message parser its
    /// `max_total_mime_parts`). Once this many parts exist, boundaries are no longer recognised:
    /// the part opened last takes the rest of the message as its body (delimiter lines included),
    /// and if it is a multipart or message/rfc822 it becomes an application/octet-stream leaf, as
    /// beyond `maxNestingDepth`. Every open part still ends at the end of input. Default: 10000,
    /// Dovecot's default.
    public var maxTotalParts: Int

    /// Creates limits; every argument defaults to the documented default.
    public init(
        maxHeaderBytes: Int = 1 << 20, maxNestingDepth: Int = 100, maxBoundaryLength: Int = 200,
        maxTotalParts: Int = 10_000
    ) {
        self.maxHeaderBytes = max(0, maxHeaderBytes)
        self.maxNestingDepth = max(1, maxNestingDepth)
        self.maxBoundaryLength = max(1, maxBoundaryLength)
        self.maxTotalParts = max(1, maxTotalParts)
    }

    /// Decodes limits; a limit missing from the encoded form (written before it existed) takes its
    /// default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MIMELimits()
        self.init(
            maxHeaderBytes: try container.decodeIfPresent(Int.self, forKey: .maxHeaderBytes) ?? defaults.maxHeaderBytes,
            maxNestingDepth: try container.decodeIfPresent(Int.self, forKey: .maxNestingDepth) ?? defaults.maxNestingDepth,
            maxBoundaryLength: try container.decodeIfPresent(Int.self, forKey: .maxBoundaryLength) ?? defaults.maxBoundaryLength,
            maxTotalParts: try container.decodeIfPresent(Int.self, forKey: .maxTotalParts) ?? defaults.maxTotalParts)
    }

    /// The defaults: 1 MiB headers, depth 100, boundaries up to 200 bytes, 10000 parts.
    public static let `default` = MIMELimits()
}
