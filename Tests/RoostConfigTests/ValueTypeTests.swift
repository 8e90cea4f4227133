import RoostConfig
import Testing

/// Good and bad values for the string, path, bool, integer, enum and list types.
@Suite("Value types")
struct ValueTypeTests {
    static let bools: [(String, Bool)] = [
        ("yes", true), ("no", false), ("true", true), ("false", false), ("on", true), ("off", false),
        ("YES", true), ("Off", false), ("\"yes\"", true),
    ]

    @Test("bool spellings", arguments: bools)
    func validBool(text: String, expected: Bool) throws {
        let configuration = try TestSupport.parse("mail", "fsync", text)
        #expect(configuration.mail.fsync == expected)
        let auth = try TestSupport.parse("auth", "allow_plaintext_without_tls", text)
        #expect(auth.auth.allowPlaintextWithoutTLS == expected)
    }

    @Test("bad bools", arguments: ["1", "0", "y", "n", "enabled", "\"\"", "yes please"])
    func invalidBool(text: String) throws {
        let error = try #require(TestSupport.error("mail", "fsync", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected yes or no (or true/false, on/off), got "))
    }

    static let integers: [(String, String, Int)] = [
        ("hash_threads", "1", 1),
        ("hash_threads", "64", 64),
        ("hash_threads", "+2", 2),
        ("hash_threads", "010", 10),
    ]

    @Test("integers within range", arguments: integers)
    func validInteger(key: String, text: String, expected: Int) throws {
        let configuration = try TestSupport.parse("auth", key, text)
        #expect(configuration.auth.hashThreads == expected)
    }

    @Test("quota_messages accepts zero up to Int.max", arguments: [("0", 0), ("250000", 250_000), ("9223372036854775807", Int.max)])
    func quotaMessages(text: String, expected: Int) throws {
        let configuration = try TestSupport.parse("mail", "quota_messages", text)
        #expect(configuration.mail.quotaMessages == expected)
    }

    static let badIntegers: [(String, String, String)] = [
        ("auth", "hash_threads", "0"),
        ("auth", "hash_threads", "65"),
        ("auth", "hash_threads", "-1"),
        ("auth", "hash_threads", "two"),
        ("auth", "hash_threads", "2.0"),
        ("auth", "hash_threads", "0x10"),
        ("auth", "hash_threads", "4K"),
        ("auth", "hash_threads", "\"\""),
        ("auth", "hash_threads", "99999999999999999999"),
        ("mail", "quota_messages", "-1"),
        ("mail", "quota_messages", "9223372036854775808"),
    ]

    @Test("integers out of range or malformed", arguments: badIntegers)
    func invalidInteger(section: String, key: String, text: String) throws {
        let error = try #require(TestSupport.error(section, key, text))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "\(section).\(key)")
        let expected = key == "hash_threads" ? "an integer from 1 to 64" : "an integer of at least 0"
        #expect(error.message.hasPrefix("expected \(expected), got "))
    }

    @Test("every password scheme name is accepted in any case", arguments: PasswordSchemeName.allCases)
    func schemes(scheme: PasswordSchemeName) throws {
        let exact = try TestSupport.parse("auth", "default_scheme", scheme.rawValue)
        #expect(exact.auth.defaultScheme == scheme)
        let lower = try TestSupport.parse("auth", "password_scheme", scheme.rawValue.lowercased())
        #expect(lower.auth.passwordScheme == scheme)
    }

    @Test("every log level is accepted in any case", arguments: LogLevel.allCases)
    func levels(level: LogLevel) throws {
        #expect(try TestSupport.parse("log", "level", level.rawValue).log.level == level)
        #expect(try TestSupport.parse("log", "level", level.rawValue.uppercased()).log.level == level)
    }

    static let badChoices: [(String, String, String)] = [
        ("auth", "default_scheme", "bcrypt"),
        ("auth", "default_scheme", "SHA512 CRYPT"),
        ("auth", "password_scheme", "{SHA512-CRYPT}"),
        ("auth", "password_scheme", "\"\""),
        ("log", "level", "verbose"),
        ("log", "level", "warn"),
    ]

    @Test("unknown enum words list the choices", arguments: badChoices)
    func invalidChoice(section: String, key: String, text: String) throws {
        let error = try #require(TestSupport.error(section, key, text))
        #expect(error.kind == .invalidValue)
        if key == "level" {
            #expect(error.message.hasPrefix("expected one of trace, debug, info, notice, warning, error, critical, got "))
        } else {
            #expect(error.message.hasPrefix("expected one of SHA512-CRYPT, SHA256-CRYPT, BLF-CRYPT, MD5-CRYPT, CRYPT, "))
        }
    }

    static let lists: [(String, [SASLMechanismName])] = [
        ("PLAIN LOGIN CRAM-MD5", [.plain, .login, .cramMD5]),
        ("plain,login", [.plain, .login]),
        ("PLAIN, CRAM-MD5", [.plain, .cramMD5]),
        ("CRAM-MD5\tPLAIN", [.cramMD5, .plain]),
        ("LOGIN , , PLAIN,", [.login, .plain]),
        ("PLAIN PLAIN plain", [.plain]),
        ("\"  LOGIN  \"", [.login]),
    ]

    @Test("lists split on commas and blanks, keep order, drop repeats", arguments: lists)
    func validList(text: String, expected: [SASLMechanismName]) throws {
        let configuration = try TestSupport.parse("auth", "mechanisms", text)
        #expect(configuration.auth.mechanisms == expected)
    }

    static let badLists: [(String, String?)] = [
        ("\"\"", nil),
        (",", nil),
        ("PLAIN XOAUTH2", "unknown: XOAUTH2"),
        ("GSSAPI, NTLM", "unknown: GSSAPI, NTLM"),
    ]

    @Test("empty lists and unknown words are rejected", arguments: badLists)
    func invalidList(text: String, reason: String?) throws {
        let error = try #require(TestSupport.error("auth", "mechanisms", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected a non-empty list of PLAIN, LOGIN, CRAM-MD5, got "))
        if let reason { #expect(error.message.hasSuffix("(\(reason))")) }
    }

    @Test("paths must be absolute", arguments: ["/etc/roost/users", "/srv/my users/passwd", "/"])
    func validPath(text: String) throws {
        #expect(try TestSupport.parse("auth", "passwd_file", text).auth.passwdFile == text)
    }

    @Test("relative and empty paths are rejected", arguments: ["users", "./users", "~/users", "\"\"", "%h/users"])
    func invalidPath(text: String) throws {
        let error = try #require(TestSupport.error("auth", "passwd_file", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected an absolute path starting with /, got "))
    }

    static let strings: [(String, String, String)] = [
        ("location", "%h/Maildir", "%h/Maildir"),
        ("location", "/var/vmail/日本/%n", "/var/vmail/日本/%n"),
        ("owner_user", "mail", "mail"),
        ("owner_group", "\"mail users\"", "mail users"),
        ("index_dir", "/var/cache/roost/%d/%n", "/var/cache/roost/%d/%n"),
        ("index_dir", "\"\"", ""),
        ("index_dir", "", ""),
    ]

    @Test("strings and templates are stored unexpanded", arguments: strings)
    func validString(key: String, text: String, expected: String) throws {
        let mail = try TestSupport.parse("mail", key, text).mail
        let actual = switch key {
        case "location": mail.location
        case "owner_user": mail.ownerUser
        case "owner_group": mail.ownerGroup
        default: mail.indexDirectory
        }
        #expect(actual == expected)
    }

    /// Mail access as root would turn any path bug into a root exploit; Dovecot refuses uid and
    /// gid 0 too (`first_valid_uid`, `first_valid_gid`).
    @Test("a root mail owner is reported", arguments: ["owner_user", "owner_group"], ["root", "0", "000", "\"root\""])
    func rootOwnerReported(key: String, value: String) throws {
        let mail = try TestSupport.parse("mail", key, value).mail
        let problem = try #require(mail.rootOwnerProblem)
        #expect(problem.hasPrefix("mail.\(key) is "))
        #expect(problem.hasSuffix(": mail files must not be owned by root"))
    }

    @Test("names that merely contain root or 0 are fine", arguments: ["rooted", "vmail0", "10", "Root"])
    func rootLikeOwnersAccepted(value: String) throws {
        let mail = try TestSupport.parse("mail", "owner_user", value).mail
        #expect(mail.ownerUser == value)
        #expect(mail.rootOwnerProblem == nil)
        #expect(RoostConfiguration.defaults.mail.rootOwnerProblem == nil)
    }

    @Test("names and the mail location must not be empty", arguments: ["location", "owner_user", "owner_group"])
    func emptyStringRejected(key: String) throws {
        let error = try #require(TestSupport.error("mail", key, ""))
        #expect(error.kind == .invalidValue)
        let expected = key == "location" ? "a non-empty template such as /var/vmail/%d/%n" : "a non-empty string"
        #expect(error.message == "expected \(expected), got \"\"")
    }
}
