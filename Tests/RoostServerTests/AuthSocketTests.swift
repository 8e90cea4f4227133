import Foundation
import Logging
import RoostServer
import RoostTesting
import Testing

/// The Dovecot-protocol auth socket over a real UNIX socket: handshake, PLAIN and LOGIN, several
/// connections at once, and a failure's delay not holding up a good request.
@Suite struct AuthSocketTests {
    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// Connects and reads the server's handshake up to DONE; sends the client's.
    private func connect(_ server: TestServer) async throws -> (ScriptedClient, [String]) {
        let client = try await ScriptedClient.connect(unixSocket: server.authSocketPath)
        var handshake: [String] = []
        while true {
            let line = try await client.readLine()
            handshake.append(line)
            if line == "DONE" { break }
        }
        try await client.send("VERSION\t1\t2", ending: "\n")
        try await client.send("CPID\t\(getpid())", ending: "\n")
        return (client, handshake)
    }

    @Test func handshakeAndPlainLogins() async throws {
        try await TestServer.with(users: [.alice, .bob], authSocket: true) { server in
            var mode = stat()
            #expect(stat(server.authSocketPath, &mode) == 0 && mode.st_mode & 0o777 == 0o666)
            let (client, handshake) = try await connect(server)
            #expect(handshake.first == "VERSION\t1\t2")
            #expect(handshake.contains("MECH\tPLAIN\tplaintext"))
            #expect(handshake.contains("MECH\tLOGIN\tplaintext"))
            #expect(handshake.contains { $0.hasPrefix("SPID\t") } && handshake.contains { $0.hasPrefix("CUID\t") })
            #expect(handshake.contains { $0.hasPrefix("COOKIE\t") && $0.count == "COOKIE\t".count + 32 })

            let good = Self.base64("\u{0}alice\u{0}\(TestUser.alice.password)")
            try await client.send("AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.1\tresp=\(good)", ending: "\n")
            #expect(try await client.readLine() == "OK\t1\tuser=alice")
            let bad = Self.base64("\u{0}alice\u{0}wrong")
            try await client.send("AUTH\t2\tPLAIN\tservice=smtp\trip=192.0.2.1\tresp=\(bad)", ending: "\n")
            #expect(try await client.readLine() == "FAIL\t2\tuser=alice")

            // LOGIN in continuation rounds, for bob whose password has spaces.
            try await client.send("AUTH\t3\tLOGIN\tservice=smtp", ending: "\n")
            #expect(try await client.readLine() == "CONT\t3\t" + Self.base64("Username:"))
            try await client.send("CONT\t3\t" + Self.base64("bob"), ending: "\n")
            #expect(try await client.readLine() == "CONT\t3\t" + Self.base64("Password:"))
            try await client.send("CONT\t3\t" + Self.base64(TestUser.bob.password), ending: "\n")
            #expect(try await client.readLine() == "OK\t3\tuser=bob")
            let line = try #require(try await server.log.waitForLine(containing: "Password mismatch"))
            #expect(line.contains("passwd-file(alice,192.0.2.1): Password mismatch (method=PLAIN"))
        }
    }

    /// The socket holds a FAIL back at most 5 s (Postfix would give up on the auth server), so that
    /// is the delay here. A good answer held behind it comes after the FAIL and 5 s at the soonest,
    /// whatever the machine's load: the bound for the good answer may sit just under the delay,
    /// leaving a loaded machine (the whole suite in parallel on two cores) seconds for what takes
    /// milliseconds, and scheduling noise cannot make a held answer look prompt.
    @Test func failureDelayDoesNotStallAGoodRequest() async throws {
        let delay: Duration = .seconds(5)
        try await TestServer.with(authSocket: true, configure: {
            $0.auth.failureDelay = delay
            $0.auth.failureDelayMax = delay
        }) { server in
            let (client, _) = try await connect(server)
            let bad = Self.base64("\u{0}alice\u{0}wrong")
            let good = Self.base64("\u{0}alice\u{0}\(TestUser.alice.password)")
            let clock = ContinuousClock()
            let start = clock.now
            try await client.sendRaw(Array("AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.9\tresp=\(bad)\nAUTH\t2\tPLAIN\tservice=smtp\trip=192.0.2.10\tresp=\(good)\n".utf8))
            #expect(try await client.readLine() == "OK\t2\tuser=alice")
            #expect(clock.now - start < delay - .milliseconds(500))
            #expect(try await client.readLine() == "FAIL\t1\tuser=alice")
            #expect(clock.now - start >= delay - .milliseconds(100))
        }
    }

    @Test func severalConnectionsAtOnce() async throws {
        try await TestServer.with(authSocket: true) { server in
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let (client, _) = try await connect(server)
                        let password = index.isMultiple(of: 2) ? TestUser.alice.password : "wrong"
                        try await client.send("AUTH\t\(index + 1)\tPLAIN\tservice=smtp\tresp=" + Self.base64("\u{0}alice\u{0}\(password)"), ending: "\n")
                        let reply = try await client.readLine()
                        await client.close()
                        return reply
                    }
                }
                var replies: [String] = []
                for try await reply in group { replies.append(reply) }
                #expect(replies.filter { $0.hasPrefix("OK\t") }.count == 4)
                #expect(replies.filter { $0.hasPrefix("FAIL\t") }.count == 4)
            }
        }
    }

    @Test func shutdownClosesConnectionsAndRemovesOnlyItsOwnSocket() async throws {
        let server = try await TestServer.start(authSocket: true)
        let (client, _) = try await connect(server)
        await server.server.shutdown()
        #expect(try await client.waitForClose())
        #expect(!FileManager.default.fileExists(atPath: server.authSocketPath))

        // A server that never started (roostd --check) leaves an existing socket alone.
        FileManager.default.createFile(atPath: server.authSocketPath, contents: Data())
        let checker = try RoostServer(configuration: server.configuration, logger: Logger(label: "check"))
        await checker.shutdown()
        #expect(FileManager.default.fileExists(atPath: server.authSocketPath))
        await server.stop()
    }
}
