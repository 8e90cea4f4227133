/// The `[auth]` section: the user database, password schemes, SASL and brute-force damping.
public struct AuthSettings: Sendable, Equatable {
    /// `auth.passwd_file`: absolute path of the Dovecot-style passwd-file of virtual users.
    public var passwdFile: String
    /// `auth.default_scheme`: scheme of a stored password that has no `{SCHEME}` prefix.
    public var defaultScheme: PasswordSchemeName
    /// `auth.password_scheme`: scheme `mailboxctl` uses when it writes a new password.
    public var passwordScheme: PasswordSchemeName
    /// `auth.mechanisms`: SASL mechanisms that may be offered, in preference order.
    public var mechanisms: [SASLMechanismName]
    /// `auth.allow_plaintext_without_tls`: allow plaintext logins on unencrypted remote connections.
    public var allowPlaintextWithoutTLS: Bool
    /// `auth.failure_delay`: delay before answering the first failed login from an address.
    public var failureDelay: Duration
    /// `auth.failure_delay_max`: cap on the growing delay after repeated failures.
    public var failureDelayMax: Duration
    /// `auth.failure_memory`: how long a remote address's failures are remembered.
    public var failureMemory: Duration
    /// `auth.hash_threads`: threads verifying password hashes.
    public var hashThreads: Int

    /// Creates `[auth]` settings; every default is the built-in value used when the key is absent.
    ///
    /// - Parameters:
    ///   - passwdFile: Passwd-file of virtual users. Default `/etc/roost/users`.
    ///   - defaultScheme: Scheme assumed for a stored password without a `{SCHEME}` prefix
    ///     (Dovecot's `default_pass_scheme`). Default `CRYPT`.
    ///   - passwordScheme: Scheme `mailboxctl` uses for new passwords; `CRYPT` means the
    ///     system's libcrypt, i.e. yescrypt on Debian. Default `CRYPT`.
    ///   - mechanisms: SASL mechanisms that may be offered; CRAM-MD5 is offered only when stored
    ///     passwords allow it. Default `PLAIN LOGIN CRAM-MD5`.
    ///   - allowPlaintextWithoutTLS: Dovecot's `disable_plaintext_auth` inverted; loopback
    ///     connections are always allowed plaintext. Default `false`.
    ///   - failureDelay: First delay after a failed login, to slow password guessing; 0s...1m.
    ///     Default 2 seconds (Dovecot `AUTH_PENALTY_INIT_SECS`).
    ///   - failureDelayMax: Upper bound of the delay as failures accumulate; 0s...5m (Dovecot
    ///     never delays an auth reply longer). Default 15 seconds (`AUTH_PENALTY_MAX_SECS`).
    ///   - failureMemory: How long a remote IP's failures are remembered after the last one;
    ///     0s...1d. Default 29 seconds, Dovecot's `AUTH_PENALTY_TIMEOUT` (2 + 4 + 8 + 15 s, the
    ///     expiry its auth process gives anvil's penalty table).
    ///   - hashThreads: Threads verifying password hashes, so slow hashes cannot starve the
    ///     protocol event loops; 1...64. Default 2.
    public init(
        passwdFile: String = "/etc/roost/users",
        defaultScheme: PasswordSchemeName = .crypt,
        passwordScheme: PasswordSchemeName = .crypt,
        mechanisms: [SASLMechanismName] = [.plain, .login, .cramMD5],
        allowPlaintextWithoutTLS: Bool = false,
        failureDelay: Duration = .seconds(2),
        failureDelayMax: Duration = .seconds(15),
        failureMemory: Duration = .seconds(29),
        hashThreads: Int = 2
    ) {
        self.passwdFile = passwdFile
        self.defaultScheme = defaultScheme
        self.passwordScheme = passwordScheme
        self.mechanisms = mechanisms
        self.allowPlaintextWithoutTLS = allowPlaintextWithoutTLS
        self.failureDelay = failureDelay
        self.failureDelayMax = failureDelayMax
        self.failureMemory = failureMemory
        self.hashThreads = hashThreads
    }
}
