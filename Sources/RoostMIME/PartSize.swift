/// The size of a region of a message (a header block, a body, a whole message).
///
/// `octets` counts the bytes as stored. `virtualOctets` counts every bare LF as CRLF: the size of
/// the region as IMAP and POP3 present it (RFC 3501 RFC822.SIZE, BODYSTRUCTURE body-fld-octets;
/// RFC 1939 octet counts), which differs from `octets` for Maildir files with LF line ends.
/// `lines` is the number of LF bytes, which is BODYSTRUCTURE's body-fld-lines as Dovecot computes
/// it: the line break before a boundary belongs to the boundary, not the part.
public struct PartSize: Sendable, Hashable, Codable {
    public var octets: Int
    public var virtualOctets: Int
    public var lines: Int

    public init(octets: Int = 0, virtualOctets: Int = 0, lines: Int = 0) {
        self.octets = octets
        self.virtualOctets = virtualOctets
        self.lines = lines
    }

    /// The region between two stream positions.
    init(from start: StreamPosition, to end: StreamPosition) {
        self.init(
            octets: end.offset - start.offset,
            virtualOctets: end.virtualOffset - start.virtualOffset,
            lines: end.lineFeeds - start.lineFeeds)
    }
}
