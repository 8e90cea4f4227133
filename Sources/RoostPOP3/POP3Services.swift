import Foundation
import Logging
import RoostAuth
import RoostProtocolSupport
import RoostStorage

/// Everything a POP3 session uses beyond its connection, shared by all sessions of a server.
public struct POP3Services: Sendable {
    public var configuration: POP3Configuration
    /// Password checks, mechanisms, penalty and failure log, shared with IMAP and the auth socket.
    public var login: LoginServices
    /// Runs blocking storage work (opening and syncing INBOX, reading message files, QUIT) as
    /// the mailbox's identity.
    public var storage: StorageExecutor
    public var limiter: ConnectionLimiter
    public var sessionLocks: SessionLocks
    /// QUIT's commit runs inside this, so shutdown waits for it.
    public var criticalWork: CriticalWork
    /// The mailbox of a logged-in user (canonical name from the passdb); throws
    /// `AuthFailureReason` when the userdb does not know or refuses the user.
    public var openMailbox: @Sendable (_ user: String) async throws -> UserMailbox
    public var logger: Logger

    public init(
        configuration: POP3Configuration, login: LoginServices, storage: StorageExecutor, limiter: ConnectionLimiter,
        sessionLocks: SessionLocks, criticalWork: CriticalWork, openMailbox: @escaping @Sendable (_ user: String) async throws -> UserMailbox,
        logger: Logger
    ) {
        self.configuration = configuration
        self.login = login
        self.storage = storage
        self.limiter = limiter
        self.sessionLocks = sessionLocks
        self.criticalWork = criticalWork
        self.openMailbox = openMailbox
        self.logger = logger
    }

    /// The APOP timestamp for a greeting (RFC 1939 section 7), nil when the passdb cannot serve APOP.
    func apopTimestamp() async -> String? {
        guard await login.authenticator.authenticator.passdb.canServeAPOP() else { return nil }
        var generator = SystemRandomNumberGenerator()
        let random = String(generator.next() as UInt64, radix: 16)
        let seconds = Int(Date.now.timeIntervalSince1970)
        return "<\(random).\(seconds)@\(configuration.hostname)>"
    }

    /// Checks presented credentials.
    func verify(_ presented: POP3Login, remoteAddress: String?) async -> AuthResult {
        switch presented {
        case .password(let user, let password):
            return await self.login.authenticator.authenticator.verifyPlain(user: user, password: password, remoteAddress: remoteAddress)
        case .apop(let user, let timestamp, let digest):
            return await self.login.authenticator.authenticator.verifyAPOP(
                user: user, timestamp: timestamp, digest: digest, remoteAddress: remoteAddress
            )
        case .sasl(_, let credentials):
            return await self.login.authenticator.verify(credentials, remoteAddress: remoteAddress)
        }
    }
}
