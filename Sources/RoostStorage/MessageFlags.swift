/// The five IMAP system flags that Maildir records as letters (`\Recent` is session state, not stored).
public struct SystemFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let seen = SystemFlags(rawValue: 1 << 0)
    public static let answered = SystemFlags(rawValue: 1 << 1)
    public static let flagged = SystemFlags(rawValue: 1 << 2)
    public static let deleted = SystemFlags(rawValue: 1 << 3)
    public static let draft = SystemFlags(rawValue: 1 << 4)
}

/// The flags part of a Maildir file name, after `:2,` (maildir.txt "info"): upper-case letters for
/// system flags (`D` draft, `F` flagged, `R` replied, `S` seen, `T` trashed), lower-case `a`-`z` for
/// keywords numbered through `dovecot-keywords`. Letters Roost does not know (`P` "passed") are kept
/// as they are, so another program's flags survive our renames.
public struct MaildirInfo: Hashable, Sendable {
    public var system: SystemFlags
    /// Bit `i` set means keyword number `i` (letter `a` + i).
    public var keywords: UInt32
    /// Other letters, kept in ASCII order.
    public var other: [UInt8]
    /// What follows a comma after the flags (`:2,FS,<fields>`, written by some tools): not flags,
    /// kept as it is.
    public var trailer: [UInt8] = []

    public static let maxKeywords = 26

    public init(system: SystemFlags = [], keywords: UInt32 = 0, other: [UInt8] = []) {
        self.system = system
        self.keywords = keywords
        self.other = other
    }

    /// In ASCII order (`letters` relies on it).
    private static let systemLetters: [(UInt8, SystemFlags)] = [
        (UInt8(ascii: "D"), .draft), (UInt8(ascii: "F"), .flagged), (UInt8(ascii: "R"), .answered),
        (UInt8(ascii: "S"), .seen), (UInt8(ascii: "T"), .deleted),
    ]

    /// Reads the letters without copying them: a first sync reads the flags of every file.
    public init(letters: some StringProtocol) {
        self.init()
        let utf8 = letters.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let c = utf8[index]
            utf8.formIndex(after: &index)
            if c == UInt8(ascii: ",") {
                trailer = Array(utf8[index...])
                break
            }
            if let flag = Self.systemLetters.first(where: { $0.0 == c })?.1 {
                system.insert(flag)
            } else if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") {
                keywords |= 1 << UInt32(c - UInt8(ascii: "a"))
            } else if c > 0x20 && c < 0x7F && !other.contains(c) {
                other.append(c)
            }
        }
        other.sort()
    }

    /// The letters in ASCII order, as the Maildir specification asks.
    public var letters: String {
        if other.isEmpty && trailer.isEmpty {
            // The common case, written straight into the string (short enough to need no allocation).
            return String(unsafeUninitializedCapacity: Self.systemLetters.count + Self.maxKeywords) { buffer in
                var count = 0
                for (letter, flag) in Self.systemLetters where system.contains(flag) {
                    buffer[count] = letter
                    count += 1
                }
                for i in 0..<UInt32(Self.maxKeywords) where keywords & (1 << i) != 0 {
                    buffer[count] = UInt8(ascii: "a") + UInt8(i)
                    count += 1
                }
                return count
            }
        }
        var out: [UInt8] = other
        for (letter, flag) in Self.systemLetters where system.contains(flag) { out.append(letter) }
        out.sort()
        for i in 0..<UInt32(Self.maxKeywords) where keywords & (1 << i) != 0 {
            out.append(UInt8(ascii: "a") + UInt8(i))
        }
        if !trailer.isEmpty { out += [UInt8(ascii: ",")] + trailer }
        return String(decoding: out, as: UTF8.self)
    }

    public func hasKeyword(_ index: Int) -> Bool { keywords & (1 << UInt32(index)) != 0 }
}
