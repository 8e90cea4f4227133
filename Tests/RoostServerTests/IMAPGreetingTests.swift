import Foundation
import RoostTesting
import Testing

/// The IMAP greeting and the commands valid in any state (RFC 3501 sections 6.1 and 7.1.1), ID
/// (RFC 2971), and the framing limits, over real sockets.
@Suite struct IMAPGreetingTests {
    /// What every state advertises (RFC 3501 section 7.2.1: the list is space-separated atoms).
    static let common = "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE MULTIAPPEND"

    /// Sends CAPABILITY and returns the listed capabilities, checking the completion.
    static func capabilities(_ client: IMAPTestClient) async throws -> String {
        let reply = try await client.command("CAPABILITY")
        #expect(reply.completion == "OK Capability completed")
        #expect(reply.lines.count == 1, "\(reply)")
        let line = try #require(reply.lines.first)
        #expect(line.hasPrefix("* CAPABILITY "))
        return String(line.dropFirst("* CAPABILITY ".count))
    }

    @Test func greetingCarriesTheCapabilitiesOfTheNotAuthenticatedState() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            let before = "\(Self.common) STARTTLS AUTH=PLAIN AUTH=LOGIN"
            #expect(client.greeting == "* OK [CAPABILITY \(before)] Roost IMAP server ready")
            #expect(try await Self.capabilities(client) == before)
            await client.close()
        }
    }

    @Test func capabilitiesAfterLoginDropStartTLSAndMechanisms() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            #expect(try await Self.capabilities(client) == Self.common)
            try await client.logout()
        }
    }

    @Test func cramMD5IsAdvertisedOnlyWhenPasswordsAreStoredInPlaintext() async throws {
        try await TestServer.with(users: [.bob]) { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            #expect(try await Self.capabilities(client) == "\(Self.common) STARTTLS AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5")
            await client.close()
        }
    }

    @Test func remoteClientWithoutTLSSeesLoginDisabled() async throws {
        try await TestServer.with(remoteClients: true) { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            // RFC 3501 section 6.2.3: LOGINDISABLED; and no plaintext SASL mechanism is offered.
            #expect(client.greeting == "* OK [CAPABILITY \(Self.common) STARTTLS LOGINDISABLED] Roost IMAP server ready")
            #expect(try await Self.capabilities(client) == "\(Self.common) STARTTLS LOGINDISABLED")
            #expect(try await client.command("STARTTLS").completion == "OK Begin TLS negotiation now")
            try await client.client.startTLS()
            // RFC 3501 section 6.2.1: the client must ask again; STARTTLS and LOGINDISABLED are gone.
            #expect(try await Self.capabilities(client) == "\(Self.common) AUTH=PLAIN AUTH=LOGIN")
            await client.close()
        }
    }

    @Test func noStartTLSWithoutACertificate() async throws {
        try await TestServer.with(configure: { $0.tls.certificate = ""; $0.tls.key = "" }) { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            #expect(client.greeting == "* OK [CAPABILITY \(Self.common) AUTH=PLAIN AUTH=LOGIN] Roost IMAP server ready")
            #expect(try await client.command("STARTTLS").completion == "BAD STARTTLS is not available")
            await client.close()
        }
    }

    @Test func implicitTLSOffersNoStartTLS() async throws {
        try await TestServer.with(remoteClients: true) { server in
            let client = try await IMAPTestClient.connect(port: server.imapsPort, tls: true)
            #expect(client.greeting == "* OK [CAPABILITY \(Self.common) AUTH=PLAIN AUTH=LOGIN] Roost IMAP server ready")
            #expect(try await client.command("STARTTLS").completion == "BAD TLS is already active")
            await client.close()
        }
    }

    @Test func noopInEveryState() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            let before = try await client.command("NOOP")
            #expect(before.untagged.isEmpty)
            #expect(before.completion == "OK NOOP completed")
            #expect(try await client.command("LOGIN alice \(IMAPTestClient.quoted(TestUser.alice.password))").isOK)
            #expect(try await client.command("NOOP").tagged.hasSuffix(" OK NOOP completed"))
            _ = try await client.command("SELECT INBOX")
            let selected = try await client.command("NOOP")
            #expect(selected.untagged.isEmpty, "\(selected)")
            #expect(selected.completion == "OK NOOP completed")
            await client.close()
        }
    }

    @Test func logoutSaysByeThenOKThenCloses() async throws {
        try await TestServer.with { server in
            for loggedIn in [false, true] {
                let client = loggedIn
                    ? try await IMAPTestClient.login(server)
                    : try await IMAPTestClient.connect(port: server.imapPort)
                let reply = try await client.command(tag: "bye1", "LOGOUT")
                // RFC 3501 section 6.1.3: the untagged BYE comes first, then the tagged OK.
                #expect(reply.lines == ["* BYE Logging out"])
                #expect(reply.tagged == "bye1 OK Logout completed")
                #expect(try await client.client.waitForClose())
                #expect(client.client.pendingText == "")
            }
        }
    }

    @Test func idNamesTheServerInEveryState() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            // RFC 2971 section 3.1: the server answers with its own `* ID` list whatever the client sent.
            let anonymous = try await client.command("ID NIL")
            #expect(anonymous.lines == [#"* ID ("name" "Roost" "vendor" "Roost")"#])
            #expect(anonymous.completion == "OK ID completed")
            #expect(try await client.command("LOGIN alice \(IMAPTestClient.quoted(TestUser.alice.password))").isOK)
            let named = try await client.command(#"ID ("name" "Thunderbird" "version" "153.0" "os" NIL)"#)
            #expect(named.lines == [#"* ID ("name" "Roost" "vendor" "Roost")"#])
            #expect(named.completion == "OK ID completed")
            let line = try #require(try await server.log.waitForLine(containing: "client id:"))
            #expect(line.contains("client id: name=Thunderbird, version=153.0, os=NIL"), "\(line)")
            // A malformed ID list is a syntax error.
            #expect(try await client.command(#"ID ("name")"#).status == "BAD")
            try await client.logout()
        }
    }

    @Test func syntaxErrorsKeepTheTagAndUntaggableLinesGetUntaggedBad() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            #expect(try await client.command(tag: "x.1", "FROBNICATE").tagged.hasPrefix("x.1 BAD "))
            #expect(try await client.command(tag: "x2", "NOOP extra").tagged.hasPrefix("x2 BAD "))
            #expect(try await client.command(tag: "x3", "SELECT INBOX").tagged == "x3 BAD Log in first")
            // `*` and `+` cannot start a tag (RFC 3501 section 9, tag): the reply is `* BAD`.
            for line in ["* NOOP", "+ NOOP"] {
                try await client.send(line)
                let reply = try await client.readResponse()
                #expect(reply.text.hasPrefix("* BAD "), "\(line) → \(reply)")
            }
            // The session goes on.
            #expect(try await client.command("NOOP").isOK)
            await client.close()
        }
    }

    @Test func tooManyBadCommandsEndTheSession() async throws {
        try await TestServer.with(configure: { $0.limits.maxBadCommands = 3 }) { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            #expect(try await client.command("FOO").status == "BAD")
            #expect(try await client.command("NOOP").isOK)
            #expect(try await client.command("BAR").status == "BAD")
            let last = try await client.command(tag: "z9", "BAZ")
            #expect(last.tagged.hasPrefix("z9 BAD "))
            #expect(try await client.readResponse().text == "* BYE Too many invalid commands")
            #expect(try await client.client.waitForClose())
        }
    }

    @Test func overlongCommandLineIsRefusedAndTheSessionGoesOn() async throws {
        try await TestServer.with(configure: { $0.limits.maxLineLength = 1024 }) { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            let reply = try await client.command(tag: "long", "NOOP " + String(repeating: "x", count: 5000))
            #expect(reply.tagged == "long BAD Command line too long (limit 1024 octets)")
            #expect(try await client.command("NOOP").isOK)
            // A line just within the limit is parsed as usual (and is a syntax error here, not a limit).
            let within = try await client.command(tag: "fits", "NOOP " + String(repeating: "y", count: 1000))
            #expect(within.tagged.hasPrefix("fits BAD ") && !within.tagged.contains("too long"), "\(within)")
            await client.close()
        }
    }

    @Test func synchronizingLiteralOverTheMessageSizeIsRefusedBeforeTheContinuation() async throws {
        try await TestServer.with(configure: { $0.mail.maxMessageSize = 4096 }) { server in
            let client = try await IMAPTestClient.login(server)
            // RFC 3501 section 7.5: instead of `+`, the tagged NO; the client never sends the octets.
            try await client.send("big APPEND INBOX {5000}")
            let refusal = try await client.readResponse()
            #expect(refusal.text == "big NO [LIMIT] Literal too large (limit 4096 octets)")
            // The next line is a new command, not literal data.
            #expect(try await client.command("NOOP").completion == "OK NOOP completed")
            let status = try await client.command("STATUS INBOX (MESSAGES)")
            #expect(status.lines == ["* STATUS INBOX (MESSAGES 0)"])
            // Within the limit the continuation comes and the message is stored.
            let message = "Subject: fits\r\n\r\n" + String(repeating: "z", count: 4000) + "\r\n"
            #expect(try await client.command(["APPEND INBOX ", .literal(message)]).isOK)
            await client.close()
        }
    }

    /// Before login a command's literals are capped at 16 KiB (a user name and a password fit), so
    /// a client that has not logged in cannot make the server hold the APPEND-sized limit.
    @Test func literalsBeforeLoginAreSmall() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            try await client.send("a LOGIN {16385}")
            #expect(try await client.readResponse().text == "a NO [LIMIT] Literal too large (limit 16384 octets)")
            #expect(try await client.command("NOOP").completion == "OK NOOP completed")
            try await client.send("b LOGIN {200000+}")
            try await client.send(String(repeating: "x", count: 200_000) + " secret")
            #expect(try await client.readResponse().text == "b NO [LIMIT] Literal too large (limit 16384 octets)")
            // Logged in, the configured size (mail.max_message_size) applies.
            _ = try await client.command("LOGIN \(TestUser.alice.name) \(IMAPTestClient.quoted(TestUser.alice.password))")
            let message = "Subject: big\r\n\r\n" + String(repeating: "z", count: 100_000) + "\r\n"
            #expect(try await client.command(["APPEND INBOX ", .literal(message)]).isOK)
            await client.close()
        }
    }

    @Test func nonSynchronizingLiteralsAreAccepted() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.connect(port: server.imapPort)
            // RFC 7888: `{n+}` needs no continuation; the whole command goes in one write.
            let password = TestUser.alice.password
            try await client.client.sendRaw(Array("lp LOGIN {5+}\r\nalice {\(password.utf8.count)+}\r\n\(password)\r\n".utf8))
            let reply = try await client.readReply(tag: "lp")
            #expect(reply.untagged.isEmpty, "no continuation request: \(reply)")
            #expect(reply.tagged.hasPrefix("lp OK [CAPABILITY "))
            await client.close()
        }
    }

    @Test func oversizedNonSynchronizingLiteralIsSkippedWhole() async throws {
        try await TestServer.with(configure: { $0.mail.maxMessageSize = 1024 }) { server in
            let client = try await IMAPTestClient.login(server)
            // The octets are on their way anyway: the server must read past them, not run them.
            let inner = "a9 DELETE Sent\r\n" + String(repeating: "q", count: 2000)
            let reply = try await client.command(["APPEND INBOX ", .literalPlus(inner)])
            #expect(reply.completion == "NO [LIMIT] Literal too large (limit 1024 octets)")
            #expect(try await client.command("NOOP").isOK)
            let list = try await client.command(#"LIST "" Sent"#)
            #expect(list.lines == [#"* LIST (\HasNoChildren \Sent) "." Sent"#])
            await client.close()
        }
    }
}
