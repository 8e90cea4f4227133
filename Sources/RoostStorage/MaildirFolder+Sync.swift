import Logging
#if canImport(Glibc)
import Glibc
#endif

extension MaildirFolder {
    /// The sync algorithm; see `sync(moveNewToCur:)`.
    ///
    /// 1. If the uidlist and both directories are as they were at the last listing, and that listing was
    ///    made after the directories had settled, nothing can have changed: return at once. This is what
    ///    makes opening a big folder with a current index cheap.
    /// 2. Otherwise read the uidlist, list `new/` then `cur/` (a file moved from `new/` to `cur/`
    ///    between the two listings is then seen at least once), and match files to UIDs by base name.
    ///    A known message missing from the listing is confirmed by a second listing before it counts as
    ///    expunged, since `readdir` may skip entries renamed while it runs.
    /// 3. Files without a UID get the next UIDs under the uidlist lock, after re-reading the uidlist, in
    ///    the order of their names (which start with the delivery time).
    ///
    /// With `rescan`, nothing known is reused: every file is described afresh (for `rebuildIndex`).
    /// The UIDs the state knows still serve to repair a damaged uidlist.
    ///
    /// With `relist`, the directories are listed even when they look as known: a file we know was
    /// not where we know it, so what we trusted is stale.
    func syncLocked(_ s: inout FolderState, moveNewToCur: Bool, rescan: Bool = false, relist: Bool = false) throws -> SyncResult {
        let newPath = path + "/new", curPath = path + "/cur"
        guard let curStat = try POSIX.stat(curPath), let newStat = try POSIX.stat(newPath) else {
            throw StorageError(.notFound, "folder \(path) was deleted")
        }
        let uidListIdentity = try POSIX.stat(uidListPath).map(FileIdentity.init) ?? .missing
        try reloadKeywordsIfChanged(&s)
        let newMtime = newStat.modificationNanoseconds, curMtime = curStat.modificationNanoseconds
        if !rescan, !relist, s.loaded, s.uidValidity != nil, uidListIdentity == s.uidListIdentity,
           newMtime == s.newDirectoryMtime, curMtime == s.curDirectoryMtime,
           (s.listingSettled || Self.monotonicSeconds() < s.ownChangesTrustedUntil),
           // By index: a predicate over the elements would copy (and retain) every message.
           !(moveNewToCur && s.messages.indices.contains { s.messages[$0].inNew }) {
            return SyncResult(snapshot: s.snapshot)
        }

        let scanTime = Self.nowNanoseconds()
        var found = try listFiles()
        let previous = s.messages
        var (list, listIdentity) = try readUIDList()
        let previousValidity = s.uidValidity

        // A previously known message that is missing gets a second look before it counts as gone;
        // on a first sync, so does a file the uidlist names (readdir may skip a file renamed while
        // it runs, and such a file would later show up below the UIDs a client was told about).
        if previous.contains(where: { !found.contains($0.base) })
            || (previous.isEmpty && list.entries.contains(where: { !found.contains($0.base) })) {
            for file in try listFiles().files { found.add(file, replacing: false) }
        }

        var result = SyncResult(snapshot: s.snapshot)
        var assigned = try assignUIDs(found: found, list: &list, identity: &listIdentity, state: s)
        if let validity = list.uidValidity, let previousValidity, validity != previousValidity {
            logger.notice("UIDVALIDITY changed on disk", metadata: ["folder": "\(path)", "old": "\(previousValidity)", "new": "\(validity)"])
            result.uidValidityChanged = true
        }

        // Build the new message list, reusing what we knew of unchanged messages.
        var previousByBase: [String: MessageInfo] = [:]
        if !result.uidValidityChanged && !rescan && !previous.isEmpty {
            previousByBase.reserveCapacity(previous.count)
            for m in previous { previousByBase[m.base] = m }
        }
        var messages: [MessageInfo] = []
        messages.reserveCapacity(assigned.count)
        assigned.sort { $0.uid < $1.uid }
        // New files are described relative to their open directory: a first sync of a big folder
        // stats every file, and a full path would be walked again for each.
        let directories = (new: Glibc.open(newPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
                            cur: Glibc.open(curPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
        defer {
            if directories.new >= 0 { Glibc.close(directories.new) }
            if directories.cur >= 0 { Glibc.close(directories.cur) }
        }
        // Files are read in place through the buffer, not copied (four retains each).
        found.files.withUnsafeBufferPointer { files in
            for (uid, position) in assigned {
                if !previousByBase.isEmpty, let old = previousByBase[files[position].base], old.uid == uid {
                    var m = old
                    m.info = files[position].info
                    m.inNew = files[position].inNew
                    m.fileName = files[position].name
                    if m.info != old.info { result.flagsChanged.append(uid) }
                    messages.append(m)
                } else if let m = describeNewFile(uid: uid, file: files[position],
                                                  directory: files[position].inNew ? directories.new : directories.cur) {
                    messages.append(m)
                    result.arrived.append(uid)
                }
            }
        }
        // A first sync (nothing known before) has nothing to compare.
        if !previous.isEmpty {
            let present = Set(messages.lazy.map(\.uid))
            if !result.uidValidityChanged {
                result.expunged = previous.lazy.map(\.uid).filter { !present.contains($0) }
            }
            if !result.expunged.isEmpty { cache.retain(only: present) }
        }

        // Not opened (the folder just went, no descriptor left): the moves wait for the next sync.
        if moveNewToCur, messages.indices.contains(where: { messages[$0].inNew }), let directory = try? FolderDirectory(path) {
            for i in messages.indices where messages[i].inNew {
                var moved = messages[i]
                moved.inNew = false
                if directory.rename(messages[i].relativePath, to: moved.relativePath) {
                    messages[i] = moved
                    result.movedFromNew.append(moved.uid)
                }
                // ENOENT: another reader moved it first; the next listing finds it in cur/.
            }
        }

        s.uidValidity = list.uidValidity
        s.nextUID = list.nextUID
        // A listing that finds what the view knows leaves its version, so sessions compare nothing.
        if messages != s.messages { s.messages = messages }
        s.uidListIdentity = listIdentity
        // The mtimes from before the listing: any change since, ours included, forces a new listing.
        s.newDirectoryMtime = newMtime
        s.curDirectoryMtime = curMtime
        s.scanTime = scanTime
        // What our own changes let us trust is superseded by this listing (which may be unsettled).
        s.ownChangesTrustedUntil = 0
        s.loaded = true
        s.indexDirty = true
        writeIndex(&s, force: false)
        sweepTemporaryFiles(&s)
        result.snapshot = s.snapshot
        return result
    }

    /// Files left in `tmp/` longer than this are from a writer that crashed (the Maildir specification
    /// and Dovecot use 36 hours).
    static let temporaryFileLifetime: Int64 = 36 * 3600
    /// How often a folder's `tmp/` is looked at.
    static let temporarySweepInterval: Double = 3600

    /// Removes what crashed writers left in `tmp/`: message files and, in the Maildir root, the
    /// half-built `.<unique>.folder` directories of an interrupted `MailStore.create`. At most hourly.
    func sweepTemporaryFiles(_ s: inout FolderState) {
        let now = Self.monotonicSeconds()
        guard s.lastTemporarySweep == 0 || now - s.lastTemporarySweep >= Self.temporarySweepInterval else { return }
        s.lastTemporarySweep = now
        let tmp = path + "/tmp"
        let cutoff = Int64(POSIX.now().tv_sec) - Self.temporaryFileLifetime
        for name in (try? POSIX.listDirectory(tmp)) ?? [] {
            let file = tmp + "/" + name
            // Access time, as the Maildir specification says; not mtime, which a writer sets to the
            // message's date just before its rename.
            guard let st = try? POSIX.lstat(file), Int64(st.st_atim.tv_sec) < cutoff else { continue }
            do {
                if (st.st_mode & S_IFMT) == S_IFDIR { try POSIX.removeTree(file) } else { try POSIX.unlink(file) }
                logger.info("removed a file a crashed writer left in tmp/", metadata: ["file": "\(file)"])
            } catch {
                logger.warning("could not remove stale \(file): \(error)")
            }
        }
    }

    /// When `new/` and `cur/` are as we last knew them and that knowledge is trusted (from a listing
    /// made after they had settled, or from our own changes since such a listing, within their
    /// window): the monotonic time of this check, which starts a batch of own changes
    /// (`recordOwnChanges`). Nil otherwise.
    func ownChangesStart(_ s: FolderState) -> Double? {
        guard s.loaded, let new = try? POSIX.stat(path + "/new"), let cur = try? POSIX.stat(path + "/cur") else { return nil }
        let now = Self.monotonicSeconds()
        guard new.modificationNanoseconds == s.newDirectoryMtime && cur.modificationNanoseconds == s.curDirectoryMtime,
              s.listingSettled || now < s.ownChangesTrustedUntil
        else { return nil }
        return now
    }

    /// After a batch of renames or unlinks of our own that began (`start`) with the directories as
    /// known (`ownChangesStart`), with no sync in between: takes the new mtimes of the directories we
    /// changed (only those) as known, so the next sync does not list 100,000 files again because of
    /// our own change.
    ///
    /// What another program changed in a directory we changed while the batch ran (or in the same
    /// clock tick) leaves no trace once we take its mtime. So the trust lasts
    /// `FolderIndex.settleNanoseconds` from the start of the first batch after a settled listing;
    /// later batches inside that window are trusted without extending it, and the first sync after
    /// it lists the folder: such a change is seen at most that long after our first batch began
    /// (Dovecot makes the same trade after its own renames). A change made before a batch began, or
    /// in the directory we did not change, shows at once.
    func recordOwnChanges(_ s: inout FolderState, new changedNew: Bool, cur changedCur: Bool, since start: Double) {
        // Known from a settled listing (not from an earlier window) before our mtimes are adopted.
        let opensWindow = s.listingSettled
        if changedNew {
            guard let new = try? POSIX.stat(path + "/new") else { return }
            s.newDirectoryMtime = new.modificationNanoseconds
        }
        if changedCur {
            guard let cur = try? POSIX.stat(path + "/cur") else { return }
            s.curDirectoryMtime = cur.modificationNanoseconds
        }
        if opensWindow {
            s.ownChangesTrustedUntil = start + Double(FolderIndex.settleNanoseconds) / 1e9
        }
        s.indexDirty = true
    }

    /// Lists `new/`, then `cur/`; a base name in both (moved while we listed) counts as in `cur/`.
    func listFiles() throws -> FoundFiles {
        var found = FoundFiles()
        for (directory, inNew) in [("new", true), ("cur", false)] {
            guard let names = try POSIX.listDirectory(path + "/" + directory) else {
                throw StorageError(.notFound, "folder \(path) was deleted")
            }
            found.reserveCapacity(found.count + names.count)
            for name in names where !name.hasPrefix(".") {
                let parsed = MaildirFileName(parsing: name)
                found.add(FoundFile(inNew: inNew, info: parsed.info, name: name, base: parsed.base), replacing: true)
            }
        }
        return found
    }

    /// Reads `dovecot-uidlist`, logging any damage loudly. A missing file gives an empty list. The
    /// identity is that of the content read: `.missing` (never trusted) when the file changed while
    /// it was read, so a later comparison cannot vouch for content we did not see.
    func readUIDList() throws -> (UIDList, FileIdentity) {
        let before = try POSIX.stat(uidListPath).map(FileIdentity.init) ?? .missing
        guard let bytes = try POSIX.readFile(uidListPath) else { return (UIDList(uidValidity: nil), .missing) }
        let after = try POSIX.stat(uidListPath).map(FileIdentity.init) ?? .missing
        let list = UIDList.parse(bytes)
        if !list.problems.isEmpty {
            logger.error("dovecot-uidlist is damaged; keeping every UID that can be read and repairing it",
                         metadata: ["folder": "\(path)", "problems": "\(list.problems.prefix(5).joined(separator: "; "))"])
        }
        return (list, before == after ? after : .missing)
    }

    /// Matches found files to UIDs, giving new UIDs to files without one and repairing a damaged or
    /// missing uidlist. Returns every found file's position in `found` with its UID; `identity`
    /// becomes that of the uidlist as this call left it.
    func assignUIDs(found: FoundFiles, list: inout UIDList, identity: inout FileIdentity,
                    state s: FolderState) throws -> [(uid: UID, position: Int)] {
        func match(_ list: UIDList) -> (assigned: [(uid: UID, position: Int)], unassigned: [Int]) {
            // A first contact (no uidlist yet) has nothing to match.
            if list.entries.isEmpty { return ([], Array(found.files.indices)) }
            var assigned: [(uid: UID, position: Int)] = []
            assigned.reserveCapacity(min(list.entries.count, found.count))
            var matched = [Bool](repeating: false, count: found.count)
            // Each base is in the list once (`UIDList.parse` keeps the later of two lines, as Dovecot does).
            for entry in list.entries {
                if let position = found.position(of: entry.base) {
                    matched[position] = true
                    assigned.append((entry.uid, position))
                }
            }
            if assigned.count == found.count { return (assigned, []) }
            return (assigned, found.files.indices.filter { !matched[$0] })
        }
        var (assigned, unassigned) = match(list)
        let needsRepair = !list.problems.isEmpty || list.uidValidity == nil
        let stale = list.entries.count - assigned.count
        let wantsCompaction = stale > 1000 && stale > assigned.count / 4
        guard !unassigned.isEmpty || needsRepair || wantsCompaction else { return assigned }

        // UIDs from here up were given after our listing began, to files we may not have seen: a
        // rewrite keeps their lines.
        let firstUnseenUID = list.nextUID
        let lock = try DotLock(for: uidListPath)
        // Someone may have assigned UIDs since we read: start again from the file as it is now.
        (list, identity) = try readUIDList()
        (assigned, unassigned) = match(list)
        var rewrite = !list.problems.isEmpty || list.uidValidity == nil || wantsCompaction
        let damaged = !list.problems.isEmpty || list.uidValidity == nil
        if list.uidValidity == nil {
            if let known = s.uidValidity {
                logger.error("dovecot-uidlist lost its UIDVALIDITY; restoring it from the index", metadata: ["folder": "\(path)"])
                list.uidValidity = known
            } else {
                if POSIX.exists(uidListPath) {
                    logger.error("dovecot-uidlist has no UIDVALIDITY and no index remembers it; clients will resync this folder",
                                 metadata: ["folder": "\(path)"])
                }
                list.uidValidity = UIDValidity(makeUIDValidity())
            }
        }
        // Restore the UIDs the index still knows for files whose lines the damaged list lost, and
        // never hand out a UID below the next UID the index knew: clients may have seen those.
        if damaged && s.uidValidity == list.uidValidity {
            list.headerNextUID = max(list.headerNextUID, s.nextUID)
            let usedUIDs = Set(list.entries.map(\.uid))
            let listedBases = Set(list.entries.map(\.base))
            var restored = list.entries
            for m in s.messages where found.contains(m.base) && !usedUIDs.contains(m.uid) && !listedBases.contains(m.base) {
                restored.append(UIDList.Entry(uid: m.uid, extensions: "", base: m.base))
            }
            if restored.count > list.entries.count {
                logger.error("restored UIDs of \(restored.count - list.entries.count) messages from the index", metadata: ["folder": "\(path)"])
                restored.sort { $0.uid < $1.uid }
                list.entries = restored
                (assigned, unassigned) = match(list)
            }
        }
        var newEntries: [UIDList.Entry] = []
        newEntries.reserveCapacity(unassigned.count)
        assigned.reserveCapacity(assigned.count + unassigned.count)
        var next = list.nextUID
        try found.files.withUnsafeBufferPointer { files in
            for position in Self.inArrivalOrder(unassigned, of: files) {
                try Self.checkUIDSpace(next)
                newEntries.append(UIDList.Entry(uid: UID(next), extensions: "", base: files[position].base))
                assigned.append((UID(next), position))
                next += 1
            }
        }
        if !POSIX.exists(uidListPath) { rewrite = true }
        if rewrite {
            if list.entries.isEmpty {
                list.entries = newEntries
            } else {
                // Every found file has a UID by now: a line is current when its file was found.
                list.entries = list.entries.filter { found.contains($0.base) || $0.uid.rawValue >= firstUnseenUID } + newEntries
            }
            list.headerNextUID = next
            list.problems = []
            if list.guid == nil { list.guid = Self.makeGUID() }
            try lock.replace(with: list.serialized(), durable: options.fsync)
            identity = try POSIX.stat(uidListPath).map(FileIdentity.init) ?? .missing
        } else {
            if !newEntries.isEmpty {
                try appendToUIDList(newEntries)
                identity = try POSIX.stat(uidListPath).map(FileIdentity.init) ?? .missing
            }
            list.entries += newEntries
            lock.release()
        }
        return assigned
    }

    /// Throws `.limit` when `uid` cannot be given out: the UID space of this UIDVALIDITY is used up.
    static func checkUIDSpace(_ uid: UInt32) throws {
        guard uid <= UIDList.maxUID else {
            throw StorageError(.limit, "no UIDs left in this folder; recreate it to get a new UIDVALIDITY")
        }
    }

    /// Appends lines for new messages, as Dovecot does, instead of rewriting a large file. A failed
    /// write is cut back off, so no torn line is left for the next appender (Dovecot) to extend.
    func appendToUIDList(_ entries: [UIDList.Entry]) throws {
        guard !entries.isEmpty else { return }
        let fd = try POSIX.open(uidListPath, O_WRONLY | O_APPEND)
        defer { POSIX.close(fd) }
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0 else { throw POSIX.error("stat", uidListPath) }
        do {
            var lines: [UInt8] = []
            for entry in entries { UIDList.appendLine(for: entry, to: &lines) }
            try POSIX.writeAll(fd, lines, path: uidListPath)
            if options.fsync { try POSIX.fsync(fd, path: uidListPath) }
        } catch {
            _ = ftruncate(fd, st.st_size)
            throw error
        }
    }

    /// Delivery order: Maildir names start with the delivery time in seconds; ties (and names
    /// without a time) in base name order. Keys are computed once, since a first sync sorts every file.
    static func inArrivalOrder(_ positions: [Int], of files: UnsafeBufferPointer<FoundFile>) -> [Int] {
        func deliveryTime(_ name: String) -> Int {
            var seconds = 0
            for byte in name.utf8 {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), seconds < 1 << 40 else { break }
                seconds = seconds * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return seconds
        }
        // Sorting positions: no file is copied, and each time is read once.
        var times = [Int](repeating: 0, count: files.count)
        for position in positions { times[position] = deliveryTime(files[position].base) }
        return positions.sorted { times[$0] != times[$1] ? times[$0] < times[$1] : files[$0].base < files[$1].base }
    }

    static func makeGUID() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// What a file seen for the first time is: sizes from its name where Dovecot or Roost put them
    /// there (then nothing is read: the internal date is learnt when first asked for), otherwise from
    /// `stat` (which gives the date too) and one read to count bare line ends. `nil` if it vanished.
    /// `directory` is the open `new/` or `cur/` the file is in (-1 to use the path).
    func describeNewFile(uid: UID, file: borrowing FoundFile, directory: Int32) -> MessageInfo? {
        let parsed = MaildirFileName(base: file.base)
        var message = MessageInfo(uid: uid, base: file.base, info: file.info, inNew: file.inNew, size: 0, virtualSize: 0, internalDate: nil)
        if let size = parsed.size, let virtualSize = parsed.virtualSize {
            message.size = size
            message.virtualSize = virtualSize
        } else {
            let full = path + (file.inNew ? "/new/" : "/cur/") + file.name
            var st = Glibc.stat()
            guard directory >= 0 ? fstatat(directory, file.name, &st, 0) == 0 : systemStat(full, &st) == 0 else { return nil }
            message.size = parsed.size ?? Int64(st.st_size)
            message.virtualSize = parsed.virtualSize ?? (try? Self.countVirtualSize(path: full)) ?? message.size
            message.internalDate = Int64(st.st_mtim.tv_sec)
        }
        message.fileName = file.name
        return message
    }

    /// The size with each bare LF counted as CRLF.
    static func countVirtualSize(path: String) throws -> Int64 {
        let fd = try POSIX.open(path, O_RDONLY)
        defer { POSIX.close(fd) }
        var counter = LineEndCounter()
        try withUnsafeTemporaryAllocation(byteCount: 64 * 1024, alignment: 1) { buffer in
            while true {
                let n = try POSIX.read(fd, into: buffer, path: path)
                counter.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                if n < buffer.count { break }
            }
        }
        return counter.virtualSize
    }

    func reloadKeywordsIfChanged(_ s: inout FolderState) throws {
        let identity = try POSIX.stat(keywordsPath).map(FileIdentity.init) ?? .missing
        guard identity != s.keywordsIdentity else { return }
        s.keywords = try POSIX.readFile(keywordsPath).map(KeywordTable.parse) ?? KeywordTable()
        s.keywordsIdentity = identity
    }
}

/// Counts bytes and bare LFs across chunks, for the CRLF ("virtual") size.
struct LineEndCounter {
    private(set) var bytes: Int64 = 0
    private(set) var bareLineFeeds: Int64 = 0
    private var previous: UInt8 = 0

    mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        for b in chunk {
            if b == 0x0A && previous != 0x0D { bareLineFeeds += 1 }
            previous = b
        }
        bytes += Int64(chunk.count)
    }

    var virtualSize: Int64 { bytes + bareLineFeeds }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
