/// The size and range limits of the POP3 grammar, in one place.
///
/// The line framer (which must refuse a line before it is whole) and the session use these too, so a limit
/// is changed here and nowhere else.
public enum POP3Limits {
    /// The longest argument of USER, PASS and APOP, and of an AUTH mechanism name, in octets.
    ///
    /// RFC 1939 section 3 allowed 40 characters per argument; RFC 2449 section 4 raised the whole command
    /// line to 255 octets including CRLF. Taking 255 per argument accepts everything a client following either
    /// RFC sends (a 248-octet password included) and refuses the rest with `POP3ParseError.argumentTooLong`.
    public static let maxArgumentOctets = 255

    /// The longest AUTH initial response, in octets of base64.
    ///
    /// Deviation: RFC 5034 section 4 keeps the whole AUTH line within 255 octets, but clients send OAuth
    /// tokens (XOAUTH2, OAUTHBEARER) of one to two kilobytes as initial responses regardless, and Dovecot
    /// accepts them. 12,288 covers the base64 form of the 8,192 bytes that RoostAuth's
    /// `SASLConfiguration.maxResponseBytes` allows by default; the SASL layer enforces the decoded limit.
    public static let maxInitialResponseOctets = 12_288

    /// The largest message number and the largest TOP line count: RFC 1939 sets no bound, Roost keeps both
    /// within a signed 32-bit integer as Dovecot does.
    public static let maxMessageNumber = Int(Int32.max)

    /// The largest TOP line count (see `maxMessageNumber`).
    public static let maxLineCount = Int(Int32.max)

    /// The longest status line ("+OK …" or "-ERR …") including CRLF: RFC 1939 section 3 and RFC 2449 section 4.
    /// `POP3Response` shortens a longer text (at a UTF-8 character boundary) rather than exceed it.
    public static let maxStatusLineOctets = 512
}
