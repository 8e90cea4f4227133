import Foundation
import RoostTesting
import Testing

/// TLS (STLS and POP3S), the plaintext rule, SASL, APOP and failed logins over real sockets.
@Suite struct POP3SecurityTests {
    private func capabilities(_ client: ScriptedClient) async throws -> [String] {
        try await client.send("CAPA")
        #expect(try await client.readLine().hasPrefix("+OK"))
        return try await client.readMultiline()
    }

    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func stlsUpgradesAndDropsPipelinedCommands() async throws {
        try await TestServer.with(remoteClients: true) { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            #expect(try await client.readLine().hasPrefix("+OK"))
            let before = try await capabilities(client)
            #expect(before.contains("STLS"))
            #expect(!before.contains("USER"))
            // A command injected behind STLS in the same packet must not run after the handshake.
            try await client.sendRaw(Array("STLS\r\nUSER alice\r\n".utf8))
            #expect(try await client.readLine() == "+OK Begin TLS negotiation now")
            try await client.startTLS()
            let after = try await capabilities(client)
            #expect(after.contains("USER"))
            #expect(!after.contains("STLS"))
            #expect(after.contains { $0.hasPrefix("SASL ") && $0.contains("PLAIN") })
            // Had "USER alice" been run, PASS would be accepted now.
            #expect(try await client.command("PASS \(TestUser.alice.password)").hasPrefix("-ERR"))
            #expect(try await client.command("USER alice").hasPrefix("+OK"))
            #expect(try await client.command("PASS \(TestUser.alice.password)").hasPrefix("+OK"))
            #expect(try await client.command("STLS").hasPrefix("-ERR"))
            _ = try await client.command("QUIT")
        }
    }

    @Test func implicitTLS() async throws {
        try await TestServer.with(remoteClients: true) { server in
            let client = try await ScriptedClient.connect(port: server.pop3sPort, tls: true)
            #expect(try await client.readLine().hasPrefix("+OK"))
            let capabilities = try await capabilities(client)
            #expect(capabilities.contains("USER"))
            #expect(!capabilities.contains("STLS"))
            _ = try await client.command("USER alice")
            #expect(try await client.command("PASS \(TestUser.alice.password)").hasPrefix("+OK"))
            _ = try await client.command("QUIT")
        }
    }

    @Test func plaintextRefusedWithoutTLSFromRemoteClients() async throws {
        try await TestServer.with(remoteClients: true) { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await client.readLine()
            let capabilities = try await capabilities(client)
            #expect(!capabilities.contains("USER"))
            #expect(!capabilities.contains { $0.hasPrefix("SASL") && $0.contains("PLAIN") })
            #expect(try await client.command("USER alice").hasPrefix("-ERR [AUTH]"))
            #expect(try await client.command("AUTH PLAIN").hasPrefix("-ERR [AUTH]"))
            await client.close()
        }
    }

    @Test func plaintextAllowedWhenConfigured() async throws {
        try await TestServer.with(remoteClients: true, configure: { $0.auth.allowPlaintextWithoutTLS = true }) { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await client.readLine()
            #expect(try await capabilities(client).contains("USER"))
            #expect(try await client.command("USER alice").hasPrefix("+OK"))
            await client.close()
        }
    }

    @Test func saslPlainLoginAndCancel() async throws {
        try await TestServer.with { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await client.readLine()
            try await client.send("AUTH")
            #expect(try await client.readLine().hasPrefix("+OK"))
            #expect(try await client.readMultiline() == ["PLAIN", "LOGIN"])
            // Cancel, then LOGIN in two rounds, then PLAIN with an initial response on a new connection.
            #expect(try await client.command("AUTH LOGIN") == "+ " + Self.base64("Username:"))
            #expect(try await client.command("*").hasPrefix("-ERR"))
            #expect(try await client.command("AUTH LOGIN") == "+ " + Self.base64("Username:"))
            #expect(try await client.command(Self.base64("alice")) == "+ " + Self.base64("Password:"))
            #expect(try await client.command(Self.base64(TestUser.alice.password)).hasPrefix("+OK"))
            _ = try await client.command("QUIT")
            _ = try await client.waitForClose()

            let plain = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await plain.readLine()
            let response = Self.base64("\u{0}alice\u{0}\(TestUser.alice.password)")
            #expect(try await plain.command("AUTH PLAIN \(response)").hasPrefix("+OK"))
            _ = try await plain.command("QUIT")
        }
    }

    @Test func apopAndCramMD5WithPlaintextPasswords() async throws {
        try await TestServer.with(users: [.bob]) { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            let greeting = try await client.readLine()
            let timestamp = try #require(greeting.range(of: "<").map { String(greeting[$0.lowerBound...]) })
            #expect(timestamp.hasSuffix("@roost.test>"))
            let digest = md5Hex(timestamp + TestUser.bob.password)
            #expect(try await client.command("APOP bob \(digest)").hasPrefix("+OK"))
            _ = try await client.command("QUIT")
            _ = try await client.waitForClose()

            let cram = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await cram.readLine()
            let challenge = try await cram.command("AUTH CRAM-MD5")
            let decoded = String(decoding: Data(base64Encoded: String(challenge.dropFirst(2)))!, as: UTF8.self)
            let answer = "bob " + hmacMD5Hex(key: TestUser.bob.password, message: decoded)
            #expect(try await cram.command(Self.base64(answer)).hasPrefix("+OK"))
            _ = try await cram.command("QUIT")
        }
    }

    @Test func noAPOPTimestampWhenPasswordsAreHashed() async throws {
        try await TestServer.with { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            #expect(!(try await client.readLine()).contains("<"))
            #expect(try await client.command("APOP alice 0123456789abcdef0123456789abcdef").hasPrefix("-ERR"))
            await client.close()
        }
    }

    @Test func failedLoginsAreLoggedForFail2banAndCloseAfterThree() async throws {
        try await TestServer.with { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await client.readLine()
            for attempt in 1...3 {
                _ = try await client.command("USER alice")
                let reply = try await client.command("PASS wrong")
                #expect(reply == "-ERR [AUTH] Authentication failed", "attempt \(attempt)")
            }
            #expect(try await client.waitForClose())
            let line = try #require(try await server.log.waitForLine(containing: "Password mismatch"))
            #expect(line.contains(" info auth: passwd-file(alice,127.0.0.1): Password mismatch (method=USER, reason=wrong_password)"), "\(line)")
        }
    }
}
