/// Where one user's Maildir and index files are, parsed from an expanded Dovecot mail location.
///
/// Accepted form (Dovecot's `mail_location` for Maildir): `[maildir:]PATH[:KEY=VALUE]...` where
/// - `PATH` is absolute, or starts with `~` for the user's home;
/// - `::` stands for a `:` inside a path or value;
/// - `INDEX=DIR` puts Roost's index and cache files under `DIR` (like Dovecot's index files);
/// - `LAYOUT=maildir++` is the only layout (Dovecot's `LAYOUT=fs` is a different tree).
/// Other formats (`mbox:`, `mdbox:`, `sdbox:`) and other parameters (`CONTROL=`, `INBOX=`, ...)
/// are refused rather than ignored: they move files Roost would then not find, and ignoring them
/// would show the user an empty mailbox or make new UIDs.
public struct MailLocation: Sendable, Hashable {
    /// The Maildir root (INBOX), absolute, without empty or `.` components or a trailing `/`.
    public var root: String
    /// `INDEX=` if given, absolute; nil when the location does not say.
    public var indexDirectory: String?

    public init(root: String, indexDirectory: String? = nil) {
        self.root = root
        self.indexDirectory = indexDirectory
    }

    /// Parses an already `%`-expanded location; `home` replaces a leading `~`.
    ///
    /// - Parameter setting: names the source in errors (`mail.location`, `userdb_mail of bob`).
    public init(parsing text: String, home: String?, setting: String) throws(MailLocationError) {
        func invalid(_ reason: String) -> MailLocationError {
            MailLocationError(.setting, setting: setting, "\(text.debugDescription): \(reason)")
        }
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":"), !rest.hasPrefix("/"), !rest.hasPrefix("~") {
            let driver = rest[..<colon]
            if driver.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                guard driver.lowercased() == "maildir" else {
                    throw invalid("mail format \(driver) is not supported; Roost reads Maildir only")
                }
                rest = rest[rest.index(after: colon)...]
            }
        }
        let parts = Self.split(rest)
        guard let first = parts.first, !first.isEmpty else { throw invalid("no path") }
        let path = try Self.expandHome(first, home: home, invalid: invalid)
        var index: String?
        for parameter in parts.dropFirst() where !parameter.isEmpty {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = pair[0].uppercased()
            let value = pair.count == 2 ? String(pair[1]) : ""
            switch key {
            case "INDEX":
                guard !value.isEmpty else { throw invalid("INDEX= needs a directory") }
                index = try Self.expandHome(value, home: home, invalid: invalid)
            case "LAYOUT":
                guard value.lowercased() == "maildir++" else {
                    throw invalid("LAYOUT=\(value) is not supported; Roost uses Maildir++")
                }
            default:
                throw invalid("parameter \(key) is not supported (only INDEX and LAYOUT=maildir++ are)")
            }
        }
        self.init(root: path, indexDirectory: index)
    }

    /// Splits at single `:`; `::` is a literal colon.
    private static func split(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if character == ":" {
                if index < text.endIndex, text[index] == ":" {
                    current.append(":")
                    index = text.index(after: index)
                } else {
                    parts.append(current)
                    current = ""
                }
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// `~` and `~/x` become the home directory; the result must be absolute, and is normalised.
    private static func expandHome(
        _ path: String, home: String?, invalid: (String) -> MailLocationError
    ) throws(MailLocationError) -> String {
        var expanded = path
        if path == "~" || path.hasPrefix("~/") {
            guard let home, !home.isEmpty else { throw invalid("uses ~ but the user has no home directory") }
            expanded = home + "/" + path.dropFirst()
        }
        guard expanded.hasPrefix("/") else { throw invalid("\(path.debugDescription) is not an absolute path") }
        return normalised(expanded)
    }

    /// `path` without empty and `.` components: `/var/vmail//bob/./` is `/var/vmail/bob`.
    ///
    /// An empty component is what an empty `%` variable leaves behind; keeping it would make two
    /// spellings of one directory, which string comparisons then tell apart. `..` stays: only the
    /// file system knows what it refers to once symbolic links are involved (`MailRemoval`
    /// compares real directories, not strings).
    static func normalised(_ path: String) -> String {
        "/" + path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}
