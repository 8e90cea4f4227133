import RoostIMAPGrammar
import RoostStorage

/// Between IMAP flags and what Maildir stores: five system flags as letters, keywords by name.
/// `\Recent` is session state and never stored; other `\`-flags cannot be stored.
enum IMAPFlags {
    static let system: [(SystemFlags, Flag)] = [
        (.answered, .answered), (.flagged, .flagged), (.deleted, .deleted), (.seen, .seen), (.draft, .draft),
    ]

    /// The wire flags of a message: system flags in RFC 3501 order, then keywords.
    static func flags(_ system: SystemFlags, keywords: [String]) -> [Flag] {
        var flags: [Flag] = []
        forEachFlag(system, keywords: keywords) { flags.append($0) }
        return flags
    }

    /// Calls `body` with each wire flag of a message, in the order of `flags(_:keywords:)`.
    static func forEachFlag(_ system: SystemFlags, keywords: [String], _ body: (Flag) -> Void) {
        for (stored, flag) in Self.system where system.contains(stored) { body(flag) }
        for keyword in keywords {
            if let keyword = Flag.Keyword(keyword) { body(.keyword(keyword)) }
        }
    }

    /// Splits client flags into what storage records; `\Recent` is ignored (RFC 3501 section 2.3.2:
    /// it cannot be set by the client). Returns nil for an extension flag such as `\Foo`, which no
    /// mailbox can store (`PERMANENTFLAGS` does not list it).
    static func storable(_ flags: [Flag]) -> (system: SystemFlags, keywords: [String])? {
        var system: SystemFlags = []
        var keywords: [String] = []
        for flag in flags {
            switch flag {
            case .answered: system.insert(.answered)
            case .flagged: system.insert(.flagged)
            case .deleted: system.insert(.deleted)
            case .seen: system.insert(.seen)
            case .draft: system.insert(.draft)
            case .recent: continue
            case .keyword(let keyword):
                if !keywords.contains(where: { Flag.Keyword($0) == keyword }) { keywords.append(keyword.rawValue) }
            case .extension: return nil
            }
        }
        return (system, keywords)
    }

    /// SELECT's FLAGS: the system flags and every keyword the mailbox has defined.
    static func mailboxFlags(keywords: [String]) -> [Flag] {
        flags([.answered, .flagged, .deleted, .seen, .draft], keywords: keywords)
    }

    /// Maildir numbers keywords with the letters a-z (dovecot-keywords): no more than 26 per folder.
    static let maxKeywords = 26

    /// SELECT's `[PERMANENTFLAGS (...)]`: those flags and `\*` while new keywords can still be created.
    static func permanentFlags(keywords: [String]) -> [PermanentFlag] {
        let flags = mailboxFlags(keywords: keywords).map { PermanentFlag.flag($0) }
        return keywords.count < maxKeywords ? flags + [.wildcard] : flags
    }
}
