import RoostAuth

/// Tells a malformed stored password from one that simply does not match, for `pw --test` (65
/// against 1) and `user show`.
///
/// Why this is needed beside `PasswordVerifier`: the verifier answers "no match" for values that
/// can never match, which is right at login but hides a broken hash from an administrator who
/// is testing one. libxcrypt does not refuse every malformed value either: a value without a
/// `$id$` prefix is read as a traditional DES setting whose first two characters are the salt,
/// so `garbage` hashes without error, and a `$6$` hash cut short still gives a full-length
/// result. So the crypt(3) values are checked against the shapes libxcrypt's crypt(5) gives for
/// each method; methods not listed here are left to libxcrypt, which refuses unknown prefixes.
enum StoredPasswordCheck {
    /// Why `stored` cannot be a valid value of its scheme, or nil when it may be.
    static func problem(_ stored: StoredPassword) -> String? {
        guard !stored.data.isEmpty else {
            return "the \(stored.scheme.name) value is empty, which matches no password"
        }
        guard stored.explicitEncoding == nil || stored.explicitEncoding == PasswordEncoding.none else { return nil }
        let hash = stored.data
        let method: Method?
        switch stored.scheme {
        case .sha512Crypt: method = .sha512
        case .sha256Crypt: method = .sha256
        case .md5Crypt: method = .md5
        case .blfCrypt: method = .bcrypt
        case .crypt: method = nil
        case .md5:
            // Dovecot's MD5 is MD5-crypt only when the value says so; else a digest the verifier checks.
            guard hash.hasPrefix("$1$") else { return nil }
            method = .md5
        default:
            return nil
        }
        if let method {
            guard method.prefixes.contains(where: { hash.hasPrefix($0) }) else {
                let found = prefix(of: hash).map { "starts with \($0)" } ?? "has no $id$ prefix"
                return "a \(stored.scheme.name) value starts with \(method.prefixes.joined(separator: " or ")); this one \(found)"
            }
        }
        guard CryptFormat.isWellFormed(hash) else {
            if let id = prefix(of: hash) { return "the value is not a complete \(id) crypt(3) hash (cut short or malformed)" }
            return "the value is not a crypt(3) hash: without a $id$ prefix such as $y$ or $6$ it would have to be "
                + "a 13-character DES hash"
        }
        return nil
    }

    /// The crypt(3) methods a scheme name fixes.
    private enum Method {
        case sha512, sha256, md5, bcrypt

        var prefixes: [String] {
            switch self {
            case .sha512: ["$6$"]
            case .sha256: ["$5$"]
            case .md5: ["$1$"]
            case .bcrypt: ["$2a$", "$2b$", "$2x$", "$2y$"]
            }
        }
    }

    /// The `$id$` a hash starts with, if any. Only that much is ever quoted: the rest of a broken
    /// value may still be close to a real hash, which is never printed.
    private static func prefix(of hash: String) -> String? {
        guard hash.hasPrefix("$"), let end = hash.dropFirst().firstIndex(of: "$") else { return nil }
        let id = hash[...end]
        return id.count <= 6 ? String(id) : nil
    }
}
