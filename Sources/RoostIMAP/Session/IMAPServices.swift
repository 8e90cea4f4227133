import Logging
import RoostAuth
import RoostProtocolSupport
import RoostStorage

/// Everything an IMAP session uses beyond its connection, shared by all sessions of a server.
public struct IMAPServices: Sendable {
    public var configuration: IMAPConfiguration
    /// Password checks, mechanisms, penalty and failure log, shared with POP3 and the auth socket.
    public var login: LoginServices
    /// Runs blocking storage work as the mailbox's identity.
    public var storage: StorageExecutor
    public var limiter: ConnectionLimiter
    /// Storage changes that must finish before shutdown (APPEND, EXPUNGE, MOVE) run inside this.
    public var criticalWork: CriticalWork
    /// Tells IDLE sessions about changes other programs make to a folder.
    public var watcher: MaildirWatcher
    /// The mailbox of a logged-in user (canonical name from the passdb); throws
    /// `AuthFailureReason` when the userdb does not know or refuses the user.
    public var openMailbox: @Sendable (_ user: String) async throws -> UserMailbox
    public var logger: Logger

    public init(
        configuration: IMAPConfiguration, login: LoginServices, storage: StorageExecutor, limiter: ConnectionLimiter,
        criticalWork: CriticalWork, watcher: MaildirWatcher,
        openMailbox: @escaping @Sendable (_ user: String) async throws -> UserMailbox, logger: Logger
    ) {
        self.configuration = configuration
        self.login = login
        self.storage = storage
        self.limiter = limiter
        self.criticalWork = criticalWork
        self.watcher = watcher
        self.openMailbox = openMailbox
        self.logger = logger
    }
}
