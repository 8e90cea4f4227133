import Foundation
import RoostTesting
import Testing

/// Each limit of `[limits]` and `pop3.autologout` gives its documented error.
@Suite struct POP3LimitTests {
    @Test func maxConnections() async throws {
        try await TestServer.with(configure: { $0.limits.maxConnections = 2 }) { server in
            let first = try await ScriptedClient.connect(port: server.pop3Port)
            let second = try await ScriptedClient.connect(port: server.pop3Port)
            #expect(try await first.readLine().hasPrefix("+OK"))
            #expect(try await second.readLine().hasPrefix("+OK"))
            let third = try await ScriptedClient.connect(port: server.pop3Port)
            let refusal = try await third.readLine()
            #expect(refusal.hasPrefix("-ERR [SYS/TEMP]") && refusal.contains("limits.max_connections=2"), "\(refusal)")
            #expect(try await third.waitForClose())
            // A freed slot can be used again, once the server has seen the close.
            await first.close()
            let admitted = try await eventually {
                let again = try await ScriptedClient.connect(port: server.pop3Port)
                let greeting = try await again.readLine()
                await again.close()
                return greeting.hasPrefix("+OK")
            }
            #expect(admitted)
        }
    }

    @Test func maxConnectionsPerIP() async throws {
        try await TestServer.with(configure: { $0.limits.maxConnectionsPerIP = 1 }) { server in
            let first = try await ScriptedClient.connect(port: server.pop3Port)
            #expect(try await first.readLine().hasPrefix("+OK"))
            let second = try await ScriptedClient.connect(port: server.pop3Port)
            #expect(try await second.readLine().contains("limits.max_connections_per_ip=1"))
        }
    }

    @Test func maxConnectionsPerUserAndIP() async throws {
        try await TestServer.with(configure: {
            $0.limits.maxConnectionsPerUserIP = 1
            $0.pop3.lockSession = false
        }) { server in
            let first = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await first.readLine()
            _ = try await first.command("USER alice")
            #expect(try await first.command("PASS \(TestUser.alice.password)").hasPrefix("+OK"))
            let second = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await second.readLine()
            _ = try await second.command("USER alice")
            #expect(try await second.command("PASS \(TestUser.alice.password)").hasPrefix("-ERR [IN-USE]"))
        }
    }

    @Test func lineLength() async throws {
        try await TestServer.with(configure: { $0.limits.maxLineLength = 1024 }) { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await client.readLine()
            try await client.send("USER " + String(repeating: "x", count: 5000))
            #expect(try await client.readLine() == "-ERR Line too long")
            // The session goes on.
            #expect(try await client.command("CAPA").hasPrefix("+OK"))
        }
    }

    @Test func badCommandsCloseTheConnection() async throws {
        try await TestServer.with(configure: { $0.limits.maxBadCommands = 3 }) { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await client.readLine()
            #expect(try await client.command("FOO").hasPrefix("-ERR"))
            #expect(try await client.command("STAT").hasPrefix("-ERR"))
            let last = try await client.command("BAR")
            #expect(last.hasPrefix("-ERR") && last.contains("too many bad commands"))
            #expect(try await client.waitForClose())
        }
    }

    @Test func autologout() async throws {
        try await TestServer.with(configure: { $0.pop3.autologout = .seconds(1) }) { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            // RFC 1939: the connection is closed without a response. At most the greeting came
            // first (on a loaded machine the one-second timer may end before it is sent).
            #expect(try await client.waitForClose())
            let text = client.pendingText
            #expect(text.isEmpty || (text.hasPrefix("+OK ") && text.hasSuffix("\r\n") && text.split(separator: "\n").count == 1), "\(text)")
        }
    }

    @Test func gracefulShutdownAppliesNoPendingDeletions() async throws {
        let server = try await TestServer.start()
        try server.deliver(to: "alice", "Subject: keep me\n\nbody\n")
        let client = try await ScriptedClient.connect(port: server.pop3Port)
        _ = try await client.readLine()
        _ = try await client.command("USER alice")
        _ = try await client.command("PASS \(TestUser.alice.password)")
        #expect(try await client.command("DELE 1").hasPrefix("+OK"))
        let files = server.messageFiles(of: "alice")
        await server.server.shutdown()
        #expect(try await client.readLine() == "-ERR [SYS/TEMP] Server is shutting down, try again later")
        #expect(try await client.waitForClose())
        #expect(server.messageFiles(of: "alice") == files)
        await server.stop()
    }
}
