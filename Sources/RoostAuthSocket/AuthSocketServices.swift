import Logging
import RoostAuth

/// Everything auth-socket connections use beyond their own connection, shared by all of them.
public struct AuthSocketServices: Sendable {
    public var configuration: AuthSocketConfiguration
    /// Password checks, mechanisms, penalty and failure log, shared with POP3 and IMAP.
    public var login: LoginServices
    public var logger: Logger
    /// Sent as `SPID`.
    public var serverProcessID: AuthSocketProcessID
    /// Whether the userdb serves a user the passdb accepted: SMTP AUTH must not succeed for an
    /// account the mail protocols refuse (root or a daemon account with `auth.userdb = system`,
    /// a PAM user missing from the passwd-file). Throws for a temporary userdb failure.
    public var acceptsUser: @Sendable (_ user: String) async throws -> Bool
    /// A fresh cookie for each connection's `COOKIE` line.
    public var makeCookie: @Sendable () -> AuthSocketCookie
    /// `CUID`s; share one generator among all listeners of a server.
    public var connectionIDs: AuthSocketConnectionIDGenerator

    /// - Parameters:
    ///   - serverProcessID: default this process.
    ///   - makeCookie: default 16 random bytes (`AuthSocketCookie.random`).
    ///   - connectionIDs: default a new generator counting from 1.
    public init(
        configuration: AuthSocketConfiguration = AuthSocketConfiguration(), login: LoginServices, logger: Logger,
        acceptsUser: @escaping @Sendable (_ user: String) async throws -> Bool = { _ in true },
        serverProcessID: AuthSocketProcessID = .current,
        makeCookie: @escaping @Sendable () -> AuthSocketCookie = { AuthSocketCookie.random() },
        connectionIDs: AuthSocketConnectionIDGenerator = AuthSocketConnectionIDGenerator()
    ) {
        self.configuration = configuration
        self.login = login
        self.logger = logger
        self.acceptsUser = acceptsUser
        self.serverProcessID = serverProcessID
        self.makeCookie = makeCookie
        self.connectionIDs = connectionIDs
    }
}
