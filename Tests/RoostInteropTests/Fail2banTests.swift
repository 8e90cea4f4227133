import Foundation
import Logging
import NIOConcurrencyHelpers
import RoostAuth
import RoostServer
import RoostTesting
import Testing

/// fail2ban's stock `dovecot` filter, run by `fail2ban-regex` over roostd's own log lines, counts
/// every wrong password and unknown user, extracts the client's address and nothing else, and
/// ignores logins, logouts and failures that are not guesses (docs/running.md, "fail2ban").
@Suite struct Fail2banTests {
    /// What an admin's jail uses: the stock filter with roostd as the daemon name.
    static let filter = "dovecot[_daemon=roostd]"

    private func fail2banRegex(_ lines: [String]) async throws -> (matched: Int, addresses: [String]) {
        let tool = try ExternalTool.require("fail2ban-regex", debianPackage: "fail2ban")
        let file = FileManager.default.temporaryDirectory.path + "/roost-f2b-\(UUID().uuidString).log"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let summary = try await tool.run([file, Self.filter], timeout: .seconds(60))
        try #require(summary.succeeded, "\(summary)")
        let count = try #require(summary.output.split(separator: "\n").first { $0.hasPrefix("Failregex: ") }, "\(summary)")
        let matched = try #require(Int(count.split(separator: " ")[1]), "\(count)")
        let addresses = try await tool.run(["-o", "ip", file, Self.filter], timeout: .seconds(60))
        try #require(addresses.succeeded, "\(addresses)")
        return (matched, addresses.output.split(separator: "\n").map(String.init).filter { !$0.isEmpty })
    }

    private func attempt(_ server: TestServer, user: String, password: String) async throws -> String {
        let client = try await ScriptedClient.connect(port: server.pop3Port)
        _ = try await client.readLine()
        _ = try await client.command("USER \(user)")
        let reply = try await client.command("PASS \(password)")
        await client.close()
        return reply
    }

    @Test func stockFilterCountsGuessesFromRoostdsLog() async throws {
        let lines = try await TestServer.with(users: [.alice]) { server in
            #expect(try await attempt(server, user: "alice", password: "wrong").hasPrefix("-ERR [AUTH]"))
            #expect(try await attempt(server, user: "mallory", password: "guess").hasPrefix("-ERR [AUTH]"))
            // A name made to look like another address must not be what gets banned.
            #expect(try await attempt(server, user: "1.2.3.4),rip=(5.6.7.8", password: "x").hasPrefix("-ERR [AUTH]"))
            #expect(try await attempt(server, user: "alice", password: TestUser.alice.password).hasPrefix("+OK"))
            for _ in 0..<100 where server.log.lines(containing: " auth: ").count < 3 {
                try await Task.sleep(for: .milliseconds(20))
            }
            return server.log.all
        }
        #expect(lines.contains { $0.contains("pop3 login:") })
        let result = try await fail2banRegex(lines)
        #expect(result.matched == 3, "\(lines.joined(separator: "\n"))")
        #expect(result.addresses == ["127.0.0.1", "127.0.0.1", "127.0.0.1"])
    }

    @Test func stockFilterMatchesTheJournalForm() async throws {
        // What the file backend sees of a journal entry (syslog form): roostd[pid]: then the
        // message roostd writes under systemd, without its <N> priority prefix.
        let written = NIOLockedValueBox([String]())
        let logger = Logger(label: "auth") { label in
            ServerLogHandler(label: label, level: .info, format: .journal) { text in written.withLockedValue { $0.append(text) } }
        }
        let log = AuthFailureLog(logger: logger)
        log.record(user: "bob@example.org", mechanism: "USER", remoteAddress: "192.0.2.7", reason: .wrongPassword)
        log.record(user: "mallory", mechanism: "PLAIN", remoteAddress: "2001:db8::7", reason: .unknownUser)
        log.record(user: "carol", mechanism: "USER", remoteAddress: "192.0.2.8", reason: .disabled)
        let messages = written.withLockedValue { $0 }.map { $0.replacingOccurrences(of: "\n", with: "") }
        #expect(messages.allSatisfy { $0.hasPrefix("<6>auth: passwd-file(") }, "\(messages)")
        let syslog = messages.map { "Dec  4 10:15:01 mail roostd[123]: " + $0.dropFirst(3) }
        let result = try await fail2banRegex(syslog)
        #expect(result.matched == 2, "\(syslog)")
        #expect(result.addresses == ["192.0.2.7", "2001:db8::7"])
    }
}
