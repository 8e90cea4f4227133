/// Checks a plaintext password against a stored value `{SCHEME}data`.
///
/// The static `verify` does the work on the calling thread and is meant for tests and tools; the
/// instance methods run it on the `BlockingWorkPool` because crypt(3) is slow on purpose and callers
/// sit on event loops. Every comparison of secret material is constant-time.
///
/// Result contract: `true` on a match, `false` on a mismatch (including a password that the scheme
/// can never match, such as one with a NUL byte for crypt(3), or an empty stored crypt string or
/// plaintext), and a thrown `PasswordSchemeError` only when the stored value itself is broken.
public struct PasswordVerifier: Sendable {
    public let pool: BlockingWorkPool

    public init(pool: BlockingWorkPool) {
        self.pool = pool
    }

    /// Verifies on one of the pool's threads.
    public func verify(
        password: String, storedPassword: String, defaultScheme: PasswordScheme = .crypt
    ) async throws -> Bool {
        try await pool.run {
            try Self.verify(password: password, storedPassword: storedPassword, defaultScheme: defaultScheme)
        }
    }

    /// Hashes on one of the pool's threads; see `PasswordHasher.hash`.
    public func hash(
        password: String, scheme: PasswordScheme = PasswordHasher.defaultScheme, encoding: PasswordEncoding? = nil
    ) async throws -> String {
        try await pool.run { try PasswordHasher.hash(password: password, scheme: scheme, encoding: encoding) }
    }

    /// Verifies on the calling thread. Prefer the async form on servers.
    public static func verify(
        password: String, storedPassword: String, defaultScheme: PasswordScheme = .crypt
    ) throws(PasswordSchemeError) -> Bool {
        let stored = try StoredPassword(parsing: storedPassword, defaultScheme: defaultScheme)
        return try verify(password: Array(password.utf8), stored: stored)
    }

    /// Verifies raw password bytes against a parsed stored value on the calling thread.
    public static func verify(password: [UInt8], stored: StoredPassword) throws(PasswordSchemeError) -> Bool {
        let scheme = stored.scheme
        switch scheme {
        case .md5:
            // Dovecot's MD5: an MD5-crypt string if it looks like one, else a PLAIN-MD5 digest.
            switch try stored.legacyMD5() {
            case .crypt(let cryptString):
                return try verifyCrypt(password: password, cryptString: cryptString, scheme: scheme)
            case .digest(let digest):
                return ConstantTime.equals(MD5.digest(password), digest)
            }
        case .sha512Crypt, .sha256Crypt, .blfCrypt, .md5Crypt, .crypt:
            let raw = try stored.rawBytes()
            return try verifyCrypt(password: password, cryptString: String(decoding: raw, as: UTF8.self), scheme: scheme)
        case .plain, .clear, .cleartext:
            // An empty stored plaintext (`{PLAIN}` with nothing after it) is "no password", not
            // "the empty password": it matches nothing, as an empty crypt string does.
            let raw = try stored.rawBytes()
            return !raw.isEmpty && ConstantTime.equals(password, raw)
        case .cramMD5:
            let raw = try stored.rawBytes()
            return ConstantTime.equals(CRAMMD5Secret(passwordBytes: password).rawContext, raw)
        case .ssha512, .ssha256, .ssha, .smd5:
            let raw = try stored.rawBytes()
            let length = scheme.digestLength ?? 0
            // Format: digest(password + salt) followed by the salt, which must not be empty.
            guard raw.count > length else {
                throw .invalidLength(scheme: scheme, expected: length + PasswordHasher.saltLength, actual: raw.count)
            }
            let digest = scheme.digest(password + raw[length...]) ?? []
            return ConstantTime.equals(digest, raw[..<length])
        case .sha512, .sha256, .sha1, .plainMD5, .ldapMD5:
            let raw = try stored.rawBytes()
            return ConstantTime.equals(scheme.digest(password) ?? [], raw)
        }
    }

    /// crypt(3) verification: hash the password with the stored string as setting and compare.
    private static func verifyCrypt(
        password: [UInt8], cryptString: String, scheme: PasswordScheme
    ) throws(PasswordSchemeError) -> Bool {
        // An empty setting would make some crypt implementations return an empty match.
        guard !cryptString.isEmpty else { return false }
        do {
            let computed = try LibXCrypt.crypt(passphrase: password, setting: cryptString)
            return ConstantTime.equals(computed, cryptString)
        } catch .unusablePassphrase {
            return false
        } catch {
            throw .invalidCryptString(scheme: scheme)
        }
    }
}
