/// Settings for `PAMPassDB`.
public struct PAMConfiguration: Sendable, Hashable {
    /// The PAM service name: the file `/etc/pam.d/<service>` (or in `configurationDirectory`).
    /// Linux-PAM keeps only the part after the last `/`.
    public var service: String
    /// Call `pam_setcred(PAM_ESTABLISH_CRED)` after a successful login, as Dovecot's
    /// `setcred=yes` does.
    ///
    /// Off by default because roostd is one process serving every user: credentials that
    /// modules establish (`pam_group` supplementary groups, Kerberos tickets, keyrings, `pam_env`
    /// variables) change state of the whole process, not of one session, so one user's login
    /// would leak into the others'. Turn it on only for a module that needs it and is known to
    /// keep its effects outside the process (a ticket cache file, say).
    public var establishCredentials: Bool
    /// Threads that run PAM transactions.
    ///
    /// Default 1, because PAM modules block (network, files, helpers) and not every module is
    /// thread-safe: some keep static buffers or call non-reentrant functions such as
    /// `getpwnam`. More threads let slow modules (LDAP, RADIUS) overlap, but only do it when
    /// every module in the service's stack is known to be thread-safe; two logins racing in an
    /// unsafe module could mix up users.
    public var threadCount: Int
    /// Where to read the service file from, through `pam_start_confdir` (Linux-PAM 1.4 and later).
    /// Nil uses the system's (`/etc/pam.d`, then `/etc/pam.conf`); tests point it at a
    /// temporary directory so they never touch `/etc/pam.d`.
    public var configurationDirectory: String?

    /// The default service name, `roost` (`conf/pam.d/roost` is a sample of that file).
    public static let defaultService = "roost"
    /// The largest `threadCount` accepted (`auth.pam_threads` allows 1...16).
    public static let maxThreadCount = 16

    /// - Parameters:
    ///   - service: default `roost`.
    ///   - establishCredentials: default `false`; see the property for why.
    ///   - threadCount: default 1; clamped to 1...`maxThreadCount`. See the property for the risk.
    ///   - configurationDirectory: default nil (the system's PAM configuration).
    public init(
        service: String = PAMConfiguration.defaultService,
        establishCredentials: Bool = false,
        threadCount: Int = 1,
        configurationDirectory: String? = nil
    ) {
        self.service = service
        self.establishCredentials = establishCredentials
        self.threadCount = min(max(1, threadCount), Self.maxThreadCount)
        self.configurationDirectory = configurationDirectory
    }
}
