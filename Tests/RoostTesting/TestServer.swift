import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import RoostProtocolSupport
import RoostAuth
import RoostConfig
import RoostServer
import RoostStorage

/// A user of a `TestServer`'s passwd-file.
public struct TestUser: Sendable {
    public var name: String
    public var password: String
    /// How the password is stored: `SHA512-CRYPT`, `PLAIN`, ...
    public var scheme: PasswordScheme

    public init(_ name: String, password: String, scheme: PasswordScheme = .sha512Crypt) {
        self.name = name
        self.password = password
        self.scheme = scheme
    }

    public static let alice = TestUser("alice", password: "alice-secret")
    public static let bob = TestUser("bob", password: "bob secret with spaces", scheme: .plain)
}

/// The whole server in-process on 127.0.0.1 with ephemeral ports, real TLS (a fresh self-signed
/// certificate for `localhost`), a passwd-file and Maildirs in a temporary directory.
/// Stop it with `stop()`, which also removes the directory.
public final class TestServer: Sendable {
    public let directory: String
    public let configuration: RoostConfiguration
    public let server: RoostServer
    /// Every log line the server wrote, for tests of the log format.
    public let log: LogCapture

    public var pop3Port: Int { server.port(.pop3, implicitTLS: false)! }
    public var pop3sPort: Int { server.port(.pop3, implicitTLS: true)! }
    public var imapPort: Int { server.port(.imap, implicitTLS: false)! }
    public var imapsPort: Int { server.port(.imap, implicitTLS: true)! }

    private init(directory: String, configuration: RoostConfiguration, server: RoostServer, log: LogCapture) {
        self.directory = directory
        self.configuration = configuration
        self.server = server
        self.log = log
    }

    /// Starts a server for `users`. `configure` adjusts the configuration (limits, timeouts);
    /// `remoteClients` makes every client count as non-local, so plaintext rules apply on 127.0.0.1.
    ///
    /// `authSocket` opens the Dovecot-protocol auth socket at `authSocketPath`, owned by the
    /// test's own user (mode 0666, so Postfix's unprivileged smtpd can connect). `pamDirectory`
    /// makes PAM read service files from there instead of /etc/pam.d.
    public static func start(
        users: [TestUser] = [.alice],
        remoteClients: Bool = false,
        authSocket: Bool = false,
        pamDirectory: String? = nil,
        configure: (inout RoostConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let directory = try makeTemporaryDirectory()
        var lines: [String] = []
        for user in users {
            let hash = try PasswordHasher.hash(password: user.password, scheme: user.scheme)
            lines.append("\(user.name):\(hash):::::")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/passwd"))
        _ = try SelfSignedCertificate.createIfMissing(certificate: directory + "/tls/cert.pem", key: directory + "/tls/key.pem")

        var configuration = RoostConfiguration()
        configuration.server.listen = ["127.0.0.1"]
        configuration.server.hostname = "roost.test"
        configuration.server.shutdownTimeout = .seconds(5)
        configuration.tls.certificate = directory + "/tls/cert.pem"
        configuration.tls.key = directory + "/tls/key.pem"
        configuration.mail.location = directory + "/mail/%u"
        configuration.mail.indexDirectory = directory + "/index/%u"
        configuration.auth.passwdFile = directory + "/passwd"
        configuration.auth.failureDelay = .zero
        configuration.auth.failureDelayMax = .zero
        if authSocket {
            // Postfix's smtpd runs as postfix and must reach the socket inside this directory.
            chmod(directory, 0o755)
            configuration.authSocket.path = directory + "/auth"
            configuration.authSocket.mode = 0o666
            configuration.authSocket.user = String(cString: getpwuid(geteuid()).pointee.pw_name)
            configuration.authSocket.group = String(cString: getgrgid(getegid()).pointee.gr_name)
        }
        configure(&configuration)

        let log = LogCapture()
        let nobodyIsLocal: @Sendable (SocketAddress?) -> Bool = { _ in false }
        let trusted = remoteClients ? nobodyIsLocal : PlaintextAuthPolicy.isLoopback
        let factory: @Sendable (String) -> any LogHandler = { label in log.handler(label: label) }
        let options = ServerOptions(
            ephemeralPorts: true, isTrustedAddress: trusted, eventLoopThreads: 2, logHandlerFactory: factory,
            pamConfigurationDirectory: pamDirectory
        )
        let server = try RoostServer(configuration: configuration, options: options, logger: Logger(label: "roost.server", factory: factory))
        do {
            try await server.start()
        } catch {
            await server.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        return TestServer(directory: directory, configuration: configuration, server: server, log: log)
    }

    /// Runs `body` with a started server and always stops it afterwards.
    public static func with<Result>(
        users: [TestUser] = [.alice],
        remoteClients: Bool = false,
        authSocket: Bool = false,
        pamDirectory: String? = nil,
        configure: (inout RoostConfiguration) -> Void = { _ in },
        _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(
            users: users, remoteClients: remoteClients, authSocket: authSocket, pamDirectory: pamDirectory, configure: configure
        )
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Shuts the server down and removes its directory.
    public func stop() async {
        await server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Where `authSocket: true` put the auth socket.
    public var authSocketPath: String { configuration.authSocket.path }

    /// The Maildir root of `user`.
    public func maildir(of user: String) -> String { directory + "/mail/" + user }

    /// A mail store on `user`'s Maildir, as another process would open it (its own folder objects).
    public func store(of user: String) -> MailStore {
        MailStore(root: maildir(of: user))
    }

    /// Writes a message into `user`'s INBOX `new/` the way an MTA does (tmp/, then rename), with
    /// no size in the name. Creates the Maildir when needed. Returns the file's path.
    @discardableResult
    public func deliver(to user: String, _ message: String) throws -> String {
        try deliver(to: user, bytes: Array(message.utf8))
    }

    /// Writes a message into the user's `new/` as an MTA would; with `sizesInName`, its name carries
    /// `,S=` and `,W=` as Dovecot's names do. Returns the file's path.
    @discardableResult
    public func deliver(to user: String, bytes: [UInt8], sizesInName: Bool = false) throws -> String {
        let root = maildir(of: user)
        for sub in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        // Zero-padded: deliveries in one second are ordered by name (as Maildir readers do), and
        // M10 must not sort before M9.
        let sequence = String(Self.deliveries.next())
        let padded = String(repeating: "0", count: max(0, 9 - sequence.count)) + sequence
        var name = "\(Int(Date().timeIntervalSince1970)).M\(padded)P\(getpid()).roost-test"
        if sizesInName {
            let bareLineFeeds = bytes.indices.count { bytes[$0] == 0x0A && ($0 == 0 || bytes[$0 - 1] != 0x0D) }
            name += ",S=\(bytes.count),W=\(bytes.count + bareLineFeeds)"
        }
        let temporary = root + "/tmp/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, root + "/new/" + name) == 0 else { throw CocoaError(.fileWriteUnknown) }
        return root + "/new/" + name
    }

    /// Files in `user`'s INBOX (`new/` and `cur/`).
    public func messageFiles(of user: String) -> [String] {
        let root = maildir(of: user)
        return ["new", "cur"].flatMap { sub in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + sub)) ?? []).map { sub + "/" + $0 }
        }.sorted()
    }

    private static let deliveries = Counter()

    final class Counter: Sendable {
        private let value = NIOLockedValueBox(0)
        func next() -> Int { value.withLockedValue { $0 += 1; return $0 } }
    }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/roost-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: made)
    }
}

/// Collects log lines in memory (and lets them through to nowhere else).
public final class LogCapture: Sendable {
    private let lines = NIOLockedValueBox([String]())

    public init() {}

    public func handler(label: String) -> any LogHandler {
        ServerLogHandler(label: label, level: .debug) { [lines] text in
            lines.withLockedValue { $0.append(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
        }
    }

    /// Every line so far.
    public var all: [String] { lines.withLockedValue { $0 } }

    /// Lines containing `text`.
    public func lines(containing text: String) -> [String] { all.filter { $0.contains(text) } }

    /// The first line containing `text`, waiting for it up to `generousWait`.
    public func waitForLine(containing text: String) async throws -> String? {
        await firstValue { lines(containing: text).first }
    }
}
