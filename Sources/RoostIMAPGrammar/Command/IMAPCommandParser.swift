import NIOCore

/// Parses a framed command into a `TaggedCommand`, or a syntax error that carries the tag when the
/// command had a valid one (so the reply is `tag BAD …`).
///
/// Every command of `Command` parses in any state; the session decides which state allows it. An unknown
/// keyword is refused rather than half-parsed.
public enum IMAPCommandParser {
    public static func parse(_ frame: IMAPCommandFrame, limits: IMAPLimits = IMAPLimits()) -> Result<TaggedCommand, IMAPParseError> {
        var parser = IMAPParser(frame, limits: limits)
        var tag: Tag?
        do {
            let parsedTag = try parser.parseTag()
            tag = parsedTag
            try parser.expectSpace()
            let command = try parser.parseCommandBody()
            try parser.expectEnd()
            return .success(TaggedCommand(tag: parsedTag, command: command))
        } catch {
            return .failure(IMAPParseError(error.message, tag: tag))
        }
    }

    /// Whether `frame` is the `DONE` line that ends IDLE (RFC 2177 section 3), in any case and without a
    /// tag. Anything else the client sends while idling is a protocol error the session answers with BAD.
    public static func isIdleDone(_ frame: IMAPCommandFrame) -> Bool {
        frame.pieces.count == 1 && IMAPASCII.equalsIgnoringCase(frame.pieces[0].line.readableBytesView, "DONE")
    }

    /// Parses one command line without literals (a convenience for tests).
    public static func parse(_ line: String, limits: IMAPLimits = IMAPLimits()) -> Result<TaggedCommand, IMAPParseError> {
        parse(IMAPCommandFrame(line: line), limits: limits)
    }
}

extension IMAPParser {
    // tag             = 1*<any ASTRING-CHAR except "+">
    mutating func parseTag() throws(IMAPParseError) -> Tag {
        guard let tag = Tag(bytes: take(while: IMAPASCII.isTagChar)) else { throw IMAPParseError("Missing or invalid tag") }
        return tag
    }

    // command-any     = "CAPABILITY" / "LOGOUT" / "NOOP" / x-command / id
    // command-nonauth = login / authenticate / "STARTTLS"
    // command-auth    = append / create / delete / examine / list / lsub /
    //                   rename / select / status / subscribe / unsubscribe /
    //                   idle / enable / namespace
    // command-select  = "CHECK" / "CLOSE" / "UNSELECT" / "EXPUNGE" / copy / move / fetch /
    //                   store / search / uid
    mutating func parseCommandBody() throws(IMAPParseError) -> Command {
        let keyword = take(while: IMAPASCII.isAtomChar)
        guard !keyword.isEmpty else { throw IMAPParseError("Missing command") }
        switch String(decoding: keyword.map(IMAPASCII.uppercased), as: UTF8.self) {
        case "CAPABILITY": return .capability
        case "NOOP": return .noop
        case "LOGOUT": return .logout
        case "STARTTLS": return .startTLS
        case "ID":
            try expectSpace()
            return .id(try parseIDParameters())
        case "AUTHENTICATE": return try parseAuthenticate()
        case "LOGIN": return try parseLogin()
        case "ENABLE": return try parseEnable()
        case "SELECT": return .select(try parseSpaceMailbox())
        case "EXAMINE": return .examine(try parseSpaceMailbox())
        case "CREATE": return .create(try parseSpaceMailbox())
        case "DELETE": return .delete(try parseSpaceMailbox())
        case "RENAME": return try parseRename()
        case "SUBSCRIBE": return .subscribe(try parseSpaceMailbox())
        case "UNSUBSCRIBE": return .unsubscribe(try parseSpaceMailbox())
        case "LIST":
            let (reference, pattern) = try parseListArguments()
            return .list(reference: reference, pattern: pattern)
        case "LSUB":
            let (reference, pattern) = try parseListArguments()
            return .lsub(reference: reference, pattern: pattern)
        case "NAMESPACE": return .namespace
        case "STATUS": return try parseStatus()
        case "APPEND": return try parseAppend()
        case "IDLE": return .idle
        case "CHECK": return .check
        case "CLOSE": return .close
        case "UNSELECT": return .unselect
        case "EXPUNGE": return .expunge
        case "SEARCH":
            let (charset, keys) = try parseSearch()
            return .search(charset: charset, keys: keys)
        case "FETCH":
            let (set, request) = try parseFetch()
            return .fetch(set, request)
        case "STORE":
            let (set, operation) = try parseStore()
            return .store(set, operation)
        case "COPY":
            let (set, mailbox) = try parseCopyOrMove()
            return .copy(set, mailbox)
        case "MOVE":
            let (set, mailbox) = try parseCopyOrMove()
            return .move(set, mailbox)
        case "UID": return try parseUIDCommand()
        default: throw IMAPParseError("Unknown command")
        }
    }

    // authenticate    = "AUTHENTICATE" SP auth-type [SP (base64 / "=")]      (RFC 4959 section 7)
    // auth-type       = atom
    mutating func parseAuthenticate() throws(IMAPParseError) -> Command {
        try expectSpace()
        let mechanism = try parseAtom().uppercased()
        guard skip(IMAPASCII.space) else { return .authenticate(mechanism: mechanism, initialResponse: nil) }
        return .authenticate(mechanism: mechanism, initialResponse: try parseInitialResponse())
    }

    // (base64 / "=")
    // base64          = *(4base64-char) [base64-terminal]
    // base64-char     = ALPHA / DIGIT / "+" / "/"
    // base64-terminal = (2base64-char "==") / (3base64-char "=")
    mutating func parseInitialResponse() throws(IMAPParseError) -> InitialResponse {
        let text = take { IMAPASCII.isBase64Char($0) || $0 == UInt8(ascii: "=") }
        if text.elementsEqual("=".utf8) { return .empty }
        let padding = text.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard !text.isEmpty, text.count % 4 == 0, padding <= 2,
              text.dropLast(padding).allSatisfy(IMAPASCII.isBase64Char)
        else { throw IMAPParseError("Invalid base64 initial response") }
        return .base64(String(decoding: text, as: UTF8.self))
    }

    // login           = "LOGIN" SP userid SP password
    // userid          = astring
    // password        = astring
    mutating func parseLogin() throws(IMAPParseError) -> Command {
        try expectSpace()
        let userid = try parseAstring()
        try expectSpace()
        return .login(userid: userid, password: try parseAstring())
    }

    // id-params-list ::= "(" #(string SPACE nstring) ")" / nil        (RFC 2971 section 4)
    //
    // The pairs are separated by SP, as in every example of RFC 2971 and every client. RFC 2971 section
    // 3.3 limits a client to 30 pairs; `limits.maxListItems` applies instead, so a chatty client is not
    // refused. Names and values are taken as UTF-8 (invalid octets become U+FFFD).
    public mutating func parseIDParameters() throws(IMAPParseError) -> [IDField]? {
        if skip(keyword: "NIL") { return nil }
        try expect(IMAPASCII.openParen, "(")
        var fields: [IDField] = []
        if skip(IMAPASCII.closeParen) { return fields }
        repeat {
            guard fields.count < limits.maxListItems else {
                throw IMAPParseError("Too many ID fields (limit \(limits.maxListItems))")
            }
            let name = try parseString()
            try expectSpace()
            let value = try parseNstring()
            fields.append(IDField(String(decoding: name, as: UTF8.self), value.map { String(decoding: $0, as: UTF8.self) }))
        } while skip(IMAPASCII.space)
        try expect(IMAPASCII.closeParen, ")")
        return fields
    }
}

extension IMAPASCII {
    // base64-char     = ALPHA / DIGIT / "+" / "/"
    static func isBase64Char(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), zero...UInt8(ascii: "9"),
             plus, UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
