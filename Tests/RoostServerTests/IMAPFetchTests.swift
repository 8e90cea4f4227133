import Foundation
import RoostTesting
import Testing

/// FETCH and UID FETCH over IMAPS (RFC 3501 sections 6.4.5, 6.4.8 and 7.4.2): data items, body
/// sections of a nested message byte for byte, partial windows, `\Seen`, a 6 MB message and the
/// header fetch mail clients run at their first sync.
@Suite struct IMAPFetchTests {
    static let outerHeader = [
        "From: Alice Example <alice@example.org>",
        "To: Bob <bob@example.org>, carol@example.org",
        "Cc: Dave <dave@example.org>",
        "Subject: Quarterly report",
        "Date: Tue, 3 Mar 2026 10:15:00 +0100",
        "Message-ID: <report-1@example.org>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"outer\"",
    ]
    static let innerHeader = [
        "From: Carol <carol@example.org>",
        "To: Alice Example <alice@example.org>",
        "Subject: Figures",
        "Date: Mon, 2 Mar 2026 09:00:00 +0000",
        "Message-ID: <figures@example.org>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative; boundary=\"inner\"",
    ]
    static let innerText = [
        "--inner", "Content-Type: text/plain; charset=utf-8", "", "Revenue up.",
        "--inner", "Content-Type: text/html; charset=utf-8", "", "<p>Revenue up.</p>", "--inner--",
    ]
    static let outerText = [
        "This is a multi-part message in MIME format.",
        "--outer", "Content-Type: text/plain; charset=us-ascii", "", "See the forwarded message.",
        "--outer", "Content-Type: message/rfc822", "",
    ] + innerHeader + [""] + innerText + ["--outer--"]

    /// A multipart/mixed message with a forwarded multipart/alternative message, LF line ends as an
    /// MTA writes them.
    static let report = (outerHeader + [""] + outerText).joined(separator: "\n") + "\n"
    static let simple = "From: b@example.org\nTo: alice@example.org\nSubject: simple\n\nline one\nline two\n"

    static func crlf(_ lines: [String]) -> String { lines.map { $0 + "\r\n" }.joined() }
    /// Lines joined with CRLF, none after the last: a part's content ends where the CRLF of the
    /// next boundary begins (RFC 2046 section 5.1.1).
    static func crlfJoined(_ lines: [String]) -> String { lines.joined(separator: "\r\n") }

    /// 13 Mar 2026 09:15:00 UTC, the file time of delivered messages (INTERNALDATE in Maildir).
    static let deliveryTime: TimeInterval = 1_773_393_300

    static func deliver(_ server: TestServer, _ message: String) throws {
        let path = try server.deliver(to: "alice", message)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: deliveryTime)], ofItemAtPath: path)
    }

    /// INTERNALDATE of `deliveryTime` in the server's (this process's) time zone.
    static var internalDate: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "dd-MMM-yyyy HH:mm:ss Z"
        return formatter.string(from: Date(timeIntervalSince1970: deliveryTime))
    }

    private func selectedSession(_ server: TestServer, messages: [String]) async throws -> IMAPTestClient {
        for message in messages { try Self.deliver(server, message) }
        let client = try await IMAPTestClient.login(server, tls: true)
        _ = try await client.commandOK("SELECT INBOX")
        return client
    }

    /// A file named with its sizes (as Dovecot names them) is listed without a stat; its INTERNALDATE
    /// is still the file's time, for FETCH and for SEARCH's date keys.
    @Test func internalDateOfAFileNamedWithItsSizes() async throws {
        try await TestServer.with { server in
            let path = try server.deliver(to: "alice", bytes: Array(Self.simple.utf8), sizesInName: true)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Self.deliveryTime)], ofItemAtPath: path)
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            let size = Self.simple.replacingOccurrences(of: "\n", with: "\r\n").utf8.count
            #expect(try await client.commandOK("FETCH 1 (INTERNALDATE RFC822.SIZE)").lines
                == ["* 1 FETCH (INTERNALDATE \"\(Self.internalDate)\" RFC822.SIZE \(size))"])
            // 13 Mar 2026 09:15 UTC is 13 Mar in every time zone within 9 hours of UTC; the day
            // before and after are safe everywhere.
            #expect(try await client.commandOK("UID SEARCH SINCE 12-Mar-2026").lines == ["* SEARCH 1"])
            #expect(try await client.commandOK("UID SEARCH BEFORE 12-Mar-2026").lines == ["* SEARCH"])
            #expect(try await client.commandOK("UID SEARCH SINCE 15-Mar-2026").lines == ["* SEARCH"])
            try await client.logout()
        }
    }

    /// BODY[] is the message with CRLF line ends, byte for byte, and RFC822.SIZE is its length.
    @Test func wholeMessageIsByteExactWithCRLF() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: [Self.report])
            let expected = Array(Self.report.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            let reply = try await client.commandOK("FETCH 1 (RFC822.SIZE BODY.PEEK[])")
            #expect(reply.untagged.count == 1)
            let line = try #require(reply.untagged.first)
            #expect(line.literals == [expected])
            #expect(line.text.hasPrefix("* 1 FETCH (RFC822.SIZE \(expected.count) BODY[] {\(expected.count)}\r\nFrom: Alice"), "\(line)")
            #expect(line.text.hasSuffix("--outer--\r\n)"))
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.5: HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME and part
    /// numbers, down into the forwarded message (part 2 is message/rfc822, 2.1 and 2.2 its parts).
    @Test func sectionsOfANestedMessage() async throws {
        let sections: [(String, String)] = [
            ("HEADER", Self.crlf(Self.outerHeader) + "\r\n"),
            ("HEADER.FIELDS (Subject From)", "From: Alice Example <alice@example.org>\r\nSubject: Quarterly report\r\n\r\n"),
            ("HEADER.FIELDS (X-Not-There)", "\r\n"),
            ("HEADER.FIELDS.NOT (From Subject Date Message-ID MIME-Version Content-Type)",
             "To: Bob <bob@example.org>, carol@example.org\r\nCc: Dave <dave@example.org>\r\n\r\n"),
            ("TEXT", Self.crlf(Self.outerText)),
            ("1", "See the forwarded message."),
            ("1.MIME", "Content-Type: text/plain; charset=us-ascii\r\n\r\n"),
            ("2", Self.crlf(Self.innerHeader) + "\r\n" + Self.crlfJoined(Self.innerText)),
            ("2.MIME", "Content-Type: message/rfc822\r\n\r\n"),
            ("2.HEADER", Self.crlf(Self.innerHeader) + "\r\n"),
            ("2.HEADER.FIELDS (Subject)", "Subject: Figures\r\n\r\n"),
            ("2.TEXT", Self.crlfJoined(Self.innerText)),
            ("2.1", "Revenue up."),
            ("2.1.MIME", "Content-Type: text/plain; charset=utf-8\r\n\r\n"),
            ("2.2", "<p>Revenue up.</p>"),
        ]
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: [Self.report])
            for (section, expected) in sections {
                let reply = try await client.commandOK("FETCH 1 (BODY.PEEK[\(section)])")
                #expect(reply.untagged.count == 1, "\(section): \(reply)")
                let line = try #require(reply.untagged.first)
                #expect(line.text.hasPrefix("* 1 FETCH (BODY[\(section)] {\(expected.utf8.count)}\r\n"), "\(section): \(line)")
                #expect(line.literals == [Array(expected.utf8)], "\(section): \(line)")
            }
            // Only PEEK was used: the message is not \Seen.
            #expect(try await client.commandOK("FETCH 1 FLAGS").lines == ["* 1 FETCH (FLAGS (\\Recent))"])
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.5: `<origin.octets>` windows; the response names only the origin, and
    /// an origin beyond the end gives an empty string.
    @Test func partialWindows() async throws {
        let whole = Array(Self.report.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let text = Array(Self.crlf(Self.outerText).utf8)
        let windows: [(request: String, answer: String, bytes: [UInt8])] = [
            ("BODY.PEEK[]<0.10>", "BODY[]<0>", Array(whole.prefix(10))),
            ("BODY.PEEK[TEXT]<10.20>", "BODY[TEXT]<10>", Array(text[10..<30])),
            ("BODY.PEEK[2.1]<3.4>", "BODY[2.1]<3>", Array("enue".utf8)),
            ("BODY.PEEK[1]<20.100>", "BODY[1]<20>", Array("ssage.".utf8)),
            ("BODY.PEEK[]<\(whole.count - 4).4>", "BODY[]<\(whole.count - 4)>", Array("--\r\n".utf8)),
        ]
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: [Self.report])
            for window in windows {
                let reply = try await client.commandOK("FETCH 1 (\(window.request))")
                let line = try #require(reply.untagged.first)
                #expect(line.text.hasPrefix("* 1 FETCH (\(window.answer) {\(window.bytes.count)}\r\n"), "\(window.request): \(line)")
                #expect(line.literals == [window.bytes], "\(window.request): \(line)")
            }
            // Beyond the end: an empty string, as a literal or quoted.
            let beyond = try await client.commandOK("FETCH 1 (BODY.PEEK[]<100000.10>)")
            let line = try #require(beyond.untagged.first)
            #expect(line.text == "* 1 FETCH (BODY[]<100000> {0}\r\n)" || line.text == "* 1 FETCH (BODY[]<100000> \"\")", "\(line)")
            try await client.logout()
        }
    }

    /// The non-body data items and the ALL, FAST and FULL macros, exactly (RFC 3501 section 7.4.2).
    @Test func dataItemsAndMacros() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: [Self.simple, Self.report])
            let size = Self.report.replacingOccurrences(of: "\n", with: "\r\n").utf8.count
            let envelope = "(\"Tue, 3 Mar 2026 10:15:00 +0100\" \"Quarterly report\" "
                + "((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Alice Example\" NIL \"alice\" \"example.org\")) "
                + "((\"Alice Example\" NIL \"alice\" \"example.org\")) "
                + "((\"Bob\" NIL \"bob\" \"example.org\")(NIL NIL \"carol\" \"example.org\")) "
                + "((\"Dave\" NIL \"dave\" \"example.org\")) NIL NIL \"<report-1@example.org>\")"
            // MIME tokens in upper case (RFC 3501's examples); line counts are Dovecot's: the CRLF
            // before a boundary belongs to the boundary, so one-line parts count 0 lines.
            let inner = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 11 0 NIL NIL NIL NIL)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 18 0 NIL NIL NIL NIL) \"ALTERNATIVE\" (\"BOUNDARY\" \"inner\") NIL NIL NIL"
            let innerEnvelope = "(\"Mon, 2 Mar 2026 09:00:00 +0000\" \"Figures\" ((\"Carol\" NIL \"carol\" \"example.org\")) "
                + "((\"Carol\" NIL \"carol\" \"example.org\")) ((\"Carol\" NIL \"carol\" \"example.org\")) "
                + "((\"Alice Example\" NIL \"alice\" \"example.org\")) NIL NIL NIL \"<figures@example.org>\")"
            let bodyStructure = "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 26 0 NIL NIL NIL NIL)"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 384 \(innerEnvelope) (\(inner)) 16 NIL NIL NIL NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"outer\") NIL NIL NIL)"
            let reply = try await client.commandOK("FETCH 2 (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE UID)")
            #expect(reply.lines == [
                "* 2 FETCH (FLAGS (\\Recent) INTERNALDATE \"\(Self.internalDate)\" RFC822.SIZE \(size) ENVELOPE \(envelope) BODYSTRUCTURE \(bodyStructure) UID 2)",
            ])

            let simpleSize = Self.simple.replacingOccurrences(of: "\n", with: "\r\n").utf8.count
            let simpleEnvelope = "(NIL \"simple\" ((NIL NIL \"b\" \"example.org\")) ((NIL NIL \"b\" \"example.org\")) "
                + "((NIL NIL \"b\" \"example.org\")) ((NIL NIL \"alice\" \"example.org\")) NIL NIL NIL NIL)"
            let fast = "FLAGS (\\Recent) INTERNALDATE \"\(Self.internalDate)\" RFC822.SIZE \(simpleSize)"
            #expect(try await client.commandOK("FETCH 1 FAST").lines == ["* 1 FETCH (\(fast))"])
            #expect(try await client.commandOK("FETCH 1 ALL").lines == ["* 1 FETCH (\(fast) ENVELOPE \(simpleEnvelope))"])
            let simpleBody = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 20 2)"
            #expect(try await client.commandOK("FETCH 1 FULL").lines == ["* 1 FETCH (\(fast) ENVELOPE \(simpleEnvelope) BODY \(simpleBody))"])
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.5: BODY[...] sets `\Seen` (and the response carries the new FLAGS),
    /// BODY.PEEK and RFC822.HEADER do not; RFC822 and RFC822.TEXT do.
    @Test func bodyFetchesSetSeenPeekDoesNot() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: [Self.simple, Self.simple, Self.simple, Self.simple])
            let peek = try await client.commandOK("FETCH 1 (BODY.PEEK[TEXT] RFC822.HEADER)")
            #expect(peek.untagged.count == 1)
            #expect(peek.lines.first?.contains("FLAGS") == false, "\(peek)")
            #expect(try await client.commandOK("FETCH 1 FLAGS").lines == ["* 1 FETCH (FLAGS (\\Recent))"])

            for (number, item) in [(1, "BODY[TEXT]"), (2, "RFC822"), (3, "RFC822.TEXT"), (4, "BODY[1]")] {
                let reply = try await client.commandOK("FETCH \(number) \(item)")
                #expect(reply.untagged.count == 1, "\(item): \(reply)")
                #expect(reply.lines.first?.hasSuffix("FLAGS (\\Seen \\Recent))") == true, "\(item): \(reply)")
            }
            // FLAGS asked for as well: reported once, with \Seen.
            _ = try await client.commandOK("STORE 1 -FLAGS.SILENT (\\Seen)")
            let both = try await client.commandOK("FETCH 1 (FLAGS BODY[TEXT])")
            #expect(both.lines.first?.hasPrefix("* 1 FETCH (FLAGS (\\Seen \\Recent) BODY[TEXT] {") == true, "\(both)")
            #expect(both.lines.first?.components(separatedBy: "FLAGS").count == 2, "\(both)")
            try await client.logout()

            let files = server.messageFiles(of: "alice")
            #expect(files.count == 4 && files.allSatisfy { $0.hasSuffix(":2,S") }, "\(files)")
        }
    }

    /// RFC822, RFC822.HEADER and RFC822.TEXT: BODY[], BODY.PEEK[HEADER] and BODY[TEXT] under their
    /// RFC 822 names.
    @Test func rfc822Items() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: [Self.simple])
            let whole = Self.simple.replacingOccurrences(of: "\n", with: "\r\n")
            let header = "From: b@example.org\r\nTo: alice@example.org\r\nSubject: simple\r\n\r\n"
            let text = "line one\r\nline two\r\n"
            let reply = try await client.commandOK("FETCH 1 (RFC822.HEADER RFC822.TEXT RFC822)")
            let line = try #require(reply.untagged.first)
            #expect(line.literals == [Array(header.utf8), Array(text.utf8), Array(whole.utf8)])
            #expect(line.text == "* 1 FETCH (RFC822.HEADER {\(header.utf8.count)}\r\n\(header) RFC822.TEXT {\(text.utf8.count)}\r\n\(text)"
                + " RFC822 {\(whole.utf8.count)}\r\n\(whole) FLAGS (\\Seen \\Recent))", "\(line)")
            try await client.logout()
        }
    }

    /// RFC 3501 section 6.4.8: UID FETCH reports UID even when not asked for; UIDs that do not exist
    /// are no error and give no data; `n:*` with n above every UID still names the last message.
    @Test func uidFetch() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: [Self.simple, Self.simple, Self.simple])
            _ = try await client.commandOK("STORE 2 +FLAGS.SILENT (\\Deleted)")
            _ = try await client.commandOK("EXPUNGE")
            #expect(try await client.commandOK("UID FETCH 1:3 FLAGS").lines == [
                "* 1 FETCH (UID 1 FLAGS (\\Recent))", "* 2 FETCH (UID 3 FLAGS (\\Recent))",
            ])
            #expect(try await client.commandOK("UID FETCH 3 (FLAGS UID)").lines == ["* 2 FETCH (FLAGS (\\Recent) UID 3)"])
            let missing = try await client.commandOK("UID FETCH 2,100:200 FLAGS")
            #expect(missing.untagged.isEmpty, "\(missing)")
            #expect(try await client.commandOK("UID FETCH 100:* UID").lines == ["* 2 FETCH (UID 3)"])
            try await client.logout()
        }
    }

    /// A sequence number beyond EXISTS names no message the client can know: BAD (RFC 9051 section 6.4.5).
    /// A message file that cannot be read (here a symlink, which Roost never follows) ends the FETCH
    /// with a tagged NO after the messages that could be sent; the session goes on.
    @Test func anUnreadableMessageIsATaggedNo() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: ["Subject: one\n\n1\n", "Subject: two\n\n2\n"])
            let files = server.messageFiles(of: "alice")
            let second = server.maildir(of: "alice") + "/" + files[1]
            try FileManager.default.removeItem(atPath: second)
            try FileManager.default.createSymbolicLink(atPath: second, withDestinationPath: "/etc/passwd")
            let reply = try await client.command("FETCH 1:2 BODY.PEEK[]")
            #expect(reply.untagged.count == 1 && reply.lines.first?.hasPrefix("* 1 FETCH (BODY[] {") == true, "\(reply)")
            #expect(reply.completion.hasPrefix("NO [NOPERM]"), "\(reply)")
            #expect(try await client.command("NOOP").isOK)
            await client.close()
        }
    }

    @Test func sequenceNumbersBeyondExistsAreBad() async throws {
        try await TestServer.with { server in
            let client = try await selectedSession(server, messages: [Self.simple, Self.simple])
            for command in ["FETCH 3 FLAGS", "FETCH 1:3 FLAGS", "FETCH 2,5 UID", "FETCH 0 FLAGS"] {
                let reply = try await client.command(command)
                #expect(reply.status == "BAD", "\(command) → \(reply)")
                #expect(reply.untagged.isEmpty, "\(command) → \(reply)")
            }
            #expect(try await client.commandOK("FETCH 2:* UID").lines == ["* 2 FETCH (UID 2)"])
            try await client.logout()
        }
    }

    /// A 6 MB message (a base64 attachment delivered with LF line ends) is streamed in CRLF form,
    /// byte for byte, and RFC822.SIZE equals the literal's length.
    @Test func sixMegabyteMessageStreamsByteExact() async throws {
        let header = "From: big@example.org\nTo: alice@example.org\nSubject: big\nMIME-Version: 1.0\n"
            + "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var lf = Array(header.utf8)
        var crlf = Array(header.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        lf.reserveCapacity(6_400_000)
        crlf.reserveCapacity(6_500_000)
        var line = 0
        while lf.count < 6 * 1024 * 1024 {
            let row = (0..<76).map { alphabet[($0 * 7 + line * 13) % 64] }
            lf += row + [10]
            crlf += row + [13, 10]
            line += 1
        }
        try await TestServer.with { server in
            try server.deliver(to: "alice", bytes: lf)
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            let clock = ContinuousClock()
            let start = clock.now
            try await client.send("big UID FETCH 1 (RFC822.SIZE BODY.PEEK[])")
            let head = String(decoding: try await client.client.readRaw(through: Array("}\r\n".utf8)), as: UTF8.self)
            #expect(head == "* 1 FETCH (UID 1 RFC822.SIZE \(crlf.count) BODY[] {\(crlf.count)}\r\n")
            // The body has no ")", so the first ")\r\nbig OK" ends the literal.
            let terminator = Array(")\r\nbig OK".utf8)
            let rest = try await client.client.readRaw(through: terminator)
            let elapsed = clock.now - start
            let body = Array(rest.dropLast(terminator.count))
            #expect(body.count == crlf.count)
            #expect(body == crlf)
            #expect(try await client.client.readLine() == " FETCH completed")
            print("6 MB FETCH over TLS: \(crlf.count) octets in \(elapsed)")
            try await client.logout()
        }
    }

    /// The header fetch Thunderbird-like clients run on a first sync, over 200 messages: each answer
    /// has UID, RFC822.SIZE, FLAGS and exactly the listed header fields (folded lines included),
    /// in the message's order.
    @Test func firstSyncHeaderFetchOverTwoHundredMessages() async throws {
        let fields = "From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To"
        let wanted = Set(fields.lowercased().split(separator: " ").map(String.init))
        var messages: [[(name: String, lines: [String])]] = []
        for number in 1...200 {
            var header: [(name: String, lines: [String])] = [
                ("Received", ["Received: from mx.example.org by roost.test;", "\tFri, 13 Mar 2026 09:15:00 +0000"]),
                ("From", ["From: Sender \(number) <sender\(number)@example.org>"]),
                ("To", ["To: alice@example.org"]),
            ]
            if number % 3 == 0 { header.append(("Cc", ["Cc: team\(number % 5)@example.org"])) }
            header.append(("Subject", number % 7 == 0
                ? ["Subject: Message number \(number) with a subject long enough", " to be folded onto a second line"]
                : ["Subject: Message number \(number)"]))
            header.append(("Date", ["Date: Fri, 13 Mar 2026 09:\(String(format: "%02d", number % 60)):00 +0000"]))
            header.append(("Message-ID", ["Message-ID: <msg\(number)@example.org>"]))
            if number % 2 == 0 {
                header.append(("In-Reply-To", ["In-Reply-To: <msg\(number - 1)@example.org>"]))
                header.append(("References", ["References: <msg1@example.org>", " <msg\(number - 1)@example.org>"]))
            }
            if number % 4 == 0 { header.append(("X-Priority", ["X-Priority: 1 (Highest)"])) }
            header.append(("X-Mailer", ["X-Mailer: Roost test"]))
            header.append(("Content-Type", ["Content-Type: text/plain; charset=utf-8"]))
            header.append(("DKIM-Signature", ["DKIM-Signature: v=1; a=rsa-sha256; d=example.org;", "\tb=c2lnbmF0dXJl"]))
            messages.append(header)
        }
        try await TestServer.with { server in
            for (number, header) in messages.enumerated() {
                let text = header.flatMap(\.lines).joined(separator: "\n") + "\n\nBody of message \(number + 1)\n"
                try server.deliver(to: "alice", text)
            }
            let client = try await IMAPTestClient.login(server, tls: true)
            _ = try await client.commandOK("SELECT INBOX")
            let clock = ContinuousClock()
            let start = clock.now
            let reply = try await client.commandOK("UID FETCH 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (\(fields))])")
            print("first-sync header FETCH of 200 messages: \(clock.now - start)")
            #expect(reply.untagged.count == 200)
            // UIDs follow the order the server found the files in; the From line names the message.
            var seen: Set<Int> = []
            for (index, line) in reply.untagged.enumerated() {
                let sequenceNumber = index + 1
                let from = line.text.split(separator: "\r\n").first { $0.hasPrefix("From: Sender ") }
                let number = try #require(from.flatMap { Int($0.dropFirst("From: Sender ".count).prefix { $0 != " " }) })
                seen.insert(number)
                let header = messages[number - 1]
                let size = (header.flatMap(\.lines).map { $0 + "\r\n" }.joined() + "\r\nBody of message \(number)\r\n").utf8.count
                let subset = header.filter { wanted.contains($0.name.lowercased()) }.flatMap(\.lines).map { $0 + "\r\n" }.joined() + "\r\n"
                let prefix = "* \(sequenceNumber) FETCH (UID \(sequenceNumber) RFC822.SIZE \(size) FLAGS (\\Recent) "
                    + "BODY[HEADER.FIELDS (\(fields))] {\(subset.utf8.count)}\r\n"
                #expect(line.text == prefix + subset + ")", "message \(number): \(line)")
                #expect(line.literals == [Array(subset.utf8)], "message \(number)")
            }
            #expect(seen == Set(1...200))
            try await client.logout()
        }
    }
}
