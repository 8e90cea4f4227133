import Foundation
import RoostTesting
import Testing

/// LOGIN, AUTHENTICATE and STARTTLS (RFC 3501 section 6.2, RFC 4959 SASL-IR, RFC 5530 codes) and
/// IMAPS, over real sockets with real TLS.
@Suite struct IMAPLoginTests {
    private static let loggedInCapabilities = IMAPGreetingTests.common

    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    private static var alicePlain: String { base64("\u{0}alice\u{0}\(TestUser.alice.password)") }

    /// The session is authenticated: a command of that state works.
    private static func expectAuthenticated(_ client: IMAPTestClient) async throws {
        #expect(try await client.command("STATUS INBOX (MESSAGES)").lines == ["* STATUS INBOX (MESSAGES 0)"])
    }

    @Test func loginAnswersWithTheNewCapabilities() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            let reply = try await client.command(tag: "L1", "LOGIN alice \(IMAPTestClient.quoted(TestUser.alice.password))")
            #expect(reply.untagged.isEmpty)
            #expect(reply.tagged == "L1 OK [CAPABILITY \(Self.loggedInCapabilities)] Logged in")
            try await Self.expectAuthenticated(client)
            // Commands of the not-authenticated state are over (RFC 3501 section 6.2).
            #expect(try await client.command(tag: "L2", "LOGIN alice x").tagged == "L2 BAD Already logged in")
            #expect(try await client.command(tag: "L3", "STARTTLS").tagged == "L3 BAD Already logged in")
            #expect(try await client.command(tag: "L4", "AUTHENTICATE PLAIN").tagged == "L4 BAD Already logged in")
            try await client.logout()
        }
    }

    @Test func wrongPasswordsFailThenTheThirdClosesTheConnection() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            for attempt in 1...2 {
                let reply = try await client.command("LOGIN alice wrong\(attempt)")
                #expect(reply.completion == "NO [AUTHENTICATIONFAILED] Authentication failed", "attempt \(attempt)")
            }
            #expect(try await client.command("LOGIN nobody whatever").completion == "NO [AUTHENTICATIONFAILED] Authentication failed")
            #expect(try await client.readResponse().text == "* BYE Too many authentication failures")
            #expect(try await client.client.waitForClose())
            let line = try #require(try await server.log.waitForLine(containing: "Password mismatch"))
            #expect(line.contains("passwd-file(alice,127.0.0.1): Password mismatch (method=LOGIN, reason=wrong_password)"), "\(line)")
        }
    }

    @Test func loginWithLiteralsAndQuotedStrings() async throws {
        try await TestServer.with(users: [.alice, .bob]) { server in
            // Synchronizing literals: the server asks for each with `+`.
            let literal = try await IMAPTestClient.connect(port: server.imapPort)
            let reply = try await literal.command(["LOGIN ", .literal("alice"), " ", .literal(TestUser.alice.password)])
            #expect(reply.untagged.isEmpty, "\(reply)")
            #expect(reply.completion.hasPrefix("OK [CAPABILITY IMAP4rev1 "))
            try await Self.expectAuthenticated(literal)
            await literal.close()

            // A password with spaces in a quoted string; with a `"` and `\` it must be escaped.
            let quoted = try await IMAPTestClient.connect(port: server.imapPort)
            #expect(try await quoted.command("LOGIN \"bob\" \(IMAPTestClient.quoted(TestUser.bob.password))").isOK)
            await quoted.close()
        }
    }

    @Test func authenticatePlainWithInitialResponse() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            // RFC 4959: the response on the command line, no continuation.
            let reply = try await client.command(tag: "ir", "AUTHENTICATE PLAIN \(Self.alicePlain)")
            #expect(reply.untagged.isEmpty)
            #expect(reply.tagged == "ir OK [CAPABILITY \(Self.loggedInCapabilities)] Logged in")
            try await Self.expectAuthenticated(client)
            await client.close()
        }
    }

    @Test func authenticatePlainWithContinuation() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            try await client.send("ap AUTHENTICATE PLAIN")
            // RFC 3501 section 9, continue-req: PLAIN's empty challenge is `+ ` with nothing after the space.
            #expect(try await client.readResponse().text == "+ ")
            try await client.send(Self.alicePlain)
            let reply = try await client.readReply(tag: "ap")
            #expect(reply.untagged.isEmpty)
            #expect(reply.tagged == "ap OK [CAPABILITY \(Self.loggedInCapabilities)] Logged in")
            await client.close()
        }
    }

    @Test func authenticateLoginInTwoRounds() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            try await client.send("al AUTHENTICATE LOGIN")
            #expect(try await client.readResponse().text == "+ " + Self.base64("Username:"))
            try await client.send(Self.base64("alice"))
            #expect(try await client.readResponse().text == "+ " + Self.base64("Password:"))
            try await client.send(Self.base64(TestUser.alice.password))
            #expect(try await client.readReply(tag: "al").tagged.hasPrefix("al OK [CAPABILITY "))
            let line = try #require(try await server.log.waitForLine(containing: "imap login:"))
            #expect(line.contains("user=<alice>, method=LOGIN,"), "\(line)")
            await client.close()
        }
    }

    @Test func authenticateCramMD5() async throws {
        try await TestServer.with(users: [.bob]) { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            try await client.send("cr AUTHENTICATE CRAM-MD5")
            let challenge = try await client.readResponse().text
            #expect(challenge.hasPrefix("+ "))
            let decoded = String(decoding: try #require(Data(base64Encoded: String(challenge.dropFirst(2)))), as: UTF8.self)
            #expect(decoded.hasPrefix("<") && decoded.hasSuffix("@roost.test>"), "\(decoded)")
            try await client.send(Self.base64("bob " + hmacMD5Hex(key: TestUser.bob.password, message: decoded)))
            #expect(try await client.readReply(tag: "cr").tagged.hasPrefix("cr OK [CAPABILITY "))
            await client.close()
        }
    }

    @Test func cancelledAndMalformedExchangesAreBad() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            // RFC 3501 section 6.2.2: "*" cancels, and the server answers BAD.
            try await client.send("c1 AUTHENTICATE LOGIN")
            #expect(try await client.readResponse().text.hasPrefix("+ "))
            try await client.send("*")
            #expect(try await client.readReply(tag: "c1").tagged == "c1 BAD Authentication cancelled")
            try await client.send("c2 AUTHENTICATE PLAIN")
            _ = try await client.readResponse()
            try await client.send("not base64!")
            #expect(try await client.readReply(tag: "c2").tagged == "c2 BAD Invalid authentication data")
            #expect(try await client.command(tag: "c3", "AUTHENTICATE GSSAPI").tagged
                == "c3 NO [CANNOT] Unsupported authentication mechanism")
            // Cancelling is no failed login: the session is still usable.
            #expect(try await client.command("AUTHENTICATE PLAIN \(Self.alicePlain)").isOK)
            await client.close()
        }
    }

    @Test func plaintextIsRefusedWithoutTLSFromRemoteClientsUntilStartTLS() async throws {
        try await TestServer.with(remoteClients: true) { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            #expect(client.greeting.contains(" LOGINDISABLED"))
            #expect(try await client.command(tag: "p1", "LOGIN alice \(IMAPTestClient.quoted(TestUser.alice.password))").tagged
                == "p1 NO [PRIVACYREQUIRED] Plaintext login is not allowed without TLS")
            #expect(try await client.command(tag: "p2", "AUTHENTICATE PLAIN \(Self.alicePlain)").tagged
                == "p2 NO [PRIVACYREQUIRED] Plaintext authentication is not allowed without TLS")
            #expect(try await client.command(tag: "p3", "STARTTLS").tagged == "p3 OK Begin TLS negotiation now")
            try await client.client.startTLS()
            #expect(try await client.command(tag: "p4", "STARTTLS").tagged == "p4 BAD TLS is already active")
            #expect(try await client.command("LOGIN alice \(IMAPTestClient.quoted(TestUser.alice.password))").isOK)
            let line = try #require(try await server.log.waitForLine(containing: "imap login:"))
            #expect(line.contains("tls=yes"), "\(line)")
            try await client.logout()
        }
    }

    @Test func commandsPipelinedBehindStartTLSAreDiscarded() async throws {
        try await TestServer.with(remoteClients: true) { server in
            // A man in the middle appends commands to STARTTLS in the same packet (the CVE-2011-0411
            // class): they must not run as if they had come over TLS. Repeated, as a race in the
            // upgrade shows only sometimes.
            let password = IMAPTestClient.quoted(TestUser.alice.password)
            for attempt in 1...10 {
                let client = try await IMAPTestClient.connect(port: server.imapPort)
                try await client.client.sendRaw(Array("s1 STARTTLS\r\ni1 LOGIN alice \(password)\r\ni2 NOOP\r\n".utf8))
                #expect(try await client.readResponse().text == "s1 OK Begin TLS negotiation now")
                try await client.client.startTLS()
                // Still not authenticated, and no reply to i1 or i2 ever comes.
                #expect(try await client.command(tag: "t1", "SELECT INBOX").tagged == "t1 BAD Log in first", "attempt \(attempt)")
                #expect(try await IMAPGreetingTests.capabilities(client).hasSuffix(" AUTH=PLAIN AUTH=LOGIN"))
                #expect(client.client.pendingText == "")
                #expect(server.log.lines(containing: "imap login:").isEmpty, "attempt \(attempt)")
                await client.close()
            }
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            #expect(try await client.command("STARTTLS").isOK)
            try await client.client.startTLS()
            #expect(try await client.command("LOGIN alice \(password)").isOK)
            await client.close()
        }
    }

    @Test func implicitTLSLogin() async throws {
        try await TestServer.with(remoteClients: true) { server in
            let client = try await IMAPTestClient.login(server, tls: true)
            #expect(try await client.client.peerCertificateSerial() != nil)
            try await Self.expectAuthenticated(client)
            try await client.logout()
            let line = try #require(try await server.log.waitForLine(containing: "imap login:"))
            #expect(line.contains("method=LOGIN") && line.contains("tls=yes"), "\(line)")
        }
    }

    @Test func loginAndLogoutAreLogged() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            let login = try #require(try await server.log.waitForLine(containing: "imap login:"))
            #expect(login.contains(" info "), "\(login)")
            #expect(login.contains("imap login: user=<alice>, method=LOGIN, rip=127.0.0.1, lip=127.0.0.1, tls=no, session=<"), "\(login)")
            try await client.logout()
            let logout = try #require(try await server.log.waitForLine(containing: "imap logout:"))
            #expect(logout.contains("imap logout: user=<alice>, rip=127.0.0.1, reason=LOGOUT ["), "\(logout)")

            // A dropped connection is logged too, with its reason.
            let dropped = try await IMAPTestClient.login(server)
            await dropped.close()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(5)
            while server.log.lines(containing: "reason=disconnected").isEmpty, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(server.log.lines(containing: "imap logout: user=<alice>, rip=127.0.0.1, reason=disconnected").count == 1)
        }
    }
}
