/// One line of a passwd-file, classified while keeping its text, so the editor can write back
/// comments, blank lines and lines it does not understand exactly as they were (only a CRLF line
/// end becomes LF).
public enum PasswdFileLine: Sendable, Hashable {
    /// Empty or whitespace-only.
    case blank(String)
    /// Starts with `#` (after optional leading whitespace).
    case comment(String)
    /// A valid user line, with its original text.
    case user(PasswdFileRecord, raw: String)
    /// A line that is neither: kept verbatim by the editor, refused by the reader.
    case invalid(raw: String, reason: String)

    public init(_ raw: String) {
        let trimmed = raw.trimmingSpaces()
        if trimmed.isEmpty {
            self = .blank(raw)
        } else if trimmed.hasPrefix("#") {
            self = .comment(raw)
        } else {
            do {
                self = .user(try PasswdFileRecord(parsingLine: Substring(raw)), raw: raw)
            } catch {
                self = .invalid(raw: raw, reason: error.reason)
            }
        }
    }

    /// The text to write for this line.
    public var text: String {
        switch self {
        case .blank(let raw), .comment(let raw), .user(_, let raw), .invalid(let raw, _): raw
        }
    }

    /// The user name this line claims, for valid lines and for invalid lines that still start
    /// with a name (so the editor never adds a second `bob` next to a broken `bob` line).
    public var claimedUser: String? {
        switch self {
        case .user(let record, _):
            return record.user
        case .invalid(let raw, _):
            let name = raw.utf8.prefix { $0 != UInt8(ascii: ":") }
            return name.isEmpty ? nil : String(Substring(name))
        case .blank, .comment:
            return nil
        }
    }

    /// Splits file text into lines (LF, with a CR before it tolerated and kept out of the record).
    ///
    /// Splits on the LF byte rather than on `Character`s: Swift treats CR LF as one character, so a
    /// `Character` split would not see the line end of a CRLF file at all.
    public static func lines(of text: String) -> [PasswdFileLine] {
        rawLines(of: Array(text.utf8)).map { PasswdFileLine(String(decoding: $0, as: UTF8.self)) }
    }

    /// Splits the bytes of a file into lines like `lines(of:)`, refusing bytes that are not UTF-8.
    ///
    /// Why not decode with replacement: invalid bytes would become U+FFFD, so the reader would hold
    /// names and passwords that are not in the file, and the editor would write U+FFFD back into
    /// lines it never meant to change. Throws `.parse` naming every line that is not valid UTF-8
    /// and the byte (1-based, within the line) where the bad sequence starts.
    static func lines(of bytes: [UInt8], path: String) throws(PasswdFileError) -> [PasswdFileLine] {
        var lines: [PasswdFileLine] = []
        var problems: [PasswdFileError.Problem] = []
        for (offset, raw) in rawLines(of: bytes).enumerated() {
            if let bad = firstInvalidUTF8Offset(raw) {
                problems.append(.init(line: offset + 1, reason: "not valid UTF-8 (byte \(bad + 1) of the line)"))
                continue
            }
            lines.append(PasswdFileLine(String(decoding: raw, as: UTF8.self)))
        }
        guard problems.isEmpty else { throw .parse(path: path, problems: problems) }
        return lines
    }

    /// Where the first ill-formed UTF-8 sequence of `bytes` starts (0-based), nil when there is none.
    private static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var decoder = Unicode.UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += Unicode.UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The bytes of each line, without LF and without a CR before it; no empty last line.
    private static func rawLines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts.map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
    }
}
