import NIOCore

/// A client command with its tag: what `IMAPCommandParser` returns and the session runs.
public struct TaggedCommand: Hashable, Sendable {
    public var tag: Tag
    public var command: Command

    public init(tag: Tag, command: Command) {
        self.tag = tag
        self.command = command
    }
}

/// The IMAP commands of RFC 3501 section 6 with the extensions Roost implements: ID (RFC 2971), SASL-IR
/// (RFC 4959), ENABLE (RFC 5161), IDLE (RFC 2177), NAMESPACE (RFC 2342), UNSELECT (RFC 3691), UIDPLUS's
/// UID EXPUNGE (RFC 4315), MOVE (RFC 6851) and MULTIAPPEND (RFC 3502). Any other keyword is a tagged BAD.
///
/// Which state a command may run in is the session's decision, not the parser's: a SELECT before login
/// parses and is refused there.
public enum Command: Hashable, Sendable {
    // command-any     = "CAPABILITY" / "LOGOUT" / "NOOP" / x-command / id
    case capability
    case noop
    case logout
    /// ID with the client's fields, `nil` for `ID NIL`.
    case id([IDField]?)

    // command-nonauth = login / authenticate / "STARTTLS"
    case startTLS
    /// AUTHENTICATE with the mechanism (upper-cased) and the SASL-IR initial response, if any.
    case authenticate(mechanism: String, initialResponse: InitialResponse?)
    /// LOGIN with the user name and password octets as sent (the session decides on UTF-8).
    case login(userid: [UInt8], password: [UInt8])

    // command-auth    = append / create / delete / examine / list / lsub /
    //                   rename / select / status / subscribe / unsubscribe /
    //                   idle / enable / namespace
    /// ENABLE with the capability names as sent (RFC 5161 section 3.1).
    case enable([String])
    case select(MailboxName)
    case examine(MailboxName)
    case create(MailboxName)
    case delete(MailboxName)
    case rename(from: MailboxName, to: MailboxName)
    case subscribe(MailboxName)
    case unsubscribe(MailboxName)
    case list(reference: MailboxName, pattern: MailboxPattern)
    case lsub(reference: MailboxName, pattern: MailboxPattern)
    case namespace
    case status(MailboxName, [StatusAttribute])
    /// APPEND of one message, or several with MULTIAPPEND (RFC 3502); never empty.
    case append(MailboxName, [AppendMessage])
    /// IDLE (RFC 2177): the session answers `+ idling` and reads a `DONE` line
    /// (`IMAPCommandParser.isIdleDone`).
    case idle

    // command-select  = "CHECK" / "CLOSE" / "UNSELECT" / "EXPUNGE" / copy / move / fetch /
    //                   store / search / uid
    case check
    case close
    case unselect
    case expunge
    /// SEARCH with the CHARSET the client named, if any (the session decides `[BADCHARSET]`).
    case search(charset: String?, keys: [SearchKey])
    case fetch(SequenceSet, FetchRequest)
    case store(SequenceSet, StoreOperation)
    case copy(SequenceSet, MailboxName)
    case move(SequenceSet, MailboxName)

    // uid             = "UID" SP (copy / move / fetch / search / store / uid-expunge)
    case uidSearch(charset: String?, keys: [SearchKey])
    case uidFetch(SequenceSet, FetchRequest)
    case uidStore(SequenceSet, StoreOperation)
    case uidCopy(SequenceSet, MailboxName)
    case uidMove(SequenceSet, MailboxName)
    /// UID EXPUNGE (RFC 4315 section 2.1).
    case uidExpunge(SequenceSet)
}

/// One field of an ID command or response (RFC 2971 section 3.3).
public struct IDField: Hashable, Sendable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }
}

/// The initial response of AUTHENTICATE (RFC 4959 section 3).
public enum InitialResponse: Hashable, Sendable {
    /// `=`: an empty initial response.
    case empty
    /// The base64 text, validated for its alphabet and length but not decoded (the SASL layer decodes).
    case base64(String)
}
