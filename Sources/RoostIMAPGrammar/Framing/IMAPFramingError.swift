/// Why the framer refused a command; the caller answers it and the framer has already resynchronised.
///
/// `tag` is the command's tag when the framer could read it (the text before the first SP of the
/// command's first line), so the reply is `tag BAD …` or `tag NO [TOOBIG] …`; without a tag it is
/// `* BAD …`. `message` is printable ASCII, safe to put on a response line.
public struct IMAPFramingError: Error, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// The command's text (literals and CRLFs excluded) is longer than `limit` octets.
        case lineTooLong(limit: Int)
        /// A literal header announced more than `limit` octets. `octets` is saturated at `UInt64.max`.
        ///
        /// A synchronizing literal is refused instead of the `+` continuation, so the client never sends
        /// it (RFC 3501 section 7.5; RFC 9051 section 7.5 suggests `NO [TOOBIG]` or `BAD`). A
        /// non-synchronizing one is on its way and the framer skips it; under LITERAL- the reply MUST be
        /// a tagged BAD with `[TOOBIG]` for APPEND (RFC 7888 section 5).
        case literalTooLarge(octets: UInt64, limit: Int, synchronizing: Bool)
        /// The command has more than `limit` literals.
        case tooManyLiterals(limit: Int)
    }

    public var kind: Kind
    public var tag: Tag?

    public init(_ kind: Kind, tag: Tag?) {
        self.kind = kind
        self.tag = tag
    }

    /// Human text for the reply: printable ASCII.
    public var message: String {
        switch kind {
        case .lineTooLong(let limit):
            "Command line too long (limit \(limit) octets)"
        case .literalTooLarge(_, let limit, _):
            "Literal too large (limit \(limit) octets)"
        case .tooManyLiterals(let limit):
            "Too many literals in one command (limit \(limit))"
        }
    }
}
