import NIOCore

/// The mailbox name pattern of LIST and LSUB, with its wildcards (RFC 3501 section 6.3.8).
///
///     list-mailbox    = 1*list-char / string
///     list-char       = ATOM-CHAR / list-wildcards / resp-specials
///     list-wildcards  = "%" / "*"
///
/// Like a mailbox name the pattern is modified UTF-7 on the wire and decoded here (the wildcards are
/// printable ASCII, so they survive); an invalid one is a syntax error. `*` matches any characters, `%`
/// any except the hierarchy delimiter. An empty pattern is LIST's request for the delimiter.
public struct MailboxPattern: Hashable, Sendable, CustomStringConvertible {
    /// The decoded pattern.
    public let pattern: String

    public init(_ pattern: String) {
        self.pattern = pattern
    }

    /// A pattern from its wire form; refuses invalid modified UTF-7.
    public init(wire bytes: some Collection<UInt8>) throws(IMAPParseError) {
        guard let decoded = IMAPModifiedUTF7.decode(bytes) else {
            throw IMAPParseError("Mailbox pattern is not valid modified UTF-7")
        }
        self.pattern = decoded
    }

    /// The wire form: modified UTF-7.
    public var wireBytes: [UInt8] { IMAPModifiedUTF7.encode(pattern) }

    /// Whether `name` (already joined with the reference) matches, comparing characters exactly, except
    /// that a pattern starting with `INBOX` in any case matches the name `INBOX`.
    ///
    /// Dynamic programming over one row per pattern character, so `*a*a*a…` costs at most
    /// O(pattern × name), never exponential time.
    public func matches(_ name: String, delimiter: Character?) -> Bool {
        let n = Array(name)
        // row[j]: the pattern so far matches the first j characters of the name.
        var row = [Bool](repeating: false, count: n.count + 1)
        row[0] = true
        for c in Self.normalizingInbox(pattern) {
            var next = [Bool](repeating: false, count: n.count + 1)
            switch c {
            case "*", "%":
                next[0] = row[0]
                for j in stride(from: 1, through: n.count, by: 1) {
                    next[j] = row[j] || (next[j - 1] && (c == "*" || n[j - 1] != delimiter))
                }
            default:
                for j in stride(from: 1, through: n.count, by: 1) { next[j] = row[j - 1] && n[j - 1] == c }
            }
            row = next
        }
        return row[n.count]
    }

    private static func normalizingInbox(_ pattern: String) -> String {
        // Only a whole first level: `Inboxes` is another mailbox.
        guard pattern.prefix(5).isInboxIgnoringASCIICase else { return pattern }
        if let next = pattern.dropFirst(5).unicodeScalars.first, next.properties.isAlphabetic || ("0"..."9").contains(next) {
            return pattern
        }
        return "INBOX" + pattern.dropFirst(5)
    }

    public var description: String { pattern }
}

extension IMAPParser {
    // list-mailbox    = 1*list-char / string
    // list-char       = ATOM-CHAR / list-wildcards / resp-specials
    public mutating func parseMailboxPattern() throws(IMAPParseError) -> MailboxPattern {
        if next(is: IMAPASCII.quote) || atLiteral { return try MailboxPattern(wire: try parseString()) }
        let bytes = take(while: IMAPASCII.isListChar)
        guard !bytes.isEmpty else { throw IMAPParseError("Expected a mailbox pattern") }
        return try MailboxPattern(wire: bytes)
    }
}

extension IMAPASCII {
    // list-char       = ATOM-CHAR / list-wildcards / resp-specials
    static func isListChar(_ byte: UInt8) -> Bool {
        isAstringChar(byte) || byte == percent || byte == star
    }
}

extension ByteBuffer {
    // list-mailbox    = 1*list-char / string
    @discardableResult
    public mutating func writeMailboxPattern(_ pattern: MailboxPattern, literalForm: IMAPLiteralForm = .synchronizing) -> Int {
        let bytes = pattern.wireBytes
        if !bytes.isEmpty, bytes.allSatisfy(IMAPASCII.isListChar) { return writeBytes(bytes) }
        return writeIMAPString(bytes, literalForm: literalForm)
    }
}
