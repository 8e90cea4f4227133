/// One element of an IMAP address list (RFC 3501 section 7.4.2, ENVELOPE): the 4-tuple
/// (name, adl, mailbox, host) that RFC 5322 section 3.4 addresses and groups map to.
///
/// Groups are flattened the IMAP way: a start marker (`mailbox` is the group's display name, `host`
/// is nil), the group's members, then an end marker (all four fields nil).
///
/// The parts are raw: `name` keeps RFC 2047 encoded words (IMAP sends them undecoded; use
/// `decodedName` for display) but has quoting removed. An address missing its local part or domain
/// gets Dovecot 2.3's placeholders `missingMailbox` / `missingHost`, so that a nil host always
/// means a group marker.
public struct Address: Sendable, Hashable, Codable {
    /// The display name (phrase), or a trailing comment when there is no phrase.
    public var name: String?
    /// The obsolete source route (`@a,@b`), RFC 5322 section 4.4.
    public var route: String?
    public var mailbox: String?
    public var host: String?

    public init(name: String? = nil, route: String? = nil, mailbox: String?, host: String?) {
        self.name = name
        self.route = route
        self.mailbox = mailbox
        self.host = host
    }

    /// Placeholder local part for an address that has none (Dovecot's choice).
    public static let missingMailbox = "MISSING_MAILBOX"
    /// Placeholder domain for an address that has none (Dovecot's choice): a valid-looking host
    /// would mislead, and a nil host would turn the address into a group marker.
    public static let missingHost = "MISSING_DOMAIN"

    /// A group start marker for the group called `name`.
    public static func groupStart(_ name: String) -> Address {
        Address(mailbox: name, host: nil)
    }

    /// The group end marker.
    public static let groupEnd = Address(mailbox: nil, host: nil)

    /// True for a group start marker.
    public var isGroupStart: Bool { host == nil && mailbox != nil }

    /// True for a group end marker.
    public var isGroupEnd: Bool { host == nil && mailbox == nil }

    /// `mailbox@host` for a real address, nil for group markers.
    public var addrSpec: String? {
        guard let mailbox, let host else { return nil }
        return "\(mailbox)@\(host)"
    }

    /// The display name with RFC 2047 encoded words decoded.
    public var decodedName: String? {
        name.map(EncodedWord.decode)
    }

    /// Parses an address-list header value (From, To, Cc...); garbage yields a best-effort list.
    ///
    /// Tolerated: unquoted commas in display names (`Doe, John <j@x>`), missing angle brackets
    /// (`John Doe j@x`), comments as names (`j@x (John Doe)`), obsolete routes, missing group
    /// terminators, stray separators, missing local parts or domains.
    public static func parseList(_ value: String) -> [Address] {
        var parser = AddressParser(value)
        return parser.parseList()
    }
}
