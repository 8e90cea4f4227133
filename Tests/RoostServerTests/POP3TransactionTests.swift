import Foundation
import RoostStorage
import RoostTesting
import Testing

/// USER/PASS, STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP and QUIT against the real server.
@Suite struct POP3TransactionTests {
    static let first = "From: a@example.org\nSubject: one\n\nline 1\n.leading dot\nline 3\n"
    static let second = "From: b@example.org\r\nSubject: two\r\n\r\nbody\r\n"

    private func login(_ server: TestServer, user: TestUser = .alice) async throws -> ScriptedClient {
        let client = try await ScriptedClient.connect(port: server.pop3Port)
        #expect(try await client.readLine().hasPrefix("+OK"))
        #expect(try await client.command("USER \(user.name)").hasPrefix("+OK"))
        let reply = try await client.command("PASS \(user.password)")
        #expect(reply.hasPrefix("+OK"), "\(reply)")
        return client
    }

    @Test func fullSession() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.first)
            try server.deliver(to: "alice", Self.second)
            let client = try await login(server)

            let firstSize = Self.first.replacingOccurrences(of: "\n", with: "\r\n").utf8.count
            let secondSize = Self.second.utf8.count
            #expect(try await client.command("STAT") == "+OK 2 \(firstSize + secondSize)")
            try await client.send("LIST")
            #expect(try await client.readLine().hasPrefix("+OK"))
            #expect(try await client.readMultiline() == ["1 \(firstSize)", "2 \(secondSize)"])
            #expect(try await client.command("LIST 2") == "+OK 2 \(secondSize)")
            #expect(try await client.command("LIST 3").hasPrefix("-ERR"))

            try await client.send("UIDL")
            #expect(try await client.readLine().hasPrefix("+OK"))
            let uidls = try await client.readMultiline()
            #expect(uidls.count == 2)
            let uidValidity = try server.store(of: "alice").folder(.inbox).snapshot.uidValidity.rawValue
            #expect(uidls[0] == "1 " + String(format: "%08x%08x", 1, uidValidity))

            // RETR: CRLF line ends, the leading dot stuffed, the terminator right after.
            try await client.send("RETR 1")
            let retr = try await client.readRaw(through: Array("\r\n.\r\n".utf8))
            let expected = "+OK \(firstSize) octets\r\n" + "From: a@example.org\r\nSubject: one\r\n\r\nline 1\r\n..leading dot\r\nline 3\r\n.\r\n"
            #expect(String(decoding: retr, as: UTF8.self) == expected)

            try await client.send("TOP 1 1")
            #expect(try await client.readLine().hasPrefix("+OK"))
            #expect(try await client.readMultiline() == ["From: a@example.org", "Subject: one", "", "line 1"])

            #expect(try await client.command("NOOP").hasPrefix("+OK"))
            #expect(try await client.command("DELE 1").hasPrefix("+OK"))
            #expect(try await client.command("DELE 1").hasPrefix("-ERR"))
            #expect(try await client.command("RETR 1").hasPrefix("-ERR"))
            #expect(try await client.command("STAT") == "+OK 1 \(secondSize)")
            #expect(try await client.command("RSET").hasPrefix("+OK"))
            #expect(try await client.command("STAT") == "+OK 2 \(firstSize + secondSize)")
            #expect(try await client.command("DELE 2").hasPrefix("+OK"))
            #expect(try await client.command("QUIT").hasPrefix("+OK"))
            #expect(try await client.waitForClose())

            // Message 2 is gone; message 1 is still there and now \Seen (it was retrieved).
            let files = server.messageFiles(of: "alice")
            #expect(files.count == 1)
            #expect(files.first?.hasPrefix("cur/") == true && files.first?.hasSuffix(":2,S") == true, "\(files)")
        }
    }

    @Test func droppedConnectionAfterDeleDeletesNothing() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.first)
            try server.deliver(to: "alice", Self.second)
            let client = try await login(server)
            #expect(try await client.command("DELE 1").hasPrefix("+OK"))
            #expect(try await client.command("DELE 2").hasPrefix("+OK"))
            await client.close()
            // The next session (after the first one's lock is gone) still sees both.
            let again = try await firstValue {
                let attempt = try await ScriptedClient.connect(port: server.pop3Port)
                _ = try await attempt.readLine()
                _ = try await attempt.command("USER alice")
                if try await attempt.command("PASS \(TestUser.alice.password)").hasPrefix("+OK") { return attempt }
                await attempt.close()
                return nil
            }
            let client2 = try #require(again)
            #expect(try await client2.command("STAT").hasPrefix("+OK 2 "))
            #expect(try await client2.command("QUIT").hasPrefix("+OK"))
            #expect(server.messageFiles(of: "alice").count == 2)
        }
    }

    @Test func deliveryDuringSessionAppearsAtNextLogin() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.first)
            let client = try await login(server)
            #expect(try await client.command("STAT").hasPrefix("+OK 1 "))
            try server.deliver(to: "alice", Self.second)
            #expect(try await client.command("STAT").hasPrefix("+OK 1 "))
            #expect(try await client.command("LIST 2").hasPrefix("-ERR"))
            #expect(try await client.command("QUIT").hasPrefix("+OK"))
            _ = try await client.waitForClose()
            let next = try await login(server)
            #expect(try await next.command("STAT").hasPrefix("+OK 2 "))
            _ = try await next.command("QUIT")
        }
    }

    @Test func secondSessionOfTheSameUserIsInUse() async throws {
        try await TestServer.with { server in
            let first = try await login(server)
            let second = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await second.readLine()
            _ = try await second.command("USER alice")
            #expect(try await second.command("PASS \(TestUser.alice.password)").hasPrefix("-ERR [IN-USE]"))
            _ = try await first.command("QUIT")
            await second.close()
        }
    }

    @Test func largeMessageIsStreamedExactly() async throws {
        try await TestServer.with { server in
            // About 6 MB of LF-terminated lines, some starting with a dot, no final newline.
            var body = "Subject: big\n\n"
            for index in 0..<120_000 { body += (index % 7 == 0 ? ".dot line \(index)" : "line \(index) of the large message") + "\n" }
            body += "last line without newline"
            try server.deliver(to: "alice", body)
            let client = try await login(server)
            try await client.send("RETR 1")
            let status = try await client.readLine()
            let wire = body.replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "\r\n.", with: "\r\n..")
            #expect(status == "+OK \(body.replacingOccurrences(of: "\n", with: "\r\n").utf8.count) octets")
            let received = try await client.readRaw(through: Array("last line without newline\r\n.\r\n".utf8))
            #expect(received.count == wire.utf8.count + 5)
            #expect(String(decoding: received, as: UTF8.self) == wire + "\r\n.\r\n")
            _ = try await client.command("QUIT")
        }
    }
}
