#if canImport(Glibc)
import Glibc
#endif

extension MaildirFolder {
    /// Deletes messages' files. Returns the UIDs that are gone now, whoever removed them.
    ///
    /// - Parameter onlyDeleted: delete only messages flagged `\Deleted` at that moment (IMAP
    ///   EXPUNGE): checked under the folder's lock against the current file name, found again
    ///   after another process renamed it, so an undelete that came first wins.
    @discardableResult
    public func expunge(_ uids: [UID], onlyDeleted: Bool = false) throws -> [UID] {
        guard !uids.isEmpty else { return [] }
        return try state.withLock { s in
            let directory = try FolderDirectory(path)
            var gone: [UID] = []
            var freedBytes: Int64 = 0, freedMessages = 0
            // Unlinked messages leave the list in one pass at the end (or before a sync), not one
            // `remove(at:)` each: 100 expunges from a 10k folder moved a million entries.
            var unlinked = Set<UID>()
            var synced = false, unlinkedInNew = false, unlinkedInCur = false
            let batchStart = ownChangesStart(s)
            func dropUnlinked() {
                guard !unlinked.isEmpty else { return }
                s.messages.removeAll { unlinked.contains($0.uid) }
                unlinked.removeAll()
            }
            defer {
                // Also on a throw: the files are gone whatever happens next.
                dropUnlinked()
                if let batchStart, freedMessages > 0, !synced {
                    recordOwnChanges(&s, new: unlinkedInNew, cur: unlinkedInCur, since: batchStart)
                }
                if freedMessages > 0 {
                    quota?.record(bytes: -freedBytes, messages: -freedMessages)
                    cache.drop(gone)
                }
            }
            for uid in uids {
                for attempt in 0..<2 {
                    guard !unlinked.contains(uid), let position = s.position(of: uid) else {
                        gone.append(uid)
                        break
                    }
                    let message = s.messages[position]
                    if onlyDeleted && !message.info.system.contains(.deleted) { break }
                    if directory.unlink(message.relativePath) {
                        unlinked.insert(uid)
                        if message.inNew { unlinkedInNew = true } else { unlinkedInCur = true }
                        s.indexDirty = true
                        gone.append(uid)
                        freedBytes += message.size
                        freedMessages += 1
                        break
                    }
                    guard errno == ENOENT else { throw POSIX.error("unlink", path + "/" + message.relativePath) }
                    if attempt == 0 {
                        dropUnlinked()
                        synced = true
                        _ = try syncLocked(&s, moveNewToCur: false, relist: true)
                    }
                }
            }
            return gone
        }
    }

    /// Copies messages into `destination` (IMAP COPY) by hard links where the file system allows,
    /// otherwise by writing the bytes. Returns (source UID, new UID) pairs for the messages copied
    /// (UIDPLUS COPYUID); messages already gone are skipped. A message whose file another process
    /// renamed (flags changed) is found again, not skipped. On failure nothing is left in the
    /// destination: copies already placed are removed, so a retry does not duplicate them.
    @discardableResult
    public func copy(_ uids: [UID], to destination: MaildirFolder) throws -> [(source: UID, copy: UID)] {
        let snapshot = self.snapshot
        let messages = uids.compactMap { snapshot.index(of: $0).map { snapshot.messages[$0] } }
        try destination.quota?.check(addingBytes: messages.reduce(0) { $0 + $1.size }, messages: messages.count)
        let keywordBits = try messages.map { try destination.keywordBits(for: snapshot.keywords(of: $0), create: true) }
        var placed: [MessageInfo] = []
        var sources: [UID] = []
        do {
            for (message, bits) in zip(messages, keywordBits) {
                var copy = message
                copy.base = Self.freshBase(for: message)
                copy.info.keywords = bits
                copy.inNew = false
                guard try placeCopy(of: message.uid, as: &copy, in: destination) else { continue }
                placed.append(copy)
                sources.append(message.uid)
            }
            if options.fsync && !placed.isEmpty { try POSIX.fsyncDirectory(destination.path + "/cur") }
        } catch {
            for copy in placed { _ = Glibc.unlink(destination.path + "/" + copy.relativePath) }
            throw error
        }
        let newUIDs: [UID]
        do {
            newUIDs = try destination.register(placed)
        } catch {
            for copy in placed { _ = Glibc.unlink(destination.path + "/" + copy.relativePath) }
            throw error
        }
        destination.quota?.record(bytes: placed.reduce(0) { $0 + $1.size }, messages: placed.count)
        return Array(zip(sources, newUIDs)).map { (source: $0.0, copy: $0.1) }
    }

    /// Puts a copy of message `uid` at `copy`'s name in `destination`: a hard link, else the bytes
    /// through `tmp/` (then `copy.base` changes). False when the message is gone.
    private func placeCopy(of uid: UID, as copy: inout MessageInfo, in destination: MaildirFolder) throws -> Bool {
        for attempt in 0..<2 {
            guard let message = state.withLock({ $0.message(uid) }) else { return false }
            if Glibc.link(path + "/" + message.relativePath, destination.path + "/" + copy.relativePath) == 0 {
                return true
            }
            if errno == ENOENT {
                // Renamed (flags changed) or deleted by another process: look again.
                if attempt == 0 { try syncAfterMissingFile() }
                continue
            }
            // Another file system or no link support: copy the bytes.
            let writer = try destination.beginSave()
            let file: MessageFile
            do {
                file = try openMessage(uid)
            } catch let error as StorageError where error.kind == .expunged {
                writer.abort()
                return false
            }
            var offset: Int64 = 0
            while offset < file.size {
                let chunk = try file.read(at: offset, count: 256 * 1024)
                if chunk.isEmpty { break }
                try writer.write(chunk)
                offset += Int64(chunk.count)
            }
            let fileDate = file.modificationTime
            let (base, _, _) = try writer.finish(internalDate: message.internalDate ?? fileDate)
            copy.base = base
            try POSIX.rename(writer.temporaryPath, destination.path + "/" + copy.relativePath)
            return true
        }
        guard state.withLock({ $0.message(uid) }) != nil else { return false }
        throw StorageError(.temporary, "message \(uid) is being changed by another process; try again")
    }

    /// A new unique base name carrying the message's sizes. Copies and moved messages get one, so a
    /// message moved away and back is a new file with a new UID, never its old UID again.
    static func freshBase(for message: MessageInfo) -> String {
        UniqueNames.make() + ",S=\(message.size),W=\(message.virtualSize)"
    }

    /// Moves messages into `destination` (IMAP MOVE) by renaming their files, which is atomic: a
    /// message is never in both folders or in neither. Falls back to copy and expunge across file
    /// systems. If a rename fails midway, the messages already moved are still recorded on both
    /// sides before the error is thrown.
    @discardableResult
    public func move(_ uids: [UID], to destination: MaildirFolder) throws -> [(source: UID, copy: UID)] {
        let snapshot = self.snapshot
        let messages = uids.compactMap { snapshot.index(of: $0).map { snapshot.messages[$0] } }
        let keywordBits = try messages.map { try destination.keywordBits(for: snapshot.keywords(of: $0), create: true) }
        var placed: [MessageInfo] = []
        var moved: [UID] = []
        var fallback: [UID] = []
        var failure: (any Error)?
        do {
            for (message, bits) in zip(messages, keywordBits) {
                var target = message
                target.base = Self.freshBase(for: message)
                target.info.keywords = bits
                target.inNew = false
                switch try placeByRename(message.uid, as: target, in: destination) {
                case .moved:
                    placed.append(target)
                    moved.append(message.uid)
                case .otherFileSystem: fallback.append(message.uid)
                case .gone: break
                }
            }
            if options.fsync && !placed.isEmpty {
                try POSIX.fsyncDirectory(destination.path + "/cur")
                try POSIX.fsyncDirectory(path + "/cur")
            }
        } catch {
            failure = error
        }
        state.withLock { s in
            // One pass, as in `expunge`: a `remove(at:)` per message is O(n) each.
            let gone = Set(moved)
            if !gone.isEmpty { s.messages.removeAll { gone.contains($0.uid) } }
            s.indexDirty = true
            if !moved.isEmpty { cache.drop(moved) }
        }
        var pairs = Array(zip(moved, try destination.register(placed))).map { (source: $0.0, copy: $0.1) }
        if let failure { throw failure }
        if !fallback.isEmpty {
            let copied = try copy(fallback, to: destination)
            try expunge(copied.map(\.source))
            pairs += copied
        }
        return pairs
    }

    private enum RenameOutcome { case moved, otherFileSystem, gone }

    /// Renames message `uid`'s file to `target` in `destination`, finding it again once if another
    /// process renamed it meanwhile.
    private func placeByRename(_ uid: UID, as target: MessageInfo, in destination: MaildirFolder) throws -> RenameOutcome {
        for attempt in 0..<2 {
            guard let message = state.withLock({ $0.message(uid) }) else { return .gone }
            if Glibc.rename(path + "/" + message.relativePath, destination.path + "/" + target.relativePath) == 0 {
                return .moved
            }
            switch errno {
            case EXDEV: return .otherFileSystem
            case ENOENT: if attempt == 0 { try syncAfterMissingFile() }
            default: throw POSIX.error("rename", path + "/" + message.relativePath)
            }
        }
        guard state.withLock({ $0.message(uid) }) != nil else { return .gone }
        throw StorageError(.temporary, "message \(uid) is being changed by another process; try again")
    }
}
