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
            let name = raw.prefix { $0 != ":" }
            return name.isEmpty ? nil : String(name)
        case .blank, .comment:
            return nil
        }
    }

    /// Splits file text into lines (LF, with a CR before it tolerated and kept out of the record).
    ///
    /// Splits on the LF byte rather than on `Character`s: Swift treats CR LF as one character, so a
    /// `Character` split would not see the line end of a CRLF file at all.
    public static func lines(of text: String) -> [PasswdFileLine] {
        var parts = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts.map { bytes in
            let line = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
            return PasswdFileLine(String(decoding: line, as: UTF8.self))
        }
    }
}
