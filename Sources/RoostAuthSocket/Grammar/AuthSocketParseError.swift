/// Why a line is not a valid line of the auth protocol.
///
/// The protocol has no error reply: the server closes the connection and logs `message`, as Dovecot
/// does ("BUG: Authentication client sent …"). Messages echo at most a shortened, printable command
/// name, never parameter values (which may carry passwords).
public enum AuthSocketParseError: Error, Hashable, Sendable {
    /// The line is empty.
    case emptyLine
    /// A command this side does not know (printable ASCII, at most `AuthSocketLimits.maxEchoedCommandLength`).
    case unknownCommand(String)
    /// Fewer or more fields than the command takes.
    case wrongParameterCount(command: String)
    /// A field that must be a number is not one (or is zero where zero is not allowed).
    case invalidNumber(command: String, Field)
    /// AUTH without `service=`.
    case missingService
    /// AUTH with parameters after `resp=`.
    case parameterAfterInitialResponse
    /// OK without `user=`.
    case missingUser
    /// COOKIE that is not 32 hex digits.
    case invalidCookie
    /// A field that is not UTF-8.
    case invalidUTF8(command: String)

    /// Which numeric field an error is about.
    public enum Field: String, Hashable, Sendable, CustomStringConvertible {
        case majorVersion = "major version"
        case minorVersion = "minor version"
        case processID = "process id"
        case connectionID = "connection id"
        case requestID = "request id"

        public var description: String { rawValue }
    }

    /// One line for the log.
    public var message: String {
        switch self {
        case .emptyLine: "empty line"
        case .unknownCommand(let command): "unknown command \(command)"
        case .wrongParameterCount(let command): "\(command) with a wrong number of parameters"
        case .invalidNumber(let command, let field): "\(command) with an invalid \(field)"
        case .missingService: "AUTH without service"
        case .parameterAfterInitialResponse: "AUTH parameters after resp"
        case .missingUser: "OK without user"
        case .invalidCookie: "COOKIE that is not 32 hex digits"
        case .invalidUTF8(let command): "\(command) with a parameter that is not UTF-8"
        }
    }

    /// A command name made safe to log: printable ASCII only, shortened.
    static func echo<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let printable = bytes.prefix(AuthSocketLimits.maxEchoedCommandLength).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }
        return String(decoding: printable, as: UTF8.self) + (bytes.count > AuthSocketLimits.maxEchoedCommandLength ? "..." : "")
    }
}
