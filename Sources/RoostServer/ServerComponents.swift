import Logging
import RoostAdmin
import RoostAuth
import RoostConfig
import RoostPOP3
import RoostProtocolSupport
import RoostStorage

/// What all sessions share: the passdb and authenticator, the thread pools, limits and locks.
struct ServerComponents: Sendable {
    let passwdFile: PasswdFile
    let authenticator: SASLAuthenticator
    let penalty: AuthPenalty
    let failureLog: AuthFailureLog
    let hashPool: BlockingWorkPool
    let storagePool: BlockingWorkPool
    let limiter: ConnectionLimiter
    let sessionLocks = SessionLocks()
    let criticalWork = CriticalWork()
    let pop3Services: POP3Services

    /// Threads for blocking storage work (directory scans, reads, renames, fsync).
    static let storageThreads = 4

    init(configuration: RoostConfiguration, options: ServerOptions) throws {
        let auth = configuration.auth
        guard let defaultScheme = PasswordScheme(name: auth.defaultScheme.rawValue) else {
            throw ServerSetupError("auth.default_scheme: \(auth.defaultScheme.rawValue) is not implemented")
        }
        do {
            passwdFile = try PasswdFile(
                path: auth.passwdFile, configuration: PasswdFileConfiguration(defaultScheme: defaultScheme),
                logger: options.logger("roost.passwd-file")
            )
        } catch {
            throw ServerSetupError("auth.passwd_file \(auth.passwdFile): \(error)")
        }
        let hostname = configuration.server.hostname.isEmpty ? SASLConfiguration.systemHostname() : configuration.server.hostname
        let penaltyConfiguration = AuthPenaltyConfiguration(
            baseDelay: auth.failureDelay, maxDelay: auth.failureDelayMax, forgetAfter: auth.failureMemory
        )
        hashPool = BlockingWorkPool(threadCount: auth.hashThreads, name: "roost-auth")
        storagePool = BlockingWorkPool(threadCount: Self.storageThreads, name: "roost-store", maxQueuedJobs: 4096)
        let authenticator = Authenticator(
            passdb: passwdFile, verifier: PasswordVerifier(pool: hashPool),
            configuration: AuthConfiguration(sasl: SASLConfiguration(hostname: hostname), penalty: penaltyConfiguration),
            logger: options.logger("roost.auth")
        )
        self.authenticator = SASLAuthenticator(authenticator: authenticator)
        penalty = AuthPenalty(configuration: penaltyConfiguration)
        failureLog = AuthFailureLog(logger: options.logger("auth"), passdb: "passwd-file")
        let limits = configuration.limits
        limiter = ConnectionLimiter(limits: .init(
            maxConnections: limits.maxConnections, maxConnectionsPerIP: limits.maxConnectionsPerIP,
            maxConnectionsPerUserIP: limits.maxConnectionsPerUserIP
        ))
        let passwdFile = self.passwdFile
        let storageLogger = options.logger("roost.storage")
        pop3Services = POP3Services(
            configuration: POP3Configuration(
                hostname: hostname, tlsAvailable: configuration.tls.isEnabled,
                lockSession: configuration.pop3.lockSession, maxBadCommands: limits.maxBadCommands
            ),
            authenticator: self.authenticator, mechanisms: auth.mechanisms.compactMap { SASLMechanismName(rawValue: $0.rawValue) },
            penalty: penalty, failureLog: failureLog, storagePool: storagePool, limiter: limiter,
            sessionLocks: sessionLocks, criticalWork: criticalWork,
            openMailStore: { user in
                guard let record = try await passwdFile.userRecord(user: user) else {
                    throw StorageError(.notFound, "user \(user) vanished from the userdb")
                }
                do {
                    return try UserMailStore.open(user: record, configuration: configuration, logger: storageLogger)
                } catch {
                    // A mail location that cannot be worked out needs the admin, not a retry.
                    throw StorageError(.invalidName, "mail location of \(user): \(error)")
                }
            },
            logger: options.logger("roost.pop3")
        )
    }

    func shutdown() {
        hashPool.shutdown()
        storagePool.shutdown()
    }
}
