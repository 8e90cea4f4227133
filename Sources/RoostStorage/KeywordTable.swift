/// `dovecot-keywords`: which keyword each Maildir flag letter `a`-`z` stands for in this folder,
/// one `<index> <name>` line per keyword. Dovecot writes and reads the same file.
struct KeywordTable: Equatable, Sendable {
    /// Names by index; `nil` where the index is unused.
    private(set) var names: [String?] = []

    init() {}

    static func parse(_ bytes: [UInt8]) -> KeywordTable {
        var table = KeywordTable()
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let text = String(decoding: line, as: UTF8.self)
            guard let space = text.firstIndex(of: " "), let index = Int(text[..<space]),
                  index >= 0, index < MaildirInfo.maxKeywords
            else { continue }
            let name = String(text[text.index(after: space)...])
            guard Self.isValidKeyword(name) else { continue }
            table.set(name, at: index)
        }
        return table
    }

    func serialized() -> [UInt8] {
        var out = ""
        for (index, name) in names.enumerated() {
            if let name { out += "\(index) \(name)\n" }
        }
        return Array(out.utf8)
    }

    /// Keyword names compare case-insensitively (RFC 9051 section 2.3.2); the stored spelling is kept.
    func index(of name: String) -> Int? {
        let folded = name.lowercased()
        return names.firstIndex { $0?.lowercased() == folded }
    }

    func name(at index: Int) -> String? { index < names.count ? names[index] : nil }

    var allNames: [String] { names.compactMap { $0 } }

    /// Adds a keyword in the first free slot; `nil` when all 26 letters are taken.
    mutating func add(_ name: String) -> Int? {
        if let existing = index(of: name) { return existing }
        let slot = names.firstIndex(where: { $0 == nil }) ?? names.count
        guard slot < MaildirInfo.maxKeywords else { return nil }
        set(name, at: slot)
        return slot
    }

    private mutating func set(_ name: String, at index: Int) {
        while names.count <= index { names.append(nil) }
        names[index] = name
    }

    /// An IMAP flag-keyword atom (RFC 3501 `atom`): printable ASCII without specials or a backslash.
    static func isValidKeyword(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        return name.utf8.allSatisfy { c in
            c > 0x20 && c < 0x7F && !"(){%*\"\\]".utf8.contains(c)
        }
    }
}
