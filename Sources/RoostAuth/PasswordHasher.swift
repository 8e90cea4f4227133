/// Makes new stored password values, `{SCHEME}data`, for the admin tool.
///
/// Why `CRYPT` with yescrypt (`$y$`) is the default for new passwords:
/// - it is what Debian 12 itself writes to /etc/shadow (libxcrypt's `crypt_preferred_method()`),
///   so it is the best-reviewed choice on the platform Roost targets;
/// - it is memory-hard, so a stolen passwd-file is far costlier to attack with GPUs than with
///   SHA512-CRYPT or bcrypt;
/// - Dovecot on Debian verifies `{CRYPT}$y$...` through the same libxcrypt, so a file written by
///   Roost still works with Dovecot (and the reverse).
/// Salts and costs come from libxcrypt's `crypt_gensalt_rn` with its default cost for each method.
public enum PasswordHasher {
    /// The scheme used when the caller does not name one.
    public static let defaultScheme: PasswordScheme = .crypt

    /// Random salt length for the salted digest schemes (Dovecot uses 4; longer costs nothing).
    static let saltLength = 8

    /// Hashes `password` into a stored value such as `{CRYPT}$y$j9T$...`.
    ///
    /// `encoding` overrides the scheme's default encoding and is written as a `.HEX`/`.B64`
    /// suffix, as Dovecot does; `{PLAIN.B64}` is how a plaintext with `:` fits in a passwd-file.
    /// Every value this returns verifies with `PasswordVerifier`. `.none` is refused for the
    /// digest schemes (`unsupportedEncoding`): their raw bytes are binary, and there is no
    /// suffix that says "unencoded", so the value could not be read back.
    public static func hash(
        password: String, scheme: PasswordScheme = defaultScheme, encoding: PasswordEncoding? = nil
    ) throws(PasswordSchemeError) -> String {
        let encoding = encoding ?? scheme.defaultEncoding
        guard scheme.canStore(encoding) else { throw .unsupportedEncoding(scheme: scheme, encoding: encoding) }
        let raw = try rawHash(password: Array(password.utf8), scheme: scheme)
        let explicit = encoding == scheme.defaultEncoding ? nil : encoding
        let data: String = switch encoding {
        case .none: String(decoding: raw, as: UTF8.self)
        case .hex: Hex.encode(raw)
        case .base64: Base64.encode(raw)
        }
        return StoredPassword(scheme: scheme, explicitEncoding: explicit, data: data).description
    }

    /// The scheme's raw bytes for a new hash, before hex/base64 encoding.
    static func rawHash(password: [UInt8], scheme: PasswordScheme) throws(PasswordSchemeError) -> [UInt8] {
        if let prefix = scheme.cryptPrefix {
            let setting: String
            do {
                setting = try LibXCrypt.makeSetting(prefix: prefix)
            } catch {
                throw .saltGenerationFailed(scheme: scheme)
            }
            do {
                return Array(try LibXCrypt.crypt(passphrase: password, setting: setting).utf8)
            } catch .unusablePassphrase {
                throw .unusablePassword(scheme: scheme)
            } catch {
                throw .invalidCryptString(scheme: scheme)
            }
        }
        if scheme.isPlaintext {
            return password
        }
        if scheme == .cramMD5 {
            return CRAMMD5Secret(passwordBytes: password).rawContext
        }
        if scheme.isSalted {
            var generator = SystemRandomNumberGenerator()
            let salt = (0..<saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            guard let digest = scheme.digest(password + salt) else { preconditionFailure("salted scheme without digest") }
            return digest + salt
        }
        guard let digest = scheme.digest(password) else { preconditionFailure("unhandled scheme \(scheme)") }
        return digest
    }
}
