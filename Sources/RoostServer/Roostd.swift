import ArgumentParser
import Foundation
import Logging
import NIOConcurrencyHelpers
import RoostConfig
import ServiceLifecycle
import UnixSignals

/// The `roostd` command line. `main.swift` of the executable only calls `Roostd.main()`.
public struct Roostd: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "roostd",
        abstract: "Roost mail retrieval server: IMAP (143, STARTTLS), IMAPS (993), POP3 (110, STLS) and POP3S (995) over Maildir.",
        discussion: """
            Started as root, roostd binds its ports and then runs as mail.owner_user/mail.owner_group.
            Signals: SIGTERM or SIGINT stop it gracefully (no new connections; sessions finish their
            current command for up to server.shutdown_timeout); SIGHUP reloads the TLS certificate
            and key and the passwd-file without dropping sessions.
            Exit status: 0 after a clean stop, 78 (EX_CONFIG) for a configuration it cannot run with,
            71 (EX_OSERR) when it cannot listen or drop privileges.
            """
    )

    @Option(name: .long, help: "Configuration file.")
    var config = "/etc/roost/roostd.conf"

    @Flag(name: .long, help: "Ready-to-try mode: a demo user, a self-signed certificate and a Maildir under --dev-dir, on 127.0.0.1 ports 1110/1995.")
    var dev = false

    @Option(name: .customLong("dev-dir"), help: "Folder for --dev.")
    var devDirectory = "dev-data"

    @Flag(name: .long, help: "Check the configuration, the passwd-file and the TLS files, then exit.")
    var check = false

    public init() {}

    /// Parses `CommandLine.arguments` and runs; exits with ArgumentParser's codes on bad usage.
    ///
    /// Synchronous on purpose, called from a `main.swift` without top-level `await`: the privilege
    /// drop must happen while the process's main thread is still a live thread. With an async
    /// `main`, libdispatch retires the main thread (`pthread_exit`) yet keeps it parked for signal
    /// delivery, so glibc's process-wide `setuid` skips it and it would stay root.
    public static func runFromCommandLine() {
        do {
            let command = try parseAsRoot()
            if let roostd = command as? Roostd {
                try roostd.serve()
            } else {
                var other = command
                try other.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// ArgumentParser's entry point for async commands; `runFromCommandLine` is the real one.
    public func run() async throws {
        try serve()
    }

    /// Loads the configuration, binds, drops privileges (on the calling thread, see
    /// `runFromCommandLine`), then serves until SIGTERM/SIGINT.
    func serve() throws {
        let configuration: RoostConfiguration
        var banner: String?
        do {
            if dev {
                let directory = devDirectory
                (configuration, banner) = try Self.blockingAwait { try await DevelopmentMode(directory: directory).prepare() }
            } else {
                configuration = try RoostConfiguration.load(path: config)
                if geteuid() == 0, let problem = configuration.mail.rootOwnerProblem {
                    throw ServerSetupError(problem)
                }

            }
        } catch {
            Self.fail("\(error)", code: 78)
        }
        let level = Logger.Level(rawValue: configuration.log.level.rawValue) ?? .info
        let format = ServerLogHandler.Format.detect()
        LoggingSystem.bootstrap { label in ServerLogHandler(label: label, level: level, format: format) }
        let logger = Logger(label: "roost.server")

        let server: RoostServer
        do {
            server = try RoostServer(configuration: configuration, logger: logger)
        } catch {
            Self.fail("\(error)", code: 78)
        }
        if check {
            print("roostd: configuration OK")
            try? Self.blockingAwait { await server.shutdown() }
            return
        }
        // Before binding: a password made just now must reach the user even if a port is taken.
        if let banner {
            FileHandle.standardOutput.write(Data((banner + "\n").utf8))
        }
        do {
            try Self.blockingAwait { try await server.start(accepting: false) }
        } catch {
            try? Self.blockingAwait { await server.shutdown() }
            Self.fail("\(error)", code: 71)
        }
        if !dev {
            do {
                // pam_unix reads /etc/shadow (root:shadow 0640) to check other users' passwords.
                let keptGroups = configuration.auth.passdb == .pam ? ["shadow"] : []
                // System users' Maildirs are their own: storage threads keep CAP_SETUID and
                // CAP_SETGID to take each user's file identity (MailAccess).
                let userSwitching = configuration.auth.userdb == .system
                if try PrivilegeDrop.dropIfRoot(
                    user: configuration.mail.ownerUser, group: configuration.mail.ownerGroup, supplementaryGroups: keptGroups,
                    keepingUserSwitching: userSwitching
                ) {
                    if userSwitching {
                        try PrivilegeDrop.withUserSwitching { server.startUserSwitchingPool() }
                    }
                    logger.info("running as \(configuration.mail.ownerUser):\(configuration.mail.ownerGroup)")
                }
            } catch {
                try? Self.blockingAwait { await server.shutdown() }
                Self.fail("\(error)", code: 71)
            }
        } else if geteuid() == 0 {
            logger.warning("--dev runs as root; files under \(devDirectory) will belong to root")
        }
        do {
            try Self.blockingAwait { try await server.startAccepting() }
        } catch {
            try? Self.blockingAwait { await server.shutdown() }
            Self.fail("\(error)", code: 71)
        }

        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: server),
                .init(service: HangupReloader(server: server), successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try Self.blockingAwait { try await group.run() }
    }

    /// Runs `body` on Swift's concurrency threads and blocks the calling thread until it is done.
    private static func blockingAwait<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
        let outcome = NIOLockedValueBox<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let value = try await body()
                outcome.withLockedValue { $0 = .success(value) }
            } catch {
                outcome.withLockedValue { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        return try outcome.withLockedValue { $0! }.get()
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("roostd: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
