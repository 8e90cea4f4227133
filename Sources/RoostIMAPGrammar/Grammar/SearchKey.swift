import NIOCore

/// One SEARCH criterion (RFC 3501 section 6.4.4).
///
///     search-key      = "ALL" / "ANSWERED" / "BCC" SP astring /
///                       "BEFORE" SP date / "BODY" SP astring /
///                       "CC" SP astring / "DELETED" / "FLAGGED" /
///                       "FROM" SP astring / "KEYWORD" SP flag-keyword /
///                       "NEW" / "OLD" / "ON" SP date / "RECENT" / "SEEN" /
///                       "SINCE" SP date / "SUBJECT" SP astring /
///                       "TEXT" SP astring / "TO" SP astring /
///                       "UNANSWERED" / "UNDELETED" / "UNFLAGGED" /
///                       "UNKEYWORD" SP flag-keyword / "UNSEEN" /
///                         ; Above this line were in [IMAP2]
///                       "DRAFT" / "HEADER" SP header-fld-name SP astring /
///                       "LARGER" SP number / "NOT" SP search-key /
///                       "OR" SP search-key SP search-key /
///                       "SENTBEFORE" SP date / "SENTON" SP date /
///                       "SENTSINCE" SP date / "SMALLER" SP number /
///                       "UID" SP sequence-set / "UNDRAFT" / sequence-set /
///                       "(" search-key *(SP search-key) ")"
///
/// Strings are kept as the client's octets: their charset is the command's CHARSET, which the session
/// checks (`[BADCHARSET]`) and decodes. A parenthesised list of one key is `.and([key])`, so encoding
/// gives back what was parsed. NOT, OR and parentheses each count one level against
/// `IMAPLimits.maxNestingDepth`.
public indirect enum SearchKey: Hashable, Sendable {
    case all
    case answered, deleted, draft, flagged, new, old, recent, seen
    case unanswered, undeleted, undraft, unflagged, unseen
    case keyword(Flag.Keyword)
    case unkeyword(Flag.Keyword)
    case bcc([UInt8]), body([UInt8]), cc([UInt8]), from([UInt8]), subject([UInt8]), text([UInt8]), to([UInt8])
    /// `HEADER field-name string`.
    case header(String, [UInt8])
    /// Internal date (ignoring time and zone).
    case before(IMAPDate), on(IMAPDate), since(IMAPDate)
    /// The `Date:` header (ignoring time and zone).
    case sentBefore(IMAPDate), sentOn(IMAPDate), sentSince(IMAPDate)
    /// Size in octets.
    case larger(UInt32), smaller(UInt32)
    case uid(SequenceSet)
    case sequenceNumbers(SequenceSet)
    case not(SearchKey)
    case or(SearchKey, SearchKey)
    /// A parenthesised list: all of the keys.
    case and([SearchKey])

    static let flagKeys: [(String, SearchKey)] = [
        ("ALL", .all), ("ANSWERED", .answered), ("DELETED", .deleted), ("DRAFT", .draft), ("FLAGGED", .flagged),
        ("NEW", .new), ("OLD", .old), ("RECENT", .recent), ("SEEN", .seen), ("UNANSWERED", .unanswered),
        ("UNDELETED", .undeleted), ("UNDRAFT", .undraft), ("UNFLAGGED", .unflagged), ("UNSEEN", .unseen),
    ]
}

extension IMAPParser {
    // 1*(SP search-key), after the command's SP: at least one key, at most `limits.maxListItems`.
    public mutating func parseSearchKeys() throws(IMAPParseError) -> [SearchKey] {
        var keys: [SearchKey] = []
        repeat {
            guard keys.count < limits.maxListItems else {
                throw IMAPParseError("Too many search keys (limit \(limits.maxListItems))")
            }
            keys.append(try parseSearchKey())
        } while skip(IMAPASCII.space)
        return keys
    }

    // search-key      = (see SearchKey)
    public mutating func parseSearchKey() throws(IMAPParseError) -> SearchKey {
        if skip(IMAPASCII.openParen) {
            return try nested { (p: inout IMAPParser) throws(IMAPParseError) in
                let keys = try p.parseSearchKeys()
                try p.expect(IMAPASCII.closeParen, ")")
                return .and(keys)
            }
        }
        if let first = peek(), IMAPASCII.isDigit(first) || first == IMAPASCII.star {
            return .sequenceNumbers(try parseSequenceSet())
        }
        let name = String(decoding: take(while: IMAPASCII.isAtomChar).map(IMAPASCII.uppercased), as: UTF8.self)
        if let key = SearchKey.flagKeys.first(where: { $0.0 == name })?.1 { return key }
        switch name {
        case "BCC": return .bcc(try spaceThenAstring())
        case "BODY": return .body(try spaceThenAstring())
        case "CC": return .cc(try spaceThenAstring())
        case "FROM": return .from(try spaceThenAstring())
        case "SUBJECT": return .subject(try spaceThenAstring())
        case "TEXT": return .text(try spaceThenAstring())
        case "TO": return .to(try spaceThenAstring())
        case "HEADER":
            let field = String(decoding: try spaceThenAstring(), as: UTF8.self)
            return .header(field, try spaceThenAstring())
        case "KEYWORD": return .keyword(try spaceThenKeyword())
        case "UNKEYWORD": return .unkeyword(try spaceThenKeyword())
        case "BEFORE": return .before(try spaceThenDate())
        case "ON": return .on(try spaceThenDate())
        case "SINCE": return .since(try spaceThenDate())
        case "SENTBEFORE": return .sentBefore(try spaceThenDate())
        case "SENTON": return .sentOn(try spaceThenDate())
        case "SENTSINCE": return .sentSince(try spaceThenDate())
        case "LARGER":
            try expectSpace()
            return .larger(try parseNumber())
        case "SMALLER":
            try expectSpace()
            return .smaller(try parseNumber())
        case "UID":
            try expectSpace()
            return .uid(try parseSequenceSet())
        case "NOT":
            try expectSpace()
            return try nested { (p: inout IMAPParser) throws(IMAPParseError) in .not(try p.parseSearchKey()) }
        case "OR":
            try expectSpace()
            return try nested { (p: inout IMAPParser) throws(IMAPParseError) in
                let a = try p.parseSearchKey()
                try p.expectSpace()
                return .or(a, try p.parseSearchKey())
            }
        default:
            throw IMAPParseError("Expected a search key")
        }
    }

    private mutating func spaceThenAstring() throws(IMAPParseError) -> [UInt8] {
        try expectSpace()
        return try parseAstring()
    }

    private mutating func spaceThenDate() throws(IMAPParseError) -> IMAPDate {
        try expectSpace()
        return try parseDate()
    }

    // flag-keyword    = atom
    private mutating func spaceThenKeyword() throws(IMAPParseError) -> Flag.Keyword {
        try expectSpace()
        guard let keyword = Flag.Keyword(try parseAtom()) else { throw IMAPParseError("Expected a keyword") }
        return keyword
    }
}

extension ByteBuffer {
    // search-key      = (see SearchKey)
    @discardableResult
    public mutating func writeSearchKey(_ key: SearchKey, literalForm: IMAPLiteralForm = .synchronizing) -> Int {
        func string(_ name: String, _ bytes: [UInt8]) -> Int {
            writeString(name + " ") + writeIMAPAstring(bytes, literalForm: literalForm)
        }
        if let name = SearchKey.flagKeys.first(where: { $0.1 == key })?.0 { return writeString(name) }
        switch key {
        case .bcc(let s): return string("BCC", s)
        case .body(let s): return string("BODY", s)
        case .cc(let s): return string("CC", s)
        case .from(let s): return string("FROM", s)
        case .subject(let s): return string("SUBJECT", s)
        case .text(let s): return string("TEXT", s)
        case .to(let s): return string("TO", s)
        case .header(let field, let s):
            return string("HEADER", Array(field.utf8)) + writeString(" ") + writeIMAPAstring(s, literalForm: literalForm)
        case .keyword(let k): return writeString("KEYWORD " + k.rawValue)
        case .unkeyword(let k): return writeString("UNKEYWORD " + k.rawValue)
        case .before(let d): return writeString("BEFORE ") + writeDate(d)
        case .on(let d): return writeString("ON ") + writeDate(d)
        case .since(let d): return writeString("SINCE ") + writeDate(d)
        case .sentBefore(let d): return writeString("SENTBEFORE ") + writeDate(d)
        case .sentOn(let d): return writeString("SENTON ") + writeDate(d)
        case .sentSince(let d): return writeString("SENTSINCE ") + writeDate(d)
        case .larger(let n): return writeString("LARGER \(n)")
        case .smaller(let n): return writeString("SMALLER \(n)")
        case .uid(let set): return writeString("UID ") + writeSequenceSet(set)
        case .sequenceNumbers(let set): return writeSequenceSet(set)
        case .not(let inner): return writeString("NOT ") + writeSearchKey(inner, literalForm: literalForm)
        case .or(let a, let b):
            return writeString("OR ") + writeSearchKey(a, literalForm: literalForm) + writeString(" ")
                + writeSearchKey(b, literalForm: literalForm)
        case .and(let keys): return writeString("(") + writeSearchKeys(keys, literalForm: literalForm) + writeString(")")
        default: preconditionFailure("flag keys are written above")
        }
    }

    // search-key *(SP search-key)
    @discardableResult
    public mutating func writeSearchKeys(_ keys: [SearchKey], literalForm: IMAPLiteralForm = .synchronizing) -> Int {
        var written = 0
        for (i, key) in keys.enumerated() {
            if i > 0 { written += writeString(" ") }
            written += writeSearchKey(key, literalForm: literalForm)
        }
        return written
    }
}
