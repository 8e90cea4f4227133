/// A SASL authentication mechanism the server may offer (IMAP `AUTHENTICATE`, POP3 `AUTH`).
///
/// Only mechanisms Roost implements are listed, so a typo in `auth.mechanisms` is a
/// configuration error at startup instead of a mechanism that silently never works.
public enum SASLMechanismName: String, Sendable, Hashable, CaseIterable {
    /// RFC 4616; needs TLS (or loopback) unless `auth.allow_plaintext_without_tls` is set.
    case plain = "PLAIN"
    /// The de-facto `LOGIN` mechanism some older clients still require; plaintext like PLAIN.
    case login = "LOGIN"
    /// RFC 2195 challenge-response; only usable for users whose stored password is
    /// `{CRAM-MD5}` or cleartext, so the server offers it only when that holds.
    case cramMD5 = "CRAM-MD5"
}
