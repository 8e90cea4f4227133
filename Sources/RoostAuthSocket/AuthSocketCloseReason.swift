/// Why the server hangs up on an auth client: the client broke the protocol.
///
/// Each is a client bug (Dovecot logs them as "BUG: Authentication client …" and disconnects); the
/// handler logs `message` once at error level.
public enum AuthSocketCloseReason: Hashable, Sendable {
    /// A line that does not parse.
    case malformedLine(AuthSocketParseError)
    /// The first line was not VERSION.
    case versionExpected(command: String)
    /// VERSION with another major version than ours.
    case versionMismatch(AuthSocketVersion)
    /// After VERSION, something other than CPID.
    case processIDExpected(command: String)
    /// VERSION or CPID again after the handshake.
    case unexpectedCommand(String)
    /// AUTH for a mechanism the handshake did not announce (printable, shortened).
    case unsupportedMechanism(String)
    /// AUTH with the id of a request still in flight.
    case duplicateRequestID(AuthSocketRequestID)
    /// A line longer than the framer's limit (`AuthSocketConfiguration.maxLineLength`).
    case lineTooLong

    /// One line for the log, without any parameter value the client sent.
    public var message: String {
        switch self {
        case .malformedLine(let error):
            "auth client sent a malformed line: \(error.message)"
        case .versionExpected(let command):
            "auth client sent \(command) before VERSION (not an auth client, or mixed old and new binaries?)"
        case .versionMismatch(let version):
            "auth client speaks protocol \(version.major).\(version.minor), not compatible with \(AuthSocketVersion.server.major).x (mixed old and new binaries?)"
        case .processIDExpected(let command):
            "auth client sent \(command) in the handshake instead of CPID"
        case .unexpectedCommand(let command):
            "auth client sent \(command) after the handshake"
        case .unsupportedMechanism(let name):
            "auth client requested unsupported mechanism \(name)"
        case .duplicateRequestID(let id):
            "auth client sent a duplicate request id \(id)"
        case .lineTooLong:
            "auth client sent a line longer than the line length limit"
        }
    }
}
