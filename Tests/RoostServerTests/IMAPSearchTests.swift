import Foundation
import RoostTesting
import Testing

/// SEARCH and UID SEARCH over IMAPS (RFC 3501 sections 6.4.4 and 6.4.8) on real messages: a
/// representative set of keys, a Chinese encoded-word subject found with a UTF-8 literal, and
/// BADCHARSET. Every key's edge cases are covered by RoostIMAPTests' SEARCH tests.
@Suite struct IMAPSearchTests {
    /// Delivered in this order; the first is expunged so that UIDs are sequence numbers + 1.
    static let messages: [(text: String, time: TimeInterval)] = [
        ("From: junk@example.org\nSubject: junk\n\nto be expunged\n", 1_772_355_600),
        ("From: Alice <alice@example.org>\nTo: team@example.org\nSubject: Hello world\nDate: Sun, 1 Mar 2026 10:00:00 +0000\n\nThe quick brown fox.\n",
         1_772_359_200), // 1 Mar 2026 10:00 UTC
        ("From: Bob <bob@example.net>\nTo: team@example.org\nSubject: =?UTF-8?B?5Lya6K6u6YCa55+l?=\nDate: Sun, 1 Mar 2026 11:00:00 +0000\n\nIn meeting room 3 at noon.\n",
         1_772_362_800), // 1 Mar 2026 11:00 UTC
        ("From: Carol <carol@example.com>\nTo: alice@example.org\nSubject: Re: Hello world\nDate: Fri, 20 Mar 2026 09:00:00 +0000\n\n"
            + String(repeating: "A long reply line that makes this message larger than the rest.\n", count: 40),
         1_773_997_200), // 20 Mar 2026 09:00 UTC
        ("From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: invoice\nDate: Fri, 20 Mar 2026 10:00:00 +0000\n\nInvoice attached.\n",
         1_774_000_800), // 20 Mar 2026 10:00 UTC
    ]

    /// Four messages (UIDs 2 to 5) with 1 and 3 seen.
    private func searchSession(_ server: TestServer) async throws -> IMAPTestClient {
        // One by one, so that UIDs follow this order.
        let client = try await IMAPTestClient.login(server, tls: true)
        for message in Self.messages {
            let path = try server.deliver(to: "alice", message.text)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: message.time)], ofItemAtPath: path)
            _ = try await client.commandOK("STATUS INBOX (MESSAGES)")
            _ = try await client.commandOK("EXAMINE INBOX")
        }
        _ = try await client.commandOK("SELECT INBOX")
        _ = try await client.commandOK("STORE 1 +FLAGS.SILENT (\\Deleted)")
        _ = try await client.commandOK("EXPUNGE")
        _ = try await client.commandOK("STORE 1,3 +FLAGS.SILENT (\\Seen)")
        #expect(try await client.commandOK("FETCH 1:* UID").lines == (1...4).map { "* \($0) FETCH (UID \($0 + 1))" })
        return client
    }

    @Test func representativeKeys() async throws {
        let table: [(String, String)] = [
            ("SEARCH ALL", "* SEARCH 1 2 3 4"),
            ("SEARCH UNSEEN", "* SEARCH 2 4"),
            ("SEARCH SEEN", "* SEARCH 1 3"),
            ("SEARCH FROM alice", "* SEARCH 1 4"),
            ("SEARCH FROM \"example.net\"", "* SEARCH 2"),
            ("SEARCH TO alice", "* SEARCH 3"),
            ("SEARCH SUBJECT \"hello WORLD\"", "* SEARCH 1 3"),
            ("SEARCH BODY \"meeting room\"", "* SEARCH 2"),
            ("SEARCH TEXT invoice", "* SEARCH 4"),
            ("SEARCH OR FROM bob SUBJECT invoice", "* SEARCH 2 4"),
            ("SEARCH NOT FROM alice", "* SEARCH 2 3"),
            ("SEARCH UNSEEN NOT FROM bob", "* SEARCH 4"),
            ("SEARCH UID 3:4", "* SEARCH 2 3"),
            ("SEARCH UID 4:*", "* SEARCH 3 4"),
            ("SEARCH 2:* SEEN", "* SEARCH 3"),
            ("SEARCH LARGER 1000", "* SEARCH 3"),
            ("SEARCH SMALLER 1000", "* SEARCH 1 2 4"),
            ("SEARCH SINCE 10-Mar-2026", "* SEARCH 3 4"),
            ("SEARCH BEFORE 10-Mar-2026", "* SEARCH 1 2"),
            ("SEARCH ON 1-Mar-2026", "* SEARCH 1 2"),
            ("SEARCH SENTSINCE 20-Mar-2026", "* SEARCH 3 4"),
            ("SEARCH HEADER To team", "* SEARCH 1 2"),
            ("SEARCH SUBJECT nothing-like-this", "* SEARCH"),
            ("UID SEARCH ALL", "* SEARCH 2 3 4 5"),
            ("UID SEARCH FROM alice", "* SEARCH 2 5"),
            ("UID SEARCH UID 1:3", "* SEARCH 2 3"),
            ("UID SEARCH 2:3 UNSEEN", "* SEARCH 3"),
        ]
        try await TestServer.with { server in
            let client = try await searchSession(server)
            for (command, expected) in table {
                let reply = try await client.commandOK(command)
                #expect(reply.lines == [expected], "\(command) → \(reply)")
            }
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.4: CHARSET UTF-8 with the key as a literal; the subject is an RFC 2047
    /// encoded word (=?UTF-8?B?...?= for 会议通知) and is matched decoded.
    @Test func chineseSubjectWithUTF8Literal() async throws {
        try await TestServer.with { server in
            let client = try await searchSession(server)
            let reply = try await client.command(["SEARCH CHARSET UTF-8 SUBJECT ", .literal("会议"), " UNSEEN"])
            #expect(reply.isOK, "\(reply)")
            #expect(reply.lines == ["* SEARCH 2"], "\(reply)")
            let plus = try await client.command(["UID SEARCH CHARSET UTF-8 OR SUBJECT ", .literalPlus("通知"), " BODY ", .literalPlus("fox")])
            #expect(plus.lines == ["* SEARCH 2 3"], "\(plus)")
            let none = try await client.command(["SEARCH CHARSET UTF-8 SUBJECT ", .literal("发票")])
            #expect(none.lines == ["* SEARCH"], "\(none)")
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.4: a charset the server does not support is NO [BADCHARSET (...)]
    /// listing those it does.
    @Test func unsupportedCharsetIsBadCharset() async throws {
        try await TestServer.with { server in
            let client = try await searchSession(server)
            let reply = try await client.command("SEARCH CHARSET ISO-8859-1 SUBJECT hello")
            #expect(reply.status == "NO", "\(reply)")
            #expect(reply.code == "BADCHARSET (UTF-8 US-ASCII)", "\(reply)")
            #expect(reply.untagged.isEmpty)
            #expect(try await client.command("UID SEARCH CHARSET KOI8-R ALL").code == "BADCHARSET (UTF-8 US-ASCII)")
            #expect(try await client.commandOK("SEARCH CHARSET US-ASCII FROM bob").lines == ["* SEARCH 2"])
            try await client.logout()
        }
    }
}
