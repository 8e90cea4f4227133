import Foundation
import RoostTesting
import Testing

/// Two sessions on one mailbox over IMAPS (RFC 3501 sections 5.2, 5.5 and 7.4.1): one's changes
/// reach the other at its next command, and EXPUNGE is held back where it would shift sequence
/// numbers under a FETCH, STORE or SEARCH.
@Suite struct IMAPConcurrencyTests {
    static func message(_ number: Int) -> String {
        "From: s\(number)@example.org\nSubject: message \(number)\n\nbody \(number)\n"
    }

    /// Sessions A and B with `count` messages (UIDs 1...count) selected in both.
    private func twoSessions(_ server: TestServer, count: Int) async throws -> (IMAPTestClient, IMAPTestClient) {
        let a = try await IMAPTestClient.login(server, tls: true)
        for number in 1...count {
            try server.deliver(to: "alice", Self.message(number))
            _ = try await a.commandOK("EXAMINE INBOX")
        }
        _ = try await a.commandOK("SELECT INBOX")
        let b = try await IMAPTestClient.login(server, tls: true)
        _ = try await b.commandOK("SELECT INBOX")
        return (a, b)
    }

    /// Flags A stores reach B as FETCH (FLAGS) at B's NOOP, once.
    @Test func flagsChangedInAReachBAtNoop() async throws {
        try await TestServer.with { server in
            let (a, b) = try await twoSessions(server, count: 3)
            _ = try await a.commandOK("STORE 2 +FLAGS.SILENT (\\Seen \\Answered)")
            _ = try await a.commandOK("STORE 3 FLAGS.SILENT (\\Flagged)")
            let noop = try await b.commandOK("NOOP")
            #expect(noop.lines == ["* 2 FETCH (FLAGS (\\Answered \\Seen) UID 2)", "* 3 FETCH (FLAGS (\\Flagged) UID 3)"], "\(noop)")
            #expect(try await b.commandOK("NOOP").untagged.isEmpty)
            // A's own STORE is not announced to A again.
            #expect(try await a.commandOK("NOOP").untagged.isEmpty)
            // B's change reaches A, with A's \Recent kept.
            _ = try await b.commandOK("STORE 1 +FLAGS.SILENT (\\Draft)")
            #expect(try await a.commandOK("NOOP").lines == ["* 1 FETCH (FLAGS (\\Draft \\Recent) UID 1)"])
            try await a.logout()
            try await b.logout()
        }
    }

    /// RFC 3501 section 7.4.1: A's EXPUNGE reaches B at NOOP, but not during B's FETCH, STORE or
    /// SEARCH: there the expunged message keeps its number (answered without data or with
    /// NO [EXPUNGEISSUED]), and the EXPUNGE comes at the next NOOP.
    @Test func expungeInAWaitsForBsNoop() async throws {
        try await TestServer.with { server in
            let (a, b) = try await twoSessions(server, count: 5)
            _ = try await a.commandOK("STORE 3 +FLAGS.SILENT (\\Deleted)")
            #expect(try await a.commandOK("EXPUNGE").lines == ["* 3 EXPUNGE"])

            let fetch = try await b.command("FETCH 1:5 UID")
            #expect(fetch.isOK || fetch.code == "EXPUNGEISSUED", "\(fetch)")
            #expect(fetch.lines.filter { $0.hasSuffix(" EXPUNGE") }.isEmpty, "\(fetch)")
            #expect(fetch.lines.filter { $0.contains(" FETCH (UID") } == [
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 4 FETCH (UID 4)", "* 5 FETCH (UID 5)",
            ], "\(fetch)")
            let gone = try await b.command("FETCH 3 (FLAGS BODY.PEEK[])")
            #expect(gone.isOK || gone.code == "EXPUNGEISSUED", "\(gone)")
            #expect(gone.lines.filter { $0.hasPrefix("* 3 FETCH") && $0.contains("BODY[]") }.isEmpty, "\(gone)")
            #expect(gone.lines.filter { $0.hasSuffix(" EXPUNGE") }.isEmpty, "\(gone)")
            // Numbering is unchanged: 4 is still the message with UID 4.
            #expect(try await b.command("FETCH 4 UID").lines == ["* 4 FETCH (UID 4)"])
            let search = try await b.command("SEARCH ALL")
            #expect(search.lines.contains("* SEARCH 1 2 4 5"), "\(search)")
            #expect(search.lines.filter { $0.hasSuffix(" EXPUNGE") }.isEmpty, "\(search)")
            let store = try await b.command("STORE 3:4 +FLAGS (\\Flagged)")
            #expect(store.isOK || store.code == "EXPUNGEISSUED", "\(store)")
            #expect(store.lines.filter { $0.hasSuffix(" EXPUNGE") }.isEmpty, "\(store)")
            #expect(store.lines.contains("* 4 FETCH (FLAGS (\\Flagged))"), "\(store)")

            let noop = try await b.commandOK("NOOP")
            #expect(noop.lines == ["* 3 EXPUNGE"], "\(noop)")
            #expect(try await b.commandOK("FETCH 1:* UID").lines == [
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 4)", "* 4 FETCH (UID 5)",
            ])
            // A hears about B's \Flagged on UID 4.
            #expect(try await a.commandOK("NOOP").lines == ["* 3 FETCH (FLAGS (\\Flagged \\Recent) UID 4)"])
            try await a.logout()
            try await b.logout()
        }
    }

    /// RFC 3501 section 6.4.8: a UID that no longer exists is ignored without an error, and UID
    /// commands may carry the EXPUNGE (UIDs do not shift). Clients run `UID FETCH 1:* (FLAGS)` at
    /// every sync, right after other clients expunged.
    @Test(arguments: ["UID FETCH 1:* FLAGS", "UID STORE 1:* +FLAGS (\\Seen)", "UID COPY 1:* Trash", "UID SEARCH ALL"])
    func uidCommandsIgnoreMessagesExpungedElsewhere(command: String) async throws {
        try await TestServer.with { server in
            let (a, b) = try await twoSessions(server, count: 3)
            _ = try await a.commandOK("STORE 2 +FLAGS.SILENT (\\Deleted)")
            _ = try await a.commandOK("EXPUNGE")
            let reply = try await b.command(command)
            #expect(reply.isOK, "\(reply)")
            #expect(reply.lines.allSatisfy { !$0.contains("UID 2") }, "\(reply)")
            // Whether it came now or comes at NOOP, B hears exactly one EXPUNGE for message 2.
            let noop = try await b.commandOK("NOOP")
            #expect((reply.lines + noop.lines).filter { $0.hasSuffix(" EXPUNGE") } == ["* 2 EXPUNGE"], "\(reply)\n\(noop)")
            #expect(try await b.commandOK("FETCH 1:* UID").lines == ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)"])
            try await a.logout()
            try await b.logout()
        }
    }

    /// New messages are announced with EXISTS at any command, FETCH included, counting a message
    /// whose EXPUNGE is still held back.
    @Test func deliveriesDuringFetchAreAnnounced() async throws {
        try await TestServer.with { server in
            let (a, b) = try await twoSessions(server, count: 3)
            try server.deliver(to: "alice", Self.message(4))
            let fetch = try await b.commandOK("FETCH 1 UID")
            #expect(fetch.lines == ["* 1 FETCH (UID 1)", "* 4 EXISTS", "* 1 RECENT"], "\(fetch)")
            #expect(try await b.commandOK("FETCH 4 (UID FLAGS)").lines == ["* 4 FETCH (UID 4 FLAGS (\\Recent))"])
            // A learns of it; its RECENT stays at its own 3 (B took message 4 out of new/).
            #expect(try await a.commandOK("NOOP").lines == ["* 4 EXISTS", "* 3 RECENT"])

            // An expunge by A is held back in B's FETCH while a new message still counts on top.
            _ = try await a.commandOK("STORE 2 +FLAGS.SILENT (\\Deleted)")
            _ = try await a.commandOK("EXPUNGE")
            try server.deliver(to: "alice", Self.message(5))
            let held = try await b.command("FETCH 1 UID")
            #expect(held.lines == ["* 1 FETCH (UID 1)", "* 5 EXISTS", "* 2 RECENT"], "\(held)")
            #expect(try await b.commandOK("NOOP").lines == ["* 2 EXPUNGE"])
            #expect(try await b.commandOK("FETCH 1:* UID").lines == [
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "* 4 FETCH (UID 5)",
            ])
            try await a.logout()
            try await b.logout()
        }
    }

    /// A delivery while a large FETCH is being streamed is announced before that FETCH ends.
    /// The client stops reading once the FETCH's first bytes are in, so the server's writes wait
    /// on full socket buffers (six messages of 1 MB are far more than they hold) and the FETCH
    /// is still running when the message is delivered, however loaded the machine.
    @Test func deliveryWhileAFetchStreams() async throws {
        let big = "From: big@example.org\nSubject: big\n\n" + String(repeating: String(repeating: "x", count: 76) + "\n", count: 14_000)
        let count = 6
        try await TestServer.with { server in
            for _ in 0..<count { try server.deliver(to: "alice", big) }
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            try await client.client.pauseReading()
            let tag = client.nextTag()
            try await client.send("\(tag) FETCH 1:\(count) BODY.PEEK[]")
            // The first message has begun to arrive: the FETCH is running.
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(10)
            while client.client.pendingText.isEmpty, clock.now < deadline {
                client.client.readOnce()
                try await Task.sleep(for: .milliseconds(5))
            }
            try server.deliver(to: "alice", Self.message(count + 1))
            try await client.client.resumeReading()
            // The bodies hold no "*": the first one after the FETCH lines starts the announcement.
            let fetched = try await client.client.readRaw(through: Array("* \(count + 1) EXISTS\r\n".utf8))
            let text = String(decoding: fetched, as: UTF8.self)
            #expect(text.components(separatedBy: " FETCH (BODY[] {").count == count + 1)
            #expect(text.hasPrefix("* 1 FETCH (BODY[] {"))
            #expect(text.hasSuffix(")\r\n* \(count + 1) EXISTS\r\n"))
            #expect(try await client.client.readLine() == "* \(count + 1) RECENT")
            #expect(try await client.client.readLine() == "\(tag) OK FETCH completed")
            try await client.logout()
        }
    }

    /// EXPUNGE removes what is `\Deleted` when it runs, not what A last saw (RFC 3501 6.4.3): B's
    /// undelete of 1 saves it, B's delete of 3 counts, though A heard of neither.
    @Test func expungeFollowsTheFlagsOfTheMomentNotTheView() async throws {
        try await TestServer.with { server in
            let (a, b) = try await twoSessions(server, count: 3)
            _ = try await a.commandOK("STORE 1 +FLAGS.SILENT (\\Deleted)")
            _ = try await b.commandOK("STORE 1 -FLAGS.SILENT (\\Deleted)")
            _ = try await b.commandOK("STORE 3 +FLAGS.SILENT (\\Deleted)")
            let expunge = try await a.commandOK("EXPUNGE")
            #expect(expunge.lines.contains("* 3 EXPUNGE"), "\(expunge)")
            #expect(!expunge.lines.contains("* 1 EXPUNGE"), "\(expunge)")
            #expect(try await a.commandOK("UID SEARCH ALL").lines == ["* SEARCH 1 2"])
            // CLOSE follows the same rule.
            _ = try await a.commandOK("STORE 2 +FLAGS.SILENT (\\Deleted)")
            _ = try await b.commandOK("NOOP")
            _ = try await b.commandOK("STORE 2 -FLAGS.SILENT (\\Deleted)")
            _ = try await a.commandOK("CLOSE")
            #expect(try await b.commandOK("UID SEARCH ALL").lines == ["* SEARCH 1 2"])
            try await a.logout()
            try await b.logout()
        }
    }

    /// The selected mailbox deleted by another session: the next update says BYE, as the client's
    /// sequence numbers and UIDs name nothing any more. Its own RENAME is refused, as DELETE is.
    @Test func selectedMailboxDeletedElsewhereEndsTheSession() async throws {
        try await TestServer.with { server in
            let a = try await IMAPTestClient.login(server, tls: true)
            _ = try await a.commandOK("CREATE Work")
            _ = try await a.commandOK("SELECT Work")
            #expect(try await a.command("RENAME Work Play").completion == "NO [INUSE] Close the mailbox before renaming it")
            let b = try await IMAPTestClient.login(server, tls: true)
            _ = try await b.commandOK("DELETE Work")
            try await a.send("n NOOP")
            #expect(try await a.readResponse().text == "* BYE The selected mailbox was deleted or renamed, please log in again")
            #expect(try await server.log.waitForLine(containing: "reason=selected mailbox gone") != nil)
            try await b.logout()
        }
    }
}
