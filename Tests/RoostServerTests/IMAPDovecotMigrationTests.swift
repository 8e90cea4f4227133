import Foundation
import RoostTesting
import Testing

/// A Maildir written by Dovecot 2.3 (dovecot-uidlist, dovecot-keywords, flag letters in file names)
/// keeps its UIDVALIDITY, UIDs, flags and keywords over IMAP, so clients do not download everything
/// again after the switch, and Dovecot could take the Maildir back.
@Suite struct IMAPDovecotMigrationTests {
    /// The fixture POP3DovecotMigrationTests uses: INBOX with UIDs 1 and 3-7 (2 was expunged),
    /// `V1795462463`, keywords `$Forwarded Old $Junk`, and a message an MTA dropped into new/ later.
    static let fixture = POP3DovecotMigrationTests.fixture

    private func migratedServer(_ body: (TestServer) async throws -> Void) async throws {
        try await TestServer.with { server in
            let target = server.maildir(of: "alice")
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.fixture, toPath: target)
            try FileManager.default.createDirectory(atPath: target + "/tmp", withIntermediateDirectories: true)
            try await body(server)
        }
    }

    /// SELECT shows Dovecot's UIDVALIDITY and keywords; the new message gets UID 8, so UIDNEXT is 9.
    @Test func selectShowsDovecotsUIDValidityAndUIDNext() async throws {
        try await migratedServer { server in
            let client = try await IMAPTestClient.login(server, tls: true)
            let select = try await client.commandOK("SELECT INBOX")
            #expect(select.withoutHumanText == [
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded Old $Junk)",
                "* 7 EXISTS",
                "* 1 RECENT",
                "* OK [UNSEEN 2]",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded Old $Junk \\*)]",
                "* OK [UIDVALIDITY 1795462463]",
                "* OK [UIDNEXT 9]",
            ], "\(select)")
            try await client.logout()
        }
    }

    /// UID FETCH shows Dovecot's UIDs (2 stays unused) with the flags and keywords of the file names.
    @Test func uidFetchShowsDovecotsUIDsFlagsAndKeywords() async throws {
        try await migratedServer { server in
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            let reply = try await client.commandOK("UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (Subject)])")
            let summary = reply.untagged.map { line in
                let subject = String(decoding: line.literals.first ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                return String(line.text.prefix { $0 != "B" }) + subject
            }
            #expect(summary == [
                "* 1 FETCH (UID 1 FLAGS (\\Seen) Subject: Inbox message 1",
                "* 2 FETCH (UID 3 FLAGS () Subject: Inbox message 3",
                "* 3 FETCH (UID 4 FLAGS () Subject: Inbox message 4",
                "* 4 FETCH (UID 5 FLAGS () Subject: Inbox message 5",
                "* 5 FETCH (UID 6 FLAGS (\\Flagged \\Seen $Forwarded) Subject: Flagged and forwarded",
                "* 6 FETCH (UID 7 FLAGS (\\Answered Old $Junk) Subject: Answered old junk",
                "* 7 FETCH (UID 8 FLAGS (\\Recent) Subject: Delivered by Postfix",
            ], "\(reply)")
            #expect(try await client.commandOK("UID FETCH 2 FLAGS").untagged.isEmpty)
            #expect(try await client.commandOK("UID SEARCH KEYWORD Old").lines == ["* SEARCH 7"])
            try await client.logout()
        }
    }

    /// The other folders keep their own UIDVALIDITY and UIDs, the Chinese-named one (已发送,
    /// `&XfJT0ZAB-` in modified UTF-7) included; a stale `N` in a uidlist header does not lower UIDNEXT.
    @Test func otherFoldersKeepTheirUIDs() async throws {
        try await migratedServer { server in
            let client = try await IMAPTestClient.login(server, tls: true)
            let folders: [(name: String, validity: UInt32, uidNext: Int, fetch: [String])] = [
                ("Sent", 1_795_462_461, 2, ["* 1 FETCH (UID 1 FLAGS (\\Seen))"]),
                ("Trash", 1_795_462_462, 1, []),
                ("Work.Projects", 1_795_462_465, 2, ["* 1 FETCH (UID 1 FLAGS (\\Recent))"]),
                ("&XfJT0ZAB-", 1_795_462_466, 2, ["* 1 FETCH (UID 1 FLAGS (\\Seen \\Draft))"]),
            ]
            for folder in folders {
                let examine = try await client.commandOK("EXAMINE \(folder.name)")
                #expect(examine.withoutHumanText.contains("* OK [UIDVALIDITY \(folder.validity)]"), "\(folder.name): \(examine)")
                #expect(examine.withoutHumanText.contains("* OK [UIDNEXT \(folder.uidNext)]"), "\(folder.name): \(examine)")
                let fetch = try await client.commandOK("UID FETCH 1:* FLAGS")
                #expect(fetch.lines == folder.fetch, "\(folder.name): \(fetch)")
            }
            try await client.logout()
        }
    }

    /// Changes Roost makes stay readable by Dovecot: keywords keep their letters and new ones are
    /// appended to dovecot-keywords; the uidlist keeps its UIDVALIDITY and records the new UID.
    @Test func changesStayDovecotCompatible() async throws {
        try await migratedServer { server in
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            _ = try await client.commandOK("UID STORE 3 +FLAGS.SILENT (Old NonJunk)")
            try await client.logout()

            let root = server.maildir(of: "alice")
            let keywords = try String(contentsOfFile: root + "/dovecot-keywords", encoding: .utf8)
            #expect(keywords.split(separator: "\n") == ["0 $Forwarded", "1 Old", "2 $Junk", "3 NonJunk"], "\(keywords)")
            let files = server.messageFiles(of: "alice")
            #expect(files.contains { $0.hasPrefix("cur/1795462461.M110770P7057.vm,S=161,W=168:2,") && $0.hasSuffix(",bd") }, "\(files)")
            let uidlist = try String(contentsOfFile: root + "/dovecot-uidlist", encoding: .utf8)
            let lines = uidlist.split(separator: "\n")
            #expect(lines.first?.hasPrefix("3 V1795462463 ") == true, "\(uidlist)")
            #expect(lines.contains { $0.hasPrefix("8 ") && $0.contains("1795470000.M1P999.mx") }, "\(uidlist)")
            #expect(lines.contains { $0.hasPrefix("3 ") && $0.contains("1795462461.M110770P7057.vm") }, "\(uidlist)")
        }
    }
}
