import Foundation
import RoostTesting
import Testing

/// curl's IMAP support (RFC 5092 URLs) against the real server: LIST (`imaps://host/`), a message
/// by UID (`/INBOX;UID=n`, which curl sends as `UID FETCH n BODY[]`), SECTION and PARTIAL,
/// SEARCH in the query and with `-X`, APPEND (`-T`), custom commands (`-X 'UID STORE ...'`,
/// EXPUNGE, CREATE, DELETE), STARTTLS with `--ssl-reqd`, and the SASL mechanism curl picks.
///
/// curl authenticates with SASL whenever CAPABILITY offers a mechanism it knows, CRAM-MD5 first,
/// else PLAIN, with an initial response (SASL-IR); `-q` keeps a ~/.curlrc out.
@Suite struct CurlIMAPTests {
    private static let alice = ["-u", "alice:alice-secret"]

    @Test(arguments: IMAPTransport.allCases)
    func listMailboxes(transport: IMAPTransport) async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let list = try await curl([transport.url(server), "-v"] + Self.alice)
            try #require(list.succeeded, "\(list)")
            #expect(list.output.split(separator: "\r\n") == [
                #"* LIST (\HasNoChildren) "." INBOX"#, #"* LIST (\HasNoChildren \Archive) "." Archive"#,
                #"* LIST (\HasNoChildren \Drafts) "." Drafts"#, #"* LIST (\HasNoChildren \Junk) "." Junk"#,
                #"* LIST (\HasNoChildren \Sent) "." Sent"#, #"* LIST (\HasNoChildren \Trash) "." Trash"#,
            ], "\(list.output.debugDescription)")
            #expect(list.errorOutput.contains("SSL connection using TLSv1."), "\(list)")
            #expect(list.errorOutput.contains(#"> A003 LIST "" *"#) || list.errorOutput.contains(#"> A005 LIST "" *"#), "\(list)")
        }
    }

    /// Every message byte for byte by UID (bare LF in the file comes out as CRLF); curl's
    /// `BODY[]` (not PEEK) sets \Seen, which lands in the Maildir file names.
    @Test func fetchMessagesByUID() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            let url = IMAPTransport.imaps.url(server) + "INBOX"
            let search = try await curl([url, "-X", "UID SEARCH ALL"] + Self.alice)
            try #require(search.succeeded, "\(search)")
            let uids = try uidsOfSearch(search.output)
            #expect(uids == [1, 2, 3], "\(search.output)")

            var retrieved: [String] = []
            for uid in uids {
                let message = try await curl([url + ";UID=\(uid)"] + Self.alice)
                try #require(message.succeeded, "\(message)")
                retrieved.append(message.output)
            }
            #expect(retrieved.sorted() == InteropMail.allCRLF.sorted())
            #expect(try server.storedMessages().map(\.flags) == ["S", "S", "S"])
        }
    }

    /// `;SECTION=` (a MIME part, HEADER.FIELDS) and `;PARTIAL=`: curl fetches `BODY[section]<partial>`.
    @Test func sectionsAndPartial() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliver(to: "alice", InteropMail.dotted)
            try server.deliver(to: "alice", ImaplibTests.chineseMessage)
            let url = IMAPTransport.imaps.url(server) + "INBOX"
            let chineseUID = try uidsOfSearch(try await curlOutput([url, "-X", "UID SEARCH HEADER Message-ID <chinese@roost.test>"]))
            let dottedUID = try uidsOfSearch(try await curlOutput([url, "-X", "UID SEARCH HEADER Message-ID <dotted@roost.test>"]))
            try #require(chineseUID.count == 1 && dottedUID.count == 1)

            let part = try await curlOutput([url + ";UID=\(chineseUID[0]);SECTION=1"])
            let body = try #require(ImaplibTests.chineseMessage.components(separatedBy: "\r\n\r\n").last)
            #expect(part == body)
            #expect(String(decoding: Data(base64Encoded: part.trimmingCharacters(in: .whitespacesAndNewlines)) ?? Data(), as: UTF8.self) == "附件是第三季度的销售报告。\r\n")
            let subject = try await curlOutput([url + ";UID=\(dottedUID[0]);SECTION=HEADER.FIELDS%20(SUBJECT%20MESSAGE-ID)"])
            #expect(subject == "Subject: dotted lines\r\nMessage-ID: <dotted@roost.test>\r\n\r\n")
            let partial = try await curlOutput([url + ";UID=\(dottedUID[0]);SECTION=TEXT;PARTIAL=12.24"])
            #expect(partial == ".leading dot\r\n..two dots")
        }
    }

    /// SEARCH in the URL query and as a custom command, ASCII and UTF-8 (curl sends the UTF-8
    /// bytes in a quoted string, which Roost accepts as Dovecot does).
    @Test func search() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            try server.deliver(to: "alice", ImaplibTests.chineseMessage)
            let url = IMAPTransport.imaps.url(server) + "INBOX"
            let all = try uidsOfSearch(try await curlOutput([url, "-X", "UID SEARCH ALL"]))
            #expect(all.count == 4)
            let shortUID = try uidsOfSearch(try await curlOutput([url + "?SUBJECT%20short"]))
            let dotted = try uidsOfSearch(try await curlOutput([url, "-X", "SEARCH SUBJECT dotted"]))
            let fromBob = try uidsOfSearch(try await curlOutput([url, "-X", "SEARCH FROM bob@example.org NOT SUBJECT dotted"]))
            let chinese = try uidsOfSearch(try await curlOutput([url, "-X", #"SEARCH CHARSET UTF-8 SUBJECT "季度报告""#]))
            let none = try uidsOfSearch(try await curlOutput([url, "-X", "SEARCH SUBJECT nothing-like-this"]))
            let counts: [Int] = [shortUID.count, dotted.count, fromBob.count, chinese.count, none.count]
            #expect(counts == [1, 1, 1, 1, 0])
            #expect(Set(shortUID + dotted + fromBob + chinese).count == 4)

            // Each answer is the right message: fetch the Message-ID of each hit by sequence number.
            for (numbers, messageID) in [(shortUID, "short"), (dotted, "dotted"), (fromBob, "bare-lf"), (chinese, "chinese")] {
                let header = try await curlOutput([url + ";MAILINDEX=\(numbers[0]);SECTION=HEADER.FIELDS%20(MESSAGE-ID)"])
                #expect(header == "Message-ID: <\(messageID)@roost.test>\r\n\r\n")
            }
        }
    }

    /// `-T file imaps://host/Sent` is APPEND with \Seen; the message is stored as uploaded and
    /// curl fetches it back by UID.
    @Test func appendUpload() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try await withClientDirectory { directory in
                let message = "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: uploaded by curl\r\n\r\n.a dotted line\r\nend\r\n"
                try writeFile(directory + "/message.eml", message)
                let url = IMAPTransport.imaps.url(server) + "Sent"
                let upload = try await curl(["-v", "-T", directory + "/message.eml", url] + Self.alice)
                try #require(upload.succeeded, "\(upload)")
                #expect(upload.errorOutput.contains(#"> A003 APPEND Sent (\Seen) {\#(message.utf8.count)}"#), "\(upload)")
                #expect(upload.errorOutput.contains("OK [APPENDUID "), "\(upload)")
                #expect(try server.storedMessages(folder: "Sent") == [StoredMessage(content: message, flags: "S")])
                #expect(try await curlOutput([url + ";UID=1"]) == message)
            }
        }
    }

    /// Deleting a message (`UID STORE +FLAGS \Deleted`, then EXPUNGE, each in its own session)
    /// and creating and deleting folders with custom commands.
    @Test func deleteMessageAndFolders() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            let root = IMAPTransport.imaps.url(server)
            let uids = try uidsOfSearch(try await curlOutput([root + "INBOX", "-X", "UID SEARCH HEADER Message-ID <short@roost.test>"]))
            let uid = try #require(uids.first)
            let store = try await curlOutput([root + "INBOX", "-X", #"UID STORE \#(uid) +FLAGS (\Deleted)"#])
            #expect(store.wholeMatch(of: try Regex(#"\* \d FETCH \(FLAGS \(\\Deleted\) UID \#(uid)\)\r\n"#)) != nil, "\(store.debugDescription)")
            let expunge = try await curlOutput([root + "INBOX", "-X", "EXPUNGE"])
            #expect(expunge.wholeMatch(of: /\* \d EXPUNGE\r\n/) != nil, "\(expunge.debugDescription)")
            #expect(try server.messageContentsCRLF() == [InteropMail.dotted, InteropMail.bareLF.crlf].sorted())

            // 日本語 in modified UTF-7 (RFC 3501 section 5.1.3), and a plain name.
            for name in ["Reports", "&ZeVnLIqe-"] {
                #expect(try await curlOutput([root, "-X", "CREATE \(name)"]) == "")
                #expect(FileManager.default.fileExists(atPath: server.maildir(of: "alice") + "/.\(name)/cur"), "\(name)")
            }
            let list = try await curlOutput([root])
            #expect(list.contains(#"* LIST (\HasNoChildren) "." Reports"#) && list.contains(#"* LIST (\HasNoChildren) "." &ZeVnLIqe-"#), "\(list)")
            for name in ["Reports", "&ZeVnLIqe-"] {
                #expect(try await curlOutput([root, "-X", "DELETE \(name)"]) == "")
                #expect(!FileManager.default.fileExists(atPath: server.maildir(of: "alice") + "/.\(name)"), "\(name)")
            }
            let missing = try await curl([root, "-X", "DELETE Reports"] + Self.alice)
            #expect(!missing.succeeded, "\(missing)")
        }
    }

    /// `--ssl-reqd` on the plain port: curl sends STARTTLS and no credentials before the handshake.
    @Test func startTLSRequired() async throws {
        try await TestServer.with(remoteClients: true) { (server: TestServer) async throws in
            try server.deliver(to: "alice", InteropMail.bareLF)
            let message = try await curl(["-v", IMAPTransport.starttls.url(server) + "INBOX;UID=1"] + Self.alice)
            try #require(message.succeeded, "\(message)")
            #expect(message.output == InteropMail.bareLF.crlf)
            let trace = message.errorOutput
            #expect(trace.contains("> A002 STARTTLS") && trace.contains("< A002 OK"), "\(message)")
            #expect(trace.contains("LOGINDISABLED"), "\(message)")
            let handshake = try #require(trace.range(of: "SSL connection using TLSv1."), "\(message)")
            let login = try #require(trace.range(of: "> A004 AUTHENTICATE PLAIN "), "\(message)")
            #expect(login.lowerBound > handshake.lowerBound)
            #expect(trace.contains("> A006 UID FETCH 1 BODY[]"), "\(message)")
        }
    }

    struct LoginCase: Sendable, CustomTestStringConvertible {
        var loginOptions: String?
        var user: TestUser
        /// The start of the line curl -v shows for the login command.
        var expectedCommand: String
        var testDescription: String { "\(loginOptions ?? "default") as \(user.name)" }
    }

    static let loginCases: [LoginCase] = [
        // bob's password is stored in plaintext: CRAM-MD5 is offered, and curl prefers it.
        LoginCase(loginOptions: nil, user: .bob, expectedCommand: "> A002 AUTHENTICATE CRAM-MD5"),
        // SASL-IR: PLAIN and LOGIN with an initial response on the AUTHENTICATE line (LOGIN's is the user name).
        LoginCase(loginOptions: "AUTH=PLAIN", user: .bob, expectedCommand: "> A002 AUTHENTICATE PLAIN AGJvYgBib2Igc2VjcmV0IHdpdGggc3BhY2Vz"),
        LoginCase(loginOptions: "AUTH=LOGIN", user: .bob, expectedCommand: "> A002 AUTHENTICATE LOGIN Ym9i"),
        // alice's is a hash: no CRAM-MD5 in CAPABILITY, so curl's default is PLAIN.
        LoginCase(loginOptions: nil, user: .alice, expectedCommand: "> A002 AUTHENTICATE PLAIN "),
        LoginCase(loginOptions: "AUTH=LOGIN", user: .alice, expectedCommand: "> A002 AUTHENTICATE LOGIN YWxpY2U="),
    ]

    @Test(arguments: loginCases)
    func loginMethods(_ login: LoginCase) async throws {
        try await TestServer.with(users: [login.user]) { (server: TestServer) async throws in
            try server.deliver(to: login.user.name, InteropMail.short)
            let options = login.loginOptions.map { ["--login-options", $0] } ?? []
            let result = try await curl(
                ["-v"] + options + [IMAPTransport.imaps.url(server) + "INBOX;UID=1", "-u", "\(login.user.name):\(login.user.password)"]
            )
            try #require(result.succeeded, "\(result)")
            #expect(result.output == InteropMail.short)
            #expect(result.errorOutput.contains(login.expectedCommand), "\(result)")
            #expect(result.errorOutput.contains("< A002 OK [CAPABILITY "), "\(result)")
        }
    }

    // MARK: Helpers

    private func curl(_ arguments: [String]) async throws -> ExternalToolResult {
        let tool = try ExternalTool.require("curl", debianPackage: "curl")
        return try await tool.run(
            ["-q", "--silent", "--show-error", "--noproxy", "*", "--max-time", "20", "--insecure", "--ssl-reqd"] + arguments,
            removingEnvironment: ExternalTool.proxyVariables,
            timeout: .seconds(30)
        )
    }

    /// What curl prints as alice, requiring success.
    private func curlOutput(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await curl(arguments + Self.alice)
        try #require(result.succeeded, "\(result)", sourceLocation: sourceLocation)
        return result.output
    }

    /// The numbers of curl's `* SEARCH ...` line.
    private func uidsOfSearch(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Int] {
        let line = try #require(output.split(separator: "\r\n").first { $0.hasPrefix("* SEARCH") }, "\(output.debugDescription)", sourceLocation: sourceLocation)
        return line.split(separator: " ").dropFirst(2).compactMap { Int($0) }
    }
}

/// How an IMAP client reaches the server in the interop tests.
enum IMAPTransport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The plain port, then STARTTLS.
    case starttls
    /// The implicit-TLS port.
    case imaps

    var testDescription: String { rawValue }

    func port(of server: TestServer) -> Int {
        self == .imaps ? server.imapsPort : server.imapPort
    }

    /// curl's URL of the server's root: `imaps://localhost:port/`, or `imap://127.0.0.1:port/`
    /// on which curl sends STARTTLS when given `--ssl-reqd` (the tests always pass it).
    func url(_ server: TestServer) -> String {
        self == .imaps ? "imaps://localhost:\(server.imapsPort)/" : "imap://127.0.0.1:\(server.imapPort)/"
    }
}
