import Foundation
import RoostTesting
import Testing

/// COPY, UID COPY, MOVE and UID MOVE over IMAPS (RFC 3501 section 6.4.7, RFC 6851, COPYUID of
/// RFC 4315 section 3): response codes, the order of MOVE's responses, and flags travelling along.
@Suite struct IMAPCopyMoveTests {
    static func message(_ number: Int) -> String {
        "From: s\(number)@example.org\nTo: alice@example.org\nSubject: message \(number)\n\nbody \(number)\n"
    }

    /// Four messages, delivered and given UIDs one by one; 2 is `\Flagged \Seen $Forwarded`.
    private func session(_ server: TestServer) async throws -> IMAPTestClient {
        let client = try await IMAPTestClient.login(server, tls: true)
        for number in 1...4 {
            try server.deliver(to: "alice", Self.message(number))
            _ = try await client.commandOK("EXAMINE INBOX")
        }
        _ = try await client.commandOK("SELECT INBOX")
        _ = try await client.commandOK("STORE 2 +FLAGS.SILENT (\\Flagged \\Seen $Forwarded)")
        return client
    }

    /// UIDVALIDITY and UIDNEXT of `mailbox`, from STATUS.
    private func status(_ client: IMAPTestClient, _ mailbox: String) async throws -> (validity: UInt32, next: UInt32) {
        let reply = try await client.commandOK("STATUS \(mailbox) (UIDVALIDITY UIDNEXT)")
        let line = try #require(reply.lines(starting: "STATUS").first)
        let words = line.replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " ").split(separator: " ")
        let validity = try #require(words.firstIndex(of: "UIDVALIDITY").flatMap { UInt32(words[$0 + 1]) })
        let next = try #require(words.firstIndex(of: "UIDNEXT").flatMap { UInt32(words[$0 + 1]) })
        return (validity, next)
    }

    /// The subjects and flags of every message in `mailbox`, as a fresh EXAMINE shows them.
    private func contents(_ client: IMAPTestClient, _ mailbox: String) async throws -> [String] {
        _ = try await client.commandOK("EXAMINE \(mailbox)")
        let reply = try await client.command("FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (Subject)])")
        return reply.untagged.map { line in
            let subject = String(decoding: line.literals.first ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let prefix = line.text.prefix { $0 != "B" }.replacingOccurrences(of: "\\Recent", with: "").replacingOccurrences(of: " )", with: ")")
            return prefix + subject
        }
    }

    /// RFC 4315 section 3: COPY answers OK [COPYUID validity source-uids destination-uids]; the
    /// source is unchanged; copies keep flags and keywords.
    @Test func copyReportsCOPYUIDAndKeepsFlags() async throws {
        try await TestServer.with { server in
            let client = try await session(server)
            let trash = try await status(client, "Trash")
            let copy = try await client.commandOK("COPY 2:3 Trash")
            #expect(copy.code == "COPYUID \(trash.validity) 2:3 \(trash.next):\(trash.next + 1)", "\(copy)")
            #expect(copy.untagged.isEmpty, "\(copy)")
            let uidCopy = try await client.commandOK("UID COPY 1,4 Trash")
            #expect(uidCopy.code == "COPYUID \(trash.validity) 1,4 \(trash.next + 2):\(trash.next + 3)", "\(uidCopy)")
            #expect(try await client.commandOK("NOOP").untagged.isEmpty)
            #expect(try await client.commandOK("FETCH 1:* UID").lines.count == 4)

            #expect(try await contents(client, "Trash") == [
                "* 1 FETCH (UID \(trash.next) FLAGS (\\Flagged \\Seen $Forwarded) Subject: message 2",
                "* 2 FETCH (UID \(trash.next + 1) FLAGS () Subject: message 3",
                "* 3 FETCH (UID \(trash.next + 2) FLAGS () Subject: message 1",
                "* 4 FETCH (UID \(trash.next + 3) FLAGS () Subject: message 4",
            ])
            // The keyword is now defined in Trash, too.
            let select = try await client.commandOK("SELECT Trash")
            #expect(select.lines.first == "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)", "\(select)")
            #expect(try await contents(client, "INBOX").count == 4)
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.7: copying to a mailbox that does not exist is NO [TRYCREATE]; MOVE too.
    @Test func missingDestinationIsTryCreate() async throws {
        try await TestServer.with { server in
            let client = try await session(server)
            for command in ["COPY 1 Nowhere", "UID COPY 1 Nowhere", "MOVE 1 Nowhere", "UID MOVE 1:* Nowhere"] {
                let reply = try await client.command(command)
                #expect(reply.status == "NO", "\(command) → \(reply)")
                #expect(reply.code == "TRYCREATE", "\(command) → \(reply)")
                #expect(reply.untagged.isEmpty, "\(command) → \(reply)")
            }
            #expect(try await client.command("COPY 5 Trash").status == "BAD")
            let nothing = try await client.commandOK("UID COPY 10:20 Trash")
            #expect(nothing.code == nil, "\(nothing)")
            #expect(try await client.commandOK("FETCH 1:* UID").lines.count == 4)
            try await client.logout()
            #expect(server.messageFiles(of: "alice").count == 4)
        }
    }

    /// RFC 6851 section 4.3: MOVE sends an untagged OK [COPYUID ...], then EXPUNGE for each moved
    /// message, then the tagged OK; the moved messages keep their flags.
    @Test func moveSendsCOPYUIDThenExpunges() async throws {
        try await TestServer.with { server in
            let client = try await session(server)
            let archive = try await status(client, "Archive")
            let move = try await client.commandOK("MOVE 2:3 Archive")
            #expect(move.lines.count == 3, "\(move)")
            #expect(move.withoutHumanText.first == "* OK [COPYUID \(archive.validity) 2:3 \(archive.next):\(archive.next + 1)]", "\(move)")
            #expect(Array(move.lines.dropFirst()) == ["* 2 EXPUNGE", "* 2 EXPUNGE"], "\(move)")
            #expect(move.code == nil)
            #expect(try await client.commandOK("FETCH 1:* UID").lines == ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 4)"])

            // UID MOVE numbers its EXPUNGE by sequence number.
            let uidMove = try await client.commandOK("UID MOVE 4 Archive")
            #expect(uidMove.withoutHumanText == [
                "* OK [COPYUID \(archive.validity) 4 \(archive.next + 2)]", "* 2 EXPUNGE",
            ], "\(uidMove)")
            #expect(try await client.commandOK("FETCH 1:* UID").lines == ["* 1 FETCH (UID 1)"])

            #expect(try await contents(client, "Archive") == [
                "* 1 FETCH (UID \(archive.next) FLAGS (\\Flagged \\Seen $Forwarded) Subject: message 2",
                "* 2 FETCH (UID \(archive.next + 1) FLAGS () Subject: message 3",
                "* 3 FETCH (UID \(archive.next + 2) FLAGS () Subject: message 4",
            ])
            #expect(try await contents(client, "INBOX") == ["* 1 FETCH (UID 1 FLAGS () Subject: message 1"])
            try await client.logout()
            #expect(server.messageFiles(of: "alice").count == 1)
        }
    }

    /// A copy into the selected mailbox is `\Recent` for the session that made it (RFC 3501 6.4.7).
    @Test func copyIntoTheSelectedMailboxIsRecent() async throws {
        try await TestServer.with { server in
            let client = try await session(server)
            let reply = try await client.commandOK("COPY 1 INBOX")
            #expect(reply.lines == ["* 5 EXISTS", "* 5 RECENT"])
            #expect(try await client.commandOK("FETCH 5 FLAGS").lines == ["* 5 FETCH (FLAGS (\\Recent))"])
            try await client.logout()
        }
    }
}
