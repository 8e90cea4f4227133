import Foundation
import RoostTesting
import Testing

/// APPEND over real sockets (RFC 3501 section 6.3.11), with UIDPLUS's APPENDUID (RFC 4315),
/// MULTIAPPEND (RFC 3502) and LITERAL+ (RFC 7888).
@Suite struct IMAPAppendTests {
    private static let message = "From: alice@roost.test\r\nSubject: appended\r\n\r\nHello\r\n"

    /// The UIDVALIDITY of `mailbox` from STATUS.
    private static func uidValidity(_ client: IMAPTestClient, _ mailbox: String) async throws -> String {
        let reply = try await client.command("STATUS \(mailbox) (UIDVALIDITY)")
        let line = try #require(reply.lines.first)
        let prefix = "* STATUS \(mailbox) (UIDVALIDITY "
        #expect(line.hasPrefix(prefix) && line.hasSuffix(")"), "\(line)")
        return String(line.dropFirst(prefix.count).dropLast())
    }

    /// Seconds since 1970 of an RFC 3501 date-time such as `15-Mar-2024 14:30:00 +0800`.
    private static func seconds(of dateTime: String) throws -> Int {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "dd-MMM-yyyy HH:mm:ss Z"
        let date = try #require(formatter.date(from: dateTime.trimmingCharacters(in: .whitespaces)), "\(dateTime)")
        return Int(date.timeIntervalSince1970)
    }

    @Test func flagsAndInternalDateAreStored() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            let validity = try await Self.uidValidity(client, "Drafts")
            let appended = try await client.command([
                #"APPEND Drafts (\Seen \Draft $Label) "15-Mar-2024 14:30:00 +0800" "#, .literal(Self.message),
            ])
            // RFC 4315 section 3: APPENDUID <uidvalidity> <uid>.
            #expect(appended.completion == "OK [APPENDUID \(validity) 1] APPEND completed")
            #expect(try await client.command("SELECT Drafts").isOK)
            let fetch = try await client.command("FETCH 1 (FLAGS INTERNALDATE UID RFC822.SIZE)")
            let line = try #require(fetch.lines.first)
            #expect(fetch.lines.count == 1, "\(fetch)")
            #expect(line.hasPrefix(#"* 1 FETCH (FLAGS (\Seen \Draft $Label) INTERNALDATE ""#), "\(line)")
            #expect(line.hasSuffix(#"" UID 1 RFC822.SIZE \#(Self.message.utf8.count))"#), "\(line)")
            // The date comes back in the server's zone; it is the same instant.
            let date = try #require(line.split(separator: "\"").dropFirst().first.map(String.init))
            #expect(try Self.seconds(of: date) == Self.seconds(of: "15-Mar-2024 14:30:00 +0800"), "\(date)")
            // Without a date, the internal date is the time of the APPEND: the server's clock read
            // between these two, both whole seconds rounded down as the date is.
            let before = Int(Date().timeIntervalSince1970)
            #expect(try await client.command(["APPEND Drafts ", .literal(Self.message)]).isOK)
            let after = Int(Date().timeIntervalSince1970)
            let now = try #require(try await client.command("FETCH 2 INTERNALDATE").lines.first)
            let stamp = try Self.seconds(of: try #require(now.split(separator: "\"").dropFirst().first.map(String.init)))
            #expect(before <= stamp && stamp <= after, "\(now), APPEND between \(before) and \(after)")
            await client.close()
        }
    }

    @Test func appendUIDsFollowTheMailboxesUIDNext() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", "Subject: first\r\n\r\n1\r\n")
            let client = try await IMAPTestClient.login(server)
            let status = try await client.command("STATUS INBOX (UIDNEXT UIDVALIDITY)")
            let validity = try await Self.uidValidity(client, "INBOX")
            #expect(status.lines == ["* STATUS INBOX (UIDNEXT 2 UIDVALIDITY \(validity))"])
            #expect(try await client.command(["APPEND INBOX ", .literal(Self.message)]).code == "APPENDUID \(validity) 2")
            #expect(try await client.command(["APPEND INBOX () ", .literal(Self.message)]).code == "APPENDUID \(validity) 3")
            #expect(try await client.command("STATUS INBOX (MESSAGES UIDNEXT)").lines == ["* STATUS INBOX (MESSAGES 3 UIDNEXT 4)"])
            await client.close()
        }
    }

    @Test func multiappendStoresAllMessagesWithARangeOfUIDs() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            let validity = try await Self.uidValidity(client, "Archive")
            // RFC 3502: append-message repeated, each with its own flags and date.
            let reply = try await client.command([
                "APPEND Archive ", .literal("Subject: one\r\n\r\n1\r\n"),
                #" (\Flagged) "#, .literal("Subject: two\r\n\r\n2\r\n"),
                #" () "01-Jan-2020 00:00:00 +0000" "#, .literal("Subject: three\r\n\r\n3\r\n"),
            ])
            #expect(reply.completion == "OK [APPENDUID \(validity) 1:3] APPEND completed")
            _ = try await client.command("EXAMINE Archive")
            let headers = try await client.command("FETCH 1:3 BODY.PEEK[HEADER.FIELDS (SUBJECT)]")
            #expect(headers.lines == [
                "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: one\r\n\r\n)",
                "* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {16}\r\nSubject: two\r\n\r\n)",
                "* 3 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: three\r\n\r\n)",
            ])
            // Stored flags; \Recent is session state and set apart here.
            let flags = try await client.command("FETCH 1:3 FLAGS").lines.map(Self.withoutRecent)
            #expect(flags == ["* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS (\\Flagged))", "* 3 FETCH (FLAGS ())"])
            await client.close()
        }
    }

    /// A FETCH FLAGS line without `\Recent`.
    private static func withoutRecent(_ line: String) -> String {
        line.replacingOccurrences(of: " \\Recent", with: "").replacingOccurrences(of: "(\\Recent ", with: "(")
            .replacingOccurrences(of: "(\\Recent)", with: "()")
    }

    @Test func multiappendIsAllOrNothing() async throws {
        try await TestServer.with(configure: { $0.mail.quotaMessages = 2 }) { server in
            let client = try await IMAPTestClient.login(server)
            // RFC 3502 section 6.3.11: "If the server fails to append any message, none are appended."
            // The third message goes over the quota; the first two must be taken back.
            let reply = try await client.command([
                "APPEND Archive ", .literal("Subject: one\r\n\r\n1\r\n"), " ", .literal("Subject: two\r\n\r\n2\r\n"),
                " ", .literal("Subject: three\r\n\r\n3\r\n"),
            ])
            #expect(reply.completion.hasPrefix("NO [OVERQUOTA] "), "\(reply)")
            #expect(try await client.command("STATUS Archive (MESSAGES)").lines == ["* STATUS Archive (MESSAGES 0)"])
            // An empty message is refused before anything is written.
            let empty = try await client.command(["APPEND Archive ", .literal("Subject: one\r\n\r\n1\r\n"), " ", .literalPlus("")])
            #expect(empty.completion == "NO [CANNOT] Empty messages are not accepted")
            #expect(try await client.command("STATUS Archive (MESSAGES)").lines == ["* STATUS Archive (MESSAGES 0)"])
            // Within the quota both are stored; the UIDs taken back are not used again (RFC 3501 2.3.1.1).
            let two = try await client.command(["APPEND Archive ", .literal("Subject: one\r\n\r\n1\r\n"), " ", .literal("Subject: two\r\n\r\n2\r\n")])
            #expect(two.code?.hasSuffix(" 3:4") == true, "\(two)")
            #expect(try await client.command("STATUS Archive (MESSAGES)").lines == ["* STATUS Archive (MESSAGES 2)"])
            await client.close()
        }
    }

    @Test func appendToAMissingMailboxAsksToCreateIt() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            // RFC 3501 section 6.3.11: "the server MUST NOT automatically create the mailbox" and
            // sends [TRYCREATE] when creating it would help.
            let reply = try await client.command(["APPEND Outbox ", .literal(Self.message)])
            #expect(reply.status == "NO")
            #expect(reply.code == "TRYCREATE", "\(reply)")
            #expect(try await client.command("STATUS Outbox (MESSAGES)").completion.hasPrefix("NO [NONEXISTENT] "))
            #expect(try await client.command("CREATE Outbox").isOK)
            #expect(try await client.command(["APPEND Outbox ", .literal(Self.message)]).isOK)
            await client.close()
        }
    }

    @Test func flagsThatCannotBeStoredAndInvalidDates() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            // \Recent is not the client's to set (RFC 3501 section 2.3.2): it is ignored, the rest is stored.
            #expect(try await client.command([#"APPEND INBOX (\Recent \Seen) "#, .literalPlus(Self.message)]).isOK)
            #expect(try await client.command("STATUS INBOX (MESSAGES UNSEEN)").lines == ["* STATUS INBOX (MESSAGES 1 UNSEEN 0)"])
            // Other backslash flags do not exist.
            let unknown = try await client.command([#"APPEND INBOX (\Important) "#, .literal(Self.message)])
            #expect(unknown.completion == "NO [CANNOT] Only system flags and keywords can be stored", "\(unknown)")
            // date-time is checked: there is no 31 February.
            let date = try await client.command([#"APPEND INBOX () "31-Feb-2024 10:00:00 +0000" "#, .literalPlus(Self.message)])
            #expect(date.status == "BAD", "\(date)")
            #expect(try await client.command("STATUS INBOX (MESSAGES)").lines == ["* STATUS INBOX (MESSAGES 1)"])
            await client.close()
        }
    }

    @Test func appendWithANonSynchronizingLiteral() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            let validity = try await Self.uidValidity(client, "Sent")
            // RFC 7888: no `+` from the server; the whole command arrives in one write.
            let reply = try await client.command([#"APPEND Sent (\Seen) "#, .literalPlus(Self.message)])
            #expect(reply.untagged.isEmpty, "\(reply)")
            #expect(reply.completion == "OK [APPENDUID \(validity) 1] APPEND completed")
            await client.close()
        }
    }

    @Test func eightBitMessageComesBackByteForByte() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            var bytes = Array("From: =?UTF-8?B?5byg5LiJ?= <zhang@roost.test>\r\nSubject: 8-bit\r\nContent-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".utf8)
            bytes += [0xC4, 0xE3, 0xBA, 0xC3, 0x0D, 0x0A]                   // 你好 in GB2312
            bytes += Array("中文 UTF-8 line\r\n".utf8)
            bytes += (0x80...0xFF).map { UInt8($0) } + [0x0D, 0x0A]        // every high octet
            bytes += [0x01, 0x1B, 0x7F, 0x09, 0x0D, 0x0A]                   // controls, no NUL
            bytes += Array("no newline at the end".utf8)
            let reply = try await client.command(["APPEND INBOX ", .literal(bytes)])
            #expect(reply.isOK, "\(reply)")
            _ = try await client.command("EXAMINE INBOX")
            let fetch = try await client.command("FETCH 1 (RFC822.SIZE BODY.PEEK[])")
            let line = try #require(fetch.untagged.first)
            #expect(line.text.hasPrefix("* 1 FETCH (RFC822.SIZE \(bytes.count) BODY[] {\(bytes.count)}\r\n"), "\(line)")
            #expect(line.literals == [bytes])
            #expect(line.text.hasSuffix(")"))
            // PEEK left \Seen off; the message is new to this session.
            #expect(try await client.command("FETCH 1 FLAGS").lines == [#"* 1 FETCH (FLAGS (\Recent))"#])
            await client.close()
        }
    }

    @Test func anotherSessionSeesTheAppendedMessageAtItsNextCommand() async throws {
        try await TestServer.with { server in
            let watcher = try await IMAPTestClient.login(server)
            let selected = try await watcher.command("SELECT INBOX")
            #expect(selected.lines.contains("* 0 EXISTS"), "\(selected)")
            let writer = try await IMAPTestClient.login(server)
            #expect(try await writer.command(["APPEND INBOX ", .literal(Self.message)]).isOK)
            // RFC 3501 section 7.3.1 / 7.3.2: EXISTS (and RECENT, the message being new to this session).
            let noop = try await watcher.command("NOOP")
            #expect(noop.lines.contains("* 1 EXISTS"), "\(noop)")
            #expect(noop.completion == "OK NOOP completed")
            let fetched = try await watcher.command("FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]")
            #expect(fetched.lines == ["* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {21}\r\nSubject: appended\r\n\r\n)"])
            // The appending session itself, with INBOX selected, learns of its message before the OK.
            _ = try await writer.command("SELECT INBOX")
            let own = try await writer.command(["APPEND INBOX ", .literal(Self.message)])
            #expect(own.lines.contains("* 2 EXISTS"), "\(own)")
            #expect(own.isOK)
            await writer.close()
            await watcher.close()
        }
    }
}
