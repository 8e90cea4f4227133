/// An extended response code, sent in brackets after "-ERR" (RFC 2449 section 8).
///
/// `IN-USE` and `LOGIN-DELAY` come from RFC 2449 section 8.1; `SYS/TEMP`, `SYS/PERM` and `AUTH` from
/// RFC 3206 sections 4 and 5. Clients read them only once CAPA has announced RESP-CODES (and
/// AUTH-RESP-CODE for `AUTH`), but sending them to any client is harmless: they are plain text to it.
public enum POP3ResponseCode: String, Hashable, Sendable {
    /// The maildrop is locked by another session (RFC 2449 section 8.1.1).
    case inUse = "IN-USE"
    /// The user logged in too recently (RFC 2449 section 8.1.2).
    case loginDelay = "LOGIN-DELAY"
    /// A temporary system problem, worth retrying later (RFC 3206 section 4).
    case sysTemp = "SYS/TEMP"
    /// A permanent system problem, not worth retrying without human help (RFC 3206 section 4).
    case sysPerm = "SYS/PERM"
    /// The credentials were wrong, or the account cannot log in (RFC 3206 section 5).
    case auth = "AUTH"
}
