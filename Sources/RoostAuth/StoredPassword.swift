/// A password value as a passdb stores it: `{SCHEME}data` or, without braces, `data` in a default scheme.
///
/// Parsing follows Dovecot's `password_get_scheme` and `password_decode`:
/// - `{NAME}` or `{NAME.HEX}` / `{NAME.B64}` / `{NAME.BASE64}` selects scheme and encoding,
///   case-insensitively; an unknown name or suffix is an error, not plaintext.
/// - A value that does not start with `{`, or has no `}`, is all data in the default scheme.
/// - Without a suffix, fixed-length digests guess their encoding: exactly twice the digest length
///   means hex (falling back to base64 if it is not valid hex), anything else base64.
/// - Decoded fixed-length digests must have exactly their length.
public struct StoredPassword: Sendable, Hashable, CustomStringConvertible {
    public var scheme: PasswordScheme
    /// The encoding named by a suffix in the braces; nil when none was given.
    public var explicitEncoding: PasswordEncoding?
    /// The text after the closing brace (or the whole value when there were no braces).
    public var data: String

    public init(scheme: PasswordScheme, explicitEncoding: PasswordEncoding? = nil, data: String) {
        self.scheme = scheme
        self.explicitEncoding = explicitEncoding
        self.data = data
    }

    /// Splits a stored value into scheme, encoding and data.
    public init(parsing value: String, defaultScheme: PasswordScheme) throws(PasswordSchemeError) {
        guard value.hasPrefix("{"), let close = value.firstIndex(of: "}") else {
            self.init(scheme: defaultScheme, data: value)
            return
        }
        let label = value[value.index(after: value.startIndex)..<close]
        let (scheme, encoding) = try Self.lookup(label: String(label))
        self.init(scheme: scheme, explicitEncoding: encoding, data: String(value[value.index(after: close)...]))
    }

    /// The value with its scheme prefix, as it would be written to a passdb.
    public var description: String {
        var label = scheme.name
        if let suffix = explicitEncoding?.suffix { label += "." + suffix }
        return "{\(label)}\(data)"
    }

    /// The encoding in force: the suffix's, or the scheme's default.
    public var encoding: PasswordEncoding {
        explicitEncoding ?? scheme.defaultEncoding
    }

    /// Resolves `NAME[.ENCODING]` the way Dovecot's `password_scheme_lookup` does.
    static func lookup(label: String) throws(PasswordSchemeError) -> (PasswordScheme, PasswordEncoding?) {
        let parts = label.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let scheme = PasswordScheme(name: String(parts[0])) else { throw .unknownScheme(label) }
        guard parts.count == 2 else { return (scheme, nil) }
        switch parts[1].uppercased() {
        case "B64", "BASE64": return (scheme, .base64)
        case "HEX": return (scheme, .hex)
        default: throw .unknownScheme(label)
        }
    }

    /// The raw bytes the scheme works on, after undoing hex or base64.
    func rawBytes() throws(PasswordSchemeError) -> [UInt8] {
        try Self.decode(data, scheme: scheme, explicitEncoding: explicitEncoding)
    }

    /// Decodes `text` as `scheme` stores it, guessing hex/base64 as Dovecot does when not explicit.
    static func decode(
        _ text: String, scheme: PasswordScheme, explicitEncoding: PasswordEncoding?
    ) throws(PasswordSchemeError) -> [UInt8] {
        let bytes: [UInt8]
        switch explicitEncoding ?? scheme.defaultEncoding {
        case .none:
            bytes = Array(text.utf8)
        case .hex where explicitEncoding != nil:
            guard let decoded = Hex.decode(text) else { throw .invalidEncoding(scheme: scheme) }
            bytes = decoded
        case .base64 where explicitEncoding != nil:
            guard let decoded = Base64.decodeLenient(text) else { throw .invalidEncoding(scheme: scheme) }
            bytes = decoded
        case .hex, .base64:
            if let length = scheme.rawLength, text.utf8.count == length * 2, let decoded = Hex.decode(text) {
                bytes = decoded
            } else if let decoded = Base64.decodeLenient(text) {
                bytes = decoded
            } else {
                throw .invalidEncoding(scheme: scheme)
            }
        }
        if let length = scheme.rawLength, bytes.count != length {
            throw .invalidLength(scheme: scheme, expected: length, actual: bytes.count)
        }
        return bytes
    }
}
