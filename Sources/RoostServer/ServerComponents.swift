import Logging
import RoostAdmin
import RoostAuth
import RoostAuthSocket
import RoostConfig
import RoostIMAP
import RoostIMAPGrammar
import RoostPOP3
import RoostProtocolSupport
import RoostStorage

/// What all sessions share: the passdb and authenticator, the thread pools, limits and locks.
struct ServerComponents: Sendable {
    /// The passwd-file when the passdb or the userdb reads it (SIGHUP reloads it), else nil.
    let passwdFile: PasswdFile?
    /// The PAM passdb when `auth.passdb = pam`, for shutdown.
    let pamPassDB: PAMPassDB?
    /// Threads for system-user lookups (`auth.userdb = system`): NSS may ask LDAP or sssd over
    /// the network, which must not hold up password checks on `hashPool`.
    let userdbPool: BlockingWorkPool?
    let userdb: any UserDB
    let authenticator: SASLAuthenticator
    let penalty: AuthPenalty
    let failureLog: AuthFailureLog
    let hashPool: BlockingWorkPool
    let storagePool: BlockingWorkPool
    let mailAccess: MailAccess
    let limiter: ConnectionLimiter
    let sessionLocks = SessionLocks()
    let criticalWork = CriticalWork()
    let pop3Services: POP3Services
    let imapServices: IMAPServices
    let authSocketServices: AuthSocketServices

    /// Threads for blocking storage work (directory scans, reads, renames, fsync).
    static let storageThreads = 4

    init(configuration: RoostConfiguration, options: ServerOptions) throws {
        let auth = configuration.auth
        guard let defaultScheme = PasswordScheme(name: auth.defaultScheme.rawValue) else {
            throw ServerSetupError("auth.default_scheme: \(auth.defaultScheme.rawValue) is not implemented")
        }
        if auth.passdb == .passwdFile || auth.userdb == .passwdFile {
            do {
                passwdFile = try PasswdFile(
                    path: auth.passwdFile, configuration: PasswdFileConfiguration(defaultScheme: defaultScheme),
                    logger: options.logger("roost.passwd-file")
                )
            } catch {
                throw ServerSetupError("auth.passwd_file \(auth.passwdFile): \(error)")
            }
        } else {
            passwdFile = nil
        }
        hashPool = BlockingWorkPool(threadCount: auth.hashThreads, name: "roost-auth")
        let passdb: any PassDB
        switch auth.passdb {
        case .passwdFile:
            passdb = passwdFile!
            pamPassDB = nil
        case .pam:
            let pam = PAMPassDB(
                configuration: PAMConfiguration(
                    service: auth.pamService, establishCredentials: auth.pamSetcred, threadCount: auth.pamThreads,
                    configurationDirectory: options.pamConfigurationDirectory
                ),
                logger: options.logger("roost.pam")
            )
            passdb = pam
            pamPassDB = pam
        }
        switch auth.userdb {
        case .passwdFile:
            userdb = passwdFile!
            userdbPool = nil
        case .system:
            let template: MailLocationTemplate
            do {
                template = try MailLocationTemplate(auth.systemMailLocation)
            } catch {
                throw ServerSetupError("auth.system_mail_location: \(error)")
            }
            let pool = BlockingWorkPool(threadCount: 2, name: "roost-nss")
            userdbPool = pool
            userdb = SystemUserDB(
                mailTemplate: template, firstValidUID: UInt32(auth.firstValidUID), pool: pool,
                logger: options.logger("roost.userdb")
            )
        }
        let hostname = configuration.server.hostname.isEmpty ? SASLConfiguration.systemHostname() : configuration.server.hostname
        let penaltyConfiguration = AuthPenaltyConfiguration(
            baseDelay: auth.failureDelay, maxDelay: auth.failureDelayMax, forgetAfter: auth.failureMemory
        )
        storagePool = BlockingWorkPool(threadCount: Self.storageThreads, name: "roost-store", maxQueuedJobs: 4096)
        mailAccess = MailAccess(storagePool: storagePool, firstValidUID: UInt32(auth.firstValidUID))
        let authenticator = Authenticator(
            passdb: passdb, verifier: PasswordVerifier(pool: hashPool),
            configuration: AuthConfiguration(sasl: SASLConfiguration(hostname: hostname), penalty: penaltyConfiguration),
            logger: options.logger("roost.auth")
        )
        self.authenticator = SASLAuthenticator(authenticator: authenticator)
        penalty = AuthPenalty(configuration: penaltyConfiguration)
        failureLog = AuthFailureLog(logger: options.logger("auth"), passdb: auth.passdb.rawValue)
        let limits = configuration.limits
        limiter = ConnectionLimiter(limits: .init(
            maxConnections: limits.maxConnections, maxConnectionsPerIP: limits.maxConnectionsPerIP,
            maxConnectionsPerUserIP: limits.maxConnectionsPerUserIP
        ))
        let userdb = self.userdb
        // RoostConfig's names for the same mechanisms (it cannot depend on RoostAuth).
        let mechanisms: [RoostAuth.SASLMechanismName] = auth.mechanisms.compactMap { RoostAuth.SASLMechanismName(rawValue: $0.rawValue) }
        let systemUsers = auth.userdb == .system
        let storageLogger = options.logger("roost.storage")
        let login = LoginServices(authenticator: self.authenticator, mechanisms: mechanisms, penalty: penalty, failureLog: failureLog)
        let openMailbox: @Sendable (String) async throws -> UserMailbox = { user in
            // A user the passdb accepts but the userdb does not know (or refuses, such as
            // root with userdb = system) fails the login like an unknown user.
            guard let record = try await userdb.lookup(user: user) else {
                throw AuthFailureReason.unknownUser
            }
            let store: MailStore
            do {
                store = try UserMailStore.open(user: record, configuration: configuration, logger: storageLogger)
            } catch {
                // A mail location that cannot be worked out needs the admin, not a retry.
                throw StorageError(.invalidName, "mail location of \(user): \(error)")
            }
            // System users' mail is theirs; virtual users' mail is the server's.
            let identity = systemUsers ? record.uid.flatMap { uid in record.gid.map { MailIdentity(uid: uid, gid: $0) } } : nil
            return UserMailbox(store: store, identity: identity)
        }
        pop3Services = POP3Services(
            configuration: POP3Configuration(
                hostname: hostname, tlsAvailable: configuration.tls.isEnabled,
                lockSession: configuration.pop3.lockSession, maxBadCommands: limits.maxBadCommands
            ),
            login: login, storage: mailAccess.executor, limiter: limiter,
            sessionLocks: sessionLocks, criticalWork: criticalWork,
            openMailbox: openMailbox,
            logger: options.logger("roost.pop3")
        )
        imapServices = IMAPServices(
            configuration: IMAPConfiguration(
                hostname: hostname, tlsAvailable: configuration.tls.isEnabled,
                // APPEND literals are held in memory: "unlimited" messages still stop at the grammar's default.
                limits: IMAPLimits(
                    maxCommandOctets: limits.maxLineLength,
                    maxLiteralOctets: configuration.mail.maxMessageSize > 0 ? configuration.mail.maxMessageSize : IMAPLimits().maxLiteralOctets
                ),
                maxBadCommands: limits.maxBadCommands, idleKeepalive: configuration.imap.idleKeepalive,
                specialUse: SpecialUseFolders(
                    drafts: configuration.imap.draftsFolder, sent: configuration.imap.sentFolder,
                    trash: configuration.imap.trashFolder, junk: configuration.imap.junkFolder,
                    archive: configuration.imap.archiveFolder
                ),
                provisionSpecialFolders: configuration.imap.specialFolders
            ),
            login: login, storage: mailAccess.executor, limiter: limiter,
            criticalWork: criticalWork, watcher: MaildirWatcher.shared, openMailbox: openMailbox,
            logger: options.logger("roost.imap")
        )
        authSocketServices = AuthSocketServices(
            login: login, logger: options.logger("roost.auth-socket"),
            acceptsUser: { user in try await userdb.lookup(user: user) != nil }
        )
    }

    func shutdown() {
        pamPassDB?.shutdown()
        userdbPool?.shutdown()
        mailAccess.shutdown()
        hashPool.shutdown()
        storagePool.shutdown()
    }
}
