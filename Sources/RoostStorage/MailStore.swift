import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A mailbox as listed: whether it can be opened and whether it has children.
public struct MailboxListing: Hashable, Sendable {
    public var name: MailboxName
    /// False for a name that exists only as the parent of others (IMAP `\Noselect`/`\NonExistent`).
    public var selectable: Bool
    public var hasChildren: Bool
}

/// One user's Maildir++: the root (INBOX) and its `.Name` folders, subscriptions and quota.
public final class MailStore: Sendable {
    public let root: String
    public let options: StorageOptions
    public let quota: MaildirQuota

    /// Folders open in this process, shared by all sessions (one view, one index, less memory).
    private static let openFolders = Mutex<[String: WeakFolder]>([:])
    /// Folders kept in memory after their last session closed them, so that opening a big folder
    /// again costs a few `stat` calls instead of reading its index.
    private static let recentFolders = Mutex(RecentFolders())

    public init(root: String, quotaLimits: QuotaLimits = .unlimited, options: StorageOptions = StorageOptions()) {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
        self.options = options
        self.quota = MaildirQuota(root: trimmed, limits: quotaLimits)
    }

    public var exists: Bool { POSIX.isDirectory(root + "/cur") }

    /// Name prefix of a folder being deleted: renamed out of sight first, then removed.
    static let deletedPrefix = "..roost-deleted."


    /// Creates the Maildir root (and missing parent directories) if it is not there.
    public func createIfNeeded() throws {
        try Self.makeDirectories(root)
        for sub in ["tmp", "new", "cur"] where !POSIX.isDirectory(root + "/" + sub) {
            do { try POSIX.mkdir(root + "/" + sub) } catch let e as StorageError where e.kind == .exists {}
        }
    }

    func directory(of name: MailboxName) -> String {
        name.isInbox ? root : root + "/" + name.diskName
    }

    func indexPath(of name: MailboxName) -> String {
        guard let indexDirectory = options.indexDirectory else { return directory(of: name) + "/roost.index" }
        return indexDirectory + "/" + (name.isInbox ? "INBOX" : name.diskName) + "/roost.index"
    }

    /// Every mailbox, INBOX first, with names that exist only as parents marked unselectable.
    public func mailboxes() throws -> [MailboxListing] {
        var existing: Set<MailboxName> = [.inbox]
        for entry in try POSIX.listDirectory(root) ?? [] {
            if entry.hasPrefix(Self.deletedPrefix) {
                // A delete that was interrupted after its rename: finish it.
                do { try POSIX.removeTree(root + "/" + entry) } catch {
                    options.logger.warning("could not remove deleted folder \(entry): \(error)")
                }
                continue
            }
            guard let name = MailboxName(diskName: entry), POSIX.isDirectory(root + "/" + entry) else { continue }
            existing.insert(name)
        }
        var all = existing
        for name in existing {
            var parent = name.parent
            while let p = parent {
                all.insert(p)
                parent = p.parent
            }
        }
        return all.sorted().map { name in
            MailboxListing(name: name, selectable: existing.contains(name),
                           hasChildren: all.contains { $0.isDescendant(of: name) && $0.components.count == name.components.count + 1 })
        }
    }

    public func exists(_ name: MailboxName) -> Bool {
        POSIX.isDirectory(directory(of: name) + (name.isInbox ? "/cur" : ""))
    }

    /// Opens a folder, shared with other sessions of this process that have it open. Call `sync` on it
    /// before use.
    public func folder(_ name: MailboxName) throws -> MaildirFolder {
        let path = directory(of: name)
        if name.isInbox { try createIfNeeded() }
        // A folder deleted and made again by another program is another directory: a view of the
        // old one must not serve it.
        let directory = try POSIX.stat(path).map { UInt64($0.st_ino) }
        if let existing = Self.openFolders.withLock({ $0[path]?.folder }), existing.directoryInode == directory {
            Self.keepRecent(existing)
            return existing
        }
        // Read the index outside the process-wide lock; if another session opened the folder
        // meanwhile, its view wins and ours is dropped.
        let created = try makeFolder(name)
        let folder = Self.openFolders.withLock { open in
            if let existing = open[path]?.folder, existing.directoryInode == created.directoryInode { return existing }
            open = open.filter { $0.value.folder != nil }
            open[path] = WeakFolder(folder: created)
            return created
        }
        Self.keepRecent(folder)
        return folder
    }

    /// Keeps `folder` among the recently opened ones. Folders that leave the budget write their
    /// index first (outside the process-wide lock), so opening them again reads it instead of
    /// listing every file: a folder only ever opened for STATUS has no session that would.
    private static func keepRecent(_ folder: MaildirFolder) {
        // The count is read before the process-wide lock: a folder's lock may be held for long.
        let count = folder.messageCount
        let dropped = recentFolders.withLock { $0.keep(folder, messages: count) }
        for folder in dropped { folder.flushIndex() }
    }

    /// Forgets the view of a folder that was deleted or renamed.
    private func forget(_ path: String) {
        Self.openFolders.withLock { _ = $0.removeValue(forKey: path) }
        Self.recentFolders.withLock { $0.drop(path) }
    }

    /// A new, unshared view of a folder: what another process holding the folder open has. Tests use it
    /// to play the other process.
    func makeFolder(_ name: MailboxName) throws -> MaildirFolder {
        try MaildirFolder(path: directory(of: name), indexPath: indexPath(of: name), options: options, quota: quota,
                          makeUIDValidity: { [root] in Self.nextUIDValidity(root: root) })
    }

    /// Creates a folder and any missing parents (RFC 3501 section 6.3.3 asks for the parents).
    public func create(_ name: MailboxName) throws {
        guard !name.isInbox else { throw StorageError(.exists, "INBOX always exists") }
        if exists(name) { throw StorageError(.exists, "mailbox \(name) already exists") }
        if let parent = name.parent, !exists(parent) { try create(parent) }
        let path = directory(of: name)
        let temporary = root + "/tmp/." + UniqueNames.make() + ".folder"
        try POSIX.mkdir(temporary)
        for sub in ["tmp", "new", "cur"] { try POSIX.mkdir(temporary + "/" + sub) }
        let marker = try POSIX.open(temporary + "/maildirfolder", O_WRONLY | O_CREAT | O_EXCL)
        POSIX.close(marker)
        // A uidlist from the start: the folder's UIDVALIDITY is fixed now, so a session still holding
        // a deleted folder of the same name sees a new UIDVALIDITY, never carries its old one over.
        let uidList = UIDList(uidValidity: UIDValidity(Self.nextUIDValidity(root: root)), guid: MaildirFolder.makeGUID())
        try AtomicFile.write(uidList.serialized(), to: temporary + "/dovecot-uidlist", durable: options.fsync)
        if options.indexDirectory != nil {
            // An index left by a folder of this name that was deleted or renamed by another program.
            try? POSIX.removeTree(AtomicFile.parentDirectory(of: indexPath(of: name)))
        }
        do {
            // Build the folder out of sight, then rename it into place: never a half-made folder.
            try POSIX.rename(temporary, path)
        } catch {
            try? POSIX.removeTree(temporary)
            if POSIX.isDirectory(path) { throw StorageError(.exists, "mailbox \(name) already exists") }
            throw error
        }
        if options.fsync { try POSIX.fsyncDirectory(root) }
    }

    /// Deletes a folder and its messages; its children and its subscription stay. The directory is
    /// renamed out of the namespace first, so the folder disappears at once and whole even if removal
    /// is interrupted.
    public func delete(_ name: MailboxName) throws {
        guard !name.isInbox else { throw StorageError(.noPermission, "INBOX cannot be deleted") }
        guard exists(name) else { throw StorageError(.notFound, "mailbox \(name) does not exist") }
        let trash = root + "/" + Self.deletedPrefix + UniqueNames.make()
        try POSIX.rename(directory(of: name), trash)
        forget(directory(of: name))
        try POSIX.removeTree(trash)
        if options.indexDirectory != nil { try? POSIX.removeTree(AtomicFile.parentDirectory(of: indexPath(of: name))) }
        _ = Glibc.unlink(quota.path) // recalculated on next use
        // The subscription stays: RFC 3501 section 6.3.9 forbids removing it unilaterally.
    }

    /// Renames a folder with all its children. Renaming INBOX moves its messages into the new folder
    /// and leaves INBOX empty (RFC 3501 section 6.3.5).
    public func rename(_ old: MailboxName, to new: MailboxName) throws {
        guard exists(old) else { throw StorageError(.notFound, "mailbox \(old) does not exist") }
        guard !new.isInbox else { throw StorageError(.exists, "INBOX already exists") }
        guard !exists(new) else { throw StorageError(.exists, "mailbox \(new) already exists") }
        guard !new.isDescendant(of: old) else { throw StorageError(.invalidName, "cannot move a mailbox into itself") }
        if old.isInbox {
            try create(new)
            let inbox = try folder(.inbox)
            try inbox.sync()
            try inbox.move(inbox.snapshot.messages.map(\.uid), to: try folder(new))
            return
        }
        if let parent = new.parent, !exists(parent) { try create(parent) }
        let children = try mailboxes().map(\.name).filter { $0.isDescendant(of: old) && exists($0) }
        for name in [old] + children {
            let target = name.replacingPrefix(old, with: new)
            try POSIX.rename(directory(of: name), directory(of: target))
            forget(directory(of: name))
            if options.indexDirectory != nil {
                let from = AtomicFile.parentDirectory(of: indexPath(of: name))
                let to = AtomicFile.parentDirectory(of: indexPath(of: target))
                if POSIX.isDirectory(from) { try? Self.makeDirectories(AtomicFile.parentDirectory(of: to)); _ = Glibc.rename(from, to) }
            }
        }
        if options.fsync { try POSIX.fsyncDirectory(root) }
        var subscribed = try subscriptions()
        var changed = false
        for (i, name) in subscribed.enumerated() where name == old || name.isDescendant(of: old) {
            subscribed[i] = name.replacingPrefix(old, with: new)
            changed = true
        }
        if changed { try writeSubscriptions(subscribed) }
    }

    // MARK: - Subscriptions

    public func subscriptions() throws -> [MailboxName] {
        try POSIX.readFile(root + "/subscriptions").map(Subscriptions.parse) ?? []
    }

    /// Subscribing to a name that does not exist is allowed (RFC 3501 section 6.3.6).
    public func setSubscribed(_ name: MailboxName, _ subscribed: Bool) throws {
        var names = try subscriptions()
        if subscribed {
            guard !names.contains(name) else { return }
            names.append(name)
        } else {
            guard names.contains(name) else { return }
            names.removeAll { $0 == name }
        }
        try writeSubscriptions(names)
    }

    private func writeSubscriptions(_ names: [MailboxName]) throws {
        try createIfNeeded()
        // Entries Roost cannot represent as a MailboxName (written by Dovecot) are kept, not erased.
        let current = try POSIX.readFile(root + "/subscriptions")
        try AtomicFile.write(Subscriptions.serialize(names, keepingUnrepresentableOf: current), to: root + "/subscriptions",
                             durable: options.fsync)
    }

    // MARK: - Helpers

    /// Dovecot's `dovecot-uidvalidity`: the last UIDVALIDITY handed out in this Maildir, in hex, so
    /// that a folder deleted and created again within a second still gets a new one.
    static func nextUIDValidity(root: String) -> UInt32 {
        let path = root + "/dovecot-uidvalidity"
        let now = UInt32(truncatingIfNeeded: POSIX.now().tv_sec)
        var last: UInt32 = 0
        if let bytes = try? POSIX.readFile(path, limit: 64),
           let value = UInt32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \n"), radix: 16) {
            last = value
        }
        let next = max(now, last &+ 1)
        try? AtomicFile.write(Array(String(next, radix: 16).utf8), to: path, durable: false)
        return next
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws {
        if POSIX.isDirectory(path) { return }
        let parent = AtomicFile.parentDirectory(of: path)
        if parent != path && !POSIX.isDirectory(parent) { try makeDirectories(parent) }
        do { try POSIX.mkdir(path) } catch let e as StorageError where e.kind == .exists {}
    }
}

struct WeakFolder: @unchecked Sendable {
    weak var folder: MaildirFolder?
}

/// The folders opened last, held strongly within a budget of folders and messages; the least
/// recently opened is dropped first. A folder's in-memory view costs about 200 bytes a message.
struct RecentFolders {
    static let maxFolders = 100
    static let maxMessages = 250_000

    /// The message budget (smaller in tests).
    let messageBudget: Int
    /// Least recently opened first, with each folder's message count when last read.
    private var entries: [(folder: MaildirFolder, messages: Int)] = []

    init(messageBudget: Int = RecentFolders.maxMessages) {
        self.messageBudget = messageBudget
    }

    /// - Parameter count: `folder`'s message count, read by the caller before taking the
    ///   process-wide lock this value is kept under (a folder's lock may be held for long).
    /// - Returns: the folders dropped to stay within the budget (not those deleted meanwhile).
    @discardableResult
    mutating func keep(_ folder: MaildirFolder, messages count: Int) -> [MaildirFolder] {
        drop(folder.path)
        entries.append((folder, count))
        // The others' counts as they are now, not as they were when opened: a folder without an
        // index is opened with 0 messages and has its real number only after its first sync. Read
        // without waiting, since we are under the process-wide lock: a folder busy now (in a sync)
        // counts with its last count read, and is read again at the next decision.
        for i in entries.indices.dropLast() {
            if let current = entries[i].folder.messageCountIfAvailable { entries[i].messages = current }
        }
        var messages = entries.reduce(0) { $0 + $1.messages }
        guard entries.count > Self.maxFolders || messages > messageBudget else { return [] }
        // Over budget: folders deleted meanwhile (by another program) go first.
        entries.removeAll { entry in
            let gone = !POSIX.isDirectory(entry.folder.path + "/cur")
            if gone { messages -= entry.messages }
            return gone
        }
        var dropped: [MaildirFolder] = []
        while entries.count > Self.maxFolders || (messages > messageBudget && entries.count > 1) {
            let oldest = entries.removeFirst()
            messages -= oldest.messages
            dropped.append(oldest.folder)
        }
        return dropped
    }

    mutating func drop(_ path: String) {
        entries.removeAll { $0.folder.path == path }
    }
}

extension MaildirFolder {
    /// The number of messages in the view, or nil when another thread holds the folder's lock.
    fileprivate var messageCountIfAvailable: Int? {
        state.withLockIfAvailable { $0.messages.count }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
