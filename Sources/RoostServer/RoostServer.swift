import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import RoostAdmin
import RoostAuth
import RoostAuthSocket
import RoostConfig
import RoostPOP3
import RoostProtocolSupport
import RoostStorage
import ServiceLifecycle

/// A running Roost server: listeners, sessions and everything they share.
///
/// Lifecycle: `init` reads the passwd-file and TLS files (failing early with a clear error),
/// `start()` binds every listener, `shutdown()` ends it gracefully. As a swift-service-lifecycle
/// `Service`, `run()` starts, waits for graceful shutdown (SIGTERM/SIGINT in roostd), then shuts
/// down; SIGHUP reloads the TLS certificate and the passwd-file meanwhile.
public final class RoostServer: Service, Sendable {
    public let configuration: RoostConfiguration
    public let options: ServerOptions
    let components: ServerComponents
    let tls: TLSContextStore?
    let tracker = ConnectionTracker()
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let state = NIOLockedValueBox(LifecycleState.idle)
    /// True once `start()` created the auth socket file.
    private let ownsAuthSocket = NIOLockedValueBox(false)

    private enum LifecycleState {
        case idle
        case running([any Channel], [BoundListener])
        case stopped
    }

    /// Builds the server's parts from `configuration`; binds nothing yet.
    ///
    /// - Throws: `ServerSetupError` for a configuration the server cannot run with (unreadable
    ///   passwd-file, unusable certificate or key). Root as mail owner is refused by roostd before
    ///   it drops privileges, not here: tests and `--dev` run as whoever starts them.
    public init(configuration: RoostConfiguration, options: ServerOptions = ServerOptions(), logger: Logger) throws {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        components = try ServerComponents(configuration: configuration, options: options)
        if !configuration.tls.isEnabled {
            tls = nil
            logger.warning("TLS is disabled (tls.certificate is empty): no STLS/STARTTLS, no POP3S/IMAPS; passwords only from loopback")
        } else {
            do {
                tls = try TLSContextStore(settings: configuration.tls)
            } catch {
                components.shutdown()
                throw ServerSetupError("\(error)")
            }
        }
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.eventLoopThreads))
    }

    /// The listeners bound by `start()`, with their actual ports.
    public var listeners: [BoundListener] {
        state.withLockedValue { state in
            if case .running(_, let bound) = state { return bound }
            return []
        }
    }

    /// The bound port of the first listener for `served` with or without implicit TLS.
    public func port(_ served: ServedProtocol, implicitTLS: Bool) -> Int? {
        listeners.first { $0.spec.served == served && $0.spec.implicitTLS == implicitTLS }?.port
    }

    /// Binds every listener. Throws `ServerSetupError` naming the listener that failed; then
    /// nothing stays bound.
    ///
    /// - Parameter accepting: start accepting connections at once. roostd passes false, drops
    ///   privileges, then calls `startAccepting()`, so no client is ever served as root.
    public func start(accepting: Bool = true) async throws {
        var channels: [any Channel] = []
        var bound: [BoundListener] = []
        for spec in ListenerSpec.all(in: configuration) {
            do {
                let channel = try await bind(spec, accepting: accepting)
                channels.append(channel)
                bound.append(BoundListener(spec: spec, port: channel.localAddress?.port ?? spec.port))
            } catch {
                for channel in channels { try? await channel.close() }
                throw ServerSetupError("cannot listen for \(spec): \(Self.reason(error))")
            }
        }
        if !configuration.authSocket.path.isEmpty {
            do {
                channels.append(try await bindAuthSocket(configuration.authSocket, accepting: accepting))
                ownsAuthSocket.withLockedValue { $0 = true }
            } catch {
                for channel in channels { try? await channel.close() }
                throw ServerSetupError("cannot create the auth socket \(configuration.authSocket.path): \(Self.reason(error))")
            }
        }
        state.withLockedValue { $0 = .running(channels, bound) }
        for listener in bound {
            logger.info("listening: \(listener)")
        }
        if !configuration.authSocket.path.isEmpty {
            logger.info("listening: auth socket on \(configuration.authSocket.path)")
        }
    }

    /// Starts accepting on listeners bound with `start(accepting: false)`.
    public func startAccepting() async throws {
        let channels: [any Channel] = state.withLockedValue { state in
            if case .running(let channels, _) = state { return channels }
            return []
        }
        for channel in channels {
            try await channel.setOption(.autoRead, value: true).get()
        }
    }

    /// Stops accepting, lets sessions finish their current command for at most
    /// `server.shutdown_timeout`, closes the rest, waits for started POP3 commits, and frees the
    /// event loops and thread pools.
    public func shutdown() async {
        let (channels, alreadyStopped): ([any Channel], Bool) = state.withLockedValue { state in
            defer { state = .stopped }
            switch state {
            case .running(let channels, _): return (channels, false)
            case .idle: return ([], false)
            case .stopped: return ([], true)
            }
        }
        guard !alreadyStopped else { return }
        for channel in channels { try? await channel.close() }
        let open = tracker.count
        if open > 0 { logger.info("shutting down: \(open) sessions open") }
        tracker.announceShutdown()
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.server.shutdownTimeout
        while tracker.count > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if tracker.count > 0 {
            logger.notice("closing \(tracker.count) sessions still open after server.shutdown_timeout")
            tracker.closeAll()
        }
        if !(await components.criticalWork.waitUntilIdle(timeout: .seconds(60))) {
            logger.error("a POP3 commit did not finish within 60 s of shutdown")
        }
        // Pools first: their queued jobs still complete promises on the event loops.
        components.shutdown()
        try? await group.shutdownGracefully()
        // Only a socket this process made: `--check`, or a second roostd that could not bind,
        // must not remove a running server's socket.
        if ownsAuthSocket.withLockedValue({ $0 }) {
            unlink(configuration.authSocket.path)
        }
        logger.info("stopped")
    }

    /// Service entry point: start, serve until graceful shutdown, shut down.
    public func run() async throws {
        let needsStart = state.withLockedValue { state in
            if case .idle = state { return true }
            return false
        }
        if needsStart { try await start() }
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Starts the threads that run system users' storage work, taking each user's file identity
    /// (see `MailAccess`). Call on a thread holding CAP_SETUID and CAP_SETGID.
    func startUserSwitchingPool() {
        components.mailAccess.startUserSwitchingPool()
    }

    /// SIGHUP: reloads the TLS files and the passwd-file; errors keep the old ones and are logged.
    public func reload() async {
        if let tls {
            do {
                try tls.reload()
                logger.info("TLS certificate reloaded")
            } catch {
                logger.error("TLS reload failed, keeping the old certificate: \(error)")
            }
        }
        if let passwdFile = components.passwdFile, await passwdFile.reloadNow() {
            logger.info("passwd-file reloaded")
        }
    }

    // MARK: Listeners

    /// A socket error as `strerror` words (NIO's own description repeats the call's signature).
    private static func reason(_ error: any Error) -> String {
        guard let io = error as? IOError else { return "\(error)" }
        return String(cString: strerror(io.errnoCode))
    }

    private func bind(_ spec: ListenerSpec, accepting: Bool) async throws -> any Channel {
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 511)
            .serverChannelOption(.autoRead, value: accepting)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.initializeConnection(channel, spec: spec)
                }
            }
        if spec.ipv6Only {
            bootstrap = bootstrap.serverChannelOption(
                ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1
            )
        }
        return try await bootstrap.bind(host: spec.host, port: options.ephemeralPorts ? 0 : spec.port).get()
    }

    /// The UNIX socket of Dovecot's auth protocol, given its mode and owner without following links while roostd may still be root; the directory may
    /// belong to Postfix, whose user could otherwise swap the socket for a link. A stale socket
    /// file from an earlier run is replaced; one a running server still answers on is not.
    private func bindAuthSocket(_ settings: AuthSocketSettings, accepting: Bool) async throws -> any Channel {
        guard let owner = getpwnam(settings.user), let ownerGroup = getgrnam(settings.group) else {
            throw ServerSetupError("auth_socket.user \(settings.user) or auth_socket.group \(settings.group) does not exist")
        }
        let (uid, gid) = (owner.pointee.pw_uid, ownerGroup.pointee.gr_gid)
        if Self.unixSocketAnswers(settings.path) {
            throw ServerSetupError("another server is listening on it")
        }
        let services = components.authSocketServices
        let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 511)
                .serverChannelOption(.autoRead, value: accepting)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        self.tracker.track(channel)
                        let connection = ConnectionInfo(
                            id: self.tracker.makeConnectionID(), remoteAddress: nil, isTLS: false, allowsPlaintextWithoutTLS: true
                        )
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(LineFramingHandler(maxLineLength: services.configuration.maxLineLength))
                        try pipeline.addHandler(AuthSocketHandler(services: services, connection: connection))
                    }
                }
                .bind(unixDomainSocketPath: settings.path, cleanupExistingSocketFile: true).get()
        // fchmodat with AT_SYMLINK_NOFOLLOW refuses a symlink (glibc changes the file itself
        // through an O_PATH descriptor); umask would be process-wide.
        guard fchmodat(AT_FDCWD, settings.path, mode_t(settings.mode), AT_SYMLINK_NOFOLLOW) == 0 else {
            let reason = String(cString: strerror(errno))
            try? await channel.close()
            unlink(settings.path)
            throw ServerSetupError("chmod \(String(settings.mode, radix: 8)): \(reason)")
        }
        if lchown(settings.path, uid, gid) != 0 {
            let reason = String(cString: strerror(errno))
            var status = stat()
            // Not root: fine if the socket is already ours as asked (tests, roostd run unprivileged).
            guard lstat(settings.path, &status) == 0, status.st_uid == uid, status.st_gid == gid else {
                try? await channel.close()
                unlink(settings.path)
                throw ServerSetupError("chown \(settings.user):\(settings.group): \(reason)")
            }
        }
        return channel
    }

    /// True when something accepts connections on the UNIX socket at `path`.
    private static func unixSocketAnswers(_ path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let socket = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    }

    private func initializeConnection(_ channel: any Channel, spec: ListenerSpec) throws {
        let remote = ConnectionInfo.ipAddress(of: channel.remoteAddress)
        let pipeline = channel.pipeline.syncOperations
        if spec.implicitTLS, let tls {
            try pipeline.addHandler(NIOSSLServerHandler(context: tls.current))
        }
        switch components.limiter.acquireConnection(from: remote) {
        case .failure(let refusal):
            logger.notice("connection refused: \(refusal)", metadata: ["remote_ip": "\(remote ?? "-")"])
            try pipeline.addHandler(RefusingHandler(message: Frontends.refusal(for: spec.served, refusal)))
            return
        case .success(let token):
            channel.closeFuture.whenComplete { _ in self.components.limiter.release(token) }
        }
        tracker.track(channel)
        let connection = ConnectionInfo(
            id: tracker.makeConnectionID(), remoteAddress: remote,
            localAddress: ConnectionInfo.ipAddress(of: channel.localAddress),
            isTLS: spec.implicitTLS,
            allowsPlaintextWithoutTLS: PlaintextAuthPolicy(
                allowEverywhere: configuration.auth.allowPlaintextWithoutTLS, isTrusted: options.isTrustedAddress
            ).allowsPlaintextWithoutTLS(from: channel.remoteAddress)
        )
        switch spec.served {
        case .pop3:
            try Frontends.addPOP3Handlers(
                to: pipeline, connection: connection, services: components.pop3Services,
                configuration: configuration, tls: spec.implicitTLS ? nil : tls
            )
        case .imap:
            try Frontends.addIMAPHandlers(
                to: pipeline, connection: connection, services: components.imapServices,
                configuration: configuration, tls: spec.implicitTLS ? nil : tls
            )
        }
    }
}

/// A configuration the server cannot run with.
public struct ServerSetupError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
