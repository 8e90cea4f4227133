import NIOCore

/// Parses one POP3 command line, without its CRLF, into a `POP3Command`.
///
/// The framer has already cut the line at CRLF and enforced the line length; a CR left in the line is a
/// control character like any other. SASL continuation lines after AUTH are not commands and never come
/// here: the session hands them to the SASL exchange as they are.
///
/// Deviations from the letter of RFC 1939 and RFC 2449, each for real clients and each harmless:
/// - runs of spaces between arguments and trailing spaces are accepted (RFC 1939 section 3 says a single
///   SP), except for PASS, whose argument is the rest of the line after exactly one SP;
/// - arguments may be up to 255 octets (`POP3Limits.maxArgumentOctets`) instead of RFC 1939's 40
///   characters, AUTH initial responses longer still (`POP3Limits.maxInitialResponseOctets`);
/// - user names and passwords may hold UTF-8 beyond printable ASCII (RFC 6856 user names, and
///   passwords as Dovecot takes them); control characters are still refused;
/// - an APOP digest in upper-case hex is accepted and lower-cased;
/// - AUTH without a mechanism is accepted (RFC 1734's way of asking for the mechanism list).
public enum POP3CommandParser {
    /// Parses one command line WITHOUT its CRLF.
    public static func parse(_ line: ByteBuffer) -> Result<POP3Command, POP3ParseError> {
        parse(bytes: Array(line.readableBytesView)[...])
    }

    /// Parses one command line WITHOUT its CRLF (a convenience for tests).
    public static func parse(_ line: String) -> Result<POP3Command, POP3ParseError> {
        parse(bytes: Array(line.utf8)[...])
    }

    static func parse(bytes: ArraySlice<UInt8>) -> Result<POP3Command, POP3ParseError> {
        do {
            return .success(try parseCommand(bytes))
        } catch {
            return .failure(error)
        }
    }

    // command      =  keyword *(SP param) CRLF    ;255 octets maximum
    //                                                       (RFC 2449 section 3; CRLF and length: the framer's)
    static func parseCommand(_ line: ArraySlice<UInt8>) throws(POP3ParseError) -> POP3Command {
        guard line.contains(where: { $0 != POP3ASCII.space }) else { throw .emptyLine }
        let keywordEnd = line.firstIndex(of: POP3ASCII.space) ?? line.endIndex
        let keyword = try parseKeyword(line[..<keywordEnd])
        let rest = line[keywordEnd...]
        if keyword == "PASS" {
            return .pass(try parsePassword(rest))
        }
        let params = rest.split(separator: POP3ASCII.space, omittingEmptySubsequences: true)
        switch keyword {
        case "USER":
            let arguments = try expect(params, keyword: keyword, required: [.userName])
            return .user(try parseName(arguments[0], keyword: keyword))
        case "APOP":
            let arguments = try expect(params, keyword: keyword, required: [.userName, .digest])
            return .apop(
                name: try parseName(arguments[0], keyword: keyword),
                digest: try parseDigest(arguments[1], keyword: keyword)
            )
        case "AUTH":
            let arguments = try expect(params, keyword: keyword, required: [], optional: 2)
            var mechanism: String?
            var initialResponse: String?
            if arguments.count >= 1 { mechanism = try parseMechanism(arguments[0], keyword: keyword) }
            if arguments.count == 2 { initialResponse = try parseInitialResponse(arguments[1], keyword: keyword) }
            return .auth(mechanism: mechanism, initialResponse: initialResponse)
        case "LIST", "UIDL":
            let arguments = try expect(params, keyword: keyword, required: [], optional: 1)
            var number: POP3MessageNumber?
            if arguments.count == 1 { number = try parseMessageNumber(arguments[0], keyword: keyword) }
            return keyword == "LIST" ? .list(number) : .uidl(number)
        case "RETR", "DELE":
            let arguments = try expect(params, keyword: keyword, required: [.messageNumber])
            let number = try parseMessageNumber(arguments[0], keyword: keyword)
            return keyword == "RETR" ? .retr(number) : .dele(number)
        case "TOP":
            let arguments = try expect(params, keyword: keyword, required: [.messageNumber, .lineCount])
            return .top(
                try parseMessageNumber(arguments[0], keyword: keyword),
                lines: try parseLineCount(arguments[1], keyword: keyword)
            )
        default:
            _ = try expect(params, keyword: keyword, required: [])
            switch keyword {
            case "CAPA": return .capa
            case "STLS": return .stls
            case "STAT": return .stat
            case "RSET": return .rset
            case "NOOP": return .noop
            default: return .quit  // parseKeyword admits only known keywords; QUIT is the last one left.
            }
        }
    }

    /// The known keywords (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH).
    static let keywords: Set<String> = [
        "USER", "PASS", "APOP", "AUTH", "CAPA", "STLS", "STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET",
        "NOOP", "QUIT",
    ]

    // keyword      =  3*4VCHAR                                   (RFC 2449 section 3)
    //
    // "Commands in the POP3 consist of a case-insensitive keyword" (RFC 1939 section 3): upper-cased here.
    // A keyword of the right characters that is not a known command is `unknownCommand`, whatever its length.
    static func parseKeyword(_ bytes: ArraySlice<UInt8>) throws(POP3ParseError) -> String {
        guard !bytes.isEmpty, bytes.allSatisfy(POP3ASCII.isVisible) else { throw .invalidKeyword }
        let keyword = String(decoding: bytes.map(POP3ASCII.uppercased), as: UTF8.self)
        guard keywords.contains(keyword) else {
            throw .unknownCommand(String(keyword.prefix(POP3ParseError.maxEchoedKeywordLength)))
        }
        return keyword
    }

    /// Checks the number of params: `required` ones, then up to `optional` more.
    static func expect(
        _ params: [ArraySlice<UInt8>],
        keyword: String,
        required: [POP3ParseError.Argument],
        optional: Int = 0
    ) throws(POP3ParseError) -> [ArraySlice<UInt8>] {
        if params.count < required.count {
            throw .missingArgument(keyword: keyword, required[params.count])
        }
        if params.count > required.count + optional {
            throw .tooManyArguments(keyword: keyword)
        }
        return params
    }
}
