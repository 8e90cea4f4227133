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
/// space-separated extension fields (`W2481`, a POP3 UIDL `P…`, which may itself contain `:`), and
/// then the first field that starts with `:`: everything after that `:` up to the end of the line is
/// the file name. Lines are appended as messages arrive without rewriting the header, so the next UID
/// is the larger of `N` and the highest UID listed plus one. Version 1 (`1 <uidvalidity> <nextuid>`,
/// lines `<uid> <name>`) is read too.
///
/// Read as Dovecot 2.3 reads it (`maildir-uidlist.c`): a line whose base name was listed before
/// replaces the earlier line (an expunged file moved back gets a new UID appended), and UID
/// 4294967295 is refused as too high, so `maxUID` is the last UID that can ever be given out.
struct UIDList: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var uid: UID
        /// Extension fields between the UID and the name, space-separated and kept verbatim
        /// (e.g. `W2481`, `P12:34`).
        var extensions: String
        var base: String
    }

    /// The highest UID a line may carry: Dovecot refuses 4294967295 ("UID too high"). A folder whose
    /// `nextUID` is above this can take no more messages.
    static let maxUID: UInt32 = UInt32.max - 1

    var uidValidity: UIDValidity?
    /// The header's `N`; see `nextUID` for the effective value.
    var headerNextUID: UInt32
    var guid: String?
    /// Header fields Roost does not interpret, written back unchanged.
    var otherHeaderFields: [String]
    /// In ascending UID order, each base name once.
    var entries: [Entry]
    /// The highest UID of a damaged line that was skipped; never handed out again, so that a UID a
    /// client may have seen is not reused for another message. 0 when no such line.
    var highestSkippedUID: UInt32
    /// Damage found while parsing: skipped lines, a broken header, and why. Empty for a healthy file;
    /// anything here makes the sync rewrite the file under the lock.
    var problems: [String]

    init(uidValidity: UIDValidity?, nextUID: UInt32 = 1, guid: String? = nil, entries: [Entry] = []) {
        self.uidValidity = uidValidity
        self.headerNextUID = nextUID
        self.guid = guid
        self.otherHeaderFields = []
        self.entries = entries
        self.highestSkippedUID = 0
        self.problems = []
    }

    /// The larger of the header's `N` and one above the highest UID listed (or skipped). Never traps:
    /// when the highest UID is `UInt32.max` (only possible if a caller put it there) the result is
    /// `UInt32.max`, which is above `maxUID`, so callers refuse to assign it.
    var nextUID: UInt32 {
        let highest = max(entries.last?.uid.rawValue ?? 0, highestSkippedUID)
        let (afterHighest, overflow) = highest.addingReportingOverflow(1)
        return max(headerNextUID, overflow ? UInt32.max : afterHighest, 1)
    }

    /// Parses tolerantly: a damaged line is skipped and recorded in `problems`, never fatal, so that
    /// every UID that can still be read is kept. A last line without its newline is taken as a write
    /// cut short and skipped. A trailing CR is dropped from every line, as Dovecot's line reader does.
    static func parse(_ bytes: [UInt8]) -> UIDList {
        var list = UIDList(uidValidity: nil)
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
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
        let version = list.parseHeader(header)

        var accepted: [Entry?] = []
        var positionOfBase: [String: Int] = [:]
        var lastUID: UInt32 = 0
        for (number, rawLine) in lines.enumerated().dropFirst() {
            let entry: Entry
            switch parseLine(rawLine, version: version) {
            case .entry(let parsed):
                entry = parsed
            case .damaged(let uid, let why):
                list.problems.append("line \(number + 1): \(why)")
                if let uid { list.highestSkippedUID = max(list.highestSkippedUID, uid) }
                continue
            }
            if entry.uid.rawValue <= lastUID {
                list.problems.append("line \(number + 1): UID \(entry.uid) is not above \(lastUID)")
                continue
            }
            lastUID = entry.uid.rawValue
            // The later line wins (Dovecot: "Duplicate file entry", the old UID is deleted).
            if let earlier = positionOfBase[entry.base] { accepted[earlier] = nil }
            positionOfBase[entry.base] = accepted.count
            accepted.append(entry)
        }
        list.entries = accepted.compactMap { $0 }
        return list
    }

    /// Reads the header line into `self`, recording a broken header in `problems` as Dovecot would
    /// count it ("Broken header", "Invalid mailbox GUID"). Returns the version that governs the lines.
    private mutating func parseHeader(_ header: ArraySlice<UInt8>) -> Int {
        let text = String(decoding: header, as: UTF8.self)
        let fields = text.split(separator: " ").map(String.init)
        var version = 3
        var nextUID: UInt32?
        switch fields.first {
        case "3", "2":
            if fields.first == "2" {
                problems.append("header: version 2 is not read by Dovecot 2.3")
            }
            for field in fields.dropFirst() {
                let value = field.dropFirst()
                switch field.first {
                case "V":
                    guard let number = Self.decimal(value) else {
                        problems.append("header: V\(value) is not a number")
                        continue
                    }
                    uidValidity = UIDValidity(number)
                case "N":
                    guard let number = Self.decimal(value) else {
                        problems.append("header: N\(value) is not a number")
                        continue
                    }
                    nextUID = number
                case "G":
                    guard Self.isGUID(value) else {
                        problems.append("header: G\(value) is not a 128-bit hex GUID")
                        continue
                    }
                    guid = String(value)
                default:
                    otherHeaderFields.append(field)
                }
            }
        case "1" where fields.count >= 3:
            version = 1
            uidValidity = Self.decimal(fields[1]).map { UIDValidity($0) }
            nextUID = Self.decimal(fields[2])
        default:
            problems.append("header is not a known uidlist version: \(String(text.prefix(80)))")
            return version
        }
        if uidValidity == nil || uidValidity?.rawValue == 0 {
            uidValidity = nil
            problems.append("header has no valid UIDVALIDITY")
        }
        if let nextUID, nextUID > 0 {
            headerNextUID = nextUID
        } else {
            problems.append("header has no valid next UID")
        }
        return version
    }

    private enum ParsedLine {
        case entry(Entry)
        /// `uid` when the line's UID could be read, so that it is not handed out again.
        case damaged(uid: UInt32?, String)
    }

    /// One line, split as Dovecot's `maildir_uidlist_next` does: digits and a space, then (version 3)
    /// space-separated extension fields until a field that starts with `:`, the rest being the name.
    private static func parseLine(_ line: ArraySlice<UInt8>, version: Int) -> ParsedLine {
        let space = UInt8(ascii: " "), colon = UInt8(ascii: ":")
        var i = line.startIndex
        var uid: UInt32 = 0
        while i < line.endIndex, let digit = line[i].decimalDigitValue {
            let (times10, o1) = uid.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt32(digit))
            guard !o1, !o2 else { return .damaged(uid: nil, "UID is out of range") }
            uid = sum
            i += 1
        }
        guard uid > 0, i < line.endIndex, line[i] == space else {
            return .damaged(uid: nil, "not a uidlist entry")
        }
        guard uid <= maxUID else { return .damaged(uid: nil, "UID \(uid) is too high") }
        while i < line.endIndex, line[i] == space { i += 1 }

        var fields: [ArraySlice<UInt8>] = []
        if version >= 2 {
            while i < line.endIndex, line[i] != colon {
                let start = i
                while i < line.endIndex, line[i] != space { i += 1 }
                fields.append(line[start..<i])
                while i < line.endIndex, line[i] == space { i += 1 }
            }
            if i < line.endIndex { i += 1 }  // the `:` that starts the name
        }
        let name = line[i...]
        guard !name.isEmpty else { return .damaged(uid: uid, "UID \(uid) has no file name") }
        guard !name.contains(UInt8(ascii: "/")) else { return .damaged(uid: uid, "UID \(uid) has a file name with '/'") }
        let base = MaildirFileName(parsing: String(decoding: name, as: UTF8.self)).base
        guard !base.isEmpty else { return .damaged(uid: uid, "UID \(uid) has an empty base name") }
        let extensions = fields.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        return .entry(Entry(uid: UID(uid), extensions: extensions, base: base))
    }

    /// Digits only, as Dovecot's `str_to_uint`: no sign, no spaces, no overflow.
    private static func decimal<S: StringProtocol>(_ text: S) -> UInt32? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0.decimalDigitValue != nil }) else { return nil }
        return UInt32(text)
    }

    /// A mailbox GUID as `guid_128_from_string` accepts it: 32 hex digits.
    private static func isGUID<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { $0.hexDigitValue != nil }
    }

    /// The file in version 3 form.
    func serialized() -> [UInt8] {
        var header = "3 V\(uidValidity?.rawValue ?? 0) N\(nextUID)"
        if let guid { header += " G\(guid)" }
        for field in otherHeaderFields { header += " \(field)" }
        var out: [UInt8] = []
        // Written in place, without a string per line: a first sync writes 100,000 lines.
        // Through the buffer: an array's subscript and iterator hand out copies, a buffer's are borrowed.
        entries.withUnsafeBufferPointer { entries in
            out.reserveCapacity(header.utf8.count + 1 + entries.indices.reduce(0) {
                $0 + 14 + entries[$1].extensions.utf8.count + entries[$1].base.utf8.count
            })
            out.append(contentsOf: header.utf8)
            out.append(UInt8(ascii: "\n"))
            for index in entries.indices { Self.appendLine(for: entries[index], to: &out) }
        }
        return out
    }

    /// `<uid>[ <extensions>] :<base>`, as Dovecot writes a record.
    static func appendLine(for entry: borrowing Entry, to out: inout [UInt8]) {
        out.append(contentsOf: String(entry.uid.rawValue).utf8) // a small string: no allocation
        out.append(UInt8(ascii: " "))
        if !entry.extensions.isEmpty {
            out.append(contentsOf: entry.extensions.utf8)
            out.append(UInt8(ascii: " "))
        }
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: entry.base.utf8)
        out.append(UInt8(ascii: "\n"))
    }
}

private extension UInt8 {
    var decimalDigitValue: Int? { (0x30...0x39).contains(self) ? Int(self - 0x30) : nil }
    var hexDigitValue: Int? {
        switch self {
        case 0x30...0x39: Int(self - 0x30)
        case 0x41...0x46: Int(self - 0x41 + 10)
        case 0x61...0x66: Int(self - 0x61 + 10)
        default: nil
        }
    }
}
