/// The size, depth and count limits of the IMAP grammar, in one place.
///
/// The framer enforces the octet limits before buffering; the parser enforces depth and counts. Every
/// limit has a stress test that expects its documented error.
public struct IMAPLimits: Sendable, Hashable {
    /// The most octets of command text in one command, not counting literals or CRLFs (default 64 KiB).
    ///
    /// Clients send huge UID sets (`UID FETCH 1,3,5,…`) on one line; RFC 7162 section 4 recommends at
    /// least 8,192 octets, and Dovecot allows 64 KiB. A longer command is `IMAPFramingError.lineTooLong`.
    public var maxCommandOctets: Int

    /// The most literal octets in one command, in octets (default 64 MiB): the largest message
    /// APPEND accepts, and what all messages of one MULTIAPPEND accept together.
    ///
    /// A literal that would pass it is refused from its `{n}` header, before its bytes are read:
    /// `IMAPFramingError.literalTooLarge`.
    public var maxLiteralOctets: Int

    /// The most literals in one command (default 1,000: MULTIAPPEND sends one per message).
    public var maxLiteralsPerCommand: Int

    /// The deepest nesting of parenthesised lists (search keys, body sections, ID parameters) (default 32).
    public var maxNestingDepth: Int

    /// The most items in one parenthesised list (flags, fetch attributes, ID fields, …) (default 1,000).
    public var maxListItems: Int

    /// The most comma-separated elements in one sequence set (default 65,536: more than fit in
    /// `maxCommandOctets` of the shortest form `1,3,…`, so only a raised line limit makes it bite).
    public var maxSequenceSetElements: Int

    /// The largest non-synchronizing literal when the server advertises LITERAL- instead of LITERAL+:
    /// RFC 7888 section 5 fixes it at 4,096 octets.
    public static let literalMinusMaxOctets = 4096

    /// Creates limits; every default is documented on its property.
    public init(
        maxCommandOctets: Int = 64 * 1024,
        maxLiteralOctets: Int = 64 * 1024 * 1024,
        maxLiteralsPerCommand: Int = 1000,
        maxNestingDepth: Int = 32,
        maxListItems: Int = 1000,
        maxSequenceSetElements: Int = 65_536
    ) {
        precondition(maxCommandOctets > 0 && maxLiteralOctets >= 0 && maxLiteralsPerCommand >= 0)
        precondition(maxNestingDepth > 0 && maxListItems > 0 && maxSequenceSetElements > 0)
        self.maxCommandOctets = maxCommandOctets
        self.maxLiteralOctets = maxLiteralOctets
        self.maxLiteralsPerCommand = maxLiteralsPerCommand
        self.maxNestingDepth = maxNestingDepth
        self.maxListItems = maxListItems
        self.maxSequenceSetElements = maxSequenceSetElements
    }
}
