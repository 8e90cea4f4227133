/// The shapes of crypt(3) hashes, after crypt(5) of libxcrypt: what each method's output looks
/// like, so a value of another shape can never be reproduced by crypt(3) and never match. `B64`
/// is crypt's alphabet `./0-9A-Za-z`. Used by `StoredPasswordCheck`.
enum CryptFormat {
    /// False when `hash` has a known method's prefix (or none) but not that method's shape;
    /// true for a well-formed hash and for prefixes not listed here.
    static func isWellFormed(_ hash: String) -> Bool {
        let fields = hash.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard hash.hasPrefix("$") else {
            if hash.hasPrefix("_") { return hash.count == 20 && isB64(hash.dropFirst()) }  // bsdicrypt
            // descrypt is 13 characters; bigcrypt adds blocks of 11.
            return isB64(hash) && hash.count >= 13 && hash.count <= 178 && (hash.count - 13) % 11 == 0
        }
        // fields[0] is the empty text before the first "$".
        switch fields[1] {
        case "6": return isSHACrypt(fields, hashLength: 86)
        case "5": return isSHACrypt(fields, hashLength: 43)
        case "1":
            return fields.count == 4 && isSalt(fields[2], maxLength: 8) && fields[3].count == 22 && isB64(fields[3])
        case "2a", "2b", "2x", "2y":
            return fields.count == 4 && fields[2].count == 2 && fields[2].allSatisfy(\.isASCIIDigit)
                && fields[3].count == 53 && isB64(fields[3])
        case "y", "gy":
            return fields.count == 5 && !fields[2].isEmpty && isB64(fields[2])
                && fields[3].count <= 86 && isB64(fields[3]) && fields[4].count == 43 && isB64(fields[4])
        case "7":
            return fields.count == 4 && (11...97).contains(fields[2].count) && isB64(fields[2])
                && fields[3].count == 43 && isB64(fields[3])
        default:
            return true
        }
    }

    /// `$5$` and `$6$`: `[rounds=N$]salt$hash`, a salt of at most 16 characters.
    private static func isSHACrypt(_ fields: [String], hashLength: Int) -> Bool {
        var rest = fields.dropFirst(2)
        if let rounds = rest.first, rounds.hasPrefix("rounds=") {
            let digits = rounds.dropFirst("rounds=".count)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return false }
            rest = rest.dropFirst()
        }
        guard rest.count == 2, let salt = rest.first, let hash = rest.last else { return false }
        return isSalt(salt, maxLength: 16) && hash.count == hashLength && isB64(hash)
    }

    /// A salt of the MD5 and SHA crypts: up to `maxLength` characters, none of `$`, `:` or a line end.
    private static func isSalt(_ salt: String, maxLength: Int) -> Bool {
        salt.count <= maxLength && !salt.contains { $0 == ":" || $0 == "\n" }
    }

    private static func isB64(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            scalar == "." || scalar == "/" || ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("a"..."z").contains(scalar)
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
