/// Reads a folder name of `[imap]` (`Sent`, `Archive.2024`): levels separated by `.`, IMAP's
/// hierarchy separator in Roost, written in UTF-8.
///
/// The rules are RoostStorage's `MailboxName` rules, checked here so a bad name is reported
/// with its file and line at startup instead of failing at a user's first login: no empty
/// level (a leading, trailing or doubled `.`), no `/` (Maildir++ keeps folders as
/// `.Level.Level` directories of the Maildir root), no IMAP wildcard `*` or `%` (a LIST
/// pattern could not name the folder alone), no control character. INBOX is refused too:
/// it is the Maildir root, and RFC 6154 gives its attributes to other mailboxes. The on-disk
/// length limit (255 bytes after modified UTF-7 encoding) is left to the storage layer,
/// which owns that encoding.
enum MailboxNameFormat {
    /// The separator between levels in `[imap]` folder names and on the IMAP wire.
    static let separator: Character = "."

    /// Throws with a reason when `text` is not a folder name `[imap]` accepts.
    static func check(_ text: String) throws(InvalidValue) {
        guard !text.isEmpty else { throw InvalidValue() }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                throw InvalidValue("contains a control character")
            }
            if scalar == "*" || scalar == "%" {
                throw InvalidValue("\"*\" and \"%\" are IMAP wildcards")
            }
            if scalar == "/" {
                throw InvalidValue("\"/\" is not allowed; levels are separated by \".\"")
            }
        }
        let levels = text.split(separator: separator, omittingEmptySubsequences: false)
        if levels.contains(where: \.isEmpty) {
            throw InvalidValue("empty level; \".\" separates levels, as in Archive.2024")
        }
        if levels.count == 1, text.isInboxIgnoringASCIICase {
            throw InvalidValue("INBOX cannot be a special-use folder")
        }
    }

    /// `text` as storage will identify it: a first level `INBOX` in any case is `INBOX`
    /// (RFC 3501 section 5.1), every other level is case-sensitive. Two names with the same
    /// canonical form are the same folder.
    static func canonical(_ text: String) -> String {
        var levels = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        if let first = levels.first, first.isInboxIgnoringASCIICase { levels[0] = "INBOX" }
        return levels.joined(separator: String(separator))
    }
}

extension ValueCodec where Value == String {
    /// A folder name of `[imap]`, kept as written; see `MailboxNameFormat`.
    static var mailboxName: ValueCodec {
        ValueCodec(type: .mailboxName, parse: { text throws(InvalidValue) in
            try MailboxNameFormat.check(text)
            return text
        }, render: { $0 })
    }
}

extension StringProtocol {
    /// `INBOX` in any ASCII case. Only ASCII letters fold (RFC 3501 section 5.1: INBOX is
    /// case-insensitive): Unicode case mapping would take the Turkish `ınbox` for INBOX.
    var isInboxIgnoringASCIICase: Bool {
        utf8.count == 5 && zip(utf8, "INBOX".utf8).allSatisfy { byte, letter in byte == letter || byte == letter | 0x20 }
    }
}
