/// Name of a password hashing scheme as written in configuration and in `{SCHEME}` prefixes of
/// stored passwords.
///
/// This is only the *name*: RoostConfig has no crypto code. RoostAuth maps each name to an
/// implementation; a test in RoostAdminTests keeps the two lists equal. The set mirrors Dovecot's scheme names so existing passwd-files keep working;
/// aliases (`PLAIN`, `CLEAR`, `CLEARTEXT`) stay distinct cases because the spelling a user wrote
/// is what gets written back into new `{SCHEME}` prefixes.
public enum PasswordSchemeName: String, Sendable, Hashable, CaseIterable {
    case sha512Crypt = "SHA512-CRYPT"
    case sha256Crypt = "SHA256-CRYPT"
    case blfCrypt = "BLF-CRYPT"
    case md5Crypt = "MD5-CRYPT"
    /// The system `crypt(3)`; with libxcrypt new hashes are yescrypt.
    case crypt = "CRYPT"
    case ssha512 = "SSHA512"
    case sha512 = "SHA512"
    case ssha256 = "SSHA256"
    case sha256 = "SHA256"
    case ssha = "SSHA"
    case sha = "SHA"
    case smd5 = "SMD5"
    case plain = "PLAIN"
    case clear = "CLEAR"
    case cleartext = "CLEARTEXT"
    case plainMD5 = "PLAIN-MD5"
    case ldapMD5 = "LDAP-MD5"
    case md5 = "MD5"
    case cramMD5 = "CRAM-MD5"
}
