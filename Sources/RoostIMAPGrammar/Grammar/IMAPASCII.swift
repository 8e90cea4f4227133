/// The character classes of RFC 3501 section 9, as byte predicates.
enum IMAPASCII {
    static let space = UInt8(ascii: " ")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let plus = UInt8(ascii: "+")
    static let star = UInt8(ascii: "*")
    static let percent = UInt8(ascii: "%")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let closeBracket = UInt8(ascii: "]")
    static let zero = UInt8(ascii: "0")

    // CHAR     = %x01-7F
    static func isChar(_ byte: UInt8) -> Bool { byte >= 0x01 && byte <= 0x7F }

    // CTL      = %x00-1F / %x7F
    static func isCTL(_ byte: UInt8) -> Bool { byte <= 0x1F || byte == 0x7F }

    // DIGIT    = %x30-39
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    // ATOM-CHAR       = <any CHAR except atom-specials>
    // atom-specials   = "(" / ")" / "{" / SP / CTL / list-wildcards /
    //                   quoted-specials / resp-specials
    // list-wildcards  = "%" / "*"
    // quoted-specials = DQUOTE / "\"
    // resp-specials   = "]"
    static func isAtomChar(_ byte: UInt8) -> Bool {
        guard isChar(byte), !isCTL(byte) else { return false }
        switch byte {
        case openParen, closeParen, openBrace, space, percent, star, quote, backslash, closeBracket: return false
        default: return true
        }
    }

    // ASTRING-CHAR   = ATOM-CHAR / resp-specials
    static func isAstringChar(_ byte: UInt8) -> Bool { isAtomChar(byte) || byte == closeBracket }

    // tag             = 1*<any ASTRING-CHAR except "+">
    static func isTagChar(_ byte: UInt8) -> Bool { isAstringChar(byte) && byte != plus }

    // TEXT-CHAR       = <any CHAR except CR and LF>
    static func isTextChar(_ byte: UInt8) -> Bool { isChar(byte) && byte != cr && byte != lf }

    static func uppercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
    }

    /// Compares ASCII case-insensitively (`bytes` against an upper-case keyword).
    static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ upperKeyword: String) -> Bool {
        bytes.count == upperKeyword.utf8.count && zip(bytes, upperKeyword.utf8).allSatisfy { uppercased($0) == $1 }
    }
}
