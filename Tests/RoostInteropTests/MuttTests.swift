import Foundation
import RoostTesting
import Testing

/// mutt against the real server, driven non-interactively: a `push` in the muttrc queues the keys,
/// and `script` (util-linux) gives mutt the terminal it needs, with a timeout so that an unexpected
/// prompt fails the test instead of hanging it.
///
/// mutt trusts the server's self-signed certificate because `certificate_file` already holds it
/// (otherwise it asks); `ssl_verify_host = no` since it connects to 127.0.0.1 and the certificate
/// names localhost. Every question mutt could ask (create, append, purge) is answered in the muttrc.
/// `-d 2` logs the IMAP commands to `~/.muttdebug0`, which the assertions read.
@Suite struct MuttTests {
    enum Security: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case imaps
        case starttls

        var testDescription: String { rawValue }
    }

    /// Tags every message of INBOX and copies them to a local Maildir: mutt fetches each with
    /// `BODY.PEEK[]`, so the server's messages stay unread and where they were.
    @Test(arguments: Security.allCases)
    func copyInboxToLocalMaildir(security: Security) async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            try await withClientDirectory { directory in
                let result = try await mutt(
                    server: server, directory: directory, security: security,
                    keys: "<tag-pattern>~A<enter><tag-prefix><copy-message>\(directory)/out<enter><quit>"
                )
                #expect(result.succeeded, "\(result)")
                let commands = try imapCommands(in: directory)
                #expect(commands.contains("STARTTLS") == (security == .starttls), "\(commands)")
                #expect(commands.filter { $0.hasPrefix("UID FETCH") && $0.hasSuffix("BODY.PEEK[]") }.count == 3, "\(commands)")
                #expect(!commands.contains { $0.contains("STORE") || $0.contains("EXPUNGE") }, "\(commands)")

                // mutt writes LF line ends and adds Content-Length and Lines at the end of the
                // header, counted from the body it received: both must match the original body.
                let copied = try maildirMessages(in: directory + "/out")
                #expect(copied.map(\.contents).sorted() == InteropMail.allLF.map(withLengthHeaders).sorted(), "\(result)")
                #expect(copied.allSatisfy { $0.flags.isEmpty }, "\(copied)")

                #expect(try server.messageContentsCRLF() == InteropMail.allCRLF.sorted())
                #expect(try maildirMessages(in: server.maildir(of: "alice")).allSatisfy { $0.flags.isEmpty }, "the messages were marked read")
            }
        }
    }

    /// Saves one message to another folder of the server and syncs: `UID COPY` to Archive (a
    /// special folder made at the first login), then `UID STORE +FLAGS.SILENT (\Deleted)` and
    /// `EXPUNGE` in INBOX.
    @Test func saveToServerFolder() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            try await withClientDirectory { directory in
                let result = try await mutt(
                    server: server, directory: directory, security: .imaps,
                    keys: "<tag-pattern>~s short<enter><tag-prefix><save-message>=Archive<enter><sync-mailbox><quit>"
                )
                #expect(result.succeeded, "\(result)")
                let commands = try imapCommands(in: directory)
                #expect(commands.contains { $0.hasPrefix("UID COPY ") && $0.hasSuffix(#" "Archive""#) }, "\(commands)")
                #expect(commands.contains { $0.hasPrefix("UID STORE ") && $0.contains(#"\Deleted"#) }, "\(commands)")
                #expect(commands.contains("EXPUNGE"), "\(commands)")

                let archive = try maildirMessages(in: server.maildir(of: "alice") + "/.Archive")
                #expect(archive.map(\.contents) == [InteropMail.short], "\(result)")
                let inbox = try maildirMessages(in: server.maildir(of: "alice"))
                #expect(inbox.map(\.contents.crlf).sorted() == [InteropMail.dotted, InteropMail.bareLF].map(\.crlf).sorted(), "\(result)")
            }
        }
    }

    /// Copies the messages of a local Maildir to a server folder: one `APPEND` each with a
    /// synchronizing literal (mutt waits for "+"), the Maildir flags as IMAP flags and the Date
    /// header as the internal date, which mutt writes in its local zone (TZ Asia/Shanghai: +0800).
    @Test func appendLocalMessagesToServer() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try await withClientDirectory { directory in
                let local = directory + "/local"
                for sub in ["tmp", "new", "cur"] {
                    try FileManager.default.createDirectory(atPath: local + "/" + sub, withIntermediateDirectories: true)
                }
                try writeFile(local + "/cur/1577869200.note.laptop:2,FS", Self.flaggedNote.lf)
                try writeFile(local + "/new/1577955600.draft.laptop", Self.newNote.lf)

                let result = try await mutt(
                    server: server, directory: directory, security: .imaps, mailbox: local, timeZone: "Asia/Shanghai",
                    keys: "<tag-pattern>~A<enter><tag-prefix><copy-message>=Archive<enter><quit>"
                )
                #expect(result.succeeded, "\(result)")
                let appends = try imapCommands(in: directory).filter { $0.hasPrefix("APPEND ") }.sorted()
                #expect(appends.count == 2, "\(appends)")
                #expect(appends.first?.hasPrefix(#"APPEND "Archive" () "02-Jan-2020 17:00:00 +0800" {"#) == true, "\(appends)")
                #expect(appends.last?.hasPrefix(#"APPEND "Archive" (\Seen \Flagged) "01-Jan-2020 17:00:00 +0800" {"#) == true, "\(appends)")

                // mutt adds Status, X-Status and Content-Length to the header; the rest arrives as it was.
                let archive = server.maildir(of: "alice") + "/.Archive"
                let saved = try maildirMessages(in: archive)
                let flagged = try #require(saved.first { $0.header("Subject") == "flagged note" }, "\(saved)")
                let new = try #require(saved.first { $0.header("Subject") == "new note" }, "\(saved)")
                #expect(withoutMuttHeaders(flagged.contents) == Self.flaggedNote.crlf)
                #expect(withoutMuttHeaders(new.contents) == Self.newNote.crlf)
                #expect(flagged.flags == "FS")
                #expect(new.flags.isEmpty)
                // The internal date is the file's modification time, as Dovecot keeps it.
                for (message, date) in [(flagged, 1_577_869_200.0), (new, 1_577_955_600.0)] {
                    let attributes = try FileManager.default.attributesOfItem(atPath: archive + "/" + message.path)
                    #expect(attributes[.modificationDate] as? Date == Date(timeIntervalSince1970: date), "\(message.path)")
                }
            }
        }
    }

    static let flaggedNote = "Date: Wed, 01 Jan 2020 09:00:00 +0000\r\nFrom: alice@example.org\r\nSubject: flagged note\r\nMessage-ID: <note@roost.test>\r\n\r\n.a line with a dot\r\n"
    static let newNote = "Date: Thu, 02 Jan 2020 09:00:00 +0000\r\nFrom: alice@example.org\r\nSubject: new note\r\nMessage-ID: <new-note@roost.test>\r\n\r\nhello\r\n"

    // MARK: Helpers

    /// `message` (LF line ends) as mutt saves it: `Content-Length` (body octets) and `Lines` added
    /// at the end of the header.
    private func withLengthHeaders(_ message: String) -> String {
        guard let end = message.range(of: "\n\n") else { return message }
        let body = message[end.upperBound...]
        let lines = body.filter { $0 == "\n" }.count
        return String(message[..<end.lowerBound]) + "\nContent-Length: \(body.utf8.count)\nLines: \(lines)\n\n" + String(body)
    }

    /// `message` without the header fields mutt adds when it copies (Status, X-Status, Content-Length, Lines).
    private func withoutMuttHeaders(_ message: String) -> String {
        let added = ["Status: ", "X-Status: ", "Content-Length: ", "Lines: "]
        let text = message.lf
        guard let end = text.range(of: "\n\n") else { return message }
        let header = text[..<end.lowerBound].split(separator: "\n").filter { line in !added.contains { line.hasPrefix($0) } }
        return (header.joined(separator: "\n") + "\n\n" + text[end.upperBound...]).crlf
    }

    /// Writes the muttrc (with `keys` pushed at startup) and the trusted certificate, then runs mutt
    /// under `script` on `mailbox` (alice's INBOX unless a local path is given).
    private func mutt(
        server: TestServer, directory: String, security: Security, mailbox: String = "+INBOX", timeZone: String = "UTC", keys: String
    ) async throws -> ExternalToolResult {
        let mutt = try ExternalTool.require("mutt", debianPackage: "mutt")
        let script = try ExternalTool.require("script", debianPackage: "bsdutils")
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: server.directory + "/tls/cert.pem", toPath: directory + "/certificates")
        let folder = switch security {
        case .imaps: "imaps://alice@127.0.0.1:\(server.imapsPort)/"
        case .starttls: "imap://alice@127.0.0.1:\(server.imapPort)/"
        }
        try writeFile(directory + "/muttrc", """
            set imap_pass = "alice-secret"
            set folder = "\(folder)"
            set spoolfile = "\(mailbox)"
            set record = ""
            set certificate_file = "\(directory)/certificates"
            set ssl_verify_host = no
            set ssl_starttls = yes
            set ssl_force_tls = yes
            set mbox_type = Maildir
            set confirmcreate = no
            set confirmappend = no
            set delete = yes
            set quit = yes
            set move = no
            set mark_old = no
            push "\(keys)"

            """)
        return try await script.run(
            ["-q", "-e", "-c", "\(mutt.path) -n -d 2 -F \(directory)/muttrc", "/dev/null"],
            environment: ["HOME": directory + "/home", "TERM": "vt100", "LINES": "24", "COLUMNS": "80", "LC_ALL": "C.UTF-8", "TZ": timeZone],
            removingEnvironment: ExternalTool.proxyVariables,
            directory: directory,
            timeout: .seconds(60)
        )
    }

    /// The IMAP commands mutt logged (`4> a0007 UID COPY 2 "Archive"`), without their tags.
    private func imapCommands(in directory: String) throws -> [String] {
        let log = try String(contentsOfFile: directory + "/home/.muttdebug0", encoding: .utf8)
        return log.split(whereSeparator: \.isNewline).compactMap { line in
            // "[date time] " + connection number + "> " + tag + " " + command
            guard let start = line.range(of: "] ") else { return nil }
            let entry = line[start.upperBound...].drop { $0.isNumber }
            guard entry.hasPrefix("> a") else { return nil }
            return String(entry.dropFirst(2).drop { $0 != " " }.dropFirst())
        }
    }
}
