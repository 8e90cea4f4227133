import Foundation
import RoostStorage
import RoostTesting
import Testing

/// EXPUNGE (RFC 3501 section 6.4.3) and UID EXPUNGE (RFC 4315 section 2.1) over IMAPS: each
/// EXPUNGE response numbers the message as the client knows it at that moment.
@Suite struct IMAPExpungeTests {
    static func message(_ number: Int) -> String {
        "From: s\(number)@example.org\nSubject: message \(number)\n\nbody \(number)\n"
    }

    /// `count` messages with UIDs 1...count in delivery order.
    private func session(_ server: TestServer, count: Int) async throws -> IMAPTestClient {
        let client = try await IMAPTestClient.login(server, tls: true)
        for number in 1...count {
            try server.deliver(to: "alice", Self.message(number))
            _ = try await client.commandOK("EXAMINE INBOX")
        }
        _ = try await client.commandOK("SELECT INBOX")
        return client
    }

    /// The subjects left in the mailbox, in order.
    private func subjects(_ client: IMAPTestClient) async throws -> [String] {
        let reply = try await client.commandOK("FETCH 1:* BODY.PEEK[HEADER.FIELDS (Subject)]")
        return reply.untagged.map {
            String(decoding: $0.literals.first ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Messages 2 and 4 of 5: `* 2 EXPUNGE` removes 2, so 4 is then number 3.
    @Test func expungeNumbersEachResponseAfterThePrevious() async throws {
        try await TestServer.with { server in
            let client = try await session(server, count: 5)
            _ = try await client.commandOK("STORE 2,4 +FLAGS.SILENT (\\Deleted)")
            let expunge = try await client.commandOK("EXPUNGE")
            #expect(expunge.lines == ["* 2 EXPUNGE", "* 3 EXPUNGE"], "\(expunge)")
            #expect(try await client.commandOK("FETCH 1:* UID").lines == ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 5)"])
            #expect(try await subjects(client) == ["Subject: message 1", "Subject: message 3", "Subject: message 5"])
            #expect(server.messageFiles(of: "alice").count == 3)

            // Nothing \Deleted: no responses.
            #expect(try await client.commandOK("EXPUNGE").untagged.isEmpty)
            // All of them: each is number 1 when its turn comes.
            _ = try await client.commandOK("STORE 1:* +FLAGS.SILENT (\\Deleted)")
            #expect(try await client.commandOK("EXPUNGE").lines == ["* 1 EXPUNGE", "* 1 EXPUNGE", "* 1 EXPUNGE"])
            #expect(try await client.commandOK("NOOP").untagged.isEmpty)
            #expect(try await client.command("FETCH 1 UID").status == "BAD")
            try await client.logout()
            #expect(server.messageFiles(of: "alice").isEmpty)

            // The next session finds the mailbox empty and the UIDs used up.
            let again = try await IMAPTestClient.login(server, tls: true)
            let select = try await again.commandOK("SELECT INBOX")
            #expect(select.lines(starting: "0 EXISTS").count == 1)
            #expect(select.withoutHumanText.contains("* OK [UIDNEXT 6]"))
            try await again.logout()
        }
    }

    /// EXPUNGE removes what is `\\Deleted` when it runs, also where another program set the flag
    /// after this session last looked; the answer numbers both as the client knows them.
    @Test func expungeRemovesWhatAnotherProgramDeleted() async throws {
        try await TestServer.with { server in
            let client = try await session(server, count: 4)
            _ = try await client.commandOK("STORE 1 +FLAGS.SILENT (\\Deleted)")
            let other = try server.store(of: "alice").folder(.inbox)
            try other.sync(moveNewToCur: false)
            try other.setFlags([UID(3)], .add, flags: .deleted)
            let expunge = try await client.commandOK("EXPUNGE")
            #expect(expunge.lines == ["* 1 EXPUNGE", "* 2 EXPUNGE"], "\(expunge)")
            #expect(try await client.commandOK("NOOP").untagged.isEmpty)
            #expect(try await client.commandOK("FETCH 1:* UID").lines == ["* 1 FETCH (UID 2)", "* 2 FETCH (UID 4)"])
            #expect(server.messageFiles(of: "alice").count == 2)
            try await client.logout()
        }
    }

    /// RFC 4315 section 2.1: UID EXPUNGE removes only the `\Deleted` messages among the given UIDs.
    @Test func uidExpungeRemovesOnlyTheGivenUIDs() async throws {
        try await TestServer.with { server in
            let client = try await session(server, count: 5)
            _ = try await client.commandOK("STORE 1:3 +FLAGS.SILENT (\\Deleted)")
            #expect(try await client.commandOK("UID EXPUNGE 2").lines == ["* 2 EXPUNGE"])
            #expect(try await client.commandOK("FETCH 1:* UID").lines == [
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "* 4 FETCH (UID 5)",
            ])
            // UID 4 is not \Deleted and UID 9 does not exist: only UID 3 goes.
            #expect(try await client.commandOK("UID EXPUNGE 3:4,9").lines == ["* 2 EXPUNGE"])
            #expect(try await client.commandOK("UID EXPUNGE 4:5").untagged.isEmpty)
            #expect(try await client.commandOK("FETCH 1:* FLAGS").lines == [
                "* 1 FETCH (FLAGS (\\Deleted \\Recent))", "* 2 FETCH (FLAGS (\\Recent))", "* 3 FETCH (FLAGS (\\Recent))",
            ])
            #expect(try await subjects(client) == ["Subject: message 1", "Subject: message 4", "Subject: message 5"])
            #expect(try await client.commandOK("EXPUNGE").lines == ["* 1 EXPUNGE"])
            #expect(try await client.commandOK("UID FETCH 1:* UID").lines == ["* 1 FETCH (UID 4)", "* 2 FETCH (UID 5)"])
            try await client.logout()
            #expect(server.messageFiles(of: "alice").count == 2)
        }
    }
}
