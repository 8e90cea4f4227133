extension POP3Command {
    /// The command as a client would send it, without CRLF; `POP3CommandParser` parses it back to `self`.
    public var line: String { line(redactingSecrets: false) }

    /// The command as a line for logs: with `redactingSecrets`, the PASS password and the AUTH initial
    /// response (which carries the password for PLAIN) are replaced by "<redacted>".
    public func line(redactingSecrets: Bool) -> String {
        switch self {
        case .user(let name):
            return "USER \(name)"
        case .pass(let password):
            return "PASS \(redactingSecrets ? Self.redacted : password)"
        case .apop(let name, let digest):
            return "APOP \(name) \(digest)"
        case .auth(let mechanism, let initialResponse):
            var line = "AUTH"
            if let mechanism { line += " \(mechanism)" }
            if let initialResponse { line += " \(redactingSecrets ? Self.redacted : initialResponse)" }
            return line
        case .list(let number?), .uidl(let number?), .retr(let number), .dele(let number):
            return "\(keyword) \(number)"
        case .top(let number, let lines):
            return "TOP \(number) \(lines)"
        case .capa, .stls, .stat, .list(nil), .uidl(nil), .rset, .noop, .quit:
            return keyword
        }
    }

    private static let redacted = "<redacted>"
}
