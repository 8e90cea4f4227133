/// The `[auth]` section: the user databases, password schemes, SASL and brute-force damping.
///
/// Valid passdb/userdb combinations (all four are):
/// - `passwd-file` + `passwd-file`: virtual users, the default;
/// - `pam` + `system`: the machine's own accounts, checked by PAM, mail in their homes;
/// - `pam` + `passwd-file`: PAM checks the password (pam_unix, pam_ldap, ...), the passwd-file
///   lists the users with an empty password field for their uid, home, mail and quota;
/// - `passwd-file` + `system`: separate mail passwords for system accounts (names must be the
///   system names, without `@domain`).
/// The `pam_*` keys mean something only with `passdb = pam`, and `system_mail_location` and
/// `first_valid_uid` only with `userdb = system`: changing them under another driver is refused,
/// since it would have no effect and is almost surely a forgotten `passdb`/`userdb` line.
public struct AuthSettings: Sendable, Equatable {
    /// `auth.passdb`: where passwords are checked.
    public var passdb: PassDBName
    /// `auth.userdb`: where uid, gid, home and mail location come from.
    public var userdb: UserDBName
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
    /// `auth.pam_service`: PAM service name, the file `/etc/pam.d/<name>`.
    public var pamService: String
    /// `auth.pam_setcred`: call `pam_setcred(PAM_ESTABLISH_CRED)` after a successful login.
    public var pamSetcred: Bool
    /// `auth.pam_threads`: threads running PAM transactions.
    public var pamThreads: Int
    /// `auth.system_mail_location`: mail location template of system users.
    public var systemMailLocation: String
    /// `auth.first_valid_uid`: lowest uid of a system user allowed to log in.
    public var firstValidUID: Int

    /// Creates `[auth]` settings; every default is the built-in value used when the key is absent.
    ///
    /// - Parameters:
    ///   - passdb: `passwd-file` or `pam`. Default `passwd-file`.
    ///   - userdb: `passwd-file` or `system`. Default `passwd-file`.
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
    ///   - pamService: PAM service name; letters, digits, `.`, `_`, `-`. Default `roost`.
    ///   - pamSetcred: Establish PAM credentials after a login. Default `false`: roostd is one
    ///     process for all users, and credentials modules set up (groups, tickets, environment)
    ///     would apply to the whole process rather than one session.
    ///   - pamThreads: Threads running PAM transactions; 1...16. Default 1, because not every
    ///     PAM module is thread-safe; raise it only when every module in the service is.
    ///   - systemMailLocation: Mail location of system users (`%h` is the home). Default
    ///     `%h/Maildir`.
    ///   - firstValidUID: System users with a lower uid may not log in (root never may);
    ///     1...4294967294. Default 1000, Debian's first regular uid (Dovecot's `first_valid_uid`).
    public init(
        passdb: PassDBName = .passwdFile,
        userdb: UserDBName = .passwdFile,
        passwdFile: String = "/etc/roost/users",
        defaultScheme: PasswordSchemeName = .crypt,
        passwordScheme: PasswordSchemeName = .crypt,
        mechanisms: [SASLMechanismName] = [.plain, .login, .cramMD5],
        allowPlaintextWithoutTLS: Bool = false,
        failureDelay: Duration = .seconds(2),
        failureDelayMax: Duration = .seconds(15),
        failureMemory: Duration = .seconds(29),
        hashThreads: Int = 2,
        pamService: String = "roost",
        pamSetcred: Bool = false,
        pamThreads: Int = 1,
        systemMailLocation: String = "%h/Maildir",
        firstValidUID: Int = 1000
    ) {
        self.passdb = passdb
        self.userdb = userdb
        self.passwdFile = passwdFile
        self.defaultScheme = defaultScheme
        self.passwordScheme = passwordScheme
        self.mechanisms = mechanisms
        self.allowPlaintextWithoutTLS = allowPlaintextWithoutTLS
        self.failureDelay = failureDelay
        self.failureDelayMax = failureDelayMax
        self.failureMemory = failureMemory
        self.hashThreads = hashThreads
        self.pamService = pamService
        self.pamSetcred = pamSetcred
        self.pamThreads = pamThreads
        self.systemMailLocation = systemMailLocation
        self.firstValidUID = firstValidUID
    }

    /// True when every `pam_*` key is at its default (checked when `passdb` is not `pam`).
    var pamKeysAtDefaults: Bool {
        let defaults = AuthSettings()
        return pamService == defaults.pamService && pamSetcred == defaults.pamSetcred
            && pamThreads == defaults.pamThreads
    }

    /// True when the system-userdb keys are at their defaults (checked when `userdb` is not `system`).
    var systemUserDBKeysAtDefaults: Bool {
        let defaults = AuthSettings()
        return systemMailLocation == defaults.systemMailLocation && firstValidUID == defaults.firstValidUID
    }
}

extension ValueCodec where Value == String {
    /// A PAM service name: the name of a file in `/etc/pam.d`, so letters, digits, `.`, `_` and
    /// `-`, not starting with `.`. Linux-PAM would silently drop everything up to a `/`, and a
    /// blank or control character cannot be a file an administrator meant.
    static var pamService: ValueCodec {
        ValueCodec(type: .string(allowsEmpty: false), parse: { text throws(InvalidValue) in
            guard !text.isEmpty else { throw InvalidValue() }
            guard text.utf8.count <= 255, text.first != ".", text.unicodeScalars.allSatisfy({ scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || scalar == "." || scalar == "_" || scalar == "-")
            }) else {
                throw InvalidValue("a PAM service name is a file name in /etc/pam.d: letters, digits, ., _ and -")
            }
            return text
        }, render: { $0 })
    }
}
