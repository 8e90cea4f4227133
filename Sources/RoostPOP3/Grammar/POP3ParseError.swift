/// Why a command line is not a POP3 command: the syntax class of errors, answered with "-ERR <message>".
///
/// Every keyword carried here is upper-case printable ASCII of at most
/// `POP3ParseError.maxEchoedKeywordLength` characters, and no argument text is ever echoed back, so
/// `message` is always safe to put on a response line.
public enum POP3ParseError: Error, Hashable, Sendable {
    /// The line is empty or holds only spaces.
    case emptyLine
    /// The keyword holds a control character, a non-ASCII byte, or is preceded by a space.
    case invalidKeyword
    /// A well-formed keyword that is no POP3 command Roost knows (upper-cased, shortened for echoing).
    case unknownCommand(String)
    /// A required argument is absent.
    case missingArgument(keyword: String, Argument)
    /// More arguments than the command takes.
    case tooManyArguments(keyword: String)
    /// An argument that breaks its rule: a message number that is not 1 to 2147483647 in ASCII digits, a
    /// line count that is not 0 to 2147483647, a digest that is not 32 hex digits, a mechanism name that is
    /// not RFC 4422's sasl-mech, an initial response that is not printable POP3ASCII.
    case invalidArgument(keyword: String, Argument)
    /// An argument longer than `limit` octets (`POP3Limits`).
    case argumentTooLong(keyword: String, limit: Int)
    /// A user name or password with a control character (NUL, CR, LF, …) or bytes that are not UTF-8.
    case invalidCharacters(keyword: String)

    /// Which argument an error is about.
    public enum Argument: String, Hashable, Sendable, CustomStringConvertible {
        case userName = "user name"
        case password = "password"
        case digest = "digest"
        case mechanism = "mechanism"
        case initialResponse = "initial response"
        case messageNumber = "message number"
        case lineCount = "line count"

        public var description: String { rawValue }
    }

    /// The longest keyword `unknownCommand` echoes.
    public static let maxEchoedKeywordLength = 20

    /// Human text for "-ERR <message>": printable ASCII, no CR or LF.
    public var message: String {
        switch self {
        case .emptyLine:
            return "Empty command line"
        case .invalidKeyword:
            return "Invalid command keyword"
        case .unknownCommand(let keyword):
            return "Unknown command: \(keyword)"
        case .missingArgument(let keyword, let argument):
            return "\(keyword): missing \(argument)"
        case .tooManyArguments(let keyword):
            return "\(keyword): too many arguments"
        case .invalidArgument(let keyword, let argument):
            return "\(keyword): invalid \(argument)\(Self.expectation(argument))"
        case .argumentTooLong(let keyword, let limit):
            return "\(keyword): argument longer than \(limit) octets"
        case .invalidCharacters(let keyword):
            return "\(keyword): control characters or invalid UTF-8 in an argument"
        }
    }

    private static func expectation(_ argument: Argument) -> String {
        switch argument {
        case .messageNumber: " (expected 1 to \(POP3Limits.maxMessageNumber))"
        case .lineCount: " (expected 0 to \(POP3Limits.maxLineCount))"
        case .digest: " (expected 32 hex digits)"
        case .mechanism: " (expected a SASL mechanism name)"
        case .initialResponse: " (expected base64 or \"=\")"
        case .userName, .password: ""
        }
    }
}
