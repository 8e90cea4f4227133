import Foundation
import RoostAuth
import RoostTesting
import Testing

/// `auth.passdb = pam` end to end: a POP3 login and an auth-socket login through a PAM service,
/// with pam_unix for a real system user (root needed, as in CI) and with pam_pwdfile.
@Suite(.serialized) struct PAMLoginTests {
    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// A directory with one PAM service file `roost`.
    private static func serviceDirectory(_ lines: [String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.path + "/roost-pam-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/roost"))
        return directory
    }

    private func pop3Login(_ server: TestServer, user: String, password: String) async throws -> String {
        let client = try await ScriptedClient.connect(port: server.pop3Port)
        let greeting = try await client.readLine()
        #expect(!greeting.contains("<"), "no APOP timestamp with PAM")
        _ = try await client.command("USER \(user)")
        let reply = try await client.command("PASS \(password)")
        if reply.hasPrefix("+OK") { _ = try await client.command("QUIT") }
        await client.close()
        return reply
    }

    private func socketLogin(_ server: TestServer, user: String, password: String) async throws -> String {
        let client = try await ScriptedClient.connect(unixSocket: server.authSocketPath)
        while try await client.readLine() != "DONE" {}
        try await client.sendRaw(Array("VERSION\t1\t2\nCPID\t1\nAUTH\t1\tPLAIN\tservice=smtp\tresp=\(Self.base64("\u{0}\(user)\u{0}\(password)"))\n".utf8))
        let reply = try await client.readLine()
        await client.close()
        return reply
    }

    @Test func pamUnixWithASystemUser() async throws {
        try await SystemTestUser.with { user in
            let pam = try Self.serviceDirectory(["auth required pam_unix.so", "account required pam_unix.so"])
            defer { try? FileManager.default.removeItem(atPath: pam) }
            // The userdb is the passwd-file (virtual mailbox for the system user's name).
            let entry = TestUser(user.name, password: "unused-\(UUID())")
            try await TestServer.with(users: [entry], authSocket: true, pamDirectory: pam, configure: { $0.auth.passdb = .pam }) { (server: TestServer) async throws in
                #expect(try await pop3Login(server, user: user.name, password: user.password).hasPrefix("+OK"))
                #expect(try await pop3Login(server, user: user.name, password: user.password + "x") == "-ERR [AUTH] Authentication failed")
                #expect(try await socketLogin(server, user: user.name, password: user.password) == "OK\t1\tuser=\(user.name)")
                #expect(try await socketLogin(server, user: user.name, password: "wrong") == "FAIL\t1\tuser=\(user.name)")
                let line = try #require(try await server.log.waitForLine(containing: "Password mismatch"))
                #expect(line.contains(" auth: pam(\(user.name),"), "\(line)")
            }
        }
    }

    @Test func pamPwdfile() async throws {
        try #require(FileManager.default.fileExists(atPath: "/lib/x86_64-linux-gnu/security/pam_pwdfile.so")
                     || FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/security/pam_pwdfile.so"),
                     "pam_pwdfile.so missing: apt install libpam-pwdfile (.ci/run does)")
        // pam_pwdfile reads bare crypt(3) hashes, without Dovecot's {SCHEME} prefix.
        let stored = try PasswordHasher.hash(password: "carol-secret", scheme: .sha512Crypt)
        let hash = stored.hasPrefix("{") ? String(stored[stored.index(after: stored.firstIndex(of: "}")!)...]) : stored
        let pam = try Self.serviceDirectory([])
        defer { try? FileManager.default.removeItem(atPath: pam) }
        // erin passes PAM but is not in the userdb (the passwd-file): no POP3, no SMTP AUTH.
        try Data("carol:\(hash)\nerin:\(hash)\n".utf8).write(to: URL(fileURLWithPath: pam + "/passwords"))
        try Data("auth required pam_pwdfile.so pwdfile=\(pam)/passwords\naccount required pam_permit.so\n".utf8)
            .write(to: URL(fileURLWithPath: pam + "/roost"))
        let carol = TestUser("carol", password: "unused-\(UUID())")
        try await TestServer.with(users: [carol], authSocket: true, pamDirectory: pam, configure: { $0.auth.passdb = .pam }) { (server: TestServer) async throws in
            #expect(try await pop3Login(server, user: "carol", password: "carol-secret").hasPrefix("+OK"))
            #expect(try await pop3Login(server, user: "carol", password: "nope").hasPrefix("-ERR [AUTH]"))
            #expect(try await pop3Login(server, user: "dave", password: "carol-secret").hasPrefix("-ERR [AUTH]"))
            #expect(try await socketLogin(server, user: "carol", password: "carol-secret") == "OK\t1\tuser=carol")
            #expect(try await pop3Login(server, user: "erin", password: "carol-secret").hasPrefix("-ERR [AUTH]"))
            #expect(try await socketLogin(server, user: "erin", password: "carol-secret") == "FAIL\t1\tuser=erin")
        }
    }
}
