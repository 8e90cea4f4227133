/// The argument rules. RFC 1939 gives no ABNF for them; the rules quoted above each function are RFC 2449's
/// `param`, RFC 5034's and RFC 4422's where they exist, and otherwise the RFC 1939 wording they come from.
extension POP3CommandParser {
    // name         =  param     ; "a string identifying a mailbox" (RFC 1939 section 7, USER and APOP)
    // param        =  1*VCHAR   ; RFC 2449 section 3
    //
    // Deviation: UTF-8 beyond ASCII is accepted (RFC 6856 user names; Dovecot accepts them too).
    static func parseName(_ bytes: ArraySlice<UInt8>, keyword: String) throws(POP3ParseError) -> String {
        guard bytes.count <= POP3Limits.maxArgumentOctets else {
            throw .argumentTooLong(keyword: keyword, limit: POP3Limits.maxArgumentOctets)
        }
        guard !bytes.contains(where: POP3ASCII.isControl), let name = String(validating: bytes, as: UTF8.self) else {
            throw .invalidCharacters(keyword: keyword)
        }
        return name
    }

    // PASS string   ; "a server/mailbox-specific password (required)" (RFC 1939 section 7)
    //
    // `rest` is the line after the keyword: empty, or starting with the one SP that separates the password.
    // Everything after that SP is the password, spaces included ("Since the PASS command has exactly one
    // argument, a POP3 server may treat spaces in the argument as part of the password", RFC 1939 section
    // 7). "PASS" and "PASS " have no password. Deviation: any UTF-8 is accepted except NUL, CR and LF, which
    // no password store can hold and which would break the line; other control characters are kept, as
    // Dovecot keeps them. A password that is not UTF-8 (an old Latin-1 client) is refused rather than altered.
    static func parsePassword(_ rest: ArraySlice<UInt8>) throws(POP3ParseError) -> String {
        let password = rest.dropFirst()
        guard !password.isEmpty else { throw .missingArgument(keyword: "PASS", .password) }
        guard password.count <= POP3Limits.maxArgumentOctets else {
            throw .argumentTooLong(keyword: "PASS", limit: POP3Limits.maxArgumentOctets)
        }
        guard !password.contains(where: { $0 == 0 || $0 == POP3ASCII.cr || $0 == POP3ASCII.lf }),
              let string = String(validating: password, as: UTF8.self)
        else {
            throw .invalidCharacters(keyword: "PASS")
        }
        return string
    }

    // digest       =  32HEXDIG  ; "the MD5 algorithm ... in hexadecimal format, using lower-case ASCII
    //                           ;  characters" (RFC 1939 section 7, APOP)
    //
    // Deviation: upper-case hex digits are accepted and lower-cased.
    static func parseDigest(_ bytes: ArraySlice<UInt8>, keyword: String) throws(POP3ParseError) -> String {
        guard bytes.count == 32, bytes.allSatisfy(POP3ASCII.isHexDigit) else {
            throw .invalidArgument(keyword: keyword, .digest)
        }
        return String(decoding: bytes.map(POP3ASCII.lowercased), as: UTF8.self)
    }

    // sasl-mech    = 1*20mech-char                              (RFC 4422 section 3.1)
    // mech-char    = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
    //
    // RFC 5034 section 8: "all alphabetic characters are case-insensitive", so the name is upper-cased
    // first and then checked.
    static func parseMechanism(_ bytes: ArraySlice<UInt8>, keyword: String) throws(POP3ParseError) -> String {
        guard bytes.count <= POP3Limits.maxArgumentOctets else {
            throw .argumentTooLong(keyword: keyword, limit: POP3Limits.maxArgumentOctets)
        }
        let upper = bytes.map(POP3ASCII.uppercased)
        guard upper.count <= 20, upper.allSatisfy(POP3ASCII.isMechanismCharacter) else {
            throw .invalidArgument(keyword: keyword, .mechanism)
        }
        return String(decoding: upper, as: UTF8.self)
    }

    // initial-response = base64 / "="                            (RFC 5034 section 8)
    //
    // Only checked to be printable ASCII here and kept as sent ("=" included): the SASL layer decodes the
    // base64 and must refuse a bad encoding with -ERR itself (RFC 5034 section 4). Length: see
    // `POP3Limits.maxInitialResponseOctets` for why this is more than 255.
    static func parseInitialResponse(_ bytes: ArraySlice<UInt8>, keyword: String) throws(POP3ParseError) -> String {
        guard bytes.count <= POP3Limits.maxInitialResponseOctets else {
            throw .argumentTooLong(keyword: keyword, limit: POP3Limits.maxInitialResponseOctets)
        }
        guard bytes.allSatisfy(POP3ASCII.isVisible) else {
            throw .invalidArgument(keyword: keyword, .initialResponse)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // msg          =  1*DIGIT   ; "a message-number (required) which may NOT refer to a message marked as
    //                           ;  deleted" (RFC 1939 section 5); message numbers start at 1
    //
    // ASCII digits only: no sign, no spaces; leading zeros are fine. Range 1 to `POP3Limits.maxMessageNumber`.
    static func parseMessageNumber(
        _ bytes: ArraySlice<UInt8>,
        keyword: String
    ) throws(POP3ParseError) -> POP3MessageNumber {
        guard let value = parseDecimal(bytes, maximum: POP3Limits.maxMessageNumber),
              let number = POP3MessageNumber(value)
        else {
            throw .invalidArgument(keyword: keyword, .messageNumber)
        }
        return number
    }

    // n            =  1*DIGIT   ; "a non-negative number of lines (required)" (RFC 1939 section 7, TOP)
    //
    // Range 0 to `POP3Limits.maxLineCount`.
    static func parseLineCount(_ bytes: ArraySlice<UInt8>, keyword: String) throws(POP3ParseError) -> Int {
        guard let value = parseDecimal(bytes, maximum: POP3Limits.maxLineCount) else {
            throw .invalidArgument(keyword: keyword, .lineCount)
        }
        return value
    }

    /// The value of 1*DIGIT, or nil for anything else or a value above `maximum`.
    static func parseDecimal(_ bytes: ArraySlice<UInt8>, maximum: Int) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard POP3ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - POP3ASCII.zero)
            guard value <= maximum else { return nil }
        }
        return value
    }
}
