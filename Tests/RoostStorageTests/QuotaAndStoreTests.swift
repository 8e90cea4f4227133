import Foundation
import Testing
@testable import RoostStorage

/// Maildir++ quota and the folder operations of `MailStore`.
@Suite struct QuotaAndStoreTests {
    let temp: TemporaryDirectory

    init() throws { temp = try TemporaryDirectory() }

    @Test func quotaIsTrackedIncrementallyAndEnforced() throws {
        let limits = QuotaLimits(storageBytes: 1000, messages: 3)
        let store = MailStore(root: temp.path + "/q", quotaLimits: limits, options: fastOptions())
        try store.createIfNeeded()
        let inbox = try store.folder(.inbox)
        let one = message("x", body: String(repeating: "a", count: 100))
        try inbox.save(one)
        try inbox.save(one)
        #expect(try store.quota.usage() == QuotaUsage(bytes: Int64(2 * one.count), messages: 2))
        try inbox.save(one)
        let full = #expect(throws: StorageError.self) { try inbox.save(one) }
        #expect(full?.kind == .overQuota)
        // Nothing of the refused message is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root + "/tmp").isEmpty)
        try inbox.expunge([UID(1)])
        #expect(try store.quota.usage().messages == 2)
        let big = #expect(throws: StorageError.self) {
            try inbox.save(message("big", body: String(repeating: "b", count: 900)))
        }
        #expect(big?.kind == .overQuota)
    }

    @Test func recalculationFixesADamagedQuotaFile() throws {
        let store = MailStore(root: temp.path + "/q", quotaLimits: QuotaLimits(storageBytes: 1 << 20, messages: 0), options: fastOptions())
        try store.createIfNeeded()
        try store.create(try MailboxName("Sent"))
        try store.folder(.inbox).save(message("a"))
        try store.folder(try MailboxName("Sent")).save(message("bb"))
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: store.root + "/maildirsize"))
        let usage = try store.quota.usage()
        #expect(usage == QuotaUsage(bytes: Int64(message("a").count + message("bb").count), messages: 2))
        #expect(try store.quota.recalculate() == usage)
    }

    @Test func createRenameDeleteAndSubscriptions() throws {
        let store = MailStore(root: temp.path + "/s", options: fastOptions())
        try store.createIfNeeded()
        let projects = try MailboxName("Work/Projects")
        try store.create(projects)
        #expect(try store.mailboxes().map(\.name.description) == ["INBOX", "Work", "Work/Projects"])
        #expect(FileManager.default.fileExists(atPath: store.root + "/.Work.Projects/maildirfolder"))
        let exists = #expect(throws: StorageError.self) { try store.create(projects) }
        #expect(exists?.kind == .exists)
        try store.setSubscribed(projects, true)
        try store.folder(projects).save(message("kept"))

        try store.rename(try MailboxName("Work"), to: try MailboxName("Jobs"))
        #expect(try store.mailboxes().map(\.name.description) == ["INBOX", "Jobs", "Jobs/Projects"])
        #expect(try store.subscriptions().map(\.description) == ["Jobs/Projects"])
        let moved = try store.folder(try MailboxName("Jobs/Projects")).sync().snapshot
        #expect(moved.messages.count == 1)

        try store.delete(try MailboxName("Jobs/Projects"))
        #expect(try store.mailboxes().map(\.name.description) == ["INBOX", "Jobs"])
        let missing = #expect(throws: StorageError.self) { try store.folder(try MailboxName("Jobs/Projects")) }
        #expect(missing?.kind == .notFound)
        // A folder created again under the same name never reuses the old UIDVALIDITY.
        try store.create(try MailboxName("Jobs/Projects"))
        #expect(try store.folder(try MailboxName("Jobs/Projects")).sync().snapshot.uidValidity != moved.uidValidity)
    }

    @Test func renamingInboxMovesItsMessagesAndLeavesItEmpty() throws {
        let store = MailStore(root: temp.path + "/r", options: fastOptions())
        try store.createIfNeeded()
        try store.folder(.inbox).save(message("old"))
        try store.rename(.inbox, to: try MailboxName("Old"))
        #expect(try store.folder(.inbox).sync().snapshot.messages.isEmpty)
        #expect(try store.folder(try MailboxName("Old")).sync().snapshot.messages.count == 1)
    }

    @Test func theIndexDirectoryCanLiveOutsideTheMaildir() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions(indexDirectory: temp.path + "/index"))
        try store.createIfNeeded()
        try store.create(try MailboxName("Sent"))
        let sent = try store.folder(try MailboxName("Sent"))
        let uid = try sent.save(message("x"))
        _ = try sent.parsedMessage(uid)
        sent.flushIndex()
        #expect(FileManager.default.fileExists(atPath: temp.path + "/index/.Sent/roost.index"))
        #expect(FileManager.default.fileExists(atPath: temp.path + "/index/.Sent/roost.cache"))
        #expect(!FileManager.default.fileExists(atPath: store.root + "/.Sent/roost.index"))
    }
}
