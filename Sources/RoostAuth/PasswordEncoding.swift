/// How the bytes after `{SCHEME}` are written.
public enum PasswordEncoding: String, Sendable, Hashable {
    /// The data is used as written (crypt strings, plaintext).
    case none
    /// RFC 4648 base64 (`.B64` or `.BASE64` suffix).
    case base64
    /// Hexadecimal (`.HEX` suffix).
    case hex

    /// The suffix Dovecot appends to the scheme name to ask for this encoding.
    var suffix: String? {
        switch self {
        case .none: nil
        case .base64: "B64"
        case .hex: "HEX"
        }
    }
}
