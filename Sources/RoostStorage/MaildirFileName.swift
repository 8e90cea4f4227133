import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A Maildir message file name split into the parts Roost uses: the base name (which never changes
/// for the life of the message and is what `dovecot-uidlist` records), the sizes that Dovecot and
/// Courier put in it (`,S=<bytes>`, `,W=<bytes with CRLF line ends>`), and the flags after `:2,`.
public struct MaildirFileName: Hashable, Sendable {
    public var base: String
    public var info: MaildirInfo

    public init(base: String, info: MaildirInfo = MaildirInfo()) {
        self.base = base
        self.info = info
    }

    /// Splits a name found in `new/` or `cur/`. Names with an info part other than `2,` keep it whole
    /// in the base, as the specification leaves them experimental.
    public init(parsing name: String) {
        // Byte-wise: a first sync parses every name in the folder.
        let utf8 = name.utf8
        if let colon = utf8.lastIndex(of: UInt8(ascii: ":")),
           utf8[utf8.index(after: colon)...].starts(with: [UInt8(ascii: "2"), UInt8(ascii: ",")]) {
            base = String(name[..<colon])
            info = MaildirInfo(letters: name[utf8.index(colon, offsetBy: 3)...])
        } else {
            base = name
            info = MaildirInfo()
        }
    }

    /// The flags of the name `base` + `suffix` when `MaildirFileName(parsing:)` would split it there
    /// (an empty suffix, or `:2,` and letters without a colon); nil otherwise.
    static func info(base: String, suffix: ArraySlice<UInt8>) -> MaildirInfo? {
        let colon = UInt8(ascii: ":"), infoStart: [UInt8] = [colon, UInt8(ascii: "2"), UInt8(ascii: ",")]
        if suffix.isEmpty {
            // The whole name is the base only if it has no `:2,` part of its own.
            let utf8 = base.utf8
            if let last = utf8.lastIndex(of: colon), utf8[utf8.index(after: last)...].starts(with: infoStart.dropFirst()) {
                return nil
            }
            return MaildirInfo()
        }
        guard suffix.starts(with: infoStart), !suffix.dropFirst(3).contains(colon),
              let letters = String(validating: suffix.dropFirst(3), as: UTF8.self)
        else { return nil }
        return MaildirInfo(letters: letters)
    }

    /// The name in `cur/`: base, `:2,`, flags.
    public var curName: String { base + ":2," + info.letters }

    /// `S=` from the base name: the file's size in bytes; `nil` when absent or not believable (`maxSize`).
    public var size: Int64? { Self.field("S", in: base) }
    /// `W=` from the base name: the size with every line end counted as CRLF (IMAP's RFC822.SIZE).
    public var virtualSize: Int64? { Self.field("W", in: base) }

    /// The largest `S=`/`W=` value believed. Anything larger (or negative, or not plain digits) is
    /// treated as absent, so the caller falls back to the file's real size. The bound keeps sums of
    /// sizes far from `Int64` overflow: 2^23 messages of 1 TiB each still fit.
    static let maxSize: Int64 = 1 << 40

    static func field(_ letter: Character, in base: String) -> Int64? {
        guard let key = letter.asciiValue else { return nil }
        if let value = base.utf8.withContiguousStorageIfAvailable({ field(key, in: $0) }) { return value }
        return Array(base.utf8).withUnsafeBufferPointer { field(key, in: $0) }
    }

    /// Fields follow the unique part, after commas: "1234.M5P6.host,S=100,W=102". Read in one pass
    /// without splitting: a first sync reads two fields of every name in the folder.
    private static func field(_ key: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let comma = UInt8(ascii: ","), equals = UInt8(ascii: "="), zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        var index = 0
        while let next = bytes[index...].firstIndex(of: comma) {
            var end = next + 1
            while end < bytes.count, bytes[end] != comma { end += 1 }
            index = end
            // A part is the key, "=" and at least one character.
            guard end - next >= 4, bytes[next + 1] == key, bytes[next + 2] == equals else { continue }
            let digits = bytes[(next + 3)..<end]
            // Plain digits only, as Dovecot's str_to_uoff reads them.
            guard digits.count <= 18, digits.allSatisfy({ $0 >= zero && $0 <= nine }) else { return nil }
            let value = digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - zero) }
            return value <= maxSize ? value : nil
        }
        return nil
    }
}

/// Makes unique file names as maildir.txt describes: time, microseconds, process id and a per-process
/// counter, then the host name with `/` and `:` escaped.
enum UniqueNames {
    private static let counter = Atomic<Int>(0)
    private static let host: String = {
        var escaped = ""
        for c in POSIX.hostName() {
            switch c {
            case "/": escaped += "\\057"
            case ":": escaped += "\\072"
            case ",": escaped += "\\054"
            default: escaped.append(c)
            }
        }
        return escaped
    }()

    static func nextCounter() -> Int { counter.wrappingAdd(1, ordering: .relaxed).newValue }

    static func make() -> String {
        let now = POSIX.now()
        return "\(now.tv_sec).M\(now.tv_nsec / 1000)P\(getpid())Q\(nextCounter()).\(host)"
    }
}
