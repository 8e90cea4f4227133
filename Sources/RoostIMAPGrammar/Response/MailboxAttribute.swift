import NIOCore

/// A name attribute of a LIST or LSUB reply: a `\`-atom, compared case-insensitively.
///
///     mbx-list-flags  = *(mbx-list-oflag SP) mbx-list-sflag
///                       *(SP mbx-list-oflag) /
///                       mbx-list-oflag *(SP mbx-list-oflag)
///     mbx-list-oflag  = "\Noinferiors" / flag-extension
///     mbx-list-sflag  = "\Noselect" / "\Marked" / "\Unmarked"
///
/// RFC 3501 section 7.2.2, with `\HasChildren`/`\HasNoChildren` (RFC 3348), `\NonExistent` and
/// `\Subscribed` (RFC 5258) and the special-use attributes of RFC 6154 section 2.
public struct MailboxAttribute: Hashable, Sendable, CustomStringConvertible {
    /// The atom after the backslash.
    public let name: Flag.Keyword

    /// `nil` unless `name` is an atom.
    public init?(_ name: String) {
        guard let keyword = Flag.Keyword(name) else { return nil }
        self.name = keyword
    }

    public static let noInferiors = MailboxAttribute("Noinferiors")!
    public static let noSelect = MailboxAttribute("Noselect")!
    public static let marked = MailboxAttribute("Marked")!
    public static let unmarked = MailboxAttribute("Unmarked")!
    public static let hasChildren = MailboxAttribute("HasChildren")!
    public static let hasNoChildren = MailboxAttribute("HasNoChildren")!
    public static let nonExistent = MailboxAttribute("NonExistent")!
    public static let subscribed = MailboxAttribute("Subscribed")!
    // RFC 6154 section 2.
    public static let all = MailboxAttribute("All")!
    public static let archive = MailboxAttribute("Archive")!
    public static let drafts = MailboxAttribute("Drafts")!
    public static let flagged = MailboxAttribute("Flagged")!
    public static let junk = MailboxAttribute("Junk")!
    public static let sent = MailboxAttribute("Sent")!
    public static let trash = MailboxAttribute("Trash")!

    public var description: String { "\\" + name.rawValue }
}

/// One line of a LIST or LSUB reply: attributes, hierarchy delimiter and name.
///
///     mailbox-list    = "(" [mbx-list-flags] ")" SP
///                        (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
public struct MailboxListItem: Hashable, Sendable {
    public var attributes: [MailboxAttribute]
    /// The hierarchy delimiter, `nil` for a flat namespace; an ASCII character.
    public var delimiter: Character?
    public var name: MailboxName

    public init(attributes: [MailboxAttribute], delimiter: Character?, name: MailboxName) {
        precondition(delimiter.map { $0.isASCII } ?? true, "the hierarchy delimiter is an ASCII character")
        self.attributes = attributes
        self.delimiter = delimiter
        self.name = name
    }
}

extension ByteBuffer {
    // mailbox-list    = "(" [mbx-list-flags] ")" SP
    //                    (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
    @discardableResult
    public mutating func writeMailboxListItem(_ item: MailboxListItem) -> Int {
        var written = writeString("(" + item.attributes.map(\.description).joined(separator: " ") + ") ")
        written += writeQuotedChar(item.delimiter)
        return written + writeString(" ") + writeMailbox(item.name)
    }

    // (DQUOTE QUOTED-CHAR DQUOTE / nil)
    @discardableResult
    mutating func writeQuotedChar(_ char: Character?) -> Int {
        guard let char else { return writeString("NIL") }
        return writeIMAPQuoted(Array(String(char).utf8))
    }
}
