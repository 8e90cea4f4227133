/// The basic rules of RFC 3501 section 9: numbers, atoms and strings.
extension IMAPParser {
    // number          = 1*DIGIT
    //                     ; Unsigned 32-bit integer
    //                     ; (0 <= n < 4,294,967,296)
    public mutating func parseNumber() throws(IMAPParseError) -> UInt32 {
        let digits = take(while: IMAPASCII.isDigit)
        guard !digits.isEmpty else { throw IMAPParseError("Expected a number") }
        var value: UInt32 = 0
        for digit in digits {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt32(digit - IMAPASCII.zero))
            guard !o1, !o2 else { throw IMAPParseError("Number out of range") }
            value = sum
        }
        return value
    }

    // nz-number       = digit-nz *DIGIT
    //                     ; Non-zero unsigned 32-bit integer
    //                     ; (0 < n < 4,294,967,296)
    public mutating func parseNZNumber() throws(IMAPParseError) -> UInt32 {
        guard let first = peek(), first != IMAPASCII.zero else { throw IMAPParseError("Expected a non-zero number") }
        return try parseNumber()
    }

    // atom            = 1*ATOM-CHAR
    public mutating func parseAtom() throws(IMAPParseError) -> String {
        let bytes = take(while: IMAPASCII.isAtomChar)
        guard !bytes.isEmpty else { throw IMAPParseError("Expected an atom") }
        return String(decoding: bytes, as: UTF8.self)
    }

    // astring         = 1*ASTRING-CHAR / string
    public mutating func parseAstring() throws(IMAPParseError) -> [UInt8] {
        if next(is: IMAPASCII.quote) || atLiteral { return try parseString() }
        let bytes = take(while: IMAPASCII.isAstringChar)
        guard !bytes.isEmpty else { throw IMAPParseError("Expected a string") }
        return Array(bytes)
    }

    // nstring         = string / nil
    // nil             = "NIL"
    public mutating func parseNstring() throws(IMAPParseError) -> [UInt8]? {
        if skip(keyword: "NIL") { return nil }
        return try parseString()
    }

    // string          = quoted / literal
    // literal         = "{" number "}" CRLF *CHAR8
    //                     ; (header and CRLF removed by the framer)
    public mutating func parseString() throws(IMAPParseError) -> [UInt8] {
        if let literal = takeLiteral() { return literal }
        return try parseQuoted()
    }

    // quoted          = DQUOTE *QUOTED-CHAR DQUOTE
    // QUOTED-CHAR     = <any TEXT-CHAR except quoted-specials> /
    //                   "\" quoted-specials
    //                   (RFC 9051 adds: / UTF8-2 / UTF8-3 / UTF8-4)
    //
    // 8-bit octets are taken as RFC 9051 allows them (clients put UTF-8 passwords in quoted strings);
    // NUL, CR and LF are refused.
    public mutating func parseQuoted() throws(IMAPParseError) -> [UInt8] {
        try expect(IMAPASCII.quote, "a string")
        var out: [UInt8] = []
        while let byte = peek() {
            advance()
            switch byte {
            case IMAPASCII.quote:
                return out
            case IMAPASCII.backslash:
                guard let escaped = peek(), escaped == IMAPASCII.quote || escaped == IMAPASCII.backslash else {
                    throw IMAPParseError("Invalid escape in a quoted string")
                }
                advance()
                out.append(escaped)
            case 0, IMAPASCII.cr, IMAPASCII.lf:
                throw IMAPParseError("Invalid character in a quoted string")
            default:
                out.append(byte)
            }
        }
        throw IMAPParseError("Unterminated quoted string")
    }
}
