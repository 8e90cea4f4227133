import Foundation
import Testing
@testable import RoostStorage

/// Folders stay in memory after their last session lets go, within a budget, and never stand in for
/// another directory at the same path.
@Suite struct RecentFoldersTests {
    let temp: TemporaryDirectory

    init() throws { temp = try TemporaryDirectory() }

    @Test func aFolderOpenedAgainAfterItsLastUserLetGoComesFromMemory() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions())
        try store.createIfNeeded()
        weak var first: MaildirFolder?
        try {
            let inbox = try store.folder(.inbox)
            try inbox.save(message("kept"))
            first = inbox
        }()
        #expect(first != nil, "kept alive by the recent folders")
        // Nothing on disk is read again: the index may even be gone.
        try FileManager.default.removeItem(atPath: store.root + "/roost.index")
        let again = try store.folder(.inbox)
        #expect(again === first)
        #expect(try again.sync().snapshot.messages.count == 1)
    }

    @Test func aFolderMadeAgainByAnotherProgramIsNotServedFromMemory() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions())
        try store.createIfNeeded()
        let sent = try MailboxName("Sent")
        try store.create(sent)
        let old = try store.folder(sent)
        try old.save(message("old"))
        try old.sync()
        // Another program removes the folder and makes a new, empty one under the same name.
        let path = store.root + "/.Sent"
        try FileManager.default.moveItem(atPath: path, toPath: temp.path + "/gone")
        try MailStore(root: temp.path + "/other", options: fastOptions()).createIfNeeded()
        try FileManager.default.moveItem(atPath: temp.path + "/other", toPath: path)
        let new = try store.folder(sent)
        #expect(new !== old)
        #expect(try new.sync().snapshot.messages.isEmpty)
    }

    // The budget, on an instance of its own: the process-wide one is shared with every test
    // running in parallel.

    @Test func theLeastRecentlyOpenedFoldersAreDroppedBeyondTheBudget() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions())
        try store.createIfNeeded()
        var recent = RecentFolders()
        weak var first: MaildirFolder?
        try {
            let name = try MailboxName("Folder0")
            try store.create(name)
            let folder = try store.makeFolder(name)
            recent.keep(folder, messages: folder.messageCount)
            first = folder
        }()
        #expect(first != nil)
        for number in 1...RecentFolders.maxFolders {
            let name = try MailboxName("Folder\(number)")
            try store.create(name)
            recent.keep(try store.makeFolder(name), messages: 0)
        }
        #expect(first == nil, "dropped once \(RecentFolders.maxFolders) others were opened after it")
    }

    @Test func foldersDeletedByAnotherProgramLeaveTheBudgetFirst() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions())
        try store.createIfNeeded()
        var recent = RecentFolders()
        weak var live: MaildirFolder?
        weak var deleted: MaildirFolder?
        try {
            let first = try MailboxName("Live"), second = try MailboxName("Deleted")
            try store.create(first)
            try store.create(second)
            let liveFolder = try store.makeFolder(first), deletedFolder = try store.makeFolder(second)
            recent.keep(liveFolder, messages: 0)
            recent.keep(deletedFolder, messages: 0)
            live = liveFolder
            deleted = deletedFolder
        }()
        try FileManager.default.removeItem(atPath: store.root + "/.Deleted")
        for number in 1..<RecentFolders.maxFolders {
            let name = try MailboxName("Folder\(number)")
            try store.create(name)
            recent.keep(try store.makeFolder(name), messages: 0)
        }
        #expect(deleted == nil)
        #expect(live != nil, "the oldest live folder stays while a deleted one can go")
    }

    /// A new folder "Big" that `recent` keeps while it is empty (no index yet: counted 0), then
    /// filled with 20 messages and synced. Only `recent` holds it once the caller lets go.
    func keptBigFolder(_ store: MailStore, _ recent: inout RecentFolders) throws -> MaildirFolder {
        let name = try MailboxName("Big")
        try store.create(name)
        let folder = try store.makeFolder(name)
        #expect(folder.messageCount == 0, "no index yet")
        recent.keep(folder, messages: folder.messageCount)
        for i in 0..<20 { try deliver(message("m\(i)"), into: folder.path) }
        try folder.sync()
        return folder
    }

    @Test func aFolderOpenedEmptyCountsWithItsSizeAfterItsFirstSync() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions())
        try store.createIfNeeded()
        var recent = RecentFolders(messageBudget: 10)
        weak let big = try keptBigFolder(store, &recent)
        let small = try MailboxName("Small")
        try store.create(small)
        let dropped = recent.keep(try store.makeFolder(small), messages: 0)
        // Handed back so its index is written before it goes (MailStore does that).
        #expect(dropped.map(\.path) == [store.directory(of: try MailboxName("Big"))])
        _ = consume dropped
        #expect(big == nil, "dropped at the next decision: its 20 messages are over the budget of 10")
    }

    @Test func aFolderBusyInASyncKeepsItsLastCountAndIsNotWaitedFor() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions())
        try store.createIfNeeded()
        var recent = RecentFolders(messageBudget: 10)
        weak let big = try keptBigFolder(store, &recent)
        // Another thread holds the folder's lock (as a long sync does) until told to let go, which
        // comes only after the `keep`s returned. Had they waited for the lock, they could only have
        // returned after the holder gave up (after a minute), and it would say so.
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
        let heldUntilReleased = Flag()
        Thread { [weak big] in
            big?.state.withLock { _ in
                holding.signal()
                if release.wait(timeout: .now() + 60) == .success { heldUntilReleased.value.store(true, ordering: .relaxed) }
            }
            released.signal()
        }.start()
        holding.wait()
        for number in 1...2 {
            let name = try MailboxName("Small\(number)")
            try store.create(name)
            recent.keep(try store.makeFolder(name), messages: 0)
        }
        #expect(big != nil, "counted with its last count, 0, while busy")
        release.signal()
        released.wait()
        let keptWhileHeld = heldUntilReleased.value.load(ordering: .relaxed)
        #expect(keptWhileHeld, "the busy folder's lock was not waited for")
        let name = try MailboxName("Small3")
        try store.create(name)
        recent.keep(try store.makeFolder(name), messages: 0)
        #expect(big == nil, "its 20 messages counted once its lock was free")
    }
}
