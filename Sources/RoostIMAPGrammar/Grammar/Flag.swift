import NIOCore

/// A message flag: a system flag, a keyword, or an unknown `\` extension flag.
///
///     flag            = "\Answered" / "\Flagged" / "\Deleted" /
///                       "\Seen" / "\Draft" / flag-keyword / flag-extension
///                         ; Does not include "\Recent"
///     flag-extension  = "\" atom
///     flag-keyword    = atom
///     flag-fetch      = flag / "\Recent"
///
/// RFC 3501 section 2.3.2. Flags compare case-insensitively (RFC 9051 section 2.3.2); a keyword keeps the
/// spelling it was created with. `\Recent` is a case so FETCH responses can carry it; it matches
/// `flag-extension` in a STORE, where the session refuses it.
public enum Flag: Hashable, Sendable, CustomStringConvertible {
    case answered
    case flagged
    case deleted
    case seen
    case draft
    case recent
    /// A user keyword such as `$Forwarded` or mutt's `Old`.
    case keyword(Keyword)
    /// A `\`-flag that is not a system flag, without its backslash.
    case `extension`(Keyword)

    /// An atom naming a keyword or extension flag, compared ASCII case-insensitively.
    public struct Keyword: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        /// `nil` unless `string` is an atom (ATOM-CHARs only, not empty).
        public init?(_ string: String) {
            guard !string.isEmpty, string.utf8.allSatisfy(IMAPASCII.isAtomChar) else { return nil }
            rawValue = string
        }

        public static func == (a: Self, b: Self) -> Bool {
            a.rawValue.utf8.count == b.rawValue.utf8.count
                && zip(a.rawValue.utf8, b.rawValue.utf8).allSatisfy { IMAPASCII.uppercased($0) == IMAPASCII.uppercased($1) }
        }

        public func hash(into hasher: inout Hasher) {
            for byte in rawValue.utf8 { hasher.combine(IMAPASCII.uppercased(byte)) }
        }

        public var description: String { rawValue }
    }

    static let systemFlags: [(String, Flag)] = [
        ("ANSWERED", .answered), ("FLAGGED", .flagged), ("DELETED", .deleted), ("SEEN", .seen), ("DRAFT", .draft),
        ("RECENT", .recent),
    ]

    /// The flag as written on the wire.
    public var description: String {
        switch self {
        case .answered: "\\Answered"
        case .flagged: "\\Flagged"
        case .deleted: "\\Deleted"
        case .seen: "\\Seen"
        case .draft: "\\Draft"
        case .recent: "\\Recent"
        case .keyword(let keyword): keyword.rawValue
        case .extension(let name): "\\" + name.rawValue
        }
    }
}

/// A flag the client may store permanently, or `\*`: it may create new keywords.
///
///     flag-perm       = flag / "\*"
public enum PermanentFlag: Hashable, Sendable, CustomStringConvertible {
    case flag(Flag)
    case wildcard

    public var description: String {
        switch self {
        case .flag(let flag): flag.description
        case .wildcard: "\\*"
        }
    }
}

extension IMAPParser {
    // flag-fetch      = flag / "\Recent"
    // flag            = "\Answered" / "\Flagged" / "\Deleted" /
    //                   "\Seen" / "\Draft" / flag-keyword / flag-extension
    public mutating func parseFlag() throws(IMAPParseError) -> Flag {
        let isBackslash = skip(IMAPASCII.backslash)
        let atom = try parseAtom()
        guard let name = Flag.Keyword(atom) else { throw IMAPParseError("Expected a flag") }
        guard isBackslash else { return .keyword(name) }
        let upper = atom.uppercased()
        return Flag.systemFlags.first { $0.0 == upper }?.1 ?? .extension(name)
    }

    // flag-perm       = flag / "\*"
    public mutating func parsePermanentFlag() throws(IMAPParseError) -> PermanentFlag {
        if next(is: IMAPASCII.backslash) {
            let line = pieces[piece].line
            if offset + 1 < line.count, line[offset + 1] == IMAPASCII.star {
                advance(by: 2)
                return .wildcard
            }
        }
        return .flag(try parseFlag())
    }

    // flag-list       = "(" [flag *(SP flag)] ")"
    public mutating func parseFlagList() throws(IMAPParseError) -> [Flag] {
        try expect(IMAPASCII.openParen, "(")
        var flags: [Flag] = []
        if skip(IMAPASCII.closeParen) { return flags }
        repeat {
            guard flags.count < limits.maxListItems else {
                throw IMAPParseError("Too many flags (limit \(limits.maxListItems))")
            }
            flags.append(try parseFlag())
        } while skip(IMAPASCII.space)
        try expect(IMAPASCII.closeParen, ")")
        return flags
    }
}

extension ByteBuffer {
    @discardableResult
    public mutating func writeFlag(_ flag: Flag) -> Int { writeString(flag.description) }

    @discardableResult
    public mutating func writePermanentFlag(_ flag: PermanentFlag) -> Int { writeString(flag.description) }

    // flag-list       = "(" [flag *(SP flag)] ")"
    @discardableResult
    public mutating func writeFlagList(_ flags: [Flag]) -> Int {
        var written = writeInteger(IMAPASCII.openParen)
        for (index, flag) in flags.enumerated() {
            if index > 0 { written += writeInteger(IMAPASCII.space) }
            written += writeFlag(flag)
        }
        return written + writeInteger(IMAPASCII.closeParen)
    }
}
