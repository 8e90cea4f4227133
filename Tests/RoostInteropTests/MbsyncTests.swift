import Foundation
import RoostTesting
import Testing

/// mbsync (isync) against the real server: a two-way sync of every folder (INBOX, the special
/// folders, the nested `Work.Projects` and `已发送`) into a local Maildir, over IMAPS and STARTTLS,
/// with the configuration docs/clients-imap.md gives users (`Patterns *`, `SubFolders Verbatim`,
/// `Create Both`, `Expunge Both`, `SyncState *`).
///
/// isync 1.4 (Debian 12) has no `UTF8` option: it passes folder names through as the server spells
/// them, so `已发送` becomes the local directory `&XfJT0ZAB-`, its modified UTF-7 name. mbsync puts
/// an `X-TUID` header into every message it copies (to find it again if the server gave no UID) and
/// writes LF line ends locally. It runs with `-Dn`, which logs every IMAP command it sends as
/// `>>> tag command`: the assertions about what it did on the wire read that log.
@Suite struct MbsyncTests {
    enum Security: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case imaps
        case starttls

        var testDescription: String { rawValue }
    }

    @Test(arguments: Security.allCases)
    func twoWaySync(security: Security) async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            var admin = try await AdminSession.open(server)
            // CREATE makes the missing parent Work as well (RFC 3501 section 6.3.3).
            _ = try await admin.run("CREATE Work.Projects")
            _ = try await admin.run("CREATE &XfJT0ZAB-")
            _ = try await admin.run(#"APPEND Work.Projects (\Seen)"#, literal: Self.project)
            _ = try await admin.run(#"APPEND &XfJT0ZAB- (\Seen)"#, literal: Self.sent)

            try await withClientDirectory { directory in
                let mbsync = try Mbsync(server: server, directory: directory, security: security)

                // 1. The first run copies every folder and message to the near side.
                let first = try await mbsync.run()
                #expect(first.succeeded, "\(first)")
                let commands = Mbsync.commands(first)
                #expect(commands.contains("STARTTLS") == (security == .starttls), "\(commands)")
                let folders = try localFolders(under: mbsync.mail)
                for folder in ["INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash", "Work", "Work/Projects", "&XfJT0ZAB-"] {
                    #expect(folders.contains(folder), "no local folder \(folder) in \(folders)\n\(first)")
                }
                let inbox = try maildirMessages(in: mbsync.mail + "/INBOX")
                #expect(inbox.map(\.contents.withoutTUID).sorted() == InteropMail.allLF.sorted(), "\(first)")
                #expect(try maildirMessages(in: mbsync.mail + "/Work/Projects").map(\.contents.withoutTUID) == [Self.project.lf])
                let sent = try maildirMessages(in: mbsync.mail + "/&XfJT0ZAB-")
                #expect(sent.map(\.contents.withoutTUID) == [Self.sent.lf])
                #expect(sent.map(\.flags) == ["S"])

                // 2. Nothing changed: the second run sends no change and moves no file on either side.
                try await expectNoOp(mbsync, server: server)

                // 3. Changes on both sides: a flag change, a deletion, a new message and a new folder
                // locally, an expunge on the server.
                let dotted = try #require(inbox.first { $0.header("Subject") == "dotted lines" })
                let flagged = dotted.base + ":2,FS"
                try FileManager.default.moveItem(atPath: mbsync.mail + "/INBOX/" + dotted.path, toPath: mbsync.mail + "/INBOX/cur/" + flagged)
                let bareLF = try #require(inbox.first { $0.header("Subject") == "bare LF" })
                try FileManager.default.removeItem(atPath: mbsync.mail + "/INBOX/" + bareLF.path)
                try writeFile(mbsync.mail + "/Work/Projects/cur/1700000000.offline.laptop:2,S", Self.offline.lf)
                for sub in ["tmp", "new", "cur"] {
                    try FileManager.default.createDirectory(atPath: mbsync.mail + "/Receipts/" + sub, withIntermediateDirectories: true)
                }
                try writeFile(mbsync.mail + "/Receipts/new/1700000001.receipt.laptop", Self.receipt.lf)
                _ = try await admin.run("SELECT INBOX")
                let search = try await admin.run("UID SEARCH SUBJECT short")
                let shortUID = try #require(search.first?.split(separator: " ").last.flatMap { Int($0) }, "\(search)")
                _ = try await admin.run(#"UID STORE \#(shortUID) +FLAGS.SILENT (\Deleted)"#)
                _ = try await admin.run("EXPUNGE")
                _ = try await admin.run("CLOSE")

                let third = try await mbsync.run()
                #expect(third.succeeded, "\(third)")
                let changes = Mbsync.commands(third)
                #expect(changes.contains { $0.hasPrefix("UID STORE") && $0.contains(#"\Flagged \Seen"#) }, "\(changes)")
                #expect(changes.contains { $0.hasPrefix("APPEND \"Work.Projects\"") }, "\(changes)")
                #expect(changes.contains(#"CREATE "Receipts""#), "\(changes)")

                // The flag change and the local deletion reached the server; the expunge reached the near side.
                let serverInbox = try maildirMessages(in: server.maildir(of: "alice"))
                #expect(serverInbox.map { $0.header("Subject") } == ["dotted lines"], "\(third)")
                #expect(serverInbox.first?.flags == "FS")
                #expect(serverInbox.first?.contents.crlf == InteropMail.dotted.crlf)
                let localInbox = try maildirMessages(in: mbsync.mail + "/INBOX")
                #expect(localInbox.map(\.path) == ["cur/" + flagged], "\(third)")

                // The new message was uploaded and paired with the UID the server gave it (APPENDUID).
                let projects = server.maildir(of: "alice") + "/.Work.Projects"
                let uploaded = try #require(try maildirMessages(in: projects).first { $0.header("Subject") == "written offline" })
                #expect(uploaded.contents.withoutTUID == Self.offline.lf)
                #expect(uploaded.contents == uploaded.contents.crlf, "stored with CRLF line ends")
                #expect(uploaded.flags == "S")
                let serverUID = try #require(try dovecotUIDs(in: projects)[uploaded.base])
                let localCopy = try #require(try maildirMessages(in: mbsync.mail + "/Work/Projects").first { $0.header("Subject") == "written offline" })
                let localUID = try #require(localCopy.uidInName, "\(localCopy.path) has no U= after the upload")
                let pairs = try mbsyncPairs(in: mbsync.mail + "/Work/Projects")
                #expect(pairs.contains { $0.far == serverUID && $0.near == localUID }, "\(pairs), server UID \(serverUID), near UID \(localUID)")

                // The new folder was created on the server (Create Both) and got its message.
                let receipts = try maildirMessages(in: server.maildir(of: "alice") + "/.Receipts")
                #expect(receipts.map(\.contents.withoutTUID) == [Self.receipt.lf], "\(third)")
                #expect(receipts.map(\.flags) == [""])

                // 4. The uploaded messages are known on both sides: nothing is copied back.
                try await expectNoOp(mbsync, server: server)
                #expect(try maildirMessages(in: mbsync.mail + "/Work/Projects").count == 2)
                #expect(try maildirMessages(in: projects).count == 2)
            }
            await admin.close()
        }
    }

    // MARK: Messages

    static let project = "From: Dana <dana@example.org>\r\nTo: alice@example.org\r\nSubject: project plan\r\nMessage-ID: <project@roost.test>\r\n\r\nmilestones\r\n"
    /// 8-bit UTF-8 in the body, sent as an APPEND literal.
    static let sent = "From: alice@example.org\r\nTo: dana@example.org\r\nSubject: sent copy\r\nMessage-ID: <sent@roost.test>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n已发送的邮件\r\n"
    /// Written into a new local folder.
    static let receipt = "From: shop@example.com\r\nTo: alice@example.org\r\nSubject: your receipt\r\nMessage-ID: <receipt@roost.test>\r\n\r\ntotal: 12.50\r\n"
    /// Written into the local Maildir, as a mail reader working offline would.
    static let offline = "From: alice@example.org\r\nTo: erin@example.org\r\nSubject: written offline\r\nMessage-ID: <offline@roost.test>\r\n\r\ndraft from the train\r\n"

    // MARK: Helpers

    /// Runs mbsync again and expects it to change nothing: no command that changes the server, no
    /// message fetched, and the same message files (names carry the flags) on both sides.
    private func expectNoOp(_ mbsync: Mbsync, server: TestServer) async throws {
        let localBefore = try messageFilePaths(under: mbsync.mail)
        let serverBefore = try messageFilePaths(under: server.maildir(of: "alice"))
        let result = try await mbsync.run()
        #expect(result.succeeded, "\(result)")
        let changing = Mbsync.commands(result).filter { command in
            ["APPEND", "UID STORE", "STORE", "EXPUNGE", "UID EXPUNGE", "CREATE", "DELETE"].contains { command.hasPrefix($0 + " ") || command == $0 }
                || command.contains("BODY")
        }
        #expect(changing.isEmpty, "\(result)")
        #expect(try messageFilePaths(under: mbsync.mail) == localBefore, "\(result)")
        #expect(try messageFilePaths(under: server.maildir(of: "alice")) == serverBefore, "\(result)")
    }
}

/// One mbsync setup: its rc file, HOME and local Maildir in the client directory.
private struct Mbsync {
    let tool: ExternalTool
    let directory: String
    /// The near side's `Path`; INBOX is `mail/INBOX`.
    var mail: String { directory + "/Mail" }

    init(server: TestServer, directory: String, security: MbsyncTests.Security) throws {
        tool = try ExternalTool.require("mbsync", debianPackage: "isync")
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/Mail", withIntermediateDirectories: true)
        let (sslType, port) = switch security {
        case .imaps: ("IMAPS", server.imapsPort)
        case .starttls: ("STARTTLS", server.imapPort)
        }
        // CertificateFile holds the server's own (self-signed) certificate: mbsync trusts a
        // certificate listed there as it is, whatever its name, so 127.0.0.1 needs no host check.
        try writeFile(directory + "/mbsyncrc", """
            IMAPAccount roost
            Host 127.0.0.1
            Port \(port)
            User alice
            Pass alice-secret
            SSLType \(sslType)
            CertificateFile \(server.directory)/tls/cert.pem
            SystemCertificates no
            Timeout 20

            IMAPStore roost-remote
            Account roost

            MaildirStore roost-local
            Path \(directory)/Mail/
            Inbox \(directory)/Mail/INBOX
            SubFolders Verbatim

            Channel roost
            Far :roost-remote:
            Near :roost-local:
            Patterns *
            Create Both
            Expunge Both
            SyncState *

            """)
    }

    func run() async throws -> ExternalToolResult {
        try await tool.run(
            ["-c", directory + "/mbsyncrc", "-Dn", "roost"],
            environment: ["HOME": directory + "/home", "LC_ALL": "C"],
            removingEnvironment: ExternalTool.proxyVariables,
            directory: directory,
            timeout: .seconds(60)
        )
    }

    /// The IMAP commands of a `-Dn` run without their tags, e.g. `UID STORE 2 +FLAGS.SILENT (\Seen)`.
    /// mbsync pipelines, so a line may start with "(1 in progress) " before `>>>`.
    static func commands(_ result: ExternalToolResult) -> [String] {
        result.output.split(whereSeparator: \.isNewline).compactMap { line in
            guard let marker = line.range(of: ">>> ") else { return nil }
            let command = line[marker.upperBound...].drop { $0 != " " }.dropFirst()
            return String(command)
        }
    }
}

/// The test's own IMAPS session as alice, to change the server's side the way another client would.
private struct AdminSession {
    let client: ScriptedClient
    private var next = 1

    private init(client: ScriptedClient) { self.client = client }

    static func open(_ server: TestServer) async throws -> AdminSession {
        let client = try await ScriptedClient.connect(port: server.imapsPort, tls: true)
        let greeting = try await client.readLine()
        try #require(greeting.hasPrefix("* OK"), "\(greeting)")
        var session = AdminSession(client: client)
        _ = try await session.run("LOGIN alice alice-secret")
        return session
    }

    /// Sends `command` (followed by `literal` as a LITERAL+ literal, RFC 7888) and returns the
    /// untagged responses; anything but a tagged OK fails.
    mutating func run(_ command: String, literal: String? = nil) async throws -> [String] {
        let tag = "a\(next)"
        next += 1
        if let literal {
            try await client.sendRaw(Array("\(tag) \(command) {\(literal.utf8.count)+}\r\n\(literal)\r\n".utf8))
        } else {
            try await client.send("\(tag) \(command)")
        }
        var untagged: [String] = []
        while true {
            let line = try await client.readLine()
            if line.hasPrefix(tag + " ") {
                try #require(line.hasPrefix(tag + " OK"), "\(command): \(line)")
                return untagged
            }
            untagged.append(line)
        }
    }

    mutating func close() async {
        _ = try? await run("LOGOUT")
        await client.close()
    }
}

/// The UID pairs of mbsync's `.mbsyncstate` (`SyncState *`): header lines, an empty line, then
/// `<far uid> <near uid> <flags>` per message.
private func mbsyncPairs(in folder: String) throws -> [(far: Int, near: Int)] {
    let text = try String(contentsOfFile: folder + "/.mbsyncstate", encoding: .utf8)
    let records = text.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n")
    return records.split(separator: "\n").compactMap { line in
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let far = Int(fields[0]), let near = Int(fields[1]) else { return nil }
        return (far, near)
    }
}

extension String {
    /// The text with LF line ends and without mbsync's `X-TUID:` header line.
    fileprivate var withoutTUID: String {
        lf.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("X-TUID: ") }.joined(separator: "\n")
    }
}
