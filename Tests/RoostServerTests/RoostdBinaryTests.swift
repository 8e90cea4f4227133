import Foundation
import RoostAuth
import RoostServer
import RoostTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built `roostd` as a daemon: privilege drop after binding, SIGHUP reloading the
/// certificate without dropping a session, SIGTERM ending it cleanly, configuration errors.
@Suite(.serialized) struct RoostdBinaryTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `roostd` next to the test bundle, else in `.build/debug`. Missing is a failure.
    static func binary() throws -> String {
        var candidates: [String] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().path + "/roostd")
        }
        candidates.append(packageRoot + "/.build/debug/roostd")
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "roostd not built; looked at \(candidates)")
    }

    /// A started daemon whose standard error goes to a file. Started through posix_spawn
    /// (`ExternalTool.start`): Foundation's `Process.run` crashed while the whole suite ran.
    final class Daemon {
        let pid: pid_t
        let logPath: String
        private var exitStatus: Int32?

        init(arguments: [String], logPath: String) throws {
            self.logPath = logPath
            let roostd = try ExternalTool.require(try RoostdBinaryTests.binary(), debianPackage: "roostd (swift build)")
            pid = try roostd.start(arguments, errorPath: logPath)
        }

        /// False once the daemon has exited (and was reaped: `exitStatus` holds its status).
        var isRunning: Bool {
            guard exitStatus == nil else { return false }
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            guard reaped == pid else { return reaped == 0 }
            exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return false
        }

        var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        /// Waits up to 20 s for `text` in the log.
        func waitFor(_ text: String) async throws -> Bool {
            for _ in 0..<400 {
                if log.contains(text) { return true }
                if !isRunning { return log.contains(text) }
                try await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        func waitForExit() async throws -> Int32? {
            for _ in 0..<400 {
                if !isRunning { return exitStatus }
                try await Task.sleep(for: .milliseconds(50))
            }
            kill(pid, SIGTERM)
            return nil
        }

        deinit {
            if isRunning {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
    }

    @Test func dropsPrivilegesReloadsOnHangupAndStopsOnTerm() async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/roostd-binary-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/tls", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hash = try PasswordHasher.hash(password: "alice-secret", scheme: .sha512Crypt)
        try Data("alice:\(hash):::::\n".utf8).write(to: URL(fileURLWithPath: directory + "/passwd"))
        _ = try SelfSignedCertificate.createIfMissing(certificate: directory + "/tls/cert.pem", key: directory + "/tls/key.pem")

        let asRoot = getuid() == 0
        // As root the daemon drops to nobody; otherwise it stays who it is.
        let owner = asRoot ? (user: "nobody", group: String(cString: getgrgid(getpwnam("nobody").pointee.pw_gid).pointee.gr_name))
            : (user: String(cString: getpwuid(getuid()).pointee.pw_name), group: String(cString: getgrgid(getgid()).pointee.gr_name))
        let ownerUID = getpwnam(owner.user).pointee.pw_uid
        if asRoot {
            // What the unprivileged daemon must read or write after the drop.
            try FileManager.default.createDirectory(atPath: directory + "/mail", withIntermediateDirectories: true)
            for path in [directory, directory + "/mail", directory + "/passwd", directory + "/tls", directory + "/tls/key.pem", directory + "/tls/cert.pem"] {
                chown(path, ownerUID, getpwnam(owner.user).pointee.pw_gid)
            }
        }
        let port = try FreePort.loopbackTCP(), tlsPort = try FreePort.loopbackTCP()
        let configuration = """
            [server]
            listen = 127.0.0.1
            [tls]
            certificate = \(directory)/tls/cert.pem
            key = \(directory)/tls/key.pem
            [pop3]
            port = \(port)
            tls_port = \(tlsPort)
            [imap]
            port = \(try FreePort.loopbackTCP())
            tls_port = \(try FreePort.loopbackTCP())
            [mail]
            location = \(directory)/mail/%u
            owner_user = \(owner.user)
            owner_group = \(owner.group)
            [auth]
            passwd_file = \(directory)/passwd
            """
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: directory + "/roostd.conf"))

        let daemon = try Daemon(arguments: ["--config", directory + "/roostd.conf"], logPath: directory + "/roostd.log")
        #expect(try await daemon.waitFor("listening: pop3s on 127.0.0.1:\(tlsPort)"), "\(daemon.log)")

        if asRoot {
            #expect(try await daemon.waitFor("running as \(owner.user)"), "\(daemon.log)")
            let status = try String(contentsOfFile: "/proc/\(daemon.pid)/status", encoding: .utf8)
            let uids = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(separator: "\t").dropFirst().map(String.init)
            #expect(uids == Array(repeating: String(ownerUID), count: 4), "\(status)")
        }

        // A session opened before the reload survives it.
        let before = try await ScriptedClient.connect(port: tlsPort, tls: true)
        #expect(try await before.readLine().hasPrefix("+OK"))
        let oldSerial = try await before.peerCertificateSerial()
        _ = try await before.command("USER alice")
        #expect(try await before.command("PASS alice-secret").hasPrefix("+OK"))
        var mailOwner = stat()
        #expect(stat(directory + "/mail/alice", &mailOwner) == 0 && mailOwner.st_uid == ownerUID)

        // Replace the certificate and send SIGHUP.
        try FileManager.default.removeItem(atPath: directory + "/tls/cert.pem")
        try FileManager.default.removeItem(atPath: directory + "/tls/key.pem")
        _ = try SelfSignedCertificate.createIfMissing(certificate: directory + "/tls/cert.pem", key: directory + "/tls/key.pem")
        if asRoot {
            chown(directory + "/tls/key.pem", ownerUID, getpwnam(owner.user).pointee.pw_gid)
            chown(directory + "/tls/cert.pem", ownerUID, getpwnam(owner.user).pointee.pw_gid)
        }
        kill(daemon.pid, SIGHUP)
        #expect(try await daemon.waitFor("TLS certificate reloaded"), "\(daemon.log)")
        let after = try await ScriptedClient.connect(port: tlsPort, tls: true)
        #expect(try await after.readLine().hasPrefix("+OK"))
        let newSerial = try await after.peerCertificateSerial()
        #expect(oldSerial != nil && newSerial != nil && oldSerial != newSerial)
        #expect(try await before.command("STAT") == "+OK 0 0")
        await after.close()

        kill(daemon.pid, SIGTERM)
        #expect(try await before.readLine() == "-ERR [SYS/TEMP] Server is shutting down, try again later")
        #expect(try await daemon.waitForExit() == 0, "\(daemon.log)")
        #expect(daemon.log.contains("stopped"))
    }

    @Test func configurationErrorsExitWithConfigStatus() async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/roostd-binary-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("[pop3]\nport = 99999\n".utf8).write(to: URL(fileURLWithPath: directory + "/bad.conf"))
        let daemon = try Daemon(arguments: ["--config", directory + "/bad.conf"], logPath: directory + "/log")
        #expect(try await daemon.waitForExit() == 78)
        #expect(daemon.log.contains("bad.conf:2"), "\(daemon.log)")
        let missing = try Daemon(arguments: ["--config", directory + "/missing.conf"], logPath: directory + "/log2")
        #expect(try await missing.waitForExit() == 78)
        #expect(missing.log.contains("no such file"), "\(missing.log)")
    }

    @Test(.enabled(if: SystemTestUser.canCreate || SystemTestUser.isCI, "needs root to create a system user; CI runs as root"))
    func systemUsersMailIsAccessedAsThemselves() async throws {
        try await SystemTestUser.with { user in
            let directory = FileManager.default.temporaryDirectory.path + "/roostd-binary-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            chmod(directory, 0o755)
            let hash = try PasswordHasher.hash(password: user.password, scheme: .sha512Crypt)
            try Data("\(user.name):\(hash):::::\n".utf8).write(to: URL(fileURLWithPath: directory + "/passwd"))
            let nogroup = String(cString: getgrgid(getpwnam("nobody").pointee.pw_gid).pointee.gr_name)
            let port = try FreePort.loopbackTCP()
            try Data("""
                [server]
                listen = 127.0.0.1
                [tls]
                certificate = ""
                key = ""
                [pop3]
                port = \(port)
                [imap]
                port = \(try FreePort.loopbackTCP())
                [mail]
                owner_user = nobody
                owner_group = \(nogroup)
                [auth]
                passwd_file = \(directory)/passwd
                userdb = system
                """.utf8).write(to: URL(fileURLWithPath: directory + "/roostd.conf"))
            let daemon = try Daemon(arguments: ["--config", directory + "/roostd.conf"], logPath: directory + "/roostd.log")
            #expect(try await daemon.waitFor("running as nobody"), "\(daemon.log)")

            // Only the storage threads for system users keep CAP_SETUID and CAP_SETGID (0xc0).
            // A thread may end between the listing and the reading of its status: it is skipped,
            // but only once its directory is gone. Name and capabilities come from one read.
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/task")
            var switching = 0
            for task in tasks {
                let base = "/proc/\(daemon.pid)/task/\(task)"
                guard let status = try? String(contentsOfFile: base + "/status", encoding: .utf8) else {
                    #expect(!FileManager.default.fileExists(atPath: base), "\(base)/status cannot be read")
                    continue
                }
                func field(_ key: String) -> String {
                    status.split(separator: "\n").first { $0.hasPrefix(key + ":") }?.split(separator: "\t").last.map(String.init) ?? "?"
                }
                let name = field("Name"), effective = field("CapEff")
                if name.hasPrefix("roost-user") {
                    switching += 1
                    #expect(effective == "00000000000000c0", "\(name)")
                } else {
                    #expect(effective == "0000000000000000", "\(name): \(effective)")
                }
            }
            #expect(switching > 0)

            let client = try await ScriptedClient.connect(port: port)
            _ = try await client.readLine()
            _ = try await client.command("USER \(user.name)")
            #expect(try await client.command("PASS \(user.password)").hasPrefix("+OK"), "\(daemon.log)")
            _ = try await client.command("QUIT")
            var maildir = stat()
            #expect(stat(user.home + "/Maildir/cur", &maildir) == 0 && maildir.st_uid == user.uid && maildir.st_gid == user.gid)

            // A message only the user may read (0600) is served: roostd reads it as the user.
            let message = "Subject: private\r\n\r\nfor the user only\r\n"
            let path = user.home + "/Maildir/new/1700000000.M1P1.test"
            try Data(message.utf8).write(to: URL(fileURLWithPath: path))
            chown(path, user.uid, user.gid)
            chmod(path, 0o600)
            let again = try await ScriptedClient.connect(port: port)
            _ = try await again.readLine()
            _ = try await again.command("USER \(user.name)")
            #expect(try await again.command("PASS \(user.password)").hasPrefix("+OK"))
            try await again.send("RETR 1")
            #expect(try await again.readLine().hasPrefix("+OK"))
            #expect(try await again.readMultiline() == ["Subject: private", "", "for the user only"])
            _ = try await again.command("QUIT")
            kill(daemon.pid, SIGTERM)
            #expect(try await daemon.waitForExit() == 0)
        }
    }
}
