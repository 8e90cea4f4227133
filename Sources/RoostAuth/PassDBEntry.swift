/// What a passdb knows about one user: the canonical name and how to check their password.
///
/// `extraFields` are the passdb fields of Dovecot's passwd-file (those without a `userdb_`
/// prefix), such as `nologin` or `reason=...`. A field given without `=` has the empty value.
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

    /// True when the account may not log in: Dovecot's `nologin` field, or `disabled=yes`.
    ///
    /// Checked only after the password matched, so that a disabled account does not reveal itself
    /// to someone guessing passwords.
    public var isDisabled: Bool {
        if extraFields["nologin"] != nil { return true }
        if let disabled = extraFields["disabled"]?.lowercased() {
            return disabled == "yes" || disabled == "y" || disabled == "true" || disabled == "1"
        }
        return false
    }

    /// The parsed stored password, nil when the user has none.
    public func parsedPassword() throws(PasswordSchemeError) -> StoredPassword? {
        guard let storedPassword else { return nil }
        return try StoredPassword(parsing: storedPassword, defaultScheme: defaultScheme)
    }
}
