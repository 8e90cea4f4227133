import Foundation
import Synchronization
import Testing
@testable import RoostStorage

/// External deliveries, concurrent sessions, crashes and damaged state files.
@Suite struct SyncTests: TemporaryMaildirSuite {
    let temp: TemporaryDirectory

    init() throws { temp = try Self.makeMaildir() }

    @Test func externalDeliveriesGetUIDsInArrivalOrder() throws {
        let folder = try inbox()
        try deliver(message("first"), into: root, name: "1700000001.M1P1.mx")
        try deliver(message("second"), into: root, name: "1700000002.M1P1.mx")
        try deliver(message("zeroth"), into: root, name: "999999999.M1P1.mx")
        let result = try folder.sync()
        #expect(result.arrived == [UID(1), UID(2), UID(3)])
        #expect(result.snapshot.messages.map(\.base) == ["999999999.M1P1.mx", "1700000001.M1P1.mx", "1700000002.M1P1.mx"])
        // Moved to cur/ with an empty info suffix, as Dovecot does.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/new").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/cur").sorted().first == "1700000001.M1P1.mx:2,")
        // A read-only sync leaves new mail in new/.
        try deliver(message("third"), into: root, name: "1700000003.M1P1.mx")
        let readOnly = try folder.sync(moveNewToCur: false)
        #expect(readOnly.arrived == [UID(4)] && readOnly.movedFromNew.isEmpty)
        #expect(readOnly.snapshot.messages.last?.inNew == true)
    }

    @Test func concurrentDeliveriesAndSessionsNeverLoseOrDuplicateMessages() async throws {
        let delivered = 400
        let sessions = 3
        let done = Flag()
        let root = self.root
        // One MTA dropping mail into new/ while three sessions (separate instances, as separate
        // processes would be) sync, save and flag concurrently. Each on a thread of its own: their
        // loops of blocking file I/O would take Swift's cooperative threads (two on a two-core
        // machine) from every other test. Threads are not tests' tasks, so they report what they
        // saw and the expectations come after.
        try await withThrowingTaskGroup(of: (seen: [UID: String], changedFile: [UID]).self) { group in
            group.addTask {
                try await onOwnThread {
                    // Also when a delivery fails, or the sessions' threads would go on for ever.
                    defer { done.value.store(true, ordering: .releasing) }
                    for i in 0..<delivered {
                        try deliver(message("delivery \(i)"), into: root, name: "17000\(String(format: "%05d", i)).M\(i)P77.mta")
                    }
                    return ([:], [])
                }
            }
            for session in 0..<sessions {
                group.addTask {
                    try await onOwnThread {
                        let folder = try MailStore(root: root, options: fastOptions()).makeFolder(.inbox)
                        var seen: [UID: String] = [:]
                        var changedFile: [UID] = []
                        var saved = 0
                        while !done.value.load(ordering: .acquiring) || saved < 20 {
                            let result = try folder.sync(moveNewToCur: session != 0)
                            for m in result.snapshot.messages {
                                if let earlier = seen[m.uid], earlier != m.base { changedFile.append(m.uid) }
                                seen[m.uid] = m.base
                            }
                            if saved < 20 {
                                try folder.save(message("saved by \(session) #\(saved)"))
                                saved += 1
                            }
                            if let last = result.snapshot.messages.last {
                                try folder.setFlags([last.uid], .add, flags: [.seen])
                            }
                        }
                        return (seen, changedFile)
                    }
                }
            }
            var all: [UID: String] = [:]
            for try await (seen, changedFile) in group {
                #expect(changedFile.isEmpty, "UIDs \(changedFile) changed file")
                for (uid, base) in seen {
                    if let other = all[uid] { #expect(other == base, "two sessions disagree on UID \(uid)") }
                    all[uid] = base
                }
            }
        }
        let final = try inbox().sync().snapshot
        #expect(final.messages.count == delivered + sessions * 20)
        #expect(Set(final.messages.map(\.base)).count == final.messages.count)
        #expect(final.messages.map(\.uid.rawValue) == Array(1...UInt32(final.messages.count)))
        let list = UIDList.parse(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/dovecot-uidlist"))))
        #expect(list.problems.isEmpty)
        #expect(Set(list.entries.map(\.uid)).count == list.entries.count)
    }

    @Test func aCrashBeforeRenameLeavesNoVisibleMessage() throws {
        let folder = try inbox()
        try folder.save(message("complete"))
        // What a crash between write and rename leaves: a partial file in tmp/.
        try Data("From: half".utf8).write(to: URL(fileURLWithPath: root + "/tmp/1700000000.M1P1.crashed"))
        let result = try inbox().sync()
        #expect(result.snapshot.messages.count == 1)
        #expect(try inbox().readMessage(UID(1)) == message("complete"))
    }

    @Test func aCorruptUIDListIsRepairedKeepingUIDs() throws {
        let folder = try inbox()
        for i in 0..<5 { try folder.save(message("m\(i)")) }
        try folder.expunge([UID(2)])
        folder.flushIndex()
        let before = folder.snapshot
        let path = root + "/dovecot-uidlist"
        var text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        // Damage a line in the middle and cut the last one short.
        text = text.replacingOccurrences(of: "\n3 ", with: "\n3x ")
        text.removeLast(4)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))

        let fresh = try inbox()
        let after = try fresh.sync().snapshot
        #expect(after.uidValidity == before.uidValidity)
        #expect(after.messages.map(\.uid) == before.messages.map(\.uid))
        #expect(after.messages.map(\.base) == before.messages.map(\.base))
        let repaired = UIDList.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(repaired.problems.isEmpty)
        #expect(repaired.entries.map(\.uid) == before.messages.map(\.uid))
        #expect(try fresh.save(message("next")) == UID(6))
    }

    @Test func aLostUIDListHeaderIsRestoredFromTheIndex() throws {
        let folder = try inbox()
        for i in 0..<3 { try folder.save(message("m\(i)")) }
        folder.flushIndex()
        let before = folder.snapshot
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: root + "/dovecot-uidlist"))
        let after = try inbox().sync().snapshot
        #expect(after.uidValidity == before.uidValidity)
        #expect(after.messages.map(\.uid) == before.messages.map(\.uid))
    }

    /// A first SELECT does not wait for the index of the folder it lists: that is written after the
    /// write interval or when the last session closes the folder.
    @Test func theFirstIndexIsWrittenLaterNotByTheFirstSync() throws {
        for i in 0..<3 { try deliver(message("m\(i)"), into: root) }
        let folder = try MailStore(root: root, options: StorageOptions(fsync: false, indexWriteInterval: 30)).makeFolder(.inbox)
        #expect(try folder.sync().snapshot.messages.count == 3)
        #expect(!POSIX.exists(root + "/roost.index"))
        folder.flushIndex()
        #expect(try inbox().snapshot.messages.count == 3) // a new view loads the index written
    }

    @Test func aCorruptIndexIsRebuiltWithoutUIDChanges() throws {
        let folder = try inbox()
        for i in 0..<5 { try folder.save(message("m\(i)")) }
        folder.flushIndex()
        let before = folder.snapshot
        let indexPath = root + "/roost.index"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: indexPath)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: indexPath))
        let reopened = try inbox()
        let after = try reopened.sync(moveNewToCur: false).snapshot
        #expect(after.uidValidity == before.uidValidity)
        // The rebuilt view has read no internal date yet; each is the same when asked for.
        #expect(after.messages.map(Self.withoutDate) == before.messages.map(Self.withoutDate))
        #expect(try after.messages.map { try reopened.internalDate(of: $0.uid) } == before.messages.map { try folder.internalDate(of: $0.uid) })
        // Rebuilt on disk.
        let rebuilt = try #require(FolderIndex.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: indexPath)))))
        #expect(rebuilt.messages.map(Self.withoutDate) == before.messages.map(Self.withoutDate))
    }

    static func withoutDate(_ message: MessageInfo) -> MessageInfo {
        var message = message
        message.internalDate = nil
        return message
    }

    @Test func aCurrentIndexIsTrustedWithoutListingTheFolder() throws {
        let folder = try inbox()
        for i in 0..<3 { try folder.save(message("m\(i)"), flags: [.seen]) }
        ageDirectory(root + "/new")
        ageDirectory(root + "/cur")
        try folder.sync()  // a listing made after the directories settled
        folder.flushIndex()
        // Proof that a fresh instance reads the index and not the directory: rename a message file
        // behind its back and put the directory mtime back. The index still names the old file.
        let cur = root + "/cur"
        let mtime = try #require(try POSIX.stat(cur)).modificationNanoseconds
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: cur).sorted().first)
        try FileManager.default.moveItem(atPath: cur + "/" + name, toPath: cur + "/" + name.replacingOccurrences(of: ":2,S", with: ":2,FS"))
        setMtime(cur, nanoseconds: mtime)
        let fresh = try inbox()
        let trusted = try fresh.sync().snapshot
        #expect(trusted.messages.count == 3)
        #expect(trusted.messages.allSatisfy { $0.flags == [.seen] })
        // Any real change to the directory makes the next sync list it again.
        try deliver(message("new"), into: root)
        let relisted = try fresh.sync().snapshot
        #expect(relisted.messages.count == 4)
        let base = String(name.prefix { $0 != ":" })
        #expect(relisted.messages.first { $0.base == base }?.flags == [.seen, .flagged])
    }

    @Test func savesOfTwoProcessesTakingTurnsGetDistinctUIDs() throws {
        // Each save that finds the uidlist as this view left it appends without reading it; one
        // that finds another process's lines reads them first.
        let first = try inbox(), second = try inbox()
        try first.sync()
        try second.sync()
        var uids: [UID] = []
        for i in 0..<6 {
            uids.append(try (i % 3 == 0 ? second : first).save(message("m\(i)")))
        }
        #expect(uids == (1...6).map { UID(UInt32($0)) })
        let fresh = try inbox()
        let listed = try fresh.sync().snapshot.messages.map(\.uid)
        #expect(listed == uids)
        #expect(try first.sync().snapshot.messages.map(\.uid) == uids)
    }

    /// Three `\Seen` messages listed after the directories settled, then our own `+FLAGS
    /// (\Flagged)` on the first (which opens the trust window), then, behind the folder's back, the
    /// last file renamed to `:2,DS` with cur/'s mtime put back: a sync that lists the folder sees
    /// it, one that trusts our own change does not. Returns the folder, the UIDs and that base name.
    func ownChangeAndAHiddenRename() throws -> (MaildirFolder, [UID], String) {
        let folder = try inbox()
        let uids = try (0..<3).map { try folder.save(message("m\($0)"), flags: [.seen]) }
        ageDirectory(root + "/new")
        ageDirectory(root + "/cur")
        try folder.sync()
        try folder.setFlags([uids[0]], .add, flags: .flagged)
        let cur = root + "/cur"
        let mtime = try #require(try POSIX.stat(cur)).modificationNanoseconds
        let base = try #require(folder.snapshot.messages.last?.base)
        try FileManager.default.moveItem(atPath: cur + "/" + base + ":2,S", toPath: cur + "/" + base + ":2,DS")
        setMtime(cur, nanoseconds: mtime)
        return (folder, uids, base)
    }

    @Test func ourOwnRenamesDoNotMakeTheNextSyncListTheFolderButOthersDeliveriesStillShow() throws {
        let (folder, _, _) = try ownChangeAndAHiddenRename()
        #expect(try folder.sync().snapshot.messages.map(\.flags) == [[.seen, .flagged], [.seen], [.seen]])
        // A delivery into new/, which our change did not touch, is listed at once (and the
        // listing sees the rename too).
        try deliver(message("new"), into: root)
        let listed = try folder.sync().snapshot.messages
        #expect(listed.count == 4)
        #expect(listed.map(\.flags).prefix(3) == [[.seen, .flagged], [.seen], [.seen, .draft]])
    }

    /// Own changes inside the trust window of the first are trusted too (a client's STORE after
    /// STORE does not list 100,000 files each time), but never extend it: a change another program
    /// made in the same clock tick as ours is seen by the first sync after the window.
    /// The trust window is counted from the start of our first batch of changes (the time
    /// `ownChangesStart` found the directories as known), not its end, and a later batch inside it
    /// does not move it.
    @Test func theTrustWindowStartsWithTheFirstBatch() throws {
        let folder = try inbox()
        try folder.save(message("m"), flags: [.seen])
        ageDirectory(root + "/new")
        ageDirectory(root + "/cur")
        try folder.sync()
        let settle = Double(FolderIndex.settleNanoseconds) / 1e9
        try folder.state.withLock { s in
            let start = try #require(folder.ownChangesStart(s))
            // Our batch renamed files in cur/: its mtime is now.
            setMtime(root + "/cur", nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
            folder.recordOwnChanges(&s, new: false, cur: true, since: start - 0.5)
            #expect(s.ownChangesTrustedUntil == start - 0.5 + settle)
            let later = try #require(folder.ownChangesStart(s), "trusted inside the window")
            folder.recordOwnChanges(&s, new: false, cur: true, since: later)
            #expect(s.ownChangesTrustedUntil == start - 0.5 + settle)
        }
    }

    /// Inside the trust window another program renamed a message in the same clock tick as ours:
    /// a flag change to it must not be lost because a sync trusting the mtimes cannot find it.
    @Test func aFileMissingInsideTheWindowIsFoundByListing() throws {
        let (folder, uids, base) = try ownChangeAndAHiddenRename()
        let cur = root + "/cur"
        // The client, not yet told about \Draft, removes \Seen from that message.
        let changed = try folder.setFlags([uids[2]], .remove, flags: .seen)
        #expect(changed[uids[2]]?.system == [.draft])
        #expect(FileManager.default.fileExists(atPath: cur + "/" + base + ":2,D"))
        #expect(folder.snapshot.messages.last?.flags == [.draft])
    }

    @Test func ownChangesDoNotExtendTheirTrust() throws {
        let (folder, uids, _) = try ownChangeAndAHiddenRename()
        let window = folder.state.withLock { $0.ownChangesTrustedUntil }
        // A second change of ours inside the window is trusted; the window stays where it was.
        try folder.expunge([uids[1]])
        #expect(folder.state.withLock { $0.ownChangesTrustedUntil } == window)
        #expect(try folder.sync().snapshot.messages.map(\.flags) == [[.seen, .flagged], [.seen]])
        // The window has passed (made so here): an own change now opens no new one, and the
        // next sync lists the folder and sees the other program's change.
        folder.state.withLock { $0.ownChangesTrustedUntil = MaildirFolder.monotonicSeconds() }
        try folder.setFlags([uids[0]], .remove, flags: .flagged)
        #expect(try folder.sync().snapshot.messages.map(\.flags) == [[.seen], [.seen, .draft]])
    }

    @Test func filesNamedByOtherProgramsStayReadable() throws {
        // Flags out of ASCII order, and an info suffix on a file still in new/.
        try Data(message("odd order")).write(to: URL(fileURLWithPath: root + "/cur/1700000001.M1P1.mua:2,SF"))
        try Data(message("suffix in new")).write(to: URL(fileURLWithPath: root + "/new/1700000002.M1P1.mta:2,"))
        let folder = try inbox()
        let snapshot = try folder.sync(moveNewToCur: false).snapshot
        #expect(snapshot.messages.map(\.flags) == [[.seen, .flagged], []])
        #expect(try folder.readMessage(UID(1)) == message("odd order"))
        #expect(try folder.readMessage(UID(2)) == message("suffix in new"))
        // The names survive the index: a fresh view trusting it opens the same files.
        folder.flushIndex()
        let decoded = try #require(FolderIndex.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/roost.index")))))
        #expect(decoded.messages == snapshot.messages)
        // Our own renames write canonical names.
        try folder.setFlags([UID(1)], .add, flags: [.answered])
        #expect(FileManager.default.fileExists(atPath: root + "/cur/1700000001.M1P1.mua:2,FRS"))
        try folder.sync()
        #expect(FileManager.default.fileExists(atPath: root + "/cur/1700000002.M1P1.mta:2,"))
        #expect(try folder.readMessage(UID(2)) == message("suffix in new"))
    }

    @Test func deletedFilesAreNoticedAsExpunged() throws {
        let folder = try inbox()
        for i in 0..<3 { try folder.save(message("m\(i)")) }
        let victim = try #require(folder.snapshot.messages.first { $0.uid == UID(2) })
        try FileManager.default.removeItem(atPath: root + "/" + victim.relativePath)
        let result = try folder.sync()
        #expect(result.expunged == [UID(2)])
        #expect(result.snapshot.messages.map(\.uid) == [UID(1), UID(3)])
    }
}

final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}

/// What crashed writers and interrupted deletes leave behind is cleaned up.
@Suite struct LeftoverTests {
    @Test func staleTemporaryFilesAreRemovedAndFreshOnesKept() throws {
        let temp = try TemporaryDirectory()
        let root = temp.path + "/mail"
        let store = MailStore(root: root, options: fastOptions())
        try store.createIfNeeded()
        let old = root + "/tmp/1700000000.M1P1.crashed"
        let fresh = root + "/tmp/1700000001.M1P1.writing"
        let halfFolder = root + "/tmp/.1700000002.M1P1.folder"
        try Data("half".utf8).write(to: URL(fileURLWithPath: old))
        try Data("in progress".utf8).write(to: URL(fileURLWithPath: fresh))
        try FileManager.default.createDirectory(atPath: halfFolder + "/cur", withIntermediateDirectories: true)
        let longAgo = Int64(Date().timeIntervalSince1970 - 37 * 3600) * 1_000_000_000
        setMtime(old, nanoseconds: longAgo)
        setMtime(halfFolder, nanoseconds: longAgo)
        try store.makeFolder(.inbox).sync()
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(!FileManager.default.fileExists(atPath: halfFolder))
        #expect(FileManager.default.fileExists(atPath: fresh))
    }

    @Test func anInterruptedDeleteIsFinished() throws {
        let temp = try TemporaryDirectory()
        let store = MailStore(root: temp.path + "/mail", options: fastOptions())
        try store.createIfNeeded()
        let leftover = store.root + "/..roost-deleted.1700000000.M1P1.host"
        try FileManager.default.createDirectory(atPath: leftover + "/cur", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: leftover + "/cur/msg:2,S"))
        #expect(try store.mailboxes().map(\.name.description) == ["INBOX"])
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }
}
