/// The `subscriptions` file in the Maildir root, in Dovecot's format.
///
/// Dovecot 2.3 (`subscription-file.c`) stores storage names, not IMAP names: for Maildir++ each level
/// is in modified UTF-7 exactly as in the folder's directory name (`已发送` is `&XfJT0ZAB-`), unless
/// the mail location has the `UTF-8` option, which Roost does not use. Version 2 starts with the five
/// bytes `V<TAB>2<LF><LF>`; each line is one mailbox with its levels separated by TAB and each level
/// escaped with `str_tabescape` (`\001` followed by `1`, `t`, `r` or `n` for `\001`, TAB, CR, LF; any
/// other character after `\001` stands for itself). A file without that exact start is version 1: one
/// storage name per line, levels separated by `.` (Roost also takes `/`, as older tools wrote it).
/// Lines end in LF, a CR before it is dropped, and a name ending in a separator means the name
/// without it, all as Dovecot reads them. Version 2 is written.
///
/// A line Roost cannot hold as a `MailboxName` (a control character, `*` or `%` in a level) is kept
/// in `File.unrepresentable` and written back, so that a rewrite by Roost never unsubscribes it.
enum Subscriptions {
    /// The file as read.
    struct File: Equatable, Sendable {
        /// In file order, each once.
        var names: [MailboxName] = []
        /// Storage names (levels joined with `.`, each level as Dovecot holds it, unescaped) of
        /// entries that are not valid `MailboxName`s, each once.
        var unrepresentable: [[UInt8]] = []
    }

    static let version2Header: [UInt8] = Array("V\t2\n\n".utf8)

    static func parse(_ bytes: [UInt8]) -> [MailboxName] { parseFile(bytes).names }

    /// Version 2 with just these names; see `serialize(_:keepingUnrepresentableOf:)` for a rewrite.
    static func serialize(_ names: [MailboxName]) -> [UInt8] { serialize(File(names: names)) }

    /// Version 2 with these names and every entry of `existing` (the file as it is on disk) that Roost
    /// cannot represent, so that subscribing or unsubscribing in Roost never drops those.
    static func serialize(_ names: [MailboxName], keepingUnrepresentableOf existing: [UInt8]?) -> [UInt8] {
        serialize(File(names: names, unrepresentable: existing.map { parseFile($0).unrepresentable } ?? []))
    }

    static func parseFile(_ bytes: [UInt8]) -> File {
        let version2 = bytes.starts(with: version2Header)
        let body = version2 ? bytes[version2Header.count...] : bytes[...]
        var file = File()
        var seenNames = Set<MailboxName>()
        var seenOther = Set<[UInt8]>()
        for var line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            var levels: [[UInt8]] = version2
                ? line.split(separator: tab, omittingEmptySubsequences: false).flatMap { part in
                    // A `.` inside a level is a separator too: Dovecot joins the unescaped levels with
                    // `.` into one storage name.
                    tabUnescape(part).split(separator: dot, omittingEmptySubsequences: false).map(Array.init)
                }
                : line.split(omittingEmptySubsequences: false) { $0 == dot || $0 == slash }.map(Array.init)
            if levels.count > 1, levels.last?.isEmpty == true { levels.removeLast() }
            guard levels != [[]] else { continue }
            let decoded = levels.map { level -> String in
                let text = String(decoding: level, as: UTF8.self)
                return ModifiedUTF7.decode(text) ?? text
            }
            if let name = try? MailboxName(components: decoded) {
                if seenNames.insert(name).inserted { file.names.append(name) }
            } else {
                let storageName = Array(levels.joined(separator: [dot]))
                if seenOther.insert(storageName).inserted { file.unrepresentable.append(storageName) }
            }
        }
        return file
    }

    static func serialize(_ file: File) -> [UInt8] {
        var out = version2Header
        for name in file.names {
            out += line(levels: name.components.map { Array(ModifiedUTF7.encode($0).utf8) })
        }
        for storageName in file.unrepresentable {
            out += line(levels: storageName.split(separator: dot, omittingEmptySubsequences: false).map(Array.init))
        }
        return out
    }

    private static func line(levels: [[UInt8]]) -> [UInt8] {
        Array(levels.map(tabEscape).joined(separator: [tab])) + [UInt8(ascii: "\n")]
    }

    private static let tab = UInt8(ascii: "\t"), dot = UInt8(ascii: "."), slash = UInt8(ascii: "/")
    private static let escape: UInt8 = 0x01

    /// Dovecot's `str_append_tabescaped`.
    static func tabEscape(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case escape: out += [escape, UInt8(ascii: "1")]
            case tab: out += [escape, UInt8(ascii: "t")]
            case UInt8(ascii: "\r"): out += [escape, UInt8(ascii: "r")]
            case UInt8(ascii: "\n"): out += [escape, UInt8(ascii: "n")]
            default: out.append(byte)
            }
        }
        return out
    }

    /// Dovecot's `str_append_tabunescaped`: an unknown escape stands for the character after `\001`,
    /// and a `\001` at the very end is dropped.
    static func tabUnescape<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == escape else { out.append(byte); continue }
            guard let code = iterator.next() else { break }
            switch code {
            case UInt8(ascii: "1"): out.append(escape)
            case UInt8(ascii: "t"): out.append(tab)
            case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
            default: out.append(code)
            }
        }
        return out
    }
}
