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
    ///
    /// The braces are found as bytes, as Dovecot does: a `}` followed by a combining mark is one
    /// `Character`, and a `Character` search would not see it.
    public init(parsing value: String, defaultScheme: PasswordScheme) throws(PasswordSchemeError) {
        let bytes = value.utf8
        guard bytes.first == UInt8(ascii: "{"), let close = bytes.firstIndex(of: UInt8(ascii: "}")) else {
            self.init(scheme: defaultScheme, data: value)
            return
        }
        let label = Substring(bytes[bytes.index(after: bytes.startIndex)..<close])
        let (scheme, encoding) = try Self.lookup(label: String(label))
        self.init(scheme: scheme, explicitEncoding: encoding, data: String(Substring(bytes[bytes.index(after: close)...])))
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
        let parts = label.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
            .map { String(Substring($0)) }
        guard let scheme = PasswordScheme(name: parts[0]) else { throw .unknownScheme(label) }
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

    /// What a stored `MD5` value holds, decided by content as Dovecot's `md5_verify` does.
    enum LegacyMD5: Sendable, Hashable {
        /// An MD5-crypt string (`$1$salt$hash`).
        case crypt(String)
        /// A PLAIN-MD5 digest (16 bytes).
        case digest([UInt8])
    }

    /// Dovecot's `MD5` scheme: undo the `.HEX`/`.B64` suffix if there is one; what is left is an
    /// MD5-crypt string if it starts with `$1$`, else a PLAIN-MD5 digest in hex or base64 (guessed).
    func legacyMD5() throws(PasswordSchemeError) -> LegacyMD5 {
        let raw = try rawBytes()
        let text = String(decoding: raw, as: UTF8.self)
        if raw.starts(with: "$1$".utf8) { return .crypt(text) }
        return .digest(try Self.decode(text, scheme: .plainMD5, explicitEncoding: nil))
    }

    /// Throws what verification would throw for this stored value, so that a reader or editor can
    /// refuse it up front: bad hex or base64, a wrong digest length, a salted digest without salt.
    /// crypt(3) strings are not run through libxcrypt here (that costs a full hash).
    public func validate() throws(PasswordSchemeError) {
        switch scheme {
        case .md5:
            _ = try legacyMD5()
        case .ssha512, .ssha256, .ssha, .smd5:
            let raw = try rawBytes()
            let length = scheme.digestLength ?? 0
            guard raw.count > length else {
                throw .invalidLength(scheme: scheme, expected: length + PasswordHasher.saltLength, actual: raw.count)
            }
        default:
            _ = try rawBytes()
        }
    }

    /// True when this value lets the server check a CRAM-MD5 response (and, for plaintext, APOP):
    /// a plaintext scheme whose decoded password is not empty, or a valid CRAM-MD5 context.
    ///
    /// An empty stored plaintext matches no password (see `PasswordVerifier`), so it serves no
    /// mechanism at all and must not count as CRAM-MD5-capable.
    public var canServeCRAMMD5: Bool {
        guard scheme.canServeCRAMMD5, let raw = try? rawBytes() else { return false }
        return scheme.isPlaintext ? !raw.isEmpty : CRAMMD5Secret(rawContext: raw) != nil
    }

    /// True when this value is a non-empty plaintext, as APOP needs.
    public var canServePlaintext: Bool {
        guard scheme.isPlaintext, let raw = try? rawBytes() else { return false }
        return !raw.isEmpty
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
