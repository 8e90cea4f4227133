import Foundation
import RoostStorage
import RoostTesting
import Testing

/// SELECT, EXAMINE, CLOSE and UNSELECT over IMAPS (RFC 3501 sections 6.3.1, 6.3.2, 6.4.2; RFC 3691),
/// and the selected-state commands refused before a mailbox is selected.
@Suite struct IMAPSelectTests {
    static func message(_ number: Int) -> String {
        "From: Sender \(number) <s\(number)@example.org>\nTo: alice@example.org\nSubject: message \(number)\n\nbody \(number)\n"
    }

    static func inboxValidity(_ server: TestServer) throws -> UInt32 {
        try server.store(of: "alice").folder(.inbox).snapshot.uidValidity.rawValue
    }

    /// RFC 3501 section 6.3.1: FLAGS, EXISTS, RECENT, then OK [UNSEEN], [PERMANENTFLAGS],
    /// [UIDVALIDITY], [UIDNEXT], and the tagged OK [READ-WRITE].
    @Test func selectAnswersEveryRequiredResponse() async throws {
        try await TestServer.with { server in
            for number in 1...3 { try server.deliver(to: "alice", Self.message(number)) }
            let client = try await IMAPTestClient.login(server, tls: true)
            let first = try await client.commandOK("SELECT INBOX")
            let validity = try Self.inboxValidity(server)
            #expect(first.withoutHumanText == [
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* 3 EXISTS",
                "* 3 RECENT",
                "* OK [UNSEEN 1]",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)]",
                "* OK [UIDVALIDITY \(validity)]",
                "* OK [UIDNEXT 4]",
            ])
            #expect(first.code == "READ-WRITE")
            _ = try await client.commandOK("STORE 1 +FLAGS.SILENT (\\Seen $Forwarded)")
            try await client.logout()

            // A new session: message 1 is seen, the keyword is defined, one new message is recent.
            try server.deliver(to: "alice", Self.message(4))
            let again = try await IMAPTestClient.login(server, tls: true)
            let second = try await again.commandOK("SELECT INBOX")
            #expect(second.withoutHumanText == [
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)",
                "* 4 EXISTS",
                "* 1 RECENT",
                "* OK [UNSEEN 2]",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)]",
                "* OK [UIDVALIDITY \(validity)]",
                "* OK [UIDNEXT 5]",
            ])
            #expect(second.code == "READ-WRITE")
            #expect(try await again.commandOK("FETCH 1:4 FLAGS").lines == [
                "* 1 FETCH (FLAGS (\\Seen $Forwarded))",
                "* 2 FETCH (FLAGS ())",
                "* 3 FETCH (FLAGS ())",
                "* 4 FETCH (FLAGS (\\Recent))",
            ])
            try await again.logout()
        }
    }

    /// RFC 3501 section 6.3.2: EXAMINE is read-only, lists no permanent flags, and changes nothing:
    /// messages stay `\Recent` for the next SELECT and BODY[] does not set `\Seen`.
    @Test func examineIsReadOnlyAndChangesNothing() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.message(1))
            let client = try await IMAPTestClient.login(server, tls: true)
            let examine = try await client.commandOK("EXAMINE INBOX")
            #expect(examine.code == "READ-ONLY")
            #expect(examine.withoutHumanText.contains("* OK [PERMANENTFLAGS ()]"))
            #expect(examine.withoutHumanText.contains("* 1 RECENT"))
            let body = try await client.commandOK("FETCH 1 (BODY[] FLAGS)")
            #expect(body.lines.count == 1)
            #expect(body.lines.first?.hasSuffix("FLAGS (\\Recent))") == true, "\(body)")
            #expect(body.lines.first?.contains("\\Seen") == false)
            let store = try await client.command("STORE 1 +FLAGS (\\Seen)")
            #expect(store.status == "NO", "\(store)")
            #expect(store.code == "READ-ONLY")
            #expect(try await client.command("EXPUNGE").status == "NO")
            #expect(try await client.command("MOVE 1 Trash").status == "NO")
            try await client.logout()

            let other = try await IMAPTestClient.login(server, tls: true)
            let select = try await other.commandOK("SELECT INBOX")
            #expect(select.withoutHumanText.contains("* 1 RECENT"))
            #expect(select.withoutHumanText.contains("* OK [UNSEEN 1]"))
            try await other.logout()
        }
    }

    /// RFC 3501 section 2.3.2: a new message is `\Recent` in exactly one session, the first to
    /// select the mailbox after it arrived.
    @Test func recentInExactlyOneSession() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.message(1))
            let first = try await IMAPTestClient.login(server, tls: true)
            let second = try await IMAPTestClient.login(server, tls: true)
            #expect(try await first.commandOK("SELECT INBOX").lines(starting: "1 RECENT").count == 1)
            let secondSelect = try await second.commandOK("SELECT INBOX")
            #expect(secondSelect.lines(starting: "0 RECENT").count == 1, "\(secondSelect)")
            #expect(try await first.commandOK("FETCH 1 FLAGS").lines == ["* 1 FETCH (FLAGS (\\Recent))"])
            #expect(try await second.commandOK("FETCH 1 FLAGS").lines == ["* 1 FETCH (FLAGS ())"])
            #expect(try await second.commandOK("SEARCH RECENT").lines == ["* SEARCH"])
            #expect(try await first.commandOK("SEARCH RECENT").lines == ["* SEARCH 1"])
            try await first.logout()
            try await second.logout()
        }
    }

    /// RFC 3501 section 6.3.1: a failed SELECT leaves the client in the authenticated state, even
    /// when a mailbox was selected before.
    @Test func selectingAMissingMailboxDeselects() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.message(1))
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            #expect(try await client.commandOK("FETCH 1 UID").lines == ["* 1 FETCH (UID 1)"])
            let missing = try await client.command("SELECT Nowhere")
            #expect(missing.status == "NO", "\(missing)")
            #expect(missing.code == "NONEXISTENT")
            #expect(try await client.command("FETCH 1 UID").status == "BAD")
            #expect(try await client.command("EXAMINE Nowhere").code == "NONEXISTENT")
            #expect(try await client.command("NOOP").isOK)
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.2: CLOSE removes `\Deleted` messages without EXPUNGE responses;
    /// RFC 3691: UNSELECT leaves them.
    @Test func closeExpungesSilentlyUnselectDoesNot() async throws {
        try await TestServer.with { server in
            for number in 1...3 { try server.deliver(to: "alice", Self.message(number)) }
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            _ = try await client.commandOK("STORE 2 +FLAGS.SILENT (\\Deleted)")
            let unselect = try await client.commandOK("UNSELECT")
            #expect(unselect.untagged.isEmpty, "\(unselect)")
            #expect(try await client.command("FETCH 1 UID").status == "BAD")
            #expect(server.messageFiles(of: "alice").count == 3)

            // EXAMINE then CLOSE: read-only, nothing is expunged.
            _ = try await client.commandOK("EXAMINE INBOX")
            #expect(try await client.commandOK("CLOSE").untagged.isEmpty)
            #expect(server.messageFiles(of: "alice").count == 3)

            let select = try await client.commandOK("SELECT INBOX")
            #expect(select.lines(starting: "3 EXISTS").count == 1)
            #expect(try await client.commandOK("FETCH 2 FLAGS").lines == ["* 2 FETCH (FLAGS (\\Deleted))"])
            let close = try await client.commandOK("CLOSE")
            #expect(close.untagged.isEmpty, "\(close)")
            #expect(try await client.command("FETCH 1 UID").status == "BAD")
            #expect(server.messageFiles(of: "alice").count == 2)
            let after = try await client.commandOK("SELECT INBOX")
            #expect(after.lines(starting: "2 EXISTS").count == 1)
            #expect(try await client.commandOK("FETCH 1:* UID").lines == ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)"])
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4: these run only in the selected state; before SELECT they are BAD.
    @Test func selectedStateCommandsBeforeSelectAreBad() async throws {
        let commands = [
            "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "UID EXPUNGE 1", "SEARCH ALL", "UID SEARCH ALL",
            "FETCH 1 FLAGS", "UID FETCH 1 FLAGS", "STORE 1 +FLAGS (\\Seen)", "UID STORE 1 +FLAGS (\\Seen)",
            "COPY 1 Trash", "UID COPY 1 Trash", "MOVE 1 Trash", "UID MOVE 1 Trash",
        ]
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.message(1))
            let client = try await IMAPTestClient.login(server, tls: true)
            for command in commands {
                let reply = try await client.command(command)
                #expect(reply.status == "BAD", "\(command) → \(reply)")
                #expect(reply.untagged.isEmpty, "\(command) → \(reply)")
            }
            // No command touched the mailbox: the message is still where the MTA put it.
            #expect(server.messageFiles(of: "alice").allSatisfy { $0.hasPrefix("new/") })
            #expect(server.messageFiles(of: "alice").count == 1)
            try await client.logout()
        }
    }
}
