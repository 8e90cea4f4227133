/// A cursor over a structured MIME header value (RFC 2045 section 5.1 grammar).
///
/// Content-Type and Content-Disposition share this grammar: `token "/" token *(";" parameter)`,
/// with comments (RFC 5322 CFWS) allowed between tokens. The cursor is lenient where real mail is
/// sloppy: unquoted parameter values may contain tspecials or spaces (`boundary=----=_Part_1`,
/// `name=My File.pdf`), an unterminated quoted string or comment runs to the end, and junk up to
/// the next `;` is skipped.
///
/// Invariant: `index` never exceeds `bytes.count`. Every move goes through `advance()`, which
/// clamps, so a value cut short inside an escape (`name= (\`), a quoted string or a comment
/// leaves the cursor at the end instead of past it.
struct MIMETokenizer {
    private let bytes: [UInt8]
    private(set) var index = 0

    init(_ value: String) {
        self.bytes = Array(value.utf8)
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// Moves forward one byte, staying put at the end of the value.
    private mutating func advance() {
        if index < bytes.count { index += 1 }
    }

    /// RFC 2045 token characters: printable US-ASCII except SPACE and tspecials.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20 && byte < 0x7F else { return false }
        switch byte {
        case ASCII.openParen, ASCII.closeParen, ASCII.lessThan, ASCII.greaterThan, ASCII.at,
             ASCII.comma, ASCII.semicolon, ASCII.colon, ASCII.backslash, ASCII.quote, ASCII.slash,
             ASCII.openBracket, ASCII.closeBracket, ASCII.question, ASCII.equals:
            return false
        default:
            return true
        }
    }

    /// Skips whitespace and (possibly nested) comments.
    mutating func skipCFWS() {
        while index < bytes.count {
            let byte = bytes[index]
            if ASCII.isWhitespace(byte) {
                advance()
            } else if byte == ASCII.openParen {
                skipComment()
            } else {
                return
            }
        }
    }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        advance()
        return true
    }

    /// Reads a token, or nil when none starts here.
    mutating func token() -> String? {
        let start = index
        while index < bytes.count, Self.isTokenByte(bytes[index]) { advance() }
        return start == index ? nil : String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Moves past the next top-level `;`, skipping quoted strings and comments; false at the end.
    mutating func skipToNextParameter() -> Bool {
        while index < bytes.count {
            switch bytes[index] {
            case ASCII.semicolon:
                advance()
                return true
            case ASCII.quote:
                _ = quotedString()
            case ASCII.openParen:
                skipComment()
            default:
                advance()
            }
        }
        return false
    }

    /// Reads the parameter list that follows the type; `index` should be at or before the first `;`.
    mutating func rawParameters() -> [RawParameter] {
        var parameters: [RawParameter] = []
        while skipToNextParameter() {
            skipCFWS()
            guard let name = parameterName() else { continue }
            skipCFWS()
            guard consume(ASCII.equals) else { continue }
            skipCFWS()
            let value = bytes.indices.contains(index) && bytes[index] == ASCII.quote ? quotedString() : unquotedValue()
            parameters.append(RawParameter(name: name, value: value))
        }
        return parameters
    }

    /// A parameter name: a token, lowercased (names are case-insensitive, RFC 2045 section 5.1).
    private mutating func parameterName() -> String? {
        token().map { String(decoding: $0.utf8.map(ASCII.lowercased), as: UTF8.self) }
    }

    /// The content of a quoted string with quoted-pairs unescaped; the cursor must be on `"`.
    private mutating func quotedString() -> [UInt8] {
        var value: [UInt8] = []
        advance()
        while index < bytes.count {
            let byte = bytes[index]
            advance()
            if byte == ASCII.quote { break }
            if byte == ASCII.backslash, index < bytes.count {
                value.append(bytes[index])
                advance()
            } else if byte != ASCII.cr && byte != ASCII.lf {
                value.append(byte)
            }
        }
        return value
    }

    /// An unquoted value: everything up to `;` or a comment that follows whitespace, trimmed.
    private mutating func unquotedValue() -> [UInt8] {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.semicolon { break }
            if byte == ASCII.openParen, index > start, ASCII.isWhitespace(bytes[index - 1]) { break }
            advance()
        }
        return Array(ASCII.trimmed(bytes[start..<index]))
    }

    private mutating func skipComment() {
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            advance()
            switch byte {
            case ASCII.openParen: depth += 1
            case ASCII.closeParen:
                depth -= 1
                if depth == 0 { return }
            case ASCII.backslash: advance()
            default: break
            }
        }
    }
}

/// A parameter as written, before RFC 2231 reassembly.
struct RawParameter: Hashable {
    var name: String
    var value: [UInt8]
}
