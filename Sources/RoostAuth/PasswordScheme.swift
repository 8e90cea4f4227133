import Crypto

/// A Dovecot password scheme: the word between the braces of a stored value `{SCHEME}data`.
///
/// Names match Dovecot 2.3 (`doveadm pw -l`) so a passwd-file written for Dovecot works unchanged.
/// Lookup is case-insensitive like Dovecot's; `SHA1` is an alias of `SHA` and `HMAC-MD5` of
/// `CRAM-MD5`. `MD5` is Dovecot's ambiguous legacy name: it verifies an MD5-crypt `$1$` string or,
/// failing that, a PLAIN-MD5 digest, and new `MD5` hashes are MD5-crypt.
public enum PasswordScheme: String, Sendable, Hashable, CaseIterable {
    /// crypt(3) `$6$` (SHA-512, 5000 rounds by default).
    case sha512Crypt = "SHA512-CRYPT"
    /// crypt(3) `$5$` (SHA-256).
    case sha256Crypt = "SHA256-CRYPT"
    /// crypt(3) `$2y$` bcrypt; libxcrypt also reads `$2b$` and `$2a$`. Only the first 72 bytes of a
    /// password count, a property of bcrypt itself.
    case blfCrypt = "BLF-CRYPT"
    /// crypt(3) `$1$`; weak, accepted for old files only.
    case md5Crypt = "MD5-CRYPT"
    /// Any crypt(3) hash libxcrypt knows, chosen by the hash's own prefix (`$y$`, `$6$`, `$2b$`, ...).
    case crypt = "CRYPT"
    /// SHA-512 of password+salt, then base64 of digest+salt.
    case ssha512 = "SSHA512"
    /// Unsalted SHA-512, base64 by default.
    case sha512 = "SHA512"
    /// SHA-256 of password+salt.
    case ssha256 = "SSHA256"
    /// Unsalted SHA-256.
    case sha256 = "SHA256"
    /// SHA-1 of password+salt.
    case ssha = "SSHA"
    /// Unsalted SHA-1 (`SHA` and `SHA1`).
    case sha1 = "SHA"
    /// MD5 of password+salt.
    case smd5 = "SMD5"
    /// The plaintext itself.
    case plain = "PLAIN"
    /// The plaintext itself (Dovecot alias of PLAIN).
    case clear = "CLEAR"
    /// The plaintext itself (Dovecot alias of PLAIN).
    case cleartext = "CLEARTEXT"
    /// Unsalted MD5, hex by default.
    case plainMD5 = "PLAIN-MD5"
    /// Unsalted MD5, base64 by default (the LDAP `{MD5}` form).
    case ldapMD5 = "LDAP-MD5"
    /// MD5-crypt or PLAIN-MD5, see the type comment.
    case md5 = "MD5"
    /// Dovecot's HMAC-MD5 key schedule (`CRAMMD5Secret`), hex by default (`CRAM-MD5`, `HMAC-MD5`).
    case cramMD5 = "CRAM-MD5"

    /// The canonical Dovecot name, as written between braces.
    public var name: String { rawValue }

    /// Looks a scheme up by Dovecot name, case-insensitively, including aliases. No encoding suffix.
    public init?(name: String) {
        let upper = name.uppercased()
        switch upper {
        case "SHA1": self = .sha1
        case "HMAC-MD5": self = .cramMD5
        default:
            guard let scheme = PasswordScheme(rawValue: upper) else { return nil }
            self = scheme
        }
    }

    /// True for schemes that store the password itself: they can serve PLAIN, CRAM-MD5 and APOP.
    public var isPlaintext: Bool {
        switch self {
        case .plain, .clear, .cleartext: true
        default: false
        }
    }

    /// True when a stored value of this scheme lets the server check a CRAM-MD5 response:
    /// plaintext, or Dovecot's CRAM-MD5 context. No one-way hash can.
    public var canServeCRAMMD5: Bool {
        isPlaintext || self == .cramMD5
    }

    /// True when knowing the stored value is as good as knowing the password for some mechanism
    /// (the same set as `canServeCRAMMD5`): such files must be protected like plaintext.
    public var isPlaintextEquivalent: Bool {
        canServeCRAMMD5
    }

    /// True for the crypt(3) family, whose verification is deliberately slow.
    public var isCrypt: Bool {
        switch self {
        case .sha512Crypt, .sha256Crypt, .blfCrypt, .md5Crypt, .crypt, .md5: true
        default: false
        }
    }

    /// The encoding of the data after the braces when the name has no `.HEX`/`.B64` suffix.
    public var defaultEncoding: PasswordEncoding {
        switch self {
        case .ssha512, .sha512, .ssha256, .sha256, .ssha, .sha1, .smd5, .ldapMD5: .base64
        case .plainMD5, .cramMD5: .hex
        case .sha512Crypt, .sha256Crypt, .blfCrypt, .md5Crypt, .crypt, .plain, .clear, .cleartext, .md5: .none
        }
    }

    /// True when a new hash of this scheme can be written in `encoding` and read back.
    ///
    /// Every scheme can be hex or base64 encoded (the suffix says so). Unencoded data must be text:
    /// crypt strings and plaintext are, the binary digests and the CRAM-MD5 context are not.
    public func canStore(_ encoding: PasswordEncoding) -> Bool {
        encoding != .none || defaultEncoding == .none
    }

    /// Exact decoded length for fixed-size digests, nil for variable-length data.
    ///
    /// Dovecot uses it to guess hex versus base64 when no suffix is given: a value exactly twice
    /// this long is hex, anything else base64.
    var rawLength: Int? {
        switch self {
        case .sha512: 64
        case .sha256: 32
        case .sha1: 20
        case .plainMD5, .ldapMD5: 16
        case .cramMD5: CRAMMD5Secret.rawLength
        default: nil
        }
    }

    /// The crypt(3) method prefix used to make new hashes of this scheme.
    var cryptPrefix: String? {
        switch self {
        case .crypt: "$y$"
        case .sha512Crypt: "$6$"
        case .sha256Crypt: "$5$"
        case .blfCrypt: "$2y$"
        case .md5Crypt, .md5: "$1$"
        default: nil
        }
    }

    /// The digest behind the plain and salted digest schemes, nil for the others.
    func digest(_ bytes: [UInt8]) -> [UInt8]? {
        switch self {
        case .sha512, .ssha512: Array(SHA512.hash(data: bytes))
        case .sha256, .ssha256: Array(SHA256.hash(data: bytes))
        case .sha1, .ssha: Array(Insecure.SHA1.hash(data: bytes))
        case .plainMD5, .ldapMD5, .smd5: MD5.digest(bytes)
        default: nil
        }
    }

    /// Output length of `digest`, nil for schemes without one.
    var digestLength: Int? {
        switch self {
        case .sha512, .ssha512: 64
        case .sha256, .ssha256: 32
        case .sha1, .ssha: 20
        case .plainMD5, .ldapMD5, .smd5: 16
        default: nil
        }
    }

    /// True for SSHA512, SSHA256, SSHA, SMD5: raw data is digest(password + salt) followed by salt.
    var isSalted: Bool {
        switch self {
        case .ssha512, .ssha256, .ssha, .smd5: true
        default: false
        }
    }
}
