import Foundation
import Testing
@testable import RoostStorage

/// Saving, flags, expunge, copy and move on a fresh Maildir.
@Suite struct FolderTests {
    let temp: TemporaryDirectory
    let store: MailStore

    init() throws {
        temp = try TemporaryDirectory()
        store = MailStore(root: temp.path + "/mail", options: fastOptions())
        try store.createIfNeeded()
    }

    func files(_ folder: MaildirFolder, _ sub: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path + "/" + sub).sorted()
    }

    /// A snapshot's version stays while nothing a snapshot shows changes, and moves with every change.
    @Test func snapshotVersionsMoveWithEveryChange() throws {
        let inbox = try store.folder(.inbox)
        let uid = try inbox.save(message("One"))
        var last = try inbox.sync().snapshot.version
        func changed() throws -> Bool {
            let now = inbox.snapshot.version
            defer { last = now }
            return now != last
        }
        #expect(try inbox.sync().snapshot.version == last)
        #expect(try !changed())
        try inbox.setFlags([uid], .add, flags: .seen)
        #expect(try changed())
        try inbox.setFlags([uid], .add, flags: [], keywords: ["$Label1"])
        #expect(try changed())
        _ = try inbox.save(message("Two"))
        #expect(try changed())
        _ = try inbox.expunge([uid])
        #expect(try changed())
        try deliver(message("Three"), into: inbox.path)
        try inbox.sync()
        #expect(try changed())
    }

    @Test func saveWritesACompleteFileWithSizesInItsName() throws {
        let inbox = try store.folder(.inbox)
        let bytes = message("One", body: "line 1\nline 2\n")
        let uid = try inbox.save(bytes)
        #expect(uid == UID(1))
        #expect(try files(inbox, "tmp").isEmpty)
        let names = try files(inbox, "new")
        #expect(names.count == 1)
        let lines = bytes.filter { $0 == 0x0A }.count
        #expect(names[0].hasSuffix(",S=\(bytes.count),W=\(bytes.count + lines)"))
        #expect(try inbox.readMessage(uid) == bytes)
        let info = try #require(inbox.snapshot.messages.first)
        #expect(info.size == Int64(bytes.count) && info.virtualSize == Int64(bytes.count + lines))
        let flagged = try inbox.save(message("Two"), flags: [.seen, .flagged], keywords: ["$Label1"], internalDate: 1_000_000_000)
        #expect(flagged == UID(2))
        let second = try #require(inbox.snapshot.messages.last)
        #expect(second.internalDate == 1_000_000_000)
        #expect(try files(inbox, "cur").count == 1 && files(inbox, "cur")[0].hasSuffix(":2,FSa"))
        let st = try #require(try POSIX.stat(inbox.path + "/cur/" + files(inbox, "cur")[0]))
        #expect(st.st_mtim.tv_sec == 1_000_000_000)
    }

    @Test func abortedSaveLeavesNothing() throws {
        let inbox = try store.folder(.inbox)
        let writer = try inbox.beginSave()
        try writer.write(Array("Subject: half\n".utf8))
        writer.abort()
        #expect(try files(inbox, "tmp").isEmpty && files(inbox, "new").isEmpty)
        #expect(try inbox.sync().snapshot.messages.isEmpty)
    }

    @Test func flagOperations() throws {
        let inbox = try store.folder(.inbox)
        let uid = try inbox.save(message("x"))
        try inbox.setFlags([uid], .add, flags: [.seen, .answered])
        #expect(inbox.snapshot.messages[0].flags == [.seen, .answered])
        #expect(inbox.snapshot.messages[0].inNew == false)
        try inbox.setFlags([uid], .remove, flags: [.seen])
        #expect(inbox.snapshot.messages[0].flags == [.answered])
        try inbox.setFlags([uid], .replace, flags: [.draft], keywords: ["Work"])
        let snapshot = inbox.snapshot
        #expect(snapshot.messages[0].flags == [.draft])
        #expect(snapshot.keywords(of: snapshot.messages[0]) == ["Work"])
        #expect(try files(inbox, "cur").first?.hasSuffix(":2,Da") == true)
        // Another instance (another process) sees the change after a sync.
        let other = try store.makeFolder(.inbox)
        #expect(try other.sync().snapshot.messages[0].flags == [.draft])
    }

    @Test func flagChangeByAnotherProcessIsNoticed() throws {
        let inbox = try store.folder(.inbox)
        let uid = try inbox.save(message("x"), flags: [.seen])
        let other = try store.makeFolder(.inbox)
        try other.sync()
        try other.setFlags([uid], .add, flags: [.flagged])
        let result = try inbox.sync()
        #expect(result.flagsChanged == [uid])
        #expect(result.snapshot.messages[0].flags == [.seen, .flagged])
        // Our stale view renames from the old name: setFlags resyncs and keeps the other's flag.
        try other.setFlags([uid], .add, flags: [.answered])
        try inbox.setFlags([uid], .add, flags: [.draft])
        #expect(inbox.snapshot.messages[0].flags == [.seen, .flagged, .answered, .draft])
    }

    @Test func keywordsAreLimitedToTwentySix() throws {
        let inbox = try store.folder(.inbox)
        let uid = try inbox.save(message("x"))
        try inbox.setFlags([uid], .add, flags: [], keywords: (0..<26).map { "k\($0)" })
        let error = #expect(throws: StorageError.self) {
            try inbox.setFlags([uid], .add, flags: [], keywords: ["one-too-many"])
        }
        #expect(error?.kind == .limit)
        // Keywords that exist can still be set and removed.
        try inbox.setFlags([uid], .remove, flags: [], keywords: ["k3"])
        #expect(!inbox.snapshot.keywords(of: inbox.snapshot.messages[0]).contains("k3"))
    }

    @Test func expungeRemovesFilesAndKeepsOtherUIDs() throws {
        let inbox = try store.folder(.inbox)
        let uids = try (0..<4).map { try inbox.save(message("m\($0)")) }
        let removed = try inbox.expunge([uids[1], uids[2]])
        #expect(removed == [uids[1], uids[2]])
        #expect(inbox.snapshot.messages.map(\.uid) == [uids[0], uids[3]])
        #expect(try files(inbox, "new").count + files(inbox, "cur").count == 2)
        let gone = #expect(throws: StorageError.self) { try inbox.readMessage(uids[1]) }
        #expect(gone?.kind == .expunged)
        // A new message never reuses an expunged UID, even in a fresh instance.
        let other = try store.makeFolder(.inbox)
        #expect(try other.save(message("later")) == UID(5))
    }

    @Test func expungeFindsAFileAnotherProcessRenamedMeanwhile() throws {
        let inbox = try store.folder(.inbox)
        let uids = try (0..<4).map { try inbox.save(message("m\($0)")) }
        // Another process flags the third message: its file has another name than we know.
        let other = try store.makeFolder(.inbox)
        try other.sync(moveNewToCur: false)
        try other.setFlags([uids[2]], .add, flags: .flagged)
        #expect(try inbox.expunge(uids) == uids)
        #expect(inbox.snapshot.messages.isEmpty)
        #expect(try files(inbox, "new").isEmpty && files(inbox, "cur").isEmpty)
    }

    @Test func setFlagsRenamesOnlyMessagesWhoseFlagsChange() throws {
        let inbox = try store.folder(.inbox)
        let seen = try inbox.save(message("a"), flags: [.seen])
        let unseen = try inbox.save(message("b"))
        let changed = try inbox.setFlags([seen, unseen], .add, flags: .seen)
        #expect(Array(changed.keys) == [unseen])
        #expect(try files(inbox, "new").isEmpty)
        let names = try files(inbox, "cur")
        #expect(names.count == 2 && names.allSatisfy { $0.hasSuffix(":2,S") }, "\(names)")
        // Nothing to change: no file is touched and nothing is reported.
        #expect(try inbox.setFlags([seen, unseen], .add, flags: .seen).isEmpty)
        #expect(try files(inbox, "cur") == names)
        #expect(inbox.snapshot.messages.allSatisfy { $0.flags == [.seen] && !$0.inNew })
    }

    @Test func copyAndMoveGiveNewUIDsAndKeepFlags() throws {
        try store.create(try MailboxName("Archive"))
        let inbox = try store.folder(.inbox)
        let archive = try store.folder(try MailboxName("Archive"))
        let a = try inbox.save(message("a"), flags: [.seen], keywords: ["Important"])
        let b = try inbox.save(message("b"))
        let copies = try inbox.copy([a], to: archive)
        #expect(copies.count == 1 && copies[0].source == a && copies[0].copy == UID(1))
        #expect(inbox.snapshot.messages.count == 2)
        let copied = archive.snapshot.messages[0]
        #expect(copied.flags == [.seen])
        #expect(archive.snapshot.keywords(of: copied) == ["Important"])
        #expect(try archive.readMessage(UID(1)) == inbox.readMessage(a))
        let moved = try inbox.move([b], to: archive)
        #expect(moved.map(\.copy) == [UID(2)])
        #expect(inbox.snapshot.messages.map(\.uid) == [a])
        #expect(try archive.sync().snapshot.messages.map(\.uid) == [UID(1), UID(2)])
        #expect(try archive.readMessage(UID(2)) == message("b"))
    }

    @Test func messageFileStaysReadableAfterRenameOrDelete() throws {
        let inbox = try store.folder(.inbox)
        let uid = try inbox.save(message("x", body: String(repeating: "y", count: 300_000)))
        let file = try inbox.openMessage(uid)
        try inbox.expunge([uid])
        let all = try file.readAll()
        #expect(all.count == 300_000 + message("x", body: "").count)
        #expect(try file.read(at: 0, count: 4) == Array("From".utf8))
    }
}
