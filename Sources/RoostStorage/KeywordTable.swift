/// `dovecot-keywords`: which keyword each Maildir flag letter `a`-`z` stands for in this folder,
/// one `<index> <name>` line per keyword. Dovecot writes and reads the same file.
///
/// Read as Dovecot's `maildir_keywords_sync` reads it: split at the first space, the index in decimal
/// digits below 26, the name the non-empty rest of the line; a later line for an index replaces an
/// earlier one. Dovecot takes any such name; Roost uses only names that are IMAP flag keywords, but a
/// letter whose line it cannot use is still taken: that index is never handed to a new keyword (which
/// would relabel every message carrying the letter), and the line is written back byte for byte.
/// Lines with no usable index at all are written back too, after the others.
struct KeywordTable: Equatable, Sendable {
    /// Names by index; `nil` where the index is unused or held by a line Roost cannot use.
    private(set) var names: [String?] = []
    /// Lines whose index Roost read but whose name it cannot use, by index, verbatim.
    private var reservedLines: [Int: [UInt8]] = [:]
    /// Lines without a usable index (no space, not a number, 26 or above, empty name), verbatim.
    private var otherLines: [[UInt8]] = []

    init() {}

    static func parse(_ bytes: [UInt8]) -> KeywordTable {
        var table = KeywordTable()
        for var line in bytes.split(separator: UInt8(ascii: "\n")) {
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            guard !line.isEmpty else { continue }
            guard let space = line.firstIndex(of: UInt8(ascii: " ")),
                  let index = Self.index(line[..<space]),
                  space + 1 < line.endIndex
            else {
                table.otherLines.append(Array(line))
                continue
            }
            let name = String(decoding: line[(space + 1)...], as: UTF8.self)
            if Self.isValidKeyword(name) {
                table.reservedLines[index] = nil
                table.set(name, at: index)
            } else {
                if index < table.names.count { table.names[index] = nil }
                table.reservedLines[index] = Array(line)
            }
        }
        return table
    }

    /// `<index> <name>` in index order, as Dovecot writes it; lines kept verbatim follow their index,
    /// and lines without one come last.
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        for index in 0..<MaildirInfo.maxKeywords {
            if let name = name(at: index) {
                out += Array("\(index) \(name)\n".utf8)
            } else if let line = reservedLines[index] {
                out += line + [UInt8(ascii: "\n")]
            }
        }
        for line in otherLines { out += line + [UInt8(ascii: "\n")] }
        return out
    }

    /// Keyword names compare case-insensitively (RFC 9051 section 2.3.2); the stored spelling is kept.
    func index(of name: String) -> Int? {
        let folded = name.lowercased()
        return names.firstIndex { $0?.lowercased() == folded }
    }

    func name(at index: Int) -> String? { index < names.count ? names[index] : nil }

    var allNames: [String] { names.compactMap { $0 } }

    /// Whether a line Roost cannot use holds this index, so that it is never given to a new keyword.
    func isReserved(_ index: Int) -> Bool { reservedLines[index] != nil }

    /// Adds a keyword in the first index neither named nor reserved; `nil` when all 26 are taken.
    mutating func add(_ name: String) -> Int? {
        if let existing = index(of: name) { return existing }
        guard let slot = (0..<MaildirInfo.maxKeywords).first(where: { self.name(at: $0) == nil && !isReserved($0) })
        else { return nil }
        set(name, at: slot)
        return slot
    }

    private mutating func set(_ name: String, at index: Int) {
        while names.count <= index { names.append(nil) }
        names[index] = name
    }

    /// An index as Dovecot's `str_to_uint` reads it (decimal digits only), below 26.
    private static func index(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty,
              digits.allSatisfy({ (0x30...0x39).contains($0) }),
              let value = Int(String(decoding: digits, as: UTF8.self)),
              value < MaildirInfo.maxKeywords
        else { return nil }
        return value
    }

    /// An IMAP flag-keyword atom (RFC 3501 `atom`): printable ASCII without specials or a backslash.
    static func isValidKeyword(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        return name.utf8.allSatisfy { c in
            c > 0x20 && c < 0x7F && !"(){%*\"\\]".utf8.contains(c)
        }
    }
}
