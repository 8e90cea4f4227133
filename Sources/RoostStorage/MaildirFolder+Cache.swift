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

    /// The message's complete record in `roost.cache` (header fields, renderings, envelope and
    /// structure), made by parsing the file when it is not there yet or only its header record is.
    /// Cheaper than `parsedMessage` when only header fields or renderings are needed.
    public func cachedRecord(_ uid: UID, limits: MIMELimits = .default) throws -> CachedRecord {
        let uidValidity = state.withLock { $0.uidValidity ?? UIDValidity(0) }
        if let record = cache.lookup(uid, uidValidity: uidValidity), record.isComplete { return record }
        return try store(try parse(uid, limits: limits), for: uid, uidValidity: uidValidity)
    }

    /// The message's record, enough for its cached header fields and what `CacheRenderer.renderHeader`
    /// makes (IMAP's ENVELOPE). A message not cached yet gets a header record, made from the file
    /// read only up to the blank line that ends the header: a mail client's first sync of a folder
    /// asks for these and nothing else, and its bodies (the attachments) are most of the bytes.
    /// The first `cachedRecord` of the message later parses it whole.
    public func headerRecord(_ uid: UID, limits: MIMELimits = .default) throws -> CachedRecord {
        let uidValidity = state.withLock { $0.uidValidity ?? UIDValidity(0) }
        if let record = cache.lookup(uid, uidValidity: uidValidity) { return record }
        let file = try openMessage(uid)
        var parser = MessageParser(limits: limits)
        var offset: Int64 = 0
        while true {
            let chunk = try file.read(at: offset, count: Self.headerReadSize)
            offset += Int64(chunk.count)
            // Fed in slices, so that little of the body is scanned after the header ends.
            var sliceStart = 0
            while sliceStart < chunk.count {
                let sliceEnd = min(sliceStart + Self.headerSliceSize, chunk.count)
                parser.feed(chunk: chunk[sliceStart..<sliceEnd])
                sliceStart = sliceEnd
                if let header = parser.header {
                    let renderings = options.cacheRenderer?.renderHeader(header.envelope) ?? [:]
                    let payload = CachedHeader(header, size: file.size, renderings: renderings).encodedPayload()
                    cache.store(payload, for: uid, uidValidity: uidValidity)
                    return try Self.record(payload, uid: uid)
                }
            }
            // The whole file without a blank line is all header: the complete record is at hand.
            if chunk.count < Self.headerReadSize {
                return try store(CachedMessage(parser.finish()), for: uid, uidValidity: uidValidity)
            }
        }
    }

    /// Reads of a message file while looking for the end of its header.
    static let headerReadSize = 16 * 1024
    /// The parser is asked after each slice of this size whether the header has ended.
    static let headerSliceSize = 4 * 1024

    /// Renders `message`, appends its complete record and returns it.
    private func store(_ message: CachedMessage, for uid: UID, uidValidity: UIDValidity) throws -> CachedRecord {
        var message = message
        if let renderer = options.cacheRenderer { message.renderings = renderer.render(message) }
        let payload = message.encodedPayload()
        cache.store(payload, for: uid, uidValidity: uidValidity)
        return try Self.record(payload, uid: uid)
    }

    private static func record(_ payload: [UInt8], uid: UID) throws -> CachedRecord {
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
