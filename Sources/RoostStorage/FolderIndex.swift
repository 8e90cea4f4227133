#if canImport(Glibc)
import Glibc
#endif

/// Roost's per-folder index, `roost.index`: the folder's messages (UID, base name, flags, sizes,
/// internal date) and what they were derived from, so that opening a large folder whose files have not
/// changed reads this one file instead of listing and stat-ing every message.
///
/// It is a cache and never the source of truth. It is trusted only when the uidlist's identity
/// (inode, size, mtime) and the mtimes of `new/` and `cur/` are what they were when it was written,
/// and the directories had been settled for `settleNanoseconds` then (file times are coarse, so a
/// change in the same tick as our listing would not change the mtime we saw). A checksum catches a
/// torn or damaged file, which is then rebuilt from the Maildir.
///
/// Layout (little-endian): magic `RSTIDX03`, then the header fields and records in the order of
/// `encode`, then an FNV-1a 64-bit checksum of everything before it.
struct FolderIndex: Equatable, Sendable {
    static let magic = Array("RSTIDX03".utf8)
    /// How long a directory's mtime must predate our listing for the listing to be trusted later.
    static let settleNanoseconds: Int64 = 2_000_000_000
    /// Written for a message whose internal date was not read yet.
    static let unknownDate = Int64.min

    var uidValidity: UIDValidity
    var nextUID: UInt32
    var uidListIdentity: FileIdentity
    var newDirectoryMtime: Int64
    var curDirectoryMtime: Int64
    /// When `new/` and `cur/` were last listed.
    var scanTime: Int64
    var messages: [MessageInfo]

    func encode() -> [UInt8] {
        var out = Self.magic
        // Exactly: a 100,000-message index grown by doubling would be copied again and again.
        let size = messages.withUnsafeBufferPointer { messages in
            messages.indices.reduce(0) { $0 + 41 + messages[$1].base.utf8.count + messages[$1].fileNameAfterBase.utf8.count }
        }
        out.reserveCapacity(out.count + 64 + size)
        out.appendInteger(uidValidity.rawValue)
        out.appendInteger(nextUID)
        out.appendInteger(uidListIdentity.inode)
        out.appendInteger(uidListIdentity.size)
        out.appendInteger(uidListIdentity.mtime)
        out.appendInteger(newDirectoryMtime)
        out.appendInteger(curDirectoryMtime)
        out.appendInteger(scanTime)
        out.appendInteger(UInt32(messages.count))
        // Through the buffer: an array's subscript hands out copies, a buffer's is borrowed.
        messages.withUnsafeBufferPointer { messages in
            guard let first = messages.baseAddress else { return }
            for index in messages.indices { Self.append(first + index, to: &out) }
        }
        out.appendInteger(fnv1a(out))
        return out
    }

    /// One message's record, read field by field through a pointer: passing the message itself,
    /// even borrowed, copied it (four retains).
    private static func append(_ m: UnsafePointer<MessageInfo>, to out: inout [UInt8]) {
        out.appendInteger(m.pointee.uid.rawValue)
        out.append(m.pointee.inNew ? 1 : 0)
        out.appendInteger(m.pointee.size)
        out.appendInteger(m.pointee.virtualSize)
        out.appendInteger(m.pointee.internalDate ?? Self.unknownDate)
        out.appendString(m.pointee.base)
        out.appendString(m.pointee.fileNameAfterBase)
    }

    /// `nil` for anything that is not an intact index of this version.
    static func decode(_ bytes: [UInt8]) -> FolderIndex? {
        guard bytes.count >= magic.count + 8, Array(bytes.prefix(magic.count)) == magic else { return nil }
        let body = bytes[..<(bytes.count - 8)]
        var reader = ByteReader(bytes: bytes, position: bytes.count - 8)
        guard let checksum: UInt64 = reader.integer(), checksum == fnv1a(body) else { return nil }
        reader = ByteReader(bytes: bytes, position: magic.count, end: bytes.count - 8)
        guard let validity: UInt32 = reader.integer(), let next: UInt32 = reader.integer(),
              let inode: UInt64 = reader.integer(), let size: Int64 = reader.integer(), let mtime: Int64 = reader.integer(),
              let newMtime: Int64 = reader.integer(), let curMtime: Int64 = reader.integer(),
              let scanTime: Int64 = reader.integer(), let count: UInt32 = reader.integer()
        else { return nil }
        var messages: [MessageInfo] = []
        messages.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let uid: UInt32 = reader.integer(), let location = reader.byte(),
                  let msgSize: Int64 = reader.integer(), let vsize: Int64 = reader.integer(),
                  let date: Int64 = reader.integer(), let base = reader.string(), let suffix = reader.byteSlice()
            else { return nil }
            if let last = messages.last, UID(uid) <= last.uid { return nil }
            let sizes = 0...MaildirFileName.maxSize
            guard sizes.contains(msgSize), sizes.contains(vsize), let info = MaildirFileName.info(base: base, suffix: suffix)
            else { return nil }
            var message = MessageInfo(uid: UID(uid), base: base, info: info, inNew: location == 1,
                                      size: msgSize, virtualSize: vsize, internalDate: date == unknownDate ? nil : date)
            // Most names are canonical; only others are kept whole.
            if !suffix.elementsEqual(message.fileNameSuffix.utf8) {
                message.fileName = base + String(decoding: suffix, as: UTF8.self)
            }
            messages.append(message)
        }
        guard reader.atEnd else { return nil }
        return FolderIndex(uidValidity: UIDValidity(validity), nextUID: next,
                           uidListIdentity: FileIdentity(inode: inode, size: size, mtime: mtime),
                           newDirectoryMtime: newMtime, curDirectoryMtime: curMtime, scanTime: scanTime, messages: messages)
    }
}

/// What tells us a file was replaced or changed without reading it.
struct FileIdentity: Equatable, Sendable {
    var inode: UInt64
    var size: Int64
    var mtime: Int64

    static let missing = FileIdentity(inode: 0, size: -1, mtime: 0)

    init(inode: UInt64, size: Int64, mtime: Int64) {
        self.inode = inode
        self.size = size
        self.mtime = mtime
    }

    init(_ st: stat) {
        self.init(inode: UInt64(st.st_ino), size: Int64(st.st_size), mtime: st.modificationNanoseconds)
    }
}

func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
    // Over contiguous memory without per-byte bounds checks: indexes of 100k messages are megabytes.
    if let hash = bytes.withContiguousStorageIfAvailable({ buffer in
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in buffer {
            hash ^= UInt64(b)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }) {
        return hash
    }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
        hash ^= UInt64(b)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}

extension Array where Element == UInt8 {
    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendString(_ string: some StringProtocol) {
        appendInteger(UInt32(string.utf8.count))
        append(contentsOf: string.utf8)
    }
}

/// Bounds-checked reading of the little-endian layouts Roost writes; every read returns `nil` past
/// the end instead of trapping, so a damaged file is just "not an index".
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(bytes: [UInt8], position: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.position = position
        self.end = end ?? bytes.count
    }

    var atEnd: Bool { position == end }

    mutating func byte() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func integer<T: FixedWidthInteger>() -> T? {
        let width = MemoryLayout<T>.size
        guard end - position >= width else { return nil }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: T.self) }
        position += width
        return T(littleEndian: value)
    }

    mutating func string() -> String? {
        guard let length: UInt32 = integer(), end - position >= Int(length) else { return nil }
        defer { position += Int(length) }
        return String(decoding: bytes[position..<(position + Int(length))], as: UTF8.self)
    }

    mutating func bytes(count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, end - position >= count else { return nil }
        defer { position += count }
        return bytes[position..<(position + count)]
    }
}
