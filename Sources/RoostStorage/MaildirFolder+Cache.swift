import RoostMIME

extension MaildirFolder {
    /// The parsed envelope, structure and listed header fields of a message: from `roost.cache` when
    /// there, otherwise parsed from the file (streaming, in 256 KiB reads) and added to the cache.
    /// Throws `.expunged` when the message is gone.
    public func parsedMessage(_ uid: UID, limits: MIMELimits = .default) throws -> CachedMessage {
        let uidValidity = state.withLock { $0.uidValidity ?? UIDValidity(0) }
        if let cached = cache.lookup(uid, uidValidity: uidValidity) { return cached }
        let file = try openMessage(uid)
        var parser = MessageParser(limits: limits)
        var offset: Int64 = 0
        let chunkSize = 256 * 1024
        while true {
            let chunk = try file.read(at: offset, count: chunkSize)
            parser.feed(chunk: chunk)
            offset += Int64(chunk.count)
            if chunk.count < chunkSize { break }
        }
        let parsed = CachedMessage(parser.finish())
        cache.store(parsed, for: uid, uidValidity: uidValidity)
        return parsed
    }

    /// Throws away this folder's index and message cache and builds them again from the Maildir: every
    /// file listed and described afresh, every message parsed. UIDs come from the uidlist as always
    /// (and from the discarded index only to repair a damaged uidlist). Messages expunged meanwhile
    /// are skipped.
    @discardableResult
    public func rebuildIndex() throws -> FolderSnapshot {
        try state.withLock { s in
            try? POSIX.unlink(indexPath)
            cache.discard()
            s.indexOnDisk = false
            _ = try syncLocked(&s, moveNewToCur: false, rescan: true)
            writeIndex(&s, force: true)
        }
        let snapshot = self.snapshot
        for message in snapshot.messages {
            do {
                _ = try parsedMessage(message.uid)
            } catch let error as StorageError where error.kind == .expunged {
                continue
            }
        }
        return snapshot
    }
}
