import Foundation
import Synchronization
import Testing
@testable import RoostStorage

/// Races and hostile input on the storage's low-level pieces: dot-locks (stale-lock breaking, owner
/// checks), temporary names, bounded reads, sizes that would overflow, and writes after an abort.
@Suite struct RobustnessTests {
    let temp: TemporaryDirectory

    init() throws { temp = try TemporaryDirectory() }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    func inode(_ path: String) throws -> UInt64 {
        UInt64(try #require(try POSIX.lstat(path)).st_ino)
    }

    func makeStale(_ path: String) {
        setMtime(path, nanoseconds: Int64(Date().timeIntervalSince1970 - 3600) * 1_000_000_000)
    }

    /// Breaking left nothing beside a lock but the breakers' (empty, unlocked) `.breaking` file.
    func onlyTheBreakingFileIsLeft() throws -> Bool {
        try FileManager.default.contentsOfDirectory(atPath: temp.path)
            .filter { $0.contains(".lock.") }
            .allSatisfy { $0.hasSuffix(".lock.breaking") }
    }

    /// Stands in for another process: removes our lock file and creates its own in its place.
    func takeOver(_ lockPath: String) throws {
        try POSIX.unlink(lockPath)
        try write("other", to: lockPath)
    }

    // MARK: DotLock: breaking stale locks

    /// A stale lock is broken; so is one whose earlier breaker crashed, leaving its `.breaking`
    /// file (the crash released its `flock`).
    @Test(arguments: [false, true])
    func aStaleLockIsBroken(breakerCrashed: Bool) throws {
        let target = temp.path + "/dovecot-uidlist"
        try write("", to: target + ".lock")
        makeStale(target + ".lock")
        if breakerCrashed { try write("", to: target + ".lock.breaking") }
        let lock = try DotLock(for: target, timeout: 5, staleAfter: 60)
        lock.release()
        #expect(!POSIX.exists(target + ".lock"))
        #expect(try onlyTheBreakingFileIsLeft())
    }

    /// While another breaker holds `.breaking`, a waiter removes nothing; once it lets go, it can.
    @Test func oneBreakerAtATime() throws {
        let lockPath = temp.path + "/f.lock"
        try write("", to: lockPath)
        makeStale(lockPath)
        let judged = try #require(try POSIX.lstat(lockPath))
        let other = open(lockPath + ".breaking", O_RDWR | O_CREAT, 0o600)
        #expect(other >= 0 && flock(other, LOCK_EX) == 0)
        #expect(!DotLock.breakStale(lockPath, judged: judged))
        #expect(POSIX.exists(lockPath))
        close(other)
        #expect(DotLock.breakStale(lockPath, judged: judged))
        #expect(!POSIX.exists(lockPath))
    }

    @Test func aFreshLockIsNotBroken() throws {
        let target = temp.path + "/dovecot-uidlist"
        try write("", to: target + ".lock")
        let error = #expect(throws: StorageError.self) { _ = try DotLock(for: target, timeout: 0.05, staleAfter: 60) }
        #expect(error?.kind == .inUse)
        #expect(POSIX.exists(target + ".lock"))
    }

    @Test func breakingRemovesTheLockThatWasJudgedStale() throws {
        let lockPath = temp.path + "/f.lock"
        try write("", to: lockPath)
        makeStale(lockPath)
        let judged = try #require(try POSIX.lstat(lockPath))
        #expect(DotLock.breakStale(lockPath, judged: judged))
        #expect(!POSIX.exists(lockPath))
        #expect(try onlyTheBreakingFileIsLeft())
    }

    /// Two waiters judged the same lock stale; the first broke it and took a fresh lock. The second
    /// must leave that fresh lock in place, even if the file system gave it the old inode number.
    @Test func breakingSparesAFreshLockCreatedSinceTheJudgement() throws {
        let lockPath = temp.path + "/f.lock"
        try write("", to: lockPath)
        makeStale(lockPath)
        let judged = try #require(try POSIX.lstat(lockPath))
        try takeOver(lockPath)
        let fresh = try inode(lockPath)
        #expect(!DotLock.breakStale(lockPath, judged: judged))
        #expect(try inode(lockPath) == fresh)
        #expect(try read(lockPath) == "other")
        #expect(try onlyTheBreakingFileIsLeft())
    }

    @Test func breakingALockThatVanishedDoesNothing() throws {
        let lockPath = temp.path + "/f.lock"
        try write("", to: lockPath)
        let judged = try #require(try POSIX.lstat(lockPath))
        try POSIX.unlink(lockPath)
        #expect(!DotLock.breakStale(lockPath, judged: judged))
        #expect(!POSIX.exists(lockPath))
    }

    /// Many waiters find the same stale lock at once; at no time may two of them hold the lock.
    @Test func waitersRacingForAStaleLockExcludeEachOther() throws {
        let target = temp.path + "/dovecot-uidlist"
        let state = RaceState()
        for _ in 0..<5 {
            try write("", to: target + ".lock")
            makeStale(target + ".lock")
            runConcurrently(6) { _ in
                do {
                    let lock = try DotLock(for: target, timeout: 20, staleAfter: 60)
                    if state.inside.add(1, ordering: .sequentiallyConsistent).newValue > 1 {
                        state.overlaps.add(1, ordering: .relaxed)
                    }
                    usleep(3_000)
                    state.inside.subtract(1, ordering: .sequentiallyConsistent)
                    try lock.replace(with: Array("x".utf8), durable: false)
                } catch {
                    state.failures.add(1, ordering: .relaxed)
                }
            }
            #expect(!POSIX.exists(target + ".lock"))
        }
        #expect(state.overlaps.load(ordering: .relaxed) == 0)
        #expect(state.failures.load(ordering: .relaxed) == 0)
        #expect(try onlyTheBreakingFileIsLeft())
    }

    // MARK: DotLock: owner checks

    @Test func replaceRefusesWhenTheLockWasTakenOver() throws {
        let target = temp.path + "/dovecot-keywords"
        try write("old", to: target)
        let lock = try DotLock(for: target)
        try takeOver(target + ".lock")
        do {
            try lock.replace(with: Array("new".utf8), durable: false)
            Issue.record("replace went ahead over someone else's lock")
        } catch let error as StorageError {
            #expect(error.kind == .temporary)
        }
        #expect(try read(target) == "old")
        #expect(try read(target + ".lock") == "other")
    }

    @Test func releaseLeavesSomeoneElsesLockAlone() throws {
        let target = temp.path + "/dovecot-uidlist"
        let lock = try DotLock(for: target)
        try takeOver(target + ".lock")
        lock.release()
        #expect(try read(target + ".lock") == "other")
    }

    @Test func droppingALockLeavesSomeoneElsesLockAlone() throws {
        let target = temp.path + "/dovecot-uidlist"
        let lock = try DotLock(for: target)
        try takeOver(target + ".lock")
        _ = consume lock
        #expect(try read(target + ".lock") == "other")
    }

    @Test func ownLocksAreStillReplacedAndReleased() throws {
        let target = temp.path + "/dovecot-keywords"
        try DotLock(for: target).replace(with: Array("new".utf8), durable: true)
        #expect(try read(target) == "new")
        #expect(!POSIX.exists(target + ".lock"))
        try DotLock(for: target).release()
        do { _ = try DotLock(for: target) }
        #expect(!POSIX.exists(target + ".lock"))
        #expect(try read(target) == "new")
    }

    // MARK: AtomicFile

    @Test func atomicWriteSurvivesATemporaryNameThatIsTaken() throws {
        let path = temp.path + "/subscriptions"
        let leftover = path + ".tmp.leftover"
        try write("crashed writer", to: leftover)
        var names = [leftover, path + ".tmp.fresh"]
        try AtomicFile.write(Array("INBOX\n".utf8), to: path, mode: 0o600, durable: false) { _ in names.removeFirst() }
        #expect(try read(path) == "INBOX\n")
        #expect(try read(leftover) == "crashed writer")
        #expect(!POSIX.exists(path + ".tmp.fresh"))
    }

    @Test func temporaryNamesDoNotRepeat() {
        let names = (0..<100).map { _ in AtomicFile.temporaryName(for: "/m/dovecot-uidlist") }
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.hasPrefix("/m/dovecot-uidlist.tmp.") && $0.contains("P\(getpid())") })
    }

    // MARK: POSIX.readFile

    @Test(arguments: [(0, 0, true), (10, 10, true), (11, 10, false), (100_000, 100_000, true), (100_001, 100_000, false)])
    func readFileHonoursItsLimit(size: Int, limit: Int, fits: Bool) throws {
        let path = temp.path + "/file"
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if fits {
            #expect(try POSIX.readFile(path, limit: limit) == bytes)
        } else {
            let error = #expect(throws: StorageError.self) { try POSIX.readFile(path, limit: limit) }
            #expect(error?.kind == .limit)
        }
    }

    /// A file whose `st_size` says nothing (here endless) is read only to one byte past the limit.
    @Test func readFileStopsAtTheLimitWhenTheSizeIsUnknown() throws {
        let error = #expect(throws: StorageError.self) { try POSIX.readFile("/dev/zero", limit: 1000) }
        #expect(error?.kind == .limit)
        #expect(try POSIX.readFile(temp.path + "/missing") == nil)
    }

    // MARK: Sizes that would overflow

    @Test(arguments: [
        ("1,S=100", 100 as Int64?),
        ("1,S=0", 0),
        ("1,S=1099511627776", 1 << 40),
        ("1,S=1099511627777", nil),
        ("1,S=9223372036854775807", nil),
        ("1,S=9999999999999999999", nil),
        ("1,S=999999999999999999", nil),
        ("1,S=99999999999999999999999", nil),
        ("1,S=-5", nil),
        ("1,S=+5", nil),
        ("1,S=", nil),
        ("1,S=12a", nil),
        ("1,W=7", nil),
    ])
    func sizeFieldsAreBounded(base: String, size: Int64?) {
        #expect(MaildirFileName.field("S", in: base) == size)
    }

    @Test(arguments: [
        ("10S\n5 1\n7 2\n", QuotaUsage(bytes: 12, messages: 3) as QuotaUsage?),
        ("10S\n5 1\n-5 -1\n", QuotaUsage(bytes: 0, messages: 0)),
        ("10S\n9223372036854775807 1\n", QuotaUsage(bytes: .max, messages: 1)),
        ("10S\n9223372036854775807 1\n1 1\n", nil),
        ("10S\n-9223372036854775808 0\n-1 0\n", nil),
        ("10S\n0 9223372036854775807\n0 1\n", nil),
        ("10S\n5 1\n-6 -1\n", nil),
        ("10S\n99999999999999999999 1\n", nil),
    ])
    func maildirsizeSumsThatOverflowAreDamage(content: String, usage: QuotaUsage?) {
        #expect(MaildirQuota.parse(Array(content.utf8), expecting: "10S") == usage)
    }

    @Test func anOverflowingMaildirsizeIsRecalculated() throws {
        let root = temp.path + "/q"
        for sub in ["new", "cur", "tmp"] { try MailStore.makeDirectories(root + "/" + sub) }
        try write("hello", to: root + "/cur/1.M1P1Q1.host,S=9223372036854775807:2,S")
        try write("world!", to: root + "/cur/2.M1P1Q2.host,S=9223372036854775807:2,S")
        try write("1000S\n9223372036854775807 1\n9223372036854775807 1\n", to: root + "/maildirsize")
        let quota = MaildirQuota(root: root, limits: QuotaLimits(storageBytes: 1000))
        // Names claiming absurd sizes count with their real sizes.
        #expect(try quota.usage() == QuotaUsage(bytes: 11, messages: 2))
        #expect(try quota.usage() == QuotaUsage(bytes: 11, messages: 2))
    }

    @Test func aHugeUsageIsOverQuotaNotACrash() throws {
        let root = temp.path + "/q"
        try MailStore.makeDirectories(root + "/cur")
        try write("1000S\n9223372036854775807 0\n", to: root + "/maildirsize")
        let quota = MaildirQuota(root: root, limits: QuotaLimits(storageBytes: 1000))
        let error = #expect(throws: StorageError.self) { try quota.check(addingBytes: 10, messages: 1) }
        #expect(error?.kind == .overQuota)
    }

    @Test func aNegativeSizeInANameFallsBackToTheFileSize() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions())
        try store.createIfNeeded()
        let bytes = message("odd name")
        try deliver(bytes, into: store.root, name: "1.M1P1Q1.host,S=-5,W=-9223372036854775808")
        let inbox = try store.folder(.inbox)
        let info = try #require(try inbox.sync().snapshot.messages.first)
        #expect(info.size == Int64(bytes.count))
        #expect(info.virtualSize >= info.size)
    }

    // MARK: MessageWriter after an abort

    @Test func writesPastTheSizeLimitKeepFailingWithoutATrap() throws {
        let store = MailStore(root: temp.path + "/m",
                              options: StorageOptions(fsync: false, maxMessageSize: 10, indexWriteInterval: 0))
        try store.createIfNeeded()
        let inbox = try store.folder(.inbox)
        let writer = try inbox.beginSave()
        try writer.write(Array("12345".utf8))
        let first = #expect(throws: StorageError.self) { try writer.write(Array("6789012".utf8)) }
        #expect(first?.kind == .limit)
        // A streaming APPEND goes on feeding the rest of its literal.
        for _ in 0..<3 {
            let again = #expect(throws: StorageError.self) { try writer.write(Array("more".utf8)) }
            #expect(again?.kind == .limit)
        }
        let commit = #expect(throws: StorageError.self) { try inbox.commit(writer) }
        #expect(commit?.kind == .limit)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path + "/tmp").isEmpty)
        #expect(inbox.snapshot.messages.isEmpty)
    }

    @Test func writesAfterAnAbortOrACommitThrow() throws {
        let store = MailStore(root: temp.path + "/m", options: fastOptions())
        try store.createIfNeeded()
        let inbox = try store.folder(.inbox)
        let aborted = try inbox.beginSave()
        try aborted.write(message("a"))
        aborted.abort()
        aborted.abort()
        #expect(throws: StorageError.self) { try aborted.write(message("b")) }
        #expect(throws: StorageError.self) { try inbox.commit(aborted) }

        let committed = try inbox.beginSave()
        try committed.write(message("c"))
        #expect(try inbox.commit(committed) == UID(1))
        #expect(throws: StorageError.self) { try committed.write(message("d")) }
        #expect(throws: StorageError.self) { try inbox.commit(committed) }
        #expect(inbox.snapshot.messages.count == 1)
    }

    @Test func theLimitCheckDoesNotOverflow() throws {
        let store = MailStore(root: temp.path + "/m",
                              options: StorageOptions(fsync: false, maxMessageSize: .max, indexWriteInterval: 0))
        try store.createIfNeeded()
        let inbox = try store.folder(.inbox)
        #expect(try inbox.save(message("fits")) == UID(1))
    }
}

/// Counters shared by the threads of a race.
final class RaceState: Sendable {
    let inside = Atomic<Int>(0)
    let overlaps = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
}

/// Runs `body` on `count` threads at once (real threads, so that they can block) and waits for all.
func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            body(index)
            group.leave()
        }.start()
    }
    group.wait()
}
