import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One Maildir folder: its messages with UIDs, flags and keywords, kept in step with the files.
///
/// One instance may be shared by every session of the process that has the folder open; its state is
/// behind a mutex and every method may block on disk (call it off event-loop threads). Other processes
/// change the same files at any time: `sync` notices deliveries into `new/`, flag renames and deletions,
/// gives new files UIDs under Dovecot's uidlist lock, and (for read-write use) moves `new/` to `cur/`.
public final class MaildirFolder: Sendable {
    /// The folder's directory (the Maildir root for INBOX).
    public let path: String
    let indexPath: String
    let uidListPath: String
    let keywordsPath: String
    let cache: MessageCache
    let options: StorageOptions
    let quota: MaildirQuota?
    let makeUIDValidity: @Sendable () -> UInt32
    let state: Mutex<FolderState>
    /// Held while the index is written (`flushIndex`, `writeIndex`). Waited for only without `state`
    /// held (`flushIndex`); `writeIndex`, which runs under `state`, only tries it.
    let indexWrites = Mutex(())
    /// The inode of `path` when this view was made.
    let directoryInode: UInt64?

    var logger: Logger { options.logger }

    /// Opens the folder at `path`, creating missing `tmp/`, `new/` and `cur/` (Git and some copy tools
    /// drop empty directories). Loads the index if one is there; call `sync` before use.
    init(path: String, indexPath: String, options: StorageOptions, quota: MaildirQuota?,
         makeUIDValidity: @escaping @Sendable () -> UInt32) throws {
        guard let directory = try POSIX.stat(path), (directory.st_mode & S_IFMT) == S_IFDIR else {
            throw StorageError(.notFound, "no folder at \(path)")
        }
        self.directoryInode = UInt64(directory.st_ino)
        for sub in ["tmp", "new", "cur"] where !POSIX.isDirectory(path + "/" + sub) {
            do { try POSIX.mkdir(path + "/" + sub) } catch let e as StorageError where e.kind == .exists {}
        }
        self.path = path
        self.indexPath = indexPath
        self.uidListPath = path + "/dovecot-uidlist"
        self.keywordsPath = path + "/dovecot-keywords"
        self.cache = MessageCache(path: AtomicFile.parentDirectory(of: indexPath) + "/roost.cache", folderPath: path,
                                  rendererVersion: options.cacheRenderer?.version ?? 0, logger: options.logger)
        self.options = options
        self.quota = quota
        self.makeUIDValidity = makeUIDValidity
        var initial = FolderState()
        if let bytes = try? POSIX.readFile(indexPath), let index = FolderIndex.decode(bytes) {
            initial.adopt(index)
        } else if POSIX.exists(indexPath) {
            options.logger.warning("index is damaged and will be rebuilt", metadata: ["index": "\(indexPath)"])
        }
        self.state = Mutex(initial)
    }

    /// The folder as last synced, without touching the disk.
    public var snapshot: FolderSnapshot {
        state.withLock { $0.snapshot }
    }

    /// Messages in the view, without touching the disk.
    public var messageCount: Int {
        state.withLock { $0.messages.count }
    }

    /// Brings the in-memory view in step with the disk and returns what changed.
    ///
    /// - Parameter moveNewToCur: move messages out of `new/` into `cur/` (read-write sessions do; a
    ///   read-only one such as EXAMINE leaves them for the next reader). Those moved are in `movedFromNew`.
    @discardableResult
    public func sync(moveNewToCur: Bool = true) throws -> SyncResult {
        // A cache file another process replaced is read from now on; checked first, so that an
        // expunge in this sync does not compact the old file's records over the new one.
        cache.revalidate()
        return try state.withLock { s in try syncLocked(&s, moveNewToCur: moveNewToCur) }
    }

    /// Lists the folder again because a file we know was not where we know it (another process
    /// renamed or deleted it): a sync that trusted the directories' mtimes would not see why.
    func syncAfterMissingFile() throws {
        _ = try state.withLock { s in try syncLocked(&s, moveNewToCur: false, relist: true) }
    }

    /// Writes the index now if it changed (call when the last session closes the folder).
    public func flushIndex() {
        indexWrites.withLock { _ in
            // The state is taken under the folder's lock (the messages array is shared, not
            // copied); encoding and writing 100,000 messages happen outside it, so the folder's
            // sessions do not wait for them.
            let due = state.withLock { s -> FolderIndex? in
                guard s.indexDirty, let index = s.index else { return nil }
                s.indexDirty = false
                s.lastIndexWrite = Self.monotonicSeconds()
                return index
            }
            if let due, !storeIndex(due) { state.withLock { $0.indexDirty = true } }
        }
    }

    // MARK: - Reading messages

    /// Opens a message's file for reading. The descriptor stays valid if the file is renamed or
    /// deleted afterwards. Throws `.expunged` when the message is gone.
    public func openMessage(_ uid: UID) throws -> MessageFile {
        try withMessagePath(uid) { file in
            // A message is a regular file, never a symlink: with O_NOFOLLOW and the type
            // check, a user who owns the Maildir cannot make the server read another file.
            let fd = try POSIX.open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
            var st = stat()
            guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
                POSIX.close(fd)
                throw StorageError(.noPermission, "message \(uid) is not a regular file")
            }
            return MessageFile(fd: fd, size: Int64(st.st_size), modificationTime: Int64(st.st_mtim.tv_sec))
        }
    }

    /// Message `uid`'s internal date: the one the view knows, or its file's mtime, read now and
    /// kept in the view (and with it the index). Throws `.expunged` when the message is gone.
    /// Callers holding a `MessageInfo` whose `internalDate` is set need not ask.
    public func internalDate(of uid: UID) throws -> Int64 {
        if let known = state.withLock({ $0.message(uid)?.internalDate }) { return known }
        let date = try withMessagePath(uid) { file in
            var st = stat()
            guard systemStat(file, &st) == 0 else {
                throw errno == ENOENT ? StorageError(.notFound, "no file \(file)") : POSIX.error("stat", file)
            }
            return Int64(st.st_mtim.tv_sec)
        }
        state.withLock { s in
            guard let position = s.position(of: uid), s.messages[position].internalDate == nil else { return }
            s.messages[position].internalDate = date
            s.indexDirty = true
        }
        return date
    }

    /// Runs `body` on the path of message `uid`'s file. When `body` throws `.notFound` (another
    /// process renamed the file to change its flags, or deleted it) the folder is synced and
    /// `body` runs once more on the new path. Throws `.expunged` when the message is gone.
    private func withMessagePath<T: ~Copyable>(_ uid: UID, _ body: (String) throws -> T) throws -> T {
        for attempt in 0..<2 {
            let relative: String? = state.withLock { s in s.message(uid).map { $0.relativePath } }
            guard let relative else { throw StorageError(.expunged, "message \(uid) no longer exists") }
            do {
                return try body(path + "/" + relative)
            } catch let error as StorageError where error.kind == .notFound {
                if attempt == 0 { try syncAfterMissingFile() }
            }
        }
        if state.withLock({ $0.message(uid) }) != nil {
            throw StorageError(.temporary, "message \(uid) is being changed by another process; try again")
        }
        throw StorageError(.expunged, "message \(uid) no longer exists")
    }

    /// A message's whole content. For small messages and tests; the protocols stream `openMessage`.
    public func readMessage(_ uid: UID) throws -> [UInt8] {
        let file = try openMessage(uid)
        return try file.readAll()
    }

    // MARK: - Index

    /// Writes the index from within the folder's lock when it is due (`indexWriteInterval`) or
    /// `force`d. Skipped while `flushIndex` is writing: index writes never overlap, so an older
    /// state cannot overwrite a newer one.
    func writeIndex(_ s: inout FolderState, force: Bool) {
        guard s.indexDirty else { return }
        let now = Self.monotonicSeconds()
        guard force || now - s.lastIndexWrite >= options.indexWriteInterval, let index = s.index else { return }
        let written = indexWrites.withLockIfAvailable { _ in storeIndex(index) } ?? false
        if written {
            s.indexDirty = false
            s.lastIndexWrite = now
        }
    }

    /// Encodes and writes `index`; false when it could not be (logged) or the folder is gone.
    private func storeIndex(_ index: FolderIndex) -> Bool {
        // A folder deleted or renamed meanwhile must not be brought back by writing its index.
        guard POSIX.isDirectory(path + "/cur") else { return false }
        do {
            let directory = AtomicFile.parentDirectory(of: indexPath)
            if !POSIX.isDirectory(directory) { try MailStore.makeDirectories(directory) }
            try AtomicFile.write(index.encode(), to: indexPath, durable: false)
            return true
        } catch {
            logger.warning("could not write index: \(error)", metadata: ["index": "\(indexPath)"])
            return false
        }
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func nowNanoseconds() -> Int64 {
        let ts = POSIX.now()
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// What one `sync` found on disk that the shared view did not know yet.
///
/// Changes made through this process's own `MaildirFolder` (save, copy, move, expunge, setFlags by any
/// session sharing it) update the view at once and so never appear here. A protocol session that
/// must tell its client about every change compares its own previous `snapshot` with the new one.
public struct SyncResult: Sendable {
    public var snapshot: FolderSnapshot
    /// UIDs that appeared on disk since the previous sync (delivered or saved by another process).
    public var arrived: [UID] = []
    /// UIDs whose files are gone.
    public var expunged: [UID] = []
    /// UIDs whose flags or keywords changed on disk.
    public var flagsChanged: [UID] = []
    /// UIDs this sync moved from `new/` to `cur/`: the "recent" messages of RFC 3501.
    public var movedFromNew: [UID] = []
    /// The uidlist now has another UIDVALIDITY than before: every remembered UID is void.
    public var uidValidityChanged = false
}

/// An open message file.
public struct MessageFile: ~Copyable, Sendable {
    public let fd: Int32
    public let size: Int64
    /// The file's mtime in seconds: the message's internal date.
    public let modificationTime: Int64

    init(fd: Int32, size: Int64, modificationTime: Int64) {
        self.fd = fd
        self.size = size
        self.modificationTime = modificationTime
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        try POSIX.pread(fd, offset: offset, count: count, path: "message file")
    }

    public func readAll() throws -> [UInt8] {
        var out: [UInt8] = []
        var offset: Int64 = 0
        while true {
            let chunk = try read(at: offset, count: 256 * 1024)
            out += chunk
            offset += Int64(chunk.count)
            if chunk.count < 256 * 1024 { return out }
        }
    }

    deinit { POSIX.close(fd) }
}

/// The mutable state of a folder, guarded by `MaildirFolder.state`.
struct FolderState: Sendable {
    var uidValidity: UIDValidity? { didSet { if uidValidity != oldValue { version &+= 1 } } }
    var nextUID: UInt32 = 1 { didSet { if nextUID != oldValue { version &+= 1 } } }
    /// Any assignment counts as a change (comparing would copy 100,000 messages first): assign
    /// only what differs.
    var messages: [MessageInfo] = [] { didSet { version &+= 1 } }
    /// Counts changes of what a snapshot shows (see `FolderSnapshot.version`).
    var version: UInt64 = 0
    var uidListIdentity = FileIdentity.missing
    var newDirectoryMtime: Int64 = 0
    var curDirectoryMtime: Int64 = 0
    var scanTime: Int64 = 0
    /// Monotonic time until which the directory mtimes our own renames or unlinks set
    /// (`recordOwnChanges`) are believed without a listing; not kept in the index.
    var ownChangesTrustedUntil: Double = 0
    var keywords = KeywordTable() { didSet { version &+= 1 } }
    var keywordsIdentity = FileIdentity.missing
    /// Whether the view was built from the disk (or a trusted index) at least once.
    var loaded = false
    var indexDirty = false
    /// Monotonic time of the last index write, or of the view's making: a new view's first index is
    /// written like any later one, after `indexWriteInterval` or when the last session closes the
    /// folder (`flushIndex`), not while a client waits for its first SELECT of 100,000 messages.
    var lastIndexWrite = MaildirFolder.monotonicSeconds()
    /// Monotonic time of the last sweep of `tmp/`; 0 means never.
    var lastTemporarySweep: Double = 0

    mutating func adopt(_ index: FolderIndex) {
        uidValidity = index.uidValidity
        nextUID = index.nextUID
        messages = index.messages
        uidListIdentity = index.uidListIdentity
        newDirectoryMtime = index.newDirectoryMtime
        curDirectoryMtime = index.curDirectoryMtime
        scanTime = index.scanTime
        loaded = true
    }

    var index: FolderIndex? {
        guard let uidValidity else { return nil }
        return FolderIndex(uidValidity: uidValidity, nextUID: nextUID, uidListIdentity: uidListIdentity,
                           newDirectoryMtime: newDirectoryMtime, curDirectoryMtime: curDirectoryMtime,
                           scanTime: scanTime, messages: messages)
    }

    var snapshot: FolderSnapshot {
        FolderSnapshot(uidValidity: uidValidity ?? UIDValidity(0), nextUID: UID(nextUID), messages: messages, version: version,
                       keywordNames: (0..<MaildirInfo.maxKeywords).map { keywords.name(at: $0) })
    }

    /// Whether the last listing was made well after the recorded directory mtimes.
    var listingSettled: Bool {
        scanTime - max(newDirectoryMtime, curDirectoryMtime) >= FolderIndex.settleNanoseconds
    }

    func position(of uid: UID) -> Int? { messages.position(of: uid) }

    func message(_ uid: UID) -> MessageInfo? { position(of: uid).map { messages[$0] } }
}
