/// RFC 4616 section 2 PLAIN message parsing.
///
///     message   = [authzid] UTF8NUL authcid UTF8NUL passwd
///     authcid   = 1*SAFE ; MUST accept up to 255 octets
///     authzid   = 1*SAFE ; MUST accept up to 255 octets
///     passwd    = 1*SAFE ; MUST accept up to 255 octets
///     SAFE      = UTF1 / UTF2 / UTF3 / UTF4 ; any UTF-8 except NUL
///
/// Exactly two NULs; each part valid UTF-8; authcid and passwd not empty. An authzid is accepted
/// only when empty or identical to the authcid, since Roost has no proxy authorisation.
enum SASLPlainMessage {
    static func parse(_ message: [UInt8], configuration: SASLConfiguration) -> Result<SASLCredentials, SASLFailure> {
        let parts = message.split(separator: 0, omittingEmptySubsequences: false)
        guard parts.count == 3,
              let authzid = SASLServerExchange.text(parts[0]),
              let authcid = SASLServerExchange.text(parts[1]),
              let password = SASLServerExchange.text(parts[2]),
              !authcid.isEmpty, !password.isEmpty
        else { return .failure(.malformed) }
        guard authzid.utf8.count <= configuration.maxUserNameLength,
              authcid.utf8.count <= configuration.maxUserNameLength,
              password.utf8.count <= configuration.maxPasswordLength
        else { return .failure(.tooLong) }
        guard authzid.isEmpty || authzid == authcid else { return .failure(.authzidNotAllowed) }
        return .success(.password(user: authcid, password: password))
    }
}
