import NIOCore

/// A cursor over one framed command: the primitives every ABNF rule's parse function is built from.
///
/// The framer has already removed each literal's `{n}` header and CRLF, so a literal is met where a line
/// piece ends with a literal following it (`atLiteral`). The rules live in `IMAPParser+<Topic>.swift`,
/// one function per rule, the rule quoted above it. Every function either consumes what its rule matched
/// or throws; none traps on client input.
public struct IMAPParser {
    struct Piece {
        var line: [UInt8]
        var literal: [UInt8]?
    }

    public let limits: IMAPLimits
    var pieces: [Piece]
    var piece = 0
    var offset = 0
    /// How deep the parenthesised lists being parsed are nested (checked against `limits.maxNestingDepth`).
    var depth = 0

    /// A parser over a framed command.
    public init(_ frame: IMAPCommandFrame, limits: IMAPLimits = IMAPLimits()) {
        self.limits = limits
        self.pieces = frame.pieces.map { Piece(line: Array($0.line.readableBytesView), literal: $0.literal.map { Array($0.readableBytesView) }) }
    }

    /// A parser over text without literals (used by tests and for values outside commands).
    public init(_ text: String, limits: IMAPLimits = IMAPLimits()) {
        self.limits = limits
        self.pieces = [Piece(line: Array(text.utf8), literal: nil)]
    }

    /// The next octet of command text, `nil` at the end of a line piece.
    func peek() -> UInt8? {
        let line = pieces[piece].line
        return offset < line.count ? line[offset] : nil
    }

    /// At the end of a line piece that a literal follows: the next token is that literal.
    var atLiteral: Bool { offset == pieces[piece].line.count && pieces[piece].literal != nil }

    /// At the end of the command.
    public var atEnd: Bool { offset == pieces[piece].line.count && pieces[piece].literal == nil }

    /// Whether the next octet is `byte`.
    func next(is byte: UInt8) -> Bool { peek() == byte }

    mutating func advance(by count: Int = 1) { offset += count }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        offset += 1
        return true
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(IMAPParseError) {
        guard skip(byte) else { throw IMAPParseError("Expected \(what)") }
    }

    // SP              = %x20
    mutating func expectSpace() throws(IMAPParseError) {
        try expect(IMAPASCII.space, "a space")
    }

    /// Checks that the whole command was consumed.
    public mutating func expectEnd() throws(IMAPParseError) {
        guard atEnd else { throw IMAPParseError("Unexpected characters at the end of the command") }
    }

    /// Consumes the longest run of octets matching `predicate` in the current line piece.
    mutating func take(while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let line = pieces[piece].line
        let start = offset
        while offset < line.count, predicate(line[offset]) { offset += 1 }
        return line[start..<offset]
    }

    /// Consumes the literal that follows the current line piece.
    mutating func takeLiteral() -> [UInt8]? {
        guard atLiteral, let literal = pieces[piece].literal else { return nil }
        piece += 1
        offset = 0
        return literal
    }

    /// Consumes `keyword` (upper case) if the next octets spell it case-insensitively and no atom
    /// character follows it.
    mutating func skip(keyword: String) -> Bool {
        let line = pieces[piece].line
        let end = offset + keyword.utf8.count
        guard end <= line.count, IMAPASCII.equalsIgnoringCase(line[offset..<end], keyword) else { return false }
        if end < line.count, IMAPASCII.isAtomChar(line[end]) { return false }
        offset = end
        return true
    }

    /// Runs `body` one parenthesis level deeper, refusing nesting beyond `limits.maxNestingDepth`.
    mutating func nested<T>(_ body: (inout IMAPParser) throws(IMAPParseError) -> T) throws(IMAPParseError) -> T {
        guard depth < limits.maxNestingDepth else {
            throw IMAPParseError("Too deeply nested (limit \(limits.maxNestingDepth))")
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    /// Parses a whole text with `rule`, requiring that nothing is left over.
    ///
    /// `rule` throws untyped so that closures such as `{ try $0.parseFlag() }` need no annotation; the
    /// rules themselves only throw `IMAPParseError`.
    public static func parse<T>(
        _ text: String, limits: IMAPLimits = IMAPLimits(), _ rule: (inout IMAPParser) throws -> T
    ) throws -> T {
        var parser = IMAPParser(text, limits: limits)
        let value = try rule(&parser)
        try parser.expectEnd()
        return value
    }
}
