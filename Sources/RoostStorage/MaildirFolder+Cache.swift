import RoostMIME

extension MaildirFolder {
    /// The parsed envelope, structure and listed header fields of a message: from `roost.cache` when
    /// there, otherwise parsed from the file (streaming, in 256 KiB reads) and added to the cache.
    /// Throws `.expunged` when the message is gone.
    public func parsedMessage(_ uid: UID, limits: MIMELimits = .default) throws -> CachedMessage {
        // A record whose envelope or structure cannot be decoded passed its checksum, so it is
        // ours and wrong: parse the file rather than trust it.
        try cachedRecord(uid, limits: limits).message() ?? parse(uid, limits: limits)
    }

    /// The message's record in `roost.cache`, made by parsing the file when it is not there yet.
    /// Cheaper than `parsedMessage` when only header fields or renderings are needed.
    public func cachedRecord(_ uid: UID, limits: MIMELimits = .default) throws -> CachedRecord {
        let uidValidity = state.withLock { $0.uidValidity ?? UIDValidity(0) }
        if let record = cache.lookup(uid, uidValidity: uidValidity) { return record }
        var message = try parse(uid, limits: limits)
        if let renderer = options.cacheRenderer { message.renderings = renderer.render(message) }
        let payload = message.encodedPayload()
        cache.store(payload, for: uid, uidValidity: uidValidity)
        guard let record = CachedRecord(payload: payload) else {
            throw StorageError(.temporary, "message \(uid) could not be described")
        }
        return record
    }

    /// Parses the message's file, streaming it in 256 KiB reads.
    private func parse(_ uid: UID, limits: MIMELimits) throws -> CachedMessage {
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
        return CachedMessage(parser.finish())
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
            _ = try syncLocked(&s, moveNewToCur: false, rescan: true)
        }
        flushIndex()
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
