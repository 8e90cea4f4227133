import Foundation
import RoostStorage
import RoostTesting
import Testing

/// offlineimap (offlineimap3) against the real server, over IMAPS and STARTTLS, verifying the
/// server's certificate with `sslcacertfile` (so `remotehost` is `localhost`, the certificate's name):
/// a sync into a local Maildir, then a flag change, a deletion and new local messages (in the nested
/// `Work.Projects` and in `已发送`) pushed back, and a deletion on the server pulled.
///
/// The server's folders are made on disk, as a Maildir migrated from Dovecot has them
/// (`.Work.Projects`, `.&XfJT0ZAB-`). offlineimap's Maildir separator is "." like the server's, so
/// local folders keep the server's names; with `utf8foldernames` it decodes modified UTF-7, so the
/// local folder is `已发送` and its APPENDs go to `&XfJT0ZAB-`. It writes LF line ends locally,
/// uploads with CRLF, and renames an uploaded local file to carry the UID from APPENDUID (`,U=`).
/// Each run is one-shot (`-o`) with the quiet `basic` UI.
@Suite struct OfflineIMAPTests {
    enum Security: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case imaps
        case starttls

        var testDescription: String { rawValue }
    }

    @Test(arguments: Security.allCases)
    func syncAndPushChanges(security: Security) async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            let store = server.store(of: "alice")
            let projects = try MailboxName("Work/Projects"), sent = try MailboxName(components: ["已发送"])
            try store.create(projects)
            try store.create(sent)
            try store.folder(projects).save(Array(Self.project.utf8), flags: [.seen])
            try store.folder(sent).save(Array(Self.sent.utf8), flags: [.seen])
            let serverRoot = server.maildir(of: "alice")

            try await withClientDirectory { directory in
                let offlineimap = try OfflineIMAP(server: server, directory: directory, security: security)

                // 1. Every folder and message reaches the local Maildir.
                let first = try await offlineimap.run()
                #expect(first.succeeded && !first.reportsError, "\(first)")
                // The Maildir had folders before the first login, so the server provisioned no special ones.
                #expect(try localFolders(under: offlineimap.mail) == ["INBOX", "Work", "Work.Projects", "已发送"], "\(first)")
                let inbox = try maildirMessages(in: offlineimap.mail + "/INBOX")
                #expect(inbox.map(\.contents).sorted() == InteropMail.allLF.sorted(), "\(first)")
                #expect(inbox.allSatisfy { $0.uidInName != nil }, "\(inbox)")
                let localProjects = try maildirMessages(in: offlineimap.mail + "/Work.Projects")
                #expect(localProjects.map(\.contents) == [Self.project.lf])
                #expect(localProjects.map(\.flags) == ["S"])
                #expect(try maildirMessages(in: offlineimap.mail + "/已发送").map(\.contents) == [Self.sent.lf])
                let logins = server.log.lines(containing: "imap login: user=<alice>")
                #expect(!logins.isEmpty && logins.allSatisfy { $0.contains("tls=yes") }, "\(logins)")

                // 2. Locally a flag is set, a message deleted and two written; on the server another
                // program deletes a message file. offlineimap pushes the local changes (UID STORE,
                // STORE \Deleted with EXPUNGE, APPEND) and removes the local copy of the other.
                let dotted = try #require(inbox.first { $0.header("Subject") == "dotted lines" })
                let flagged = "cur/" + dotted.base + ":2,FS"
                try FileManager.default.moveItem(atPath: offlineimap.mail + "/INBOX/" + dotted.path, toPath: offlineimap.mail + "/INBOX/" + flagged)
                let short = try #require(inbox.first { $0.header("Subject") == "short" })
                try FileManager.default.removeItem(atPath: offlineimap.mail + "/INBOX/" + short.path)
                let bareLF = try #require(try maildirMessages(in: serverRoot).first { $0.header("Subject") == "bare LF" })
                try FileManager.default.removeItem(atPath: serverRoot + "/" + bareLF.path)
                try writeFile(offlineimap.mail + "/Work.Projects/cur/1700000000.offline.laptop:2,S", Self.offline.lf)
                try writeFile(offlineimap.mail + "/已发送/cur/1700000001.reply.laptop:2,S", Self.reply.lf)
                let second = try await offlineimap.run()
                #expect(second.succeeded && !second.reportsError, "\(second)")

                let serverInbox = try maildirMessages(in: serverRoot)
                #expect(serverInbox.map { $0.header("Subject") } == ["dotted lines"], "\(second)")
                #expect(serverInbox.map(\.flags) == ["FS"], "\(second)")
                #expect(try maildirMessages(in: offlineimap.mail + "/INBOX").map(\.path) == [flagged], "\(second)")
                try expectUploaded(Self.offline, subject: "written offline", folder: serverRoot + "/.Work.Projects", local: offlineimap.mail + "/Work.Projects")
                try expectUploaded(Self.reply, subject: "reply", folder: serverRoot + "/.&XfJT0ZAB-", local: offlineimap.mail + "/已发送")

                // 3. Nothing changed since: the third run moves no file on either side.
                let localBefore = try messageFilePaths(under: offlineimap.mail)
                let serverBefore = try messageFilePaths(under: serverRoot)
                let third = try await offlineimap.run()
                #expect(third.succeeded && !third.reportsError, "\(third)")
                #expect(try messageFilePaths(under: offlineimap.mail) == localBefore, "\(third)")
                #expect(try messageFilePaths(under: serverRoot) == serverBefore, "\(third)")
                // The server writes a logout line when the connection has closed, which may be just
                // after offlineimap exits.
                _ = await eventually { server.log.lines(containing: "imap logout: user=<alice>").count >= 3 }
                let logouts = server.log.lines(containing: "imap logout: user=<alice>")
                #expect(logouts.count == 3 && logouts.allSatisfy { $0.contains("reason=LOGOUT") }, "\(logouts)")
            }
        }
    }

    // MARK: Messages

    static let project = "From: Dana <dana@example.org>\r\nTo: alice@example.org\r\nSubject: project plan\r\nMessage-ID: <project@roost.test>\r\n\r\nmilestones\r\n"
    static let sent = "From: alice@example.org\r\nTo: dana@example.org\r\nSubject: sent copy\r\nMessage-ID: <sent@roost.test>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n已发送的邮件\r\n"
    static let offline = "From: alice@example.org\r\nTo: erin@example.org\r\nSubject: written offline\r\nMessage-ID: <offline@roost.test>\r\n\r\ndraft from the train\r\n"
    static let reply = "From: alice@example.org\r\nTo: dana@example.org\r\nSubject: reply\r\nMessage-ID: <reply@roost.test>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n收到，谢谢\r\n"

    // MARK: Helpers

    /// `message` (with this `subject`) is in the server `folder` once, byte for byte with CRLF line
    /// ends and with `\Seen`, and its local copy in `local` carries the UID the server gave it.
    private func expectUploaded(_ message: String, subject: String, folder: String, local: String) throws {
        let onServer = try maildirMessages(in: folder).filter { $0.header("Subject") == subject }
        #expect(onServer.map(\.contents) == [message.crlf], "\(folder)")
        #expect(onServer.map(\.flags) == ["S"])
        let uploaded = try #require(onServer.first)
        let serverUID = try #require(try dovecotUIDs(in: folder)[uploaded.base], "\(uploaded.base) has no UID")
        let localCopies = try maildirMessages(in: local).filter { $0.header("Subject") == subject }
        #expect(localCopies.map(\.uidInName) == [serverUID], "\(localCopies)")
        #expect(localCopies.map(\.contents) == [message.lf])
    }
}

/// One offlineimap setup: its configuration, metadata, HOME and local Maildir in the client directory.
private struct OfflineIMAP {
    let tool: ExternalTool
    let directory: String
    /// `localfolders`: one directory per folder, named as on the server (`Work.Projects`).
    var mail: String { directory + "/Mail" }

    init(server: TestServer, directory: String, security: OfflineIMAPTests.Security) throws {
        tool = try ExternalTool.require("offlineimap", debianPackage: "offlineimap3")
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        let connection = switch security {
        case .imaps: "remoteport = \(server.imapsPort)\nssl = yes\nstarttls = no"
        case .starttls: "remoteport = \(server.imapPort)\nssl = no\nstarttls = yes"
        }
        try writeFile(directory + "/offlineimaprc", """
            [general]
            accounts = roost
            metadata = \(directory)/metadata

            [Account roost]
            localrepository = roost-local
            remoterepository = roost-remote
            utf8foldernames = yes

            [Repository roost-local]
            type = Maildir
            localfolders = \(directory)/Mail

            [Repository roost-remote]
            type = IMAP
            remotehost = localhost
            \(connection)
            sslcacertfile = \(server.directory)/tls/cert.pem
            remoteuser = alice
            remotepass = alice-secret

            """)
    }

    func run() async throws -> ExternalToolResult {
        try await tool.run(
            ["-c", directory + "/offlineimaprc", "-o", "-u", "basic"],
            environment: ["HOME": directory + "/home", "LC_ALL": "C.UTF-8"],
            removingEnvironment: ExternalTool.proxyVariables,
            directory: directory,
            timeout: .seconds(90)
        )
    }
}

extension ExternalToolResult {
    /// offlineimap reports a failed folder as "ERROR: ..." and may still exit with status 0.
    fileprivate var reportsError: Bool { (output + errorOutput).contains("ERROR") }
}
