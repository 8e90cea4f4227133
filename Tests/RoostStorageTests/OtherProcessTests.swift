import Foundation
import Testing
@testable import RoostStorage

/// Another process (Dovecot, a second Roost, a mail client on the same disk) acting between our
/// steps: none of it may lose a message or bring back an old UID or UIDVALIDITY.
@Suite struct OtherProcessTests {
    let temp: TemporaryDirectory
    let store: MailStore

    init() throws {
        temp = try TemporaryDirectory()
        store = MailStore(root: temp.path + "/mail", options: fastOptions())
        try store.createIfNeeded()
        try store.create(try MailboxName("Archive"))
    }

    @Test func copyFindsAMessageRenamedMeanwhile() throws {
        let inbox = try store.makeFolder(.inbox)
        let uid = try inbox.save(message("precious"), flags: [.seen])
        let archive = try store.makeFolder(try MailboxName("Archive"))
        // Another process flags the message: its file gets a new name our view does not know.
        let other = try store.makeFolder(.inbox)
        try other.sync()
        try other.setFlags([uid], .add, flags: [.flagged])
        let copies = try inbox.copy([uid], to: archive)
        #expect(copies.map(\.source) == [uid])
        #expect(try archive.readMessage(try #require(copies.first).copy) == message("precious"))
    }

    @Test func moveFindsAMessageRenamedMeanwhile() throws {
        let inbox = try store.makeFolder(.inbox)
        let uid = try inbox.save(message("precious"), flags: [.seen])
        let archive = try store.makeFolder(try MailboxName("Archive"))
        let other = try store.makeFolder(.inbox)
        try other.sync()
        try other.setFlags([uid], .add, flags: [.answered])
        let moved = try inbox.move([uid], to: archive)
        #expect(moved.count == 1)
        #expect(inbox.snapshot.messages.isEmpty)
        #expect(try archive.sync().snapshot.messages.count == 1)
    }

    @Test func aMessageMovedAwayAndBackGetsANewUID() throws {
        let inbox = try store.makeFolder(.inbox)
        let archive = try store.makeFolder(try MailboxName("Archive"))
        let uid = try inbox.save(message("round trip"))
        let there = try #require(try inbox.move([uid], to: archive).first).copy
        let back = try #require(try archive.move([there], to: inbox).first).copy
        #expect(back > uid)
        let fresh = try store.makeFolder(.inbox).sync().snapshot
        #expect(fresh.messages.map(\.uid) == [back])
        #expect(fresh.nextUID > back)
    }

    @Test func aLostUIDListNeverHandsOutOldUIDsAgain() throws {
        let folder = try store.makeFolder(try MailboxName("Archive"))
        let uids = try (0..<5).map { _ in try folder.save(message("x")) }
        try folder.expunge(uids)
        folder.flushIndex()
        let before = folder.snapshot
        // Dovecot unlinks a uidlist it finds corrupt; the folder is empty now.
        try FileManager.default.removeItem(atPath: store.root + "/.Archive/dovecot-uidlist")
        let reopened = try store.makeFolder(try MailboxName("Archive"))
        let next = try reopened.save(message("new"))
        #expect(reopened.snapshot.uidValidity == before.uidValidity)
        #expect(next == UID(6))
    }

    @Test func aFolderDeletedAndCreatedAgainIsNewToSessionsThatHadItOpen() throws {
        let name = try MailboxName("Archive")
        let stale = try store.makeFolder(name)
        try stale.save(message("old"))
        stale.flushIndex()
        let oldValidity = stale.snapshot.uidValidity
        try store.delete(name)
        // The stale session writes its index: that must not bring the folder back.
        let gone = #expect(throws: StorageError.self) { try stale.setFlags([UID(1)], .add, flags: [.seen]) }
        #expect(gone?.kind == .notFound)
        stale.flushIndex()
        #expect(!store.exists(name))
        try store.create(name)
        let result = try stale.sync()
        #expect(result.uidValidityChanged)
        #expect(result.snapshot.uidValidity != oldValidity)
        #expect(result.snapshot.messages.isEmpty)
        #expect(try store.makeFolder(name).sync().snapshot.uidValidity == result.snapshot.uidValidity)
    }

    @Test func deletingAFolderKeepsItsSubscription() throws {
        let name = try MailboxName("Archive")
        try store.setSubscribed(name, true)
        try store.delete(name)
        #expect(try store.subscriptions() == [name])
    }
}
