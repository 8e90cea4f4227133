import Logging
import NIOCore
import RoostProtocolSupport

/// How a server is run, beyond what roostd.conf says: mostly for tests and `roostd --dev`.
public struct ServerOptions: Sendable {
    /// Bind every enabled listener to an ephemeral port (port 0) instead of its configured port;
    /// `RoostServer.listeners` tells the ports. For tests.
    public var ephemeralPorts: Bool
    /// Which client addresses count as local for plaintext logins; default loopback. Tests inject
    /// `{ _ in false }` to act as a remote client from 127.0.0.1.
    public var isTrustedAddress: @Sendable (SocketAddress?) -> Bool
    /// Event loop threads; default one per core.
    public var eventLoopThreads: Int
    /// Where PAM reads service files instead of `/etc/pam.d` (`pam_start_confdir`); for tests.
    public var pamConfigurationDirectory: String?
    /// Makes the log handlers of the server's loggers; nil uses the process-wide
    /// `LoggingSystem`. Tests capture log lines with it.
    public var logHandlerFactory: (@Sendable (_ label: String) -> any LogHandler)?

    public init(
        ephemeralPorts: Bool = false,
        isTrustedAddress: @escaping @Sendable (SocketAddress?) -> Bool = PlaintextAuthPolicy.isLoopback,
        eventLoopThreads: Int = System.coreCount,
        logHandlerFactory: (@Sendable (_ label: String) -> any LogHandler)? = nil,
        pamConfigurationDirectory: String? = nil
    ) {
        self.pamConfigurationDirectory = pamConfigurationDirectory
        self.logHandlerFactory = logHandlerFactory
        self.ephemeralPorts = ephemeralPorts
        self.isTrustedAddress = isTrustedAddress
        self.eventLoopThreads = eventLoopThreads
    }
}

extension ServerOptions {
    /// A logger with `label`, through `logHandlerFactory` when set.
    func logger(_ label: String) -> Logger {
        guard let logHandlerFactory else { return Logger(label: label) }
        return Logger(label: label, factory: logHandlerFactory)
    }
}
