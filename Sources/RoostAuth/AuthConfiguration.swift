/// Settings for `Authenticator` and the SASL and penalty helpers that sit beside it.
public struct AuthConfiguration: Sendable, Hashable {
    /// Lowercase user names before looking them up. Dovecot's default `auth_username_format` is
    /// `%Lu`, so `Bob@Example.org` and `bob@example.org` are the same account.
    public var lowercaseUserNames: Bool
    /// Appended as `@realm` to user names that have no `@` (Dovecot's `auth_default_realm`);
    /// nil leaves bare names alone.
    public var defaultRealm: String?
    /// Names longer than this (in UTF-8 bytes) are rejected before any lookup.
    public var maxUserNameLength: Int
    /// SASL limits; `sasl.maxPasswordLength` also bounds every plaintext password
    /// `Authenticator.verifyPlain` sees (IMAP LOGIN, POP3 PASS), not only SASL ones.
    public var sasl: SASLConfiguration
    public var penalty: AuthPenaltyConfiguration

    /// - Parameters:
    ///   - lowercaseUserNames: default `true` (Dovecot's `%Lu`).
    ///   - defaultRealm: default `nil`.
    ///   - maxUserNameLength: default 255 bytes, the longest sensible address local@domain.
    ///   - sasl: default `SASLConfiguration()`.
    ///   - penalty: default `AuthPenaltyConfiguration()` (2 s doubling to 15 s).
    public init(
        lowercaseUserNames: Bool = true,
        defaultRealm: String? = nil,
        maxUserNameLength: Int = 255,
        sasl: SASLConfiguration = SASLConfiguration(),
        penalty: AuthPenaltyConfiguration = AuthPenaltyConfiguration()
    ) {
        self.lowercaseUserNames = lowercaseUserNames
        self.defaultRealm = defaultRealm
        self.maxUserNameLength = maxUserNameLength
        self.sasl = sasl
        self.penalty = penalty
    }
}
