import Foundation
import RoostStorage
import RoostTesting
import Testing

/// STORE and UID STORE over IMAPS (RFC 3501 sections 6.4.6 and 6.4.8): the three operations, .SILENT,
/// keywords as mutt and Thunderbird set them, `\Recent` out of reach, and read-only mailboxes.
@Suite struct IMAPStoreTests {
    static let message = "From: b@example.org\nTo: alice@example.org\nSubject: store\n\nbody\n"

    /// A session with `count` messages selected; the first session to select sees them `\Recent`.
    private func selectedSession(_ server: TestServer, count: Int) async throws -> IMAPTestClient {
        for _ in 0..<count { try server.deliver(to: "alice", Self.message) }
        let client = try await IMAPTestClient.login(server, tls: true)
        _ = try await client.commandOK("SELECT INBOX")
        return client
    }

    /// FLAGS replaces, +FLAGS adds, -FLAGS removes; each answers with the message's new FLAGS,
    /// `\Recent` included, and the flags land in the Maildir file name (T is `\Deleted`, D `\Draft`).
    @Test func replaceAddRemove() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, count: 2)
            #expect(try await client.commandOK("STORE 1 FLAGS (\\Flagged \\Answered)").lines
                == ["* 1 FETCH (FLAGS (\\Answered \\Flagged \\Recent))"])
            #expect(try await client.commandOK("STORE 1 +FLAGS (\\Seen \\Draft)").lines
                == ["* 1 FETCH (FLAGS (\\Answered \\Flagged \\Seen \\Draft \\Recent))"])
            #expect(try await client.commandOK("STORE 1 -FLAGS (\\Answered \\Draft \\Deleted)").lines
                == ["* 1 FETCH (FLAGS (\\Flagged \\Seen \\Recent))"])
            #expect(try await client.commandOK("STORE 1:2 +FLAGS (\\Deleted)").lines == [
                "* 1 FETCH (FLAGS (\\Flagged \\Deleted \\Seen \\Recent))", "* 2 FETCH (FLAGS (\\Deleted \\Recent))",
            ])
            #expect(try await client.commandOK("STORE 2 FLAGS ()").lines == ["* 2 FETCH (FLAGS (\\Recent))"])
            _ = try await client.commandOK("STORE 2 FLAGS.SILENT (\\Seen \\Answered \\Flagged \\Deleted \\Draft)")
            try await client.logout()

            let files = server.messageFiles(of: "alice")
            #expect(Set(files.map { String($0.drop { $0 != ":" }) }) == [":2,FST", ":2,DFRST"], "\(files)")
            let again = try await IMAPTestClient.login(server, tls: true)
            _ = try await again.commandOK("SELECT INBOX")
            #expect(try await again.commandOK("FETCH 1:2 FLAGS").lines == [
                "* 1 FETCH (FLAGS (\\Flagged \\Deleted \\Seen))",
                "* 2 FETCH (FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft))",
            ])
            try await again.logout()
        }
    }

    /// What happened before a STORE (a delivery, another program's flag change) comes with its
    /// answer, after the FETCH of the STORE's own change, which the next NOOP does not repeat.
    @Test func storeAnnouncesEarlierChangesButNotItsOwnAgain() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, count: 2)
            try server.deliver(to: "alice", Self.message)
            let other = try server.store(of: "alice").folder(.inbox)
            try other.sync(moveNewToCur: false)
            try other.setFlags([UID(2)], .add, flags: .flagged)
            let reply = try await client.commandOK("STORE 1 +FLAGS (\\Seen)").lines
            #expect(reply == [
                "* 1 FETCH (FLAGS (\\Seen \\Recent))", "* 3 EXISTS", "* 3 RECENT",
                "* 2 FETCH (FLAGS (\\Flagged \\Recent) UID 2)",
            ], "\(reply)")
            #expect(try await client.commandOK("NOOP").untagged.isEmpty)
            #expect(try await client.commandOK("FETCH 1:3 FLAGS").lines == [
                "* 1 FETCH (FLAGS (\\Seen \\Recent))", "* 2 FETCH (FLAGS (\\Flagged \\Recent))", "* 3 FETCH (FLAGS (\\Recent))",
            ])
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.6: with .SILENT the server does not send the FETCH.
    @Test func silentSendsNoFetch() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, count: 2)
            for command in ["STORE 1 +FLAGS.SILENT (\\Seen)", "STORE 1:2 FLAGS.SILENT (\\Flagged)", "STORE 2 -FLAGS.SILENT (\\Flagged)",
                            "UID STORE 1 +FLAGS.SILENT (\\Answered)"] {
                let reply = try await client.commandOK(command)
                #expect(reply.untagged.isEmpty, "\(command) → \(reply)")
            }
            #expect(try await client.commandOK("FETCH 1:2 FLAGS").lines == [
                "* 1 FETCH (FLAGS (\\Answered \\Flagged \\Recent))", "* 2 FETCH (FLAGS (\\Recent))",
            ])
            try await client.logout()
        }
    }

    /// Keywords: mutt's `Old`, `$Forwarded` (RFC 5550): stored in dovecot-keywords and the file
    /// name letters, listed in FLAGS and PERMANENTFLAGS at the next SELECT, matched case-insensitively.
    @Test func keywords() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, count: 2)
            // New keywords change the mailbox's flag list: FLAGS and PERMANENTFLAGS come first (RFC 3501 7.2.6).
            #expect(try await client.commandOK("STORE 1 +FLAGS (Old $Forwarded)").lines == [
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Old $Forwarded)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Old $Forwarded \\*)] Flags permitted",
                "* 1 FETCH (FLAGS (Old $Forwarded \\Recent))",
            ])
            // RFC 3501 section 2.3.2: flag names are case-insensitive; no second keyword appears.
            let again = try await client.commandOK("STORE 1 +FLAGS (old \\Seen)").lines
            #expect(again == ["* 1 FETCH (FLAGS (\\Seen Old $Forwarded \\Recent))"], "\(again)")
            #expect(try await client.commandOK("STORE 2 FLAGS ($Forwarded)").lines == ["* 2 FETCH (FLAGS ($Forwarded \\Recent))"])
            #expect(try await client.commandOK("STORE 1 -FLAGS (OLD)").lines == ["* 1 FETCH (FLAGS (\\Seen $Forwarded \\Recent))"])
            #expect(try await client.commandOK("SEARCH KEYWORD $Forwarded").lines == ["* SEARCH 1 2"])
            #expect(try await client.commandOK("SEARCH UNKEYWORD Old").lines == ["* SEARCH 1 2"])
            try await client.logout()

            let keywordsFile = try String(contentsOfFile: server.maildir(of: "alice") + "/dovecot-keywords", encoding: .utf8)
            #expect(keywordsFile.split(separator: "\n").contains("1 $Forwarded"), "\(keywordsFile)")
            #expect(keywordsFile.split(separator: "\n").contains("0 Old"), "\(keywordsFile)")
            #expect(Set(server.messageFiles(of: "alice").map { String($0.drop { $0 != ":" }) }) == [":2,Sb", ":2,b"])

            let second = try await IMAPTestClient.login(server, tls: true)
            let select = try await second.commandOK("SELECT INBOX")
            #expect(select.lines.first == "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Old $Forwarded)", "\(select)")
            #expect(select.withoutHumanText.contains("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Old $Forwarded \\*)]"))
            #expect(try await second.commandOK("FETCH 1:2 FLAGS").lines == [
                "* 1 FETCH (FLAGS (\\Seen $Forwarded))", "* 2 FETCH (FLAGS ($Forwarded))",
            ])
            try await second.logout()
        }
    }

    /// RFC 3501 section 6.4.8: UID STORE answers with the UID in each FETCH; UIDs that do not
    /// exist are no error.
    /// A STORE of more messages than one piece (`StoreJob.pieceSize`): every message answers once,
    /// in order, the new keyword's FLAGS before the first of them, and .SILENT still sends none.
    @Test func aStoreOfManyPiecesAnswersEveryMessageInOrder() async throws {
        let count = 2_600
        try await TestServer.with { server in
            let client = try await selectedSession(server, count: count)
            let lines = try await client.commandOK("STORE 2:* +FLAGS ($Label \\Flagged)").lines
            #expect(lines.count == count + 1)
            #expect(lines.first == "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label)")
            #expect(Array(lines.dropFirst(2)) == (2...count).map { "* \($0) FETCH (FLAGS (\\Flagged $Label \\Recent))" })
            #expect(try await client.commandOK("UID STORE 1:* -FLAGS.SILENT ($Label)").lines.isEmpty)
            let flags = try await client.commandOK("FETCH 1:* FLAGS").lines
            #expect(flags == ["* 1 FETCH (FLAGS (\\Recent))"] + (2...count).map { "* \($0) FETCH (FLAGS (\\Flagged \\Recent))" })
            try await client.logout()
            #expect(server.messageFiles(of: "alice").filter { $0.hasSuffix(":2,F") }.count == count - 1)
        }
    }

    /// A client that goes away while a STORE's lines are still being written (reading paused, so
    /// the server waits on full socket buffers, then the connection closed) still gets every
    /// message changed: a STORE that began is made whole, not cut at a piece's edge.
    @Test func aStoreIsMadeWholeWhenTheClientGoesAwayHalfway() async throws {
        let count = 2_600
        // 26 keywords (a folder's most) of 200 octets make each FETCH line about 5 KB, 13 MB in
        // all: far more than the socket buffers (up to 4 MB for the server's) hold.
        let keywords = (0..<26).map { "Keyword\($0)-" + String(repeating: "k", count: 190) }
        try await TestServer.with { server in
            let client = try await selectedSession(server, count: count)
            try await client.client.pauseReading()
            try await client.send("s STORE 1:* +FLAGS (\(keywords.joined(separator: " ")))")
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            while client.client.pendingText.isEmpty, clock.now < deadline {
                client.client.readOnce()
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(client.client.pendingText.hasPrefix("* FLAGS ("))
            await client.close()
            let letters = ":2,abcdefghijklmnopqrstuvwxyz"
            let whole = try await eventually { server.messageFiles(of: "alice").filter { $0.hasSuffix(letters) }.count == count }
            #expect(whole, "\(server.messageFiles(of: "alice").filter { !$0.hasSuffix(letters) }.count) files unchanged")
        }
    }

    @Test func uidStoreIncludesUID() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, count: 3)
            _ = try await client.commandOK("STORE 1 +FLAGS.SILENT (\\Deleted)")
            _ = try await client.commandOK("EXPUNGE")
            #expect(try await client.commandOK("UID STORE 3 +FLAGS (\\Flagged)").lines == ["* 2 FETCH (FLAGS (\\Flagged \\Recent) UID 3)"])
            #expect(try await client.commandOK("UID STORE 1:2 -FLAGS (\\Seen)").lines == ["* 1 FETCH (FLAGS (\\Recent) UID 2)"])
            #expect(try await client.commandOK("UID STORE 1,50:60 +FLAGS (\\Seen)").untagged.isEmpty)
            try await client.logout()
        }
    }

    /// RFC 3501 section 2.3.2: `\Recent` cannot be set or cleared by a client; other `\`-flags cannot
    /// be stored at all (PERMANENTFLAGS does not list them).
    @Test func recentCannotBeStored() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.message)
            let first = try await IMAPTestClient.login(server, tls: true)
            _ = try await first.commandOK("SELECT INBOX")
            try await first.logout()
            try server.deliver(to: "alice", Self.message)
            // Message 1 is no longer recent; message 2 is recent in this session.
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            #expect(try await client.commandOK("STORE 1 +FLAGS (\\Recent)").lines == ["* 1 FETCH (FLAGS ())"])
            #expect(try await client.commandOK("STORE 2 -FLAGS (\\Recent)").lines == ["* 2 FETCH (FLAGS (\\Recent))"])
            #expect(try await client.commandOK("STORE 2 FLAGS (\\Seen)").lines == ["* 2 FETCH (FLAGS (\\Seen \\Recent))"])
            #expect(try await client.commandOK("SEARCH RECENT").lines == ["* SEARCH 2"])
            let extensionFlag = try await client.command("STORE 1 +FLAGS (\\Important)")
            #expect(extensionFlag.status == "NO", "\(extensionFlag)")
            #expect(try await client.commandOK("FETCH 1 FLAGS").lines == ["* 1 FETCH (FLAGS ())"])
            try await client.logout()
        }
    }

    /// EXAMINE: STORE is NO [READ-ONLY] and nothing changes; a sequence number beyond EXISTS is BAD.
    @Test func storeRefused() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", Self.message)
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("EXAMINE INBOX")
            for command in ["STORE 1 +FLAGS (\\Seen)", "UID STORE 1 FLAGS (\\Deleted)", "STORE 1 +FLAGS.SILENT (Old)"] {
                let reply = try await client.command(command)
                #expect(reply.status == "NO", "\(command) → \(reply)")
                #expect(reply.code == "READ-ONLY", "\(command) → \(reply)")
            }
            #expect(try await client.commandOK("FETCH 1 FLAGS").lines == ["* 1 FETCH (FLAGS (\\Recent))"])
            _ = try await client.commandOK("SELECT INBOX")
            let beyond = try await client.command("STORE 2 +FLAGS (\\Seen)")
            #expect(beyond.status == "BAD", "\(beyond)")
            #expect(try await client.commandOK("FETCH 1 FLAGS").lines == ["* 1 FETCH (FLAGS (\\Recent))"])
            try await client.logout()
            #expect(server.messageFiles(of: "alice").count == 1)
            #expect(server.messageFiles(of: "alice").allSatisfy { $0.hasSuffix(":2,") })
        }
    }
}
