import Logging

/// Writes exactly one log line per failed authentication, in a stable shape for people and for
/// tools such as fail2ban:
///
///     authentication failed: rip=192.0.2.7, method=PLAIN, user=<bob@example.org>, reason=wrong_password
///
/// The same values are attached as metadata (`remote_ip`, `method`, `user`, `reason`). `rip` comes
/// first and the user name, which the client chose, is percent-escaped (everything but letters,
/// digits and `@._+-`), so no name can forge a second `rip=` or break the line. Passwords are never
/// logged. Temporary failures are warnings (an operator must look), the rest info.
public struct AuthFailureLog: Sendable {
    private let logger: Logger

    public init(logger: Logger = Logger(label: "roost.auth.failures")) {
        self.logger = logger
    }

    /// Logs one failure. `mechanism` is the SASL name or the protocol's own (`USER`, `LOGIN`, `APOP`).
    public func record(user: String?, mechanism: String, remoteAddress: String?, reason: AuthFailureReason) {
        let rip = remoteAddress.map { Self.escape($0) } ?? "-"
        let method = Self.escape(mechanism)
        let name = user.map { Self.escape($0) } ?? ""
        var message = "authentication failed: rip=\(rip), method=\(method), user=<\(name)>, reason=\(reason.keyword)"
        var metadata: Logger.Metadata = [
            "remote_ip": "\(rip)", "method": "\(method)", "user": "\(name)", "reason": "\(reason.keyword)",
        ]
        if case .temporary(let detail) = reason {
            message += " (\(Self.escape(detail, keepSpaces: true)))"
            metadata["detail"] = "\(detail)"
            logger.warning("\(message)", metadata: metadata)
        } else {
            logger.info("\(message)", metadata: metadata)
        }
    }

    /// Convenience for SASL exchanges.
    public func record(user: String?, mechanism: SASLMechanismName, remoteAddress: String?, reason: AuthFailureReason) {
        record(user: user, mechanism: mechanism.rawValue, remoteAddress: remoteAddress, reason: reason)
    }

    /// Longest user name logged, in bytes; longer ones are cut and marked with `...`.
    static let maxLoggedLength = 128

    /// Percent-escapes every byte outside `A-Za-z0-9@._+-:` (and space when asked).
    static func escape(_ text: String, keepSpaces: Bool = false) -> String {
        var output = ""
        var count = 0
        for byte in text.utf8 {
            if count >= maxLoggedLength {
                output += "..."
                break
            }
            count += 1
            let safe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "@._+-:".utf8.contains(byte) || (keepSpaces && byte == 0x20)
            if safe {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return output
    }
}
