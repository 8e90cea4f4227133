import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The folder's message cache, `roost.cache`: parsed data (`CachedMessage`) per UID, so that listing a
/// folder in a mail client does not open and parse every message file again.
///
/// Layout: a 16-byte header (magic `RSTCCH01`, the folder's UIDVALIDITY, the format: payload layout
/// version in the low 16 bits, the `CacheRenderer` version in the high 16),
/// then records appended one `write(2)` each: record magic `RCR1`, UID, payload length (all `UInt32`
/// little-endian), FNV-1a 64 of the payload, payload (`CachedMessage+Binary`).
///
/// Like the index it is a cache. Records are only appended (by any process; `O_APPEND`), so a crash
/// leaves at worst a torn last record, which the walk on load stops at; the file is then rewritten
/// without it. A record whose checksum fails is ignored and the message parsed again. A file with
/// another UIDVALIDITY or format is discarded. When most records belong to expunged messages the file is
/// rewritten (tmp + rename) with the live ones.
final class MessageCache: Sendable {
    static let magic = Array("RSTCCH01".utf8)
    static let recordMagic: UInt32 = 0x3152_4352 // "RCR1"
    static let headerSize = 16
    static let recordHeaderSize = 20
    /// Largest payload accepted when walking the file; larger lengths mean damage.
    static let maxPayload = 64 << 20

    let path: String
    /// Payload layout and renderer version, as the file header keeps them.
    let format: UInt32
    /// The folder's directory: nothing is written once it is gone (deleted or renamed meanwhile).
    let folderPath: String
    let logger: Logger
    private let state = Mutex(State())

    private struct Location: Sendable {
        var offset: Int64
        var length: Int
        /// The record's checksum was checked (or this process wrote it whole with one write, so
        /// `offset` is where that write put it): the bytes at `offset` of the file the offsets
        /// refer to never change, so once is enough.
        var verified = false
    }

    private struct State: Sendable {
        var loaded = false
        var uidValidity: UInt32 = 0
        var records: [UInt32: Location] = [:]
        /// Records superseded by a later one for the same UID, or belonging to expunged messages.
        var deadRecords = 0
        /// The inode the offsets refer to; another process's rewrite shows as a new inode.
        var inode: UInt64 = 0
        /// The file the offsets refer to, open for reading; -1 when there is none. It stays that
        /// file when another process replaces the path, so records are read from the file they
        /// were found in.
        var reader: Int32 = -1
        /// The same file open for appending (`O_APPEND`), from this process's first append on; -1
        /// before. Kept, so an append is one `write(2)` and not an open, check and close each.
        var appender: Int32 = -1
        /// The last read of the file: records are read ahead in `readAhead` pieces, since a
        /// client's sync asks for them in UID order, which is mostly the order they were written.
        var window: (offset: Int64, bytes: [UInt8]) = (0, [])
    }

    /// Bytes read at once from the file.
    static let readAhead = 64 * 1024
    /// Opening the file walks every record header in pieces of this size.
    static let loadChunk = 1 << 20

    init(path: String, folderPath: String, rendererVersion: UInt16, logger: Logger) {
        self.path = path
        self.format = UInt32(CachedMessage.layoutVersion) | UInt32(rendererVersion) << 16
        self.folderPath = folderPath
        self.logger = logger
    }

    deinit {
        state.withLock { Self.closeFiles(&$0) }
    }

    private static func closeFiles(_ s: inout State) {
        if s.reader >= 0 { POSIX.close(s.reader) }
        if s.appender >= 0 { POSIX.close(s.appender) }
        s.reader = -1
        s.appender = -1
        s.window = (0, [])
    }

    /// Closes the file and forgets every offset into it: the next lookup loads the path afresh.
    private static func forgetFile(_ s: inout State) {
        closeFiles(&s)
        s = State()
    }

    /// The cached record for `uid`, or `nil` when not cached (or the record is damaged).
    func lookup(_ uid: UID, uidValidity: UIDValidity) -> CachedRecord? {
        state.withLock { s -> CachedRecord? in
            load(&s, uidValidity: uidValidity.rawValue)
            guard let location = s.records[uid.rawValue] else { return nil }
            guard let (bytes, start) = readRecord(at: location, uid: uid.rawValue, state: &s, verify: !location.verified) else {
                s.records[uid.rawValue] = nil
                s.deadRecords += 1
                if !pathNamesOurFile(s) {
                    s.loaded = false // replaced by another process: read it again next time
                }
                return nil
            }
            guard let record = CachedRecord(bytes: bytes, start: start, end: start + location.length) else {
                s.records[uid.rawValue] = nil
                s.deadRecords += 1
                return nil
            }
            s.records[uid.rawValue]?.verified = true
            return record
        }
    }

    /// Appends the record `payload` (`CachedMessage.encodedPayload()`) for `uid`. Failure to write
    /// only costs a parse later, so it is logged, not thrown.
    func store(_ payload: [UInt8], for uid: UID, uidValidity: UIDValidity) {
        state.withLock { s in
            load(&s, uidValidity: uidValidity.rawValue)
            do {
                guard let fd = try appender(&s) else {
                    // Rewritten by another process since we loaded it: read it again next time.
                    s.loaded = false
                    return
                }
                var record: [UInt8] = []
                record.reserveCapacity(Self.recordHeaderSize + payload.count)
                record.appendInteger(Self.recordMagic)
                record.appendInteger(uid.rawValue)
                record.appendInteger(UInt32(payload.count))
                record.appendInteger(fnv1a(payload))
                record.append(contentsOf: payload)
                // Where the record went is where this write ended, not the size seen before it:
                // another process may append in between.
                let whole = try Self.append(record, to: fd, path: path)
                let end = Int64(lseek(fd, 0, SEEK_CUR))
                guard end >= Int64(Self.headerSize + record.count) else { return }
                if s.records[uid.rawValue] != nil { s.deadRecords += 1 }
                // Trusted without a checksum only when one write put it there whole; otherwise
                // another append may lie between its pieces, and the checksum tells.
                s.records[uid.rawValue] = Location(offset: end - Int64(record.count) + Int64(Self.recordHeaderSize),
                                                   length: payload.count, verified: whole)
            } catch {
                logger.warning("could not write message cache: \(error)", metadata: ["cache": "\(path)"])
            }
        }
    }

    /// The descriptor appends go through, opened at the first append: nil when the path no
    /// longer names the file the offsets refer to. A file replaced later is noticed by
    /// `revalidate` at the next sync; appends until then go to the file being read.
    private func appender(_ s: inout State) throws -> Int32? {
        if s.appender >= 0 { return s.appender }
        let fd = try POSIX.open(path, O_WRONLY | O_APPEND)
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0, UInt64(st.st_ino) == s.inode else {
            POSIX.close(fd)
            return nil
        }
        s.appender = fd
        return fd
    }

    /// Appends `bytes` with one `write(2)` on the `O_APPEND` descriptor `fd`, which the system does
    /// as one piece: the descriptor's offset afterwards is where they end. Returns false when the
    /// write was short and the rest needed more writes.
    private static func append(_ bytes: [UInt8], to fd: Int32, path: String) throws -> Bool {
        let (written, code) = bytes.withUnsafeBytes { buffer -> (Int, Int32) in
            while true {
                let n = Glibc.write(fd, buffer.baseAddress!, buffer.count)
                if n >= 0 || errno != EINTR { return (n, errno) }
            }
        }
        if written < 0 { throw POSIX.error("write", path, errno: code) }
        if written == bytes.count { return true }
        try bytes.withUnsafeBytes { try POSIX.writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[written...]), path: path) }
        return false
    }

    /// Drops records of messages that are gone; rewrites the file when they are most of it.
    func retain(only live: Set<UID>) {
        state.withLock { s in
            guard s.loaded else { return }
            let before = s.records.count
            s.records = s.records.filter { live.contains(UID($0.key)) }
            s.deadRecords += before - s.records.count
            compactIfMostlyDead(&s)
        }
    }

    /// Drops the records of `uids` (messages this process expunged or moved away), at a cost of
    /// those few and not of the whole folder; rewrites the file when dead records are most of it.
    func drop(_ uids: [UID]) {
        state.withLock { s in
            guard s.loaded else { return }
            for uid in uids where s.records.removeValue(forKey: uid.rawValue) != nil {
                s.deadRecords += 1
            }
            compactIfMostlyDead(&s)
        }
    }

    private func compactIfMostlyDead(_ s: inout State) {
        guard s.deadRecords > 64 && s.deadRecords > s.records.count else { return }
        // A file another process put there meanwhile is not overwritten with the old one's records.
        guard pathNamesOurFile(s) else {
            Self.forgetFile(&s)
            return
        }
        rewrite(&s)
    }

    /// Notices that another process replaced the file (`mailboxctl index rebuild`, or its rewrite
    /// without expunged records): the path then names another inode than the file the offsets
    /// refer to, which the kept descriptor would go on reading. The offsets are dropped and the new
    /// file is read at the next lookup. One `stat`: the folder calls it at each sync, so a replaced
    /// file is used from the client's next command on, at no cost per record.
    func revalidate() {
        state.withLock { s in
            guard s.loaded, !pathNamesOurFile(s) else { return }
            Self.forgetFile(&s)
        }
    }

    /// The path still names the file the offsets refer to. While `reader` holds that file open its
    /// inode number cannot be given to another file.
    private func pathNamesOurFile(_ s: State) -> Bool {
        (try? POSIX.stat(path)).map { UInt64($0.st_ino) } == s.inode
    }

    /// Removes the file (for `rebuildIndex`).
    func discard() {
        state.withLock { s in
            try? POSIX.unlink(path)
            Self.forgetFile(&s)
        }
    }

    // MARK: - File

    private func load(_ s: inout State, uidValidity: UInt32) {
        if s.loaded && s.uidValidity == uidValidity { return }
        Self.forgetFile(&s)
        s.loaded = true
        s.uidValidity = uidValidity
        guard let fd = try? POSIX.open(path, O_RDONLY) else {
            createEmpty(&s)
            return
        }
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0 else {
            POSIX.close(fd)
            return
        }
        s.reader = fd
        s.inode = UInt64(st.st_ino)
        let size = Int64(st.st_size)
        guard let header = try? POSIX.pread(fd, offset: 0, count: Self.headerSize, path: path), header.count == Self.headerSize,
              Array(header.prefix(8)) == Self.magic
        else {
            logger.warning("message cache is damaged and will be rebuilt", metadata: ["cache": "\(path)"])
            createEmpty(&s)
            return
        }
        var reader = ByteReader(bytes: header, position: 8)
        guard let validity: UInt32 = reader.integer(), validity == uidValidity,
              let format: UInt32 = reader.integer(), format == self.format
        else {
            createEmpty(&s)
            return
        }
        var offset = Int64(Self.headerSize)
        var damaged = false
        // Record headers are read from `loadChunk` pieces of the file, not with a read each: a
        // 100,000-message folder's first FETCH after a restart made 100,000 reads.
        var chunk: [UInt8] = []
        var chunkStart = offset
        while offset < size {
            if offset + Int64(Self.recordHeaderSize) > chunkStart + Int64(chunk.count) {
                guard let bytes = try? POSIX.pread(fd, offset: offset, count: Int(min(Int64(Self.loadChunk), size - offset)), path: path),
                      bytes.count >= Self.recordHeaderSize
                else { damaged = true; break }
                chunk = bytes
                chunkStart = offset
            }
            let start = Int(offset - chunkStart)
            var r = ByteReader(bytes: chunk, position: start, end: start + Self.recordHeaderSize)
            guard let magic: UInt32 = r.integer(), magic == Self.recordMagic, let uid: UInt32 = r.integer(), uid > 0,
                  let length: UInt32 = r.integer(), Int(length) <= Self.maxPayload,
                  offset + Int64(Self.recordHeaderSize) + Int64(length) <= size
            else { damaged = true; break }
            if s.records[uid] != nil { s.deadRecords += 1 }
            s.records[uid] = Location(offset: offset + Int64(Self.recordHeaderSize), length: Int(length))
            offset += Int64(Self.recordHeaderSize) + Int64(length)
        }
        if damaged {
            logger.warning("message cache has a damaged tail; rewriting it without", metadata: ["cache": "\(path)"])
            rewrite(&s)
        }
    }

    /// The record at `location` in the file the offsets were read from: the bytes holding it and
    /// where its payload starts, from the read-ahead window or a new read of the file; nil when the
    /// record is damaged. The checksum is checked only with `verify`.
    private func readRecord(at location: Location, uid: UInt32, state s: inout State, verify: Bool) -> (bytes: [UInt8], start: Int)? {
        let recordStart = location.offset - Int64(Self.recordHeaderSize)
        let recordLength = Self.recordHeaderSize + location.length
        if recordStart < s.window.offset || recordStart + Int64(recordLength) > s.window.offset + Int64(s.window.bytes.count) {
            guard s.reader >= 0,
                  let bytes = try? POSIX.pread(s.reader, offset: recordStart, count: max(recordLength, Self.readAhead), path: path),
                  bytes.count >= recordLength
            else { return nil }
            s.window = (recordStart, bytes)
        }
        let bytes = s.window.bytes
        let start = Int(recordStart - s.window.offset)
        var r = ByteReader(bytes: bytes, position: start, end: start + recordLength)
        guard let magic: UInt32 = r.integer(), magic == Self.recordMagic, let recordUID: UInt32 = r.integer(), recordUID == uid,
              let _: UInt32 = r.integer(), let checksum: UInt64 = r.integer()
        else { return nil }
        let payloadStart = start + Self.recordHeaderSize
        guard !verify || checksum == fnv1a(bytes[payloadStart..<(payloadStart + location.length)]) else { return nil }
        return (bytes, payloadStart)
    }

    private func fileHeader(uidValidity: UInt32) -> [UInt8] {
        var out = Self.magic
        out.appendInteger(uidValidity)
        out.appendInteger(format)
        return out
    }

    private func createEmpty(_ s: inout State) {
        s.records = [:]
        s.deadRecords = 0
        Self.closeFiles(&s)
        if let (inode, reader) = writeReplacing(fileHeader(uidValidity: s.uidValidity)) {
            s.inode = inode
            s.reader = reader
        } else {
            s.inode = 0
        }
    }

    /// Writes the live records to a new file and renames it over the old one.
    private func rewrite(_ s: inout State) {
        var out = fileHeader(uidValidity: s.uidValidity)
        var moved: [UInt32: Location] = [:]
        for (uid, location) in s.records.sorted(by: { $0.key < $1.key }) {
            guard let (bytes, start) = readRecord(at: location, uid: uid, state: &s, verify: true) else { continue }
            let payload = bytes[start..<(start + location.length)]
            out.appendInteger(Self.recordMagic)
            out.appendInteger(uid)
            out.appendInteger(UInt32(payload.count))
            out.appendInteger(fnv1a(payload))
            moved[uid] = Location(offset: Int64(out.count), length: payload.count, verified: true)
            out.append(contentsOf: payload)
        }
        guard let (inode, reader) = writeReplacing(out) else { return }
        Self.closeFiles(&s)
        s.records = moved
        s.deadRecords = 0
        s.inode = inode
        s.reader = reader
    }

    /// Replaces the file atomically; returns the new file's inode and a descriptor reading it.
    private func writeReplacing(_ bytes: [UInt8]) -> (inode: UInt64, reader: Int32)? {
        guard POSIX.isDirectory(folderPath + "/cur") else { return nil }
        do {
            let directory = AtomicFile.parentDirectory(of: path)
            if !POSIX.isDirectory(directory) { try MailStore.makeDirectories(directory) }
            // The reader is taken from the file written, not by opening the path after the
            // rename: another process may have replaced it already, and the offsets are ours.
            let reader = try AtomicFile.writeKeepingReader(bytes, to: path, durable: false)
            var st = Glibc.stat()
            guard fstat(reader, &st) == 0 else {
                POSIX.close(reader)
                return nil
            }
            return (UInt64(st.st_ino), reader)
        } catch {
            logger.warning("could not write message cache: \(error)", metadata: ["cache": "\(path)"])
            return nil
        }
    }
}
