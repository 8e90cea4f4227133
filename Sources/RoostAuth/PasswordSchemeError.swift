/// Why a stored password could not be used or a new one could not be made.
///
/// These describe the passdb's data, never the client's input: a wrong password is not an error
/// but a `false` from `PasswordVerifier`. Callers report these as a temporary failure and log them,
/// because an administrator has to fix the stored value.
public enum PasswordSchemeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name between the braces is not a scheme Roost knows (or has an unknown `.suffix`).
    case unknownScheme(String)
    /// The data is not valid hex or base64 for the scheme's encoding.
    case invalidEncoding(scheme: PasswordScheme)
    /// The decoded data has the wrong length for the scheme (for example a truncated digest).
    case invalidLength(scheme: PasswordScheme, expected: Int, actual: Int)
    /// libxcrypt does not accept the stored crypt string (unknown `$id$` or malformed salt).
    case invalidCryptString(scheme: PasswordScheme)
    /// The password cannot be hashed with this scheme (NUL byte or too long for crypt(3)).
    case unusablePassword(scheme: PasswordScheme)
    /// libxcrypt could not make a salt for the scheme's method.
    case saltGenerationFailed(scheme: PasswordScheme)
    /// A new hash was asked for in an encoding the scheme's value cannot be stored in (binary
    /// digests written unencoded).
    case unsupportedEncoding(scheme: PasswordScheme, encoding: PasswordEncoding)

    public var description: String {
        switch self {
        case .unknownScheme(let name): "unknown password scheme \(name)"
        case .invalidEncoding(let scheme): "\(scheme.name) data is not valid hex or base64 for its encoding"
        case .invalidLength(let scheme, let expected, let actual):
            "\(scheme.name) data is \(actual) bytes long, expected \(expected)"
        case .invalidCryptString(let scheme): "\(scheme.name) value is not a crypt(3) hash libxcrypt accepts"
        case .unusablePassword(let scheme): "the password cannot be hashed with \(scheme.name) (NUL byte or too long)"
        case .saltGenerationFailed(let scheme): "libxcrypt could not make a \(scheme.name) salt"
        case .unsupportedEncoding(let scheme, let encoding):
            "\(scheme.name) values are binary and cannot be stored with encoding \(encoding.rawValue); use hex or base64"
        }
    }
}
