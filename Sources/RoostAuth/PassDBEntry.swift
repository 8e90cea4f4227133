/// What a passdb knows about one user: the canonical name and how to check their password.
///
/// `extraFields` are the passdb fields of Dovecot's passwd-file (those without a `userdb_`
/// prefix), such as `nologin` or `allow_nets=...`. A field given without `=` has the empty value.
/// Only `nologin`, `fail`, `disabled`, `allow_nets` and `allow_real_nets` change who may log in
/// (see `refusal(remoteAddress:)`); the rest are carried along uninterpreted.
public struct PassDBEntry: Sendable, Hashable {
    /// The user name as the passdb spells it; this is the name a session logs in as.
    public var user: String
    /// The stored password (`{SCHEME}data` or bare data in `defaultScheme`); nil when the user has
    /// no password, in which case no password matches.
    public var storedPassword: String?
    /// The scheme of a stored value without a `{SCHEME}` prefix.
    public var defaultScheme: PasswordScheme
    public var extraFields: [String: String]

    public init(
        user: String, storedPassword: String?, defaultScheme: PasswordScheme = .crypt,
        extraFields: [String: String] = [:]
    ) {
        self.user = user
        self.storedPassword = storedPassword
        self.defaultScheme = defaultScheme
        self.extraFields = extraFields
    }

    /// True when the account may not log in at all: Dovecot's `nologin` or `fail` field (present
    /// with any value, as in Dovecot), or `disabled=yes`.
    ///
    /// Checked only after the password matched, so that a disabled account does not reveal itself
    /// to someone guessing passwords.
    public var isDisabled: Bool {
        if extraFields["nologin"] != nil || extraFields["fail"] != nil { return true }
        if let disabled = extraFields["disabled"]?.lowercased() {
            return disabled == "yes" || disabled == "y" || disabled == "true" || disabled == "1"
        }
        return false
    }

    /// Why this user may not log in from `remoteAddress` even with the right password, or nil.
    ///
    /// `.disabled` for `isDisabled`; `.networkNotAllowed` when `allow_nets` or `allow_real_nets`
    /// does not list the address (nil, for a login without a remote IP, matches only `local`).
    /// Roost has no proxies in front of it, so the real remote IP is the remote IP and both fields
    /// are checked against the same address. A value that does not parse refuses the login.
    /// Like `isDisabled`, checked only after the password matched.
    public func refusal(remoteAddress: String?) -> AuthFailureReason? {
        if isDisabled { return .disabled }
        for key in ["allow_nets", "allow_real_nets"] {
            guard let value = extraFields[key] else { continue }
            guard let networks = try? AllowedNetworks(parsing: value), networks.allows(remoteAddress) else {
                return .networkNotAllowed
            }
        }
        return nil
    }

    /// The parsed stored password, nil when the user has none.
    public func parsedPassword() throws(PasswordSchemeError) -> StoredPassword? {
        guard let storedPassword else { return nil }
        return try StoredPassword(parsing: storedPassword, defaultScheme: defaultScheme)
    }
}
