import Foundation
import RoostStorage
import Testing
@testable import RoostAdmin

@Suite("mailboxctl mailbox")
struct MailboxCommandTests {
    @Test func createListAndDelete() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        let created = await environment.run("mailbox", "create", "bob", "Work/Projects", "--subscribe")
        #expect(created.code == 0, "\(created)")
        #expect(created.output == "created mailbox Work/Projects for bob (subscribed)\n")
        #expect(FileManager.default.fileExists(atPath: environment.maildir("bob") + "/.Work.Projects/cur"))
        #expect(try environment.store("bob").subscriptions() == [try MailboxName("Work/Projects")])

        let listed = await environment.run("mailbox", "list", "bob")
        #expect(listed.lines == ["INBOX", "Work", "Work/Projects"])

        let deleted = await environment.run("mailbox", "delete", "bob", "Work")
        #expect(deleted.code == 0, "\(deleted)")
        #expect(deleted.output == "deleted mailbox Work of bob with 0 messages\n")
        let after = await environment.run("mailbox", "list", "bob")
        #expect(after.lines == ["INBOX", "Work  (no folder)", "Work/Projects"])
    }

    @Test func nonASCIINamesUseModifiedUTF7OnDisk() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        let created = await environment.run("mailbox", "create", "bob", "Entwürfe")
        #expect(created.code == 0, "\(created)")
        #expect(FileManager.default.fileExists(atPath: environment.maildir("bob") + "/.Entw&APw-rfe"))
        #expect(await environment.run("mailbox", "list", "bob").lines == ["INBOX", "Entwürfe"])
    }

    @Test func deletingINBOXIsRefused() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        for spelling in ["INBOX", "inbox", "Inbox"] {
            let result = await environment.run("mailbox", "delete", "bob", spelling)
            #expect(result.code == AdminExitCode.dataError.rawValue)
            #expect(result.errors == "mailboxctl: error: INBOX cannot be deleted\n")
        }
        #expect(FileManager.default.fileExists(atPath: environment.maildir("bob") + "/cur"))
    }

    @Test func creatingExistingMailboxesFails() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        let inbox = await environment.run("mailbox", "create", "bob", "INBOX")
        #expect(inbox.code == AdminExitCode.cannotCreate.rawValue)
        #expect(await environment.run("mailbox", "create", "bob", "Work").code == 0)
        let again = await environment.run("mailbox", "create", "bob", "Work")
        #expect(again.code == AdminExitCode.cannotCreate.rawValue)
        #expect(again.errors == "mailboxctl: error: mailbox Work already exists\n")
    }

    @Test(arguments: [
        ("Work.Old", "may not contain '.'; levels are separated by /, not ."),
        ("Work//Old", "empty level"),
        ("a*", "may not contain '*'"),
        ("50%", "may not contain '%'"),
        ("bad\u{1}name", "control character"),
        ("", "empty level"),
    ])
    func badMailboxNames(name: String, reason: String) async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        for command in ["create", "delete", "status"] {
            let result = await environment.run("mailbox", command, "bob", name)
            #expect(result.code == AdminExitCode.dataError.rawValue, "\(command): \(result)")
            #expect(result.errors.hasPrefix("mailboxctl: error: invalid mailbox name"), "\(result)")
            #expect(result.errors.contains(reason), "\(result)")
        }
    }

    @Test func missingMailboxIsEXNOINPUT() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        for command in ["delete", "status"] {
            let result = await environment.run("mailbox", command, "bob", "Nope")
            #expect(result.code == AdminExitCode.noInput.rawValue, "\(result)")
            #expect(result.errors == "mailboxctl: error: mailbox Nope of bob does not exist\n")
        }
    }

    @Test func readingCommandsDoNotCreateAMaildir() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob", "--no-create-maildir")
        for command in [["mailbox", "list"], ["mailbox", "status"], ["quota", "show"], ["index", "rebuild"]] {
            let result = await runMailboxctl(["--config", environment.configurationPath] + command + ["bob"])
            #expect(result.code == AdminExitCode.noInput.rawValue, "\(result)")
            #expect(result.errors.contains("bob has no Maildir yet"))
        }
        #expect(!FileManager.default.fileExists(atPath: environment.maildir("bob")))
    }

    @Test func statusCountsWithoutTakingRecentAway() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        try environment.deliver(sampleMessage("one"), to: "bob")
        try environment.deliver(sampleMessage("two"), to: "bob")
        try environment.deliver(sampleMessage("three"), to: "bob", flags: "S")
        _ = await environment.run("mailbox", "create", "bob", "Archive")
        try environment.deliver(sampleMessage("old"), to: "bob", folder: ".Archive", flags: "RS")

        let result = await environment.run("mailbox", "status", "bob")
        #expect(result.code == 0, "\(result)")
        let inbox = try environment.store("bob").folder(.inbox)
        try inbox.sync(moveNewToCur: false)
        let snapshot = inbox.snapshot
        let bytes = snapshot.messages.reduce(Int64(0)) { $0 + $1.size }
        let rows = result.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["MAILBOX", "MESSAGES", "UNSEEN", "RECENT", "BYTES", "UIDVALIDITY", "UIDNEXT"])
        #expect(rows.dropFirst().first == ["INBOX", "3", "2", "2", "\(bytes)", "\(snapshot.uidValidity)", "4"])
        #expect(rows.dropFirst(2).first?.prefix(4) == ["Archive", "1", "0", "0"])
        #expect(rows.count == 3)

        // Still in new/: looking does not make the messages old.
        let newFiles = try FileManager.default.contentsOfDirectory(atPath: environment.maildir("bob") + "/new")
        #expect(newFiles.count == 2)

        let one = await environment.run("mailbox", "status", "bob", "Archive")
        #expect(one.lines.count == 2)
        #expect(one.lines[1].hasPrefix("Archive"))
    }
}
