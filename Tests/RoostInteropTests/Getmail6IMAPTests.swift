import Foundation
import RoostTesting
import Testing

/// getmail6 over IMAP against the real server: SimpleIMAPRetriever (the plain port; getmail6 has
/// no STARTTLS) and SimpleIMAPSSLRetriever (IMAPS), keeping or deleting, `mailboxes = ALL` with a
/// Chinese folder name (getmail decodes modified UTF-7), `move_on_delete`, and `read_all = false`,
/// which relies on UIDVALIDITY and UIDs staying the same from one session to the next.
///
/// getmail6 reads with `BODY.PEEK[]` (no \Seen), deletes with `STORE (\Deleted \Seen)` and
/// EXPUNGE, writes LF line ends, and puts Return-Path, Delivered-To and Received on top (and
/// X-getmail-retrieved-from-mailbox at the end of the header with `record_mailbox`).
/// Runs as in Getmail6Tests: under its own interpreter with `Getmail6Tests.childWaitFix`, delivering
/// as `nobody` when the tests run as root.
@Suite struct Getmail6IMAPTests {
    @Test(arguments: [false, true], [false, true])
    func retrieve(ssl: Bool, delete: Bool) async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            try await withClientDirectory { directory in
                let destination = try Getmail6Tests.makeDestination(in: directory)
                let result = try await getmail(server: server, directory: directory, ssl: ssl, options: ["delete": "\(delete)", "read_all": "true"])
                #expect(result.succeeded, "\(result)")
                // getmail counts RFC822.SIZE: the CRLF sizes, as POP3 would.
                #expect(result.output.contains("Retrieved 3 messages (\(InteropMail.totalSize) bytes)"), "\(result)")

                let delivered = try fileContents(in: destination + "/new")
                #expect(delivered.count == 3, "\(result)")
                #expect(matchDeliveredFiles(delivered, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 1, 2], "\(delivered)")
                #expect(delivered.allSatisfy { $0.hasPrefix("Return-Path: ") && $0.contains(" with IMAP4") && $0.contains(" with IMAP4-SSL") == ssl }, "\(delivered)")

                if delete {
                    #expect(server.messageFiles(of: "alice") == [], "\(result)")
                } else {
                    // BODY.PEEK[]: nothing was marked \Seen.
                    #expect(try server.storedMessages() == InteropMail.all.map { StoredMessage(content: $0, flags: "") }.sorted(), "\(result)")
                }
            }
        }
    }

    /// `mailboxes = ALL`: getmail LISTs the folders, decodes 日本語 from `&ZeVnLIqe-`, SELECTs it
    /// by its modified UTF-7 name and records it (RFC 2047-encoded) in its header.
    @Test func allMailboxesWithChineseName() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliver(to: "alice", InteropMail.dotted)
            // A folder made on disk as Dovecot would name it, with one message in new/.
            let folder = server.maildir(of: "alice") + "/.&ZeVnLIqe-"
            for sub in ["tmp", "new", "cur"] {
                try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
            }
            try writeFile(folder + "/new/1700000000.M1P1.roost-test", ImaplibTests.chineseMessage)
            try await withClientDirectory { directory in
                let destination = try Getmail6Tests.makeDestination(in: directory)
                let result = try await getmail(
                    server: server, directory: directory, ssl: true,
                    options: ["delete": "false", "read_all": "true"], retriever: ["mailboxes": "ALL", "record_mailbox": "true"]
                )
                #expect(result.succeeded, "\(result)")
                #expect(result.output.contains("Retrieved 2 messages (\(InteropMail.dotted.utf8.count + ImaplibTests.chineseMessage.utf8.count) bytes)"), "\(result)")

                let delivered = try fileContents(in: destination + "/new")
                let mailboxes = delivered.compactMap { $0.firstMatch(of: /\nX-getmail-retrieved-from-mailbox: ([^\n]*)\n/).map { String($0.1) } }
                // 日本語 as an RFC 2047 encoded word.
                #expect(mailboxes.sorted() == ["=?utf-8?b?5pel5pys6Kqe?=", "INBOX"], "\(delivered)")
                let withoutRecord = delivered.map { $0.replacing(/X-getmail-retrieved-from-mailbox: [^\n]*\n/, with: "") }
                #expect(matchDeliveredFiles(withoutRecord, to: [InteropMail.dotted.lf, ImaplibTests.chineseMessage.lf]).compactMap { $0 }.sorted() == [0, 1], "\(delivered)")
                // One oldmail file per folder, named after the decoded name.
                let oldmail = try FileManager.default.contentsOfDirectory(atPath: directory + "/getmail").filter { $0.hasPrefix("oldmail-") }
                #expect(oldmail.contains { $0.hasSuffix("-alice-日本語") } && oldmail.contains { $0.hasSuffix("-alice-INBOX") }, "\(oldmail)")
            }
        }
    }

    /// `delete` with `move_on_delete = Archive`: each message is copied to Archive, then deleted.
    @Test func moveOnDelete() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            try await withClientDirectory { directory in
                let destination = try Getmail6Tests.makeDestination(in: directory)
                let result = try await getmail(
                    server: server, directory: directory, ssl: true,
                    options: ["delete": "true", "read_all": "true"], retriever: ["move_on_delete": "Archive"]
                )
                #expect(result.succeeded, "\(result)")
                #expect(try fileContents(in: destination + "/new").count == 3, "\(result)")
                #expect(server.messageFiles(of: "alice") == [], "\(result)")
                let archived = try server.storedMessages(folder: "Archive")
                #expect(archived.map(\.content).sorted() == InteropMail.all.sorted(), "\(archived)")
            }
        }
    }

    /// `read_all = false`: getmail remembers UIDVALIDITY/UID pairs; a second session retrieves only
    /// the message that arrived in between, a third nothing.
    @Test func readOnlyNewMessagesByUID() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliver(to: "alice", InteropMail.dotted)
            try server.deliver(to: "alice", InteropMail.bareLF)
            try await withClientDirectory { directory in
                let destination = try Getmail6Tests.makeDestination(in: directory)
                let options = ["delete": "false", "read_all": "false"]
                let first = try await getmail(server: server, directory: directory, ssl: false, options: options)
                #expect(first.succeeded, "\(first)")
                #expect(try fileContents(in: destination + "/new").count == 2, "\(first)")

                try server.deliver(to: "alice", InteropMail.short)
                let second = try await getmail(server: server, directory: directory, ssl: false, options: options)
                #expect(second.succeeded, "\(second)")
                #expect(second.output.contains("Retrieved 1 messages (\(InteropMail.short.utf8.count) bytes)"), "\(second)")
                let delivered = try fileContents(in: destination + "/new")
                #expect(matchDeliveredFiles(delivered, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 1, 2], "\(delivered)")

                let third = try await getmail(server: server, directory: directory, ssl: false, options: options)
                #expect(third.succeeded, "\(third)")
                #expect(try fileContents(in: destination + "/new").count == 3, "\(third)")
                #expect(server.messageFiles(of: "alice").count == 3)
            }
        }
    }

    // MARK: Helpers


    /// Writes the getmailrc (`retriever` and `options` add to or replace the defaults there) and
    /// runs getmail once.
    private func getmail(
        server: TestServer, directory: String, ssl: Bool, options: [String: String], retriever: [String: String] = [:]
    ) async throws -> ExternalToolResult {
        let tool = try ExternalTool.require("getmail", debianPackage: "getmail6")
        let getmailDirectory = directory + "/getmail"
        try FileManager.default.createDirectory(atPath: getmailDirectory, withIntermediateDirectories: true)
        let retrieverSettings = [
            "type": ssl ? "SimpleIMAPSSLRetriever" : "SimpleIMAPRetriever",
            "server": ssl ? "localhost" : "127.0.0.1",
            "port": String(ssl ? server.imapsPort : server.imapPort),
            "username": "alice", "password": "alice-secret", "timeout": "20", "record_mailbox": "false",
        ].merging(retriever) { _, new in new }
        let optionSettings = ["verbose": "2", "message_log_syslog": "false"].merging(options) { _, new in new }
        var destination = ["type": "Maildir", "path": directory + "/Maildir/"]
        destination["user"] = Getmail6Tests.deliveryUser?.name
        func section(_ name: String, _ settings: [String: String]) -> String {
            "[\(name)]\n" + settings.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined()
        }
        try writeFile(getmailDirectory + "/getmailrc", [
            section("retriever", retrieverSettings), section("destination", destination), section("options", optionSettings),
        ].joined(separator: "\n"))

        return try await Getmail6Tests.runGetmail(tool, directory: directory, getmailDirectory: getmailDirectory)
    }
}
