/// One POP3 command as the client sent it, after syntax checks and before any state checks.
///
/// Which state allows which command (RFC 1939 sections 4 to 7) is the session's business; this value only
/// says what was asked. Texts are as sent except where a case says otherwise.
public enum POP3Command: Hashable, Sendable {
    /// `USER name` (RFC 1939 section 7).
    case user(String)
    /// `PASS string` (RFC 1939 section 7): everything after "PASS ", so spaces (leading and trailing ones too)
    /// are part of the password.
    case pass(String)
    /// `APOP name digest` (RFC 1939 section 7); `digest` is 32 lowercase hex digits.
    case apop(name: String, digest: String)
    /// `AUTH [mechanism [initial-response]]` (RFC 5034 section 4). `mechanism` is uppercased; nil asks for
    /// the list of mechanisms (the RFC 1734 form that Outlook and others still send). `initialResponse` is
    /// the base64 text as sent, "=" for an empty response; the SASL layer decodes it.
    case auth(mechanism: String?, initialResponse: String?)
    /// `CAPA` (RFC 2449 section 5).
    case capa
    /// `STLS` (RFC 2595 section 4).
    case stls
    /// `STAT` (RFC 1939 section 5).
    case stat
    /// `LIST [msg]` (RFC 1939 section 5).
    case list(POP3MessageNumber?)
    /// `UIDL [msg]` (RFC 1939 section 7).
    case uidl(POP3MessageNumber?)
    /// `RETR msg` (RFC 1939 section 5).
    case retr(POP3MessageNumber)
    /// `TOP msg n` (RFC 1939 section 7): the headers, the blank line, then at most `lines` body lines.
    case top(POP3MessageNumber, lines: Int)
    /// `DELE msg` (RFC 1939 section 5).
    case dele(POP3MessageNumber)
    /// `RSET` (RFC 1939 section 5).
    case rset
    /// `NOOP` (RFC 1939 section 5).
    case noop
    /// `QUIT` (RFC 1939 sections 4 and 6).
    case quit

    /// The keyword in upper case ("USER", "TOP", …), for logs and error texts.
    public var keyword: String {
        switch self {
        case .user: "USER"
        case .pass: "PASS"
        case .apop: "APOP"
        case .auth: "AUTH"
        case .capa: "CAPA"
        case .stls: "STLS"
        case .stat: "STAT"
        case .list: "LIST"
        case .uidl: "UIDL"
        case .retr: "RETR"
        case .top: "TOP"
        case .dele: "DELE"
        case .rset: "RSET"
        case .noop: "NOOP"
        case .quit: "QUIT"
        }
    }
}
