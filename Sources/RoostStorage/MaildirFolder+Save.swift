#if canImport(Glibc)
import Glibc
#endif

/// A message being written into a folder's `tmp/`. Nothing of it is visible until `commit`; `abort`
/// (or dropping it) removes the temporary file.
///
/// Once aborted (by the caller, by a write past the size limit, by a failed write) every later `write`
/// and the `commit` throw the reason instead of trapping: a streaming APPEND keeps feeding the rest of
/// a literal after the first piece went over the limit, and that must not bring the process down.
public final class MessageWriter {
    let folder: MaildirFolder
    let temporaryPath: String
    let unique: String
    private var fd: Int32
    private var counter = LineEndCounter()
    private var state = State.writing

    private enum State {
        case writing
        /// The temporary file is gone; the error says why.
        case aborted(StorageError)
        case finished
    }

    init(folder: MaildirFolder) throws {
        self.folder = folder
        self.unique = UniqueNames.make()
        self.temporaryPath = folder.path + "/tmp/" + unique
        self.fd = try POSIX.open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL)
    }

    public var bytesWritten: Int64 { counter.bytes }

    /// Appends bytes; throws `.limit` past the folder's maximum message size (the file is removed, and
    /// every later write throws the same error).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try requireWriting()
        let limit = folder.options.maxMessageSize
        // Subtracting: counter.bytes <= limit here, so this cannot overflow where an addition could.
        if limit > 0 && Int64(bytes.count) > limit - counter.bytes {
            let error = StorageError(.limit, "message is larger than the limit of \(limit) bytes")
            abort(because: error)
            throw error
        }
        do {
            try POSIX.writeAll(fd, bytes, path: temporaryPath)
        } catch {
            abort(because: error as? StorageError ?? StorageError(.temporary, "write \(temporaryPath): \(error)"))
            throw error
        }
        counter.feed(bytes)
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func abort() {
        abort(because: StorageError(.temporary, "the message being saved was aborted"))
    }

    private func abort(because reason: StorageError) {
        guard case .writing = state else { return }
        state = .aborted(reason)
        POSIX.close(fd)
        _ = Glibc.unlink(temporaryPath)
    }

    private func requireWriting() throws {
        switch state {
        case .writing: return
        case .aborted(let reason): throw reason
        case .finished: throw StorageError(.temporary, "the message being saved was already committed")
        }
    }

    /// Makes the file durable and gives it its final name; returns the base name.
    func finish(internalDate: Int64?) throws -> (base: String, size: Int64, virtualSize: Int64) {
        try requireWriting()
        state = .finished
        defer { POSIX.close(fd) }
        do {
            if folder.options.fsync { try POSIX.fsync(fd, path: temporaryPath) }
            if let internalDate { try POSIX.setModificationTime(fd, seconds: internalDate, path: temporaryPath) }
        } catch {
            _ = Glibc.unlink(temporaryPath)
            throw error
        }
        return (unique + ",S=\(counter.bytes),W=\(counter.virtualSize)", counter.bytes, counter.virtualSize)
    }

    deinit { abort() }
}

extension MaildirFolder {
    /// Starts saving a message (IMAP APPEND, a delivery): write it in pieces, then `commit`.
    public func beginSave() throws -> MessageWriter {
        try MessageWriter(folder: self)
    }

    /// Saves a whole message and returns its UID.
    @discardableResult
    public func save(_ bytes: [UInt8], flags: SystemFlags = [], keywords: [String] = [], internalDate: Int64? = nil) throws -> UID {
        let writer = try beginSave()
        try writer.write(bytes)
        return try commit(writer, flags: flags, keywords: keywords, internalDate: internalDate)
    }

    /// Makes a written message visible: quota check, fsync, rename into `new/` (no flags, as a delivery
    /// would) or `cur/` (with flags), then a UID under the uidlist lock.
    public func commit(_ writer: MessageWriter, flags: SystemFlags = [], keywords: [String] = [], internalDate: Int64? = nil) throws -> UID {
        precondition(writer.folder === self, "writer belongs to another folder")
        do {
            try quota?.check(addingBytes: writer.bytesWritten, messages: 1)
        } catch {
            writer.abort()
            throw error
        }
        let info: MaildirInfo
        do {
            info = MaildirInfo(system: flags, keywords: try keywordBits(for: keywords, create: true))
        } catch {
            writer.abort()
            throw error
        }
        let (base, size, virtualSize) = try writer.finish(internalDate: internalDate)
        let date = internalDate ?? Int64(POSIX.now().tv_sec)
        let message = MessageInfo(uid: UID(0), base: base, info: info, inNew: info == MaildirInfo(), size: size,
                                  virtualSize: virtualSize, internalDate: date)
        do {
            try POSIX.rename(writer.temporaryPath, path + "/" + message.relativePath)
        } catch {
            _ = Glibc.unlink(writer.temporaryPath)
            throw error
        }
        do {
            if options.fsync { try POSIX.fsyncDirectory(path + (message.inNew ? "/new" : "/cur")) }
            let uid = try register([message])[0]
            quota?.record(bytes: size, messages: 1)
            return uid
        } catch {
            // Not acknowledged, so not saved: a client retrying must not end up with two copies.
            _ = Glibc.unlink(path + "/" + message.relativePath)
            throw error
        }
    }

    /// Gives UIDs to messages just placed in `new/` or `cur/` by this process and adds them to the view.
    /// Appends to the uidlist under its lock; a damaged or missing uidlist is handled by a full sync.
    func register(_ placed: [MessageInfo]) throws -> [UID] {
        try state.withLock { s in
            let lock = try DotLock(for: uidListPath)
            // Nobody wrote the uidlist since this process last read or wrote it: the next UIDs are
            // ours to give without reading it again (a big folder's uidlist is megabytes).
            if s.loaded, s.uidValidity != nil, s.uidListIdentity != .missing,
               try POSIX.stat(uidListPath).map(FileIdentity.init) == s.uidListIdentity {
                var next = s.nextUID
                var entries: [UIDList.Entry] = []
                for m in placed {
                    try Self.checkUIDSpace(next)
                    entries.append(UIDList.Entry(uid: UID(next), extensions: "", base: m.base))
                    next += 1
                }
                try appendToUIDList(entries)
                // Still under the lock: the file is exactly what we know.
                s.uidListIdentity = try POSIX.stat(uidListPath).map(FileIdentity.init) ?? .missing
                lock.release()
                s.nextUID = next
                for (m, entry) in zip(placed, entries) {
                    var added = m
                    added.uid = entry.uid
                    s.messages.append(added)
                }
                s.indexDirty = true
                writeIndex(&s, force: false)
                return entries.map(\.uid)
            }
            var (list, _) = try readUIDList()
            guard list.problems.isEmpty, list.uidValidity != nil, list.uidValidity == s.uidValidity else {
                lock.release()
                _ = try syncLocked(&s, moveNewToCur: false)
                return try placed.map { m in
                    guard let found = s.messages.first(where: { $0.base == m.base }) else {
                        throw StorageError(.expunged, "message \(m.base) vanished right after it was saved")
                    }
                    return found.uid
                }
            }
            var entries: [UIDList.Entry] = []
            var uids: [UID] = []
            let listed = Dictionary(list.entries.map { ($0.base, $0.uid) }, uniquingKeysWith: { a, _ in a })
            var next = list.nextUID
            for m in placed {
                if let uid = listed[m.base] {
                    uids.append(uid) // another process's sync already saw it
                } else {
                    try Self.checkUIDSpace(next)
                    entries.append(UIDList.Entry(uid: UID(next), extensions: "", base: m.base))
                    uids.append(UID(next))
                    next += 1
                }
            }
            try appendToUIDList(entries)
            // Under the lock the file is the list just read plus our lines: the next save need
            // not read it again. (Entries of other processes' files that this view lacks are
            // found by the next sync, which lists the directories their arrival changed.)
            s.uidListIdentity = try POSIX.stat(uidListPath).map(FileIdentity.init) ?? .missing
            lock.release()
            list.entries += entries
            s.nextUID = max(s.nextUID, list.nextUID)
            for (m, uid) in zip(placed, uids) where s.position(of: uid) == nil {
                var added = m
                added.uid = uid
                if let last = s.messages.last, last.uid > uid {
                    let at = s.messages.firstIndex { $0.uid > uid } ?? s.messages.count
                    s.messages.insert(added, at: at)
                } else {
                    s.messages.append(added)
                }
            }
            s.indexDirty = true
            writeIndex(&s, force: false)
            return uids
        }
    }

    /// Maildir keyword bits for keyword names, adding names to `dovecot-keywords` when `create` is set.
    /// Throws `.limit` when a folder would need more than 26 keywords.
    func keywordBits(for names: [String], create: Bool) throws -> UInt32 {
        guard !names.isEmpty else { return 0 }
        for name in names where !KeywordTable.isValidKeyword(name) {
            throw StorageError(.invalidName, "\"\(name)\" is not a valid keyword")
        }
        return try state.withLock { s in
            try reloadKeywordsIfChanged(&s)
            var missing = names.filter { s.keywords.index(of: $0) == nil }
            if create && !missing.isEmpty {
                // Dovecot adds keywords only while holding the uidlist lock (and breaks a keywords
                // lock it finds), so the uidlist lock is what keeps the two of us from racing.
                let uidListLock = try DotLock(for: uidListPath)
                let lock = try DotLock(for: keywordsPath)
                var table = try POSIX.readFile(keywordsPath).map(KeywordTable.parse) ?? KeywordTable()
                for name in missing where table.add(name) == nil {
                    lock.release()
                    throw StorageError(.limit, "this folder already uses \(MaildirInfo.maxKeywords) keywords")
                }
                try lock.replace(with: table.serialized(), durable: options.fsync)
                s.keywords = table
                s.keywordsIdentity = try POSIX.stat(keywordsPath).map(FileIdentity.init) ?? .missing
                uidListLock.release()
                missing = []
            }
            var bits: UInt32 = 0
            for name in names {
                if let index = s.keywords.index(of: name) { bits |= 1 << UInt32(index) }
            }
            return bits
        }
    }
}
