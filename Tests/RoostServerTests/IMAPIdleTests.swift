import Foundation
import RoostTesting
import Testing

/// IDLE over IMAPS (RFC 2177): what other programs and sessions do to the selected mailbox is
/// announced while the client waits, DONE ends it, anything else is BAD, and the keep-alive.
@Suite struct IMAPIdleTests {
    static func message(_ number: Int) -> String {
        "From: s\(number)@example.org\nSubject: message \(number)\n\nbody \(number)\n"
    }

    /// Starts IDLE; returns its tag once `+ idling` arrived.
    private func startIdle(_ client: IMAPTestClient) async throws -> String {
        let tag = client.nextTag()
        try await client.send("\(tag) IDLE")
        let continuation = try await client.readResponse()
        #expect(continuation.text == "+ idling")
        return tag
    }

    /// Sends DONE and expects the IDLE's tagged OK.
    private func endIdle(_ client: IMAPTestClient, tag: String) async throws {
        try await client.send("DONE")
        let reply = try await client.readReply(tag: tag)
        #expect(reply.isOK, "\(reply)")
        #expect(reply.untagged.isEmpty, "\(reply)")
    }

    /// A message an MTA drops into new/ is announced as EXISTS (and RECENT) within a second.
    @Test func deliveryIsAnnounced() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.message(1))
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            let tag = try await startIdle(client)
            let start = ContinuousClock.now
            try server.deliver(to: "alice", Self.message(2))
            let exists = try await client.readResponse()
            // Until the EXISTS line came in on the client's event loop: not when this task got round
            // to reading it.
            let latency = try #require(client.client.lastReadArrival) - start
            print("IDLE: delivery announced after \(latency)")
            #expect(exists.text == "* 2 EXISTS")
            #expect(try await client.readResponse().text == "* 2 RECENT")
            // The watcher reports within a second (at once with inotify); 5 s leaves a loaded machine room.
            #expect(latency < .seconds(5))

            // A second delivery during the same IDLE.
            try server.deliver(to: "alice", Self.message(3))
            #expect(try await client.readResponse().text == "* 3 EXISTS")
            #expect(try await client.readResponse().text == "* 3 RECENT")
            try await endIdle(client, tag: tag)
            #expect(try await client.commandOK("FETCH 3 (UID FLAGS)").lines == ["* 3 FETCH (UID 3 FLAGS (\\Recent))"])
            try await client.logout()
        }
    }

    /// Another session's STORE arrives as FETCH (FLAGS), its EXPUNGE as EXPUNGE; a file another
    /// program removes is an EXPUNGE too.
    @Test func otherSessionsChangesAreAnnounced() async throws {
        try await TestServer.with { server in
            for number in 1...3 { try server.deliver(to: "alice", Self.message(number)) }
            let other = try await IMAPTestClient.login(server, tls: true)
            _ = try await other.commandOK("SELECT INBOX")
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            let tag = try await startIdle(client)

            _ = try await other.commandOK("STORE 2 +FLAGS.SILENT (\\Flagged $Forwarded)")
            // A new keyword first brings the new FLAGS list (RFC 3501 section 7.2.6).
            #expect(try await client.readResponse().text == "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)")
            let permanent = try await client.readResponse().text
            #expect(permanent.hasPrefix("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)]"), "\(permanent)")
            #expect(try await client.readResponse().text == "* 2 FETCH (FLAGS (\\Flagged $Forwarded) UID 2)")

            _ = try await other.commandOK("STORE 1 +FLAGS.SILENT (\\Deleted)")
            #expect(try await client.readResponse().text == "* 1 FETCH (FLAGS (\\Deleted) UID 1)")
            let expunge = try await other.commandOK("EXPUNGE")
            #expect(expunge.lines == ["* 1 EXPUNGE"])
            #expect(try await client.readResponse().text == "* 1 EXPUNGE")

            // Another program (a POP3 client's DELE, a shell) removes message 3's file (now number 2).
            let file = try #require(server.messageFiles(of: "alice").first { $0.hasSuffix(":2,") })
            try FileManager.default.removeItem(atPath: server.maildir(of: "alice") + "/" + file)
            #expect(try await client.readResponse().text == "* 2 EXPUNGE")
            try await endIdle(client, tag: tag)
            #expect(try await client.commandOK("FETCH 1:* (UID FLAGS)").lines == ["* 1 FETCH (UID 2 FLAGS (\\Flagged $Forwarded))"])
            try await client.logout()
            try await other.logout()
        }
    }

    /// RFC 2177: only DONE ends IDLE; anything else ends it with BAD, and the session goes on.
    @Test func anythingButDoneIsBad() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.message(1))
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            let tag = try await startIdle(client)
            try await client.send("a99 NOOP")
            let reply = try await client.readReply(tag: tag)
            #expect(reply.status == "BAD", "\(reply)")
            #expect(try await client.commandOK("NOOP").untagged.isEmpty)

            // DONE in any case is DONE; IDLE works without a selected mailbox, too.
            let again = try await startIdle(client)
            try await client.send("done")
            #expect(try await client.readReply(tag: again).isOK)
            _ = try await client.commandOK("UNSELECT")
            let unselected = try await startIdle(client)
            try await endIdle(client, tag: unselected)
            try await client.logout()
        }
    }

    /// `imap.idle_keepalive`: an IDLE client hears `* OK Still here` at that interval.
    @Test func keepalive() async throws {
        try await TestServer.with(configure: { $0.imap.idleKeepalive = .seconds(1) }) { (server: TestServer) async throws in
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            let clock = ContinuousClock()
            let start = clock.now
            let tag = try await startIdle(client)
            #expect(try await client.readResponse().text == "* OK Still here")
            #expect(try await client.readResponse().text == "* OK Still here")
            let elapsed = clock.now - start
            print("IDLE: two keep-alives after \(elapsed)")
            #expect(elapsed >= .milliseconds(1900))
            // A third keep-alive may have been sent before DONE arrived (a loaded machine), and
            // nothing else may.
            try await client.send("DONE")
            let reply = try await client.readReply(tag: tag)
            #expect(reply.isOK, "\(reply)")
            #expect(reply.untagged.allSatisfy { $0.text == "* OK Still here" }, "\(reply)")
            try await client.logout()
        }
    }
}
