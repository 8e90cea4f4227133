/// `dovecot-uidlist`: the durable map from UIDs to Maildir base names, in Dovecot's format so that a
/// Maildir moves between Dovecot and Roost with every UID kept.
///
/// Version 3 (what Dovecot 2.x writes):
/// ```
/// 3 V1795462463 N7 G29f965053d95046b911b000083ecc375
/// 1 :1795462461.M105788P7057.vm,S=161,W=168
/// 25017 W2481 :1276533073.M242911P3632.kurkku
/// ```
/// The header holds UIDVALIDITY (`V`), the next UID (`N`) and a GUID (`G`); each line a UID, optional
/// extension fields, and after `:` the base name. Lines are appended as messages arrive without
/// rewriting the header, so the next UID is the larger of `N` and the highest UID listed plus one.
/// Version 1 (`1 <uidvalidity> <nextuid>`, lines `<uid> <name>`) is read too.
struct UIDList: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var uid: UID
        /// Extension fields between the UID and the name, kept verbatim (e.g. `W2481`).
        var extensions: String
        var base: String
    }

    var uidValidity: UIDValidity?
    /// The header's `N`; see `nextUID` for the effective value.
    var headerNextUID: UInt32
    var guid: String?
    /// Header fields Roost does not interpret, written back unchanged.
    var otherHeaderFields: [String]
    var entries: [Entry]
    /// Damage found while parsing: skipped lines and why. Empty for a healthy file.
    var problems: [String]

    init(uidValidity: UIDValidity?, nextUID: UInt32 = 1, guid: String? = nil, entries: [Entry] = []) {
        self.uidValidity = uidValidity
        self.headerNextUID = nextUID
        self.guid = guid
        self.otherHeaderFields = []
        self.entries = entries
        self.problems = []
    }

    var nextUID: UInt32 {
        max(headerNextUID, (entries.last?.uid.rawValue ?? 0) + 1, 1)
    }

    /// Parses tolerantly: a damaged line is skipped and recorded in `problems`, never fatal, so that
    /// every UID that can still be read is kept. A last line without its newline is taken as a write
    /// cut short and skipped.
    static func parse(_ bytes: [UInt8]) -> UIDList {
        var list = UIDList(uidValidity: nil)
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true {
            lines.removeLast()
        } else if !lines.isEmpty {
            list.problems.append("last line is incomplete")
            lines.removeLast()
        }
        guard let header = lines.first else {
            list.problems.append("file is empty")
            return list
        }
        let headerFields = String(decoding: header, as: UTF8.self).split(separator: " ").map(String.init)
        var version = 3
        switch headerFields.first {
        case "3", "2":
            for field in headerFields.dropFirst() {
                switch field.first {
                case "V": list.uidValidity = UInt32(field.dropFirst()).map { UIDValidity($0) }
                case "N": list.headerNextUID = UInt32(field.dropFirst()) ?? 0
                case "G": list.guid = String(field.dropFirst())
                default: list.otherHeaderFields.append(field)
                }
            }
        case "1" where headerFields.count >= 3:
            version = 1
            list.uidValidity = UInt32(headerFields[1]).map { UIDValidity($0) }
            list.headerNextUID = UInt32(headerFields[2]) ?? 0
        default:
            list.problems.append("header is not a known uidlist version: \(String(decoding: header.prefix(80), as: UTF8.self))")
        }
        if list.uidValidity == nil || list.uidValidity?.rawValue == 0 {
            list.uidValidity = nil
            list.problems.append("header has no valid UIDVALIDITY")
        }
        var seenBases = Set<String>()
        for (number, rawLine) in lines.enumerated().dropFirst() {
            guard let entry = parseLine(rawLine, version: version) else {
                list.problems.append("line \(number + 1) is not a uidlist entry")
                continue
            }
            if let last = list.entries.last, entry.uid <= last.uid {
                list.problems.append("line \(number + 1): UID \(entry.uid) is not above \(last.uid)")
                continue
            }
            guard seenBases.insert(entry.base).inserted else {
                list.problems.append("line \(number + 1): \(entry.base) is listed twice")
                continue
            }
            list.entries.append(entry)
        }
        return list
    }

    private static func parseLine(_ line: ArraySlice<UInt8>, version: Int) -> Entry? {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")),
              let uid = UInt32(String(decoding: line[..<space], as: UTF8.self)), uid > 0
        else { return nil }
        let rest = line[(space + 1)...]
        let name: Substring
        var extensions = ""
        if version >= 2 {
            guard let colon = rest.firstIndex(of: UInt8(ascii: ":")),
                  colon == rest.startIndex || line[colon - 1] == UInt8(ascii: " ")
            else { return nil }
            extensions = String(decoding: rest[..<colon], as: UTF8.self).trimmingTrailingSpaces()
            name = Substring(String(decoding: line[(colon + 1)...], as: UTF8.self))
        } else {
            name = Substring(String(decoding: rest, as: UTF8.self))
        }
        let base = MaildirFileName(parsing: String(name)).base
        guard !base.isEmpty, !base.contains("/") else { return nil }
        return Entry(uid: UID(uid), extensions: extensions, base: base)
    }

    /// The file in version 3 form.
    func serialized() -> [UInt8] {
        var header = "3 V\(uidValidity?.rawValue ?? 0) N\(nextUID)"
        if let guid { header += " G\(guid)" }
        for field in otherHeaderFields { header += " \(field)" }
        var out = Array(header.utf8)
        out.append(UInt8(ascii: "\n"))
        for entry in entries { out += Self.line(for: entry) }
        return out
    }

    static func line(for entry: Entry) -> [UInt8] {
        let ext = entry.extensions.isEmpty ? "" : entry.extensions + " "
        return Array("\(entry.uid.rawValue) \(ext):\(entry.base)\n".utf8)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
