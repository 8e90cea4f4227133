import Logging

/// Writes exactly one log line per failed authentication, in the shape of Dovecot's auth log so
/// that fail2ban's stock `dovecot` filter bans password guessers (docs/running.md, "fail2ban"):
///
///     passwd-file(bob@example.org,192.0.2.7): Password mismatch (method=PLAIN, reason=wrong_password)
///     passwd-file(mallory,192.0.2.8): unknown user (method=USER, reason=unknown_user)
///
/// Only a wrong password and an unknown user use the words the filter counts; disabled accounts,
/// `allow_nets` refusals, unusable stored passwords and temporary failures are worded otherwise,
/// so they do not get anyone banned. The same values are attached as metadata (`remote_ip`,
/// `method`, `user`, `reason`). The user name, which the client chose, is percent-escaped
/// (everything but letters, digits and `@._+-:`), so no name can close the parenthesis early,
/// forge another address or break the line. Passwords are never logged. Temporary failures are
/// warnings (an operator must look), the rest info.
public struct AuthFailureLog: Sendable {
    private let logger: Logger
    /// The passdb's name in the line, as Dovecot names its drivers (`passwd-file`, `pam`).
    private let passdb: String

    public init(logger: Logger = Logger(label: "auth"), passdb: String = "passwd-file") {
        self.logger = logger
        self.passdb = passdb
    }

    /// Logs one failure. `mechanism` is the SASL name or the protocol's own (`USER`, `LOGIN`, `APOP`).
    public func record(user: String?, mechanism: String, remoteAddress: String?, reason: AuthFailureReason) {
        let rip = remoteAddress.map { Self.escape($0) } ?? "-"
        let method = Self.escape(mechanism)
        let name = user.map { Self.escape($0) } ?? ""
        let message = "\(passdb)(\(name),\(rip)): \(Self.text(for: reason)) (method=\(method), reason=\(reason.keyword))"
        var metadata: Logger.Metadata = [
            "remote_ip": "\(rip)", "method": "\(method)", "user": "\(name)", "reason": "\(reason.keyword)",
        ]
        if case .temporary(let detail) = reason {
            metadata["detail"] = "\(detail)"
            logger.warning("\(message)", metadata: metadata)
        } else {
            logger.info("\(message)", metadata: metadata)
        }
    }

    /// The words after `): `; only the first two are what fail2ban's filter counts.
    static func text(for reason: AuthFailureReason) -> String {
        switch reason {
        case .wrongPassword: "Password mismatch"
        case .unknownUser: "unknown user"
        case .disabled: "account disabled"
        case .networkNotAllowed: "client address not in allow_nets"
        case .unsupportedCredentials: "stored password cannot serve this mechanism"
        case .temporary(let detail): "temporary failure: " + escape(detail, keepSpaces: true)
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
