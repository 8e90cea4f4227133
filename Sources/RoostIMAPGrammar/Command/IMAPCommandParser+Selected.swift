/// The parsers of the selected-state commands (RFC 3501 section 6.4 and extensions).
extension IMAPParser {
    // search          = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)
    //
    // The charset name is taken as ASCII; the session checks it against what it supports.
    mutating func parseSearch() throws(IMAPParseError) -> (charset: String?, keys: [SearchKey]) {
        try expectSpace()
        var charset: String?
        if skip(keyword: "CHARSET") {
            try expectSpace()
            charset = String(decoding: try parseAstring(), as: UTF8.self)
            try expectSpace()
        }
        return (charset, try parseSearchKeys())
    }

    // fetch           = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" /
    //                   fetch-att / "(" fetch-att *(SP fetch-att) ")")
    mutating func parseFetch() throws(IMAPParseError) -> (SequenceSet, FetchRequest) {
        let set = try parseSpaceSequenceSet()
        try expectSpace()
        return (set, try parseFetchRequest())
    }

    // store           = "STORE" SP sequence-set SP store-att-flags
    mutating func parseStore() throws(IMAPParseError) -> (SequenceSet, StoreOperation) {
        let set = try parseSpaceSequenceSet()
        try expectSpace()
        return (set, try parseStoreOperation())
    }

    // copy            = "COPY" SP sequence-set SP mailbox
    // move            = "MOVE" SP sequence-set SP mailbox             (RFC 6851 section 4)
    mutating func parseCopyOrMove() throws(IMAPParseError) -> (SequenceSet, MailboxName) {
        let set = try parseSpaceSequenceSet()
        return (set, try parseSpaceMailbox())
    }

    mutating func parseSpaceSequenceSet() throws(IMAPParseError) -> SequenceSet {
        try expectSpace()
        return try parseSequenceSet()
    }

    // uid             = "UID" SP (copy / move / fetch / search / store / uid-expunge)
    // uid-expunge     = "EXPUNGE" SP sequence-set                     (RFC 4315 section 3)
    mutating func parseUIDCommand() throws(IMAPParseError) -> Command {
        try expectSpace()
        let keyword = take(while: IMAPASCII.isAtomChar)
        switch String(decoding: keyword.map(IMAPASCII.uppercased), as: UTF8.self) {
        case "SEARCH":
            let (charset, keys) = try parseSearch()
            return .uidSearch(charset: charset, keys: keys)
        case "FETCH":
            let (set, request) = try parseFetch()
            return .uidFetch(set, request)
        case "STORE":
            let (set, operation) = try parseStore()
            return .uidStore(set, operation)
        case "COPY":
            let (set, mailbox) = try parseCopyOrMove()
            return .uidCopy(set, mailbox)
        case "MOVE":
            let (set, mailbox) = try parseCopyOrMove()
            return .uidMove(set, mailbox)
        case "EXPUNGE":
            return .uidExpunge(try parseSpaceSequenceSet())
        default:
            throw IMAPParseError("Unknown UID command")
        }
    }
}
