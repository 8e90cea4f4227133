/// The passdb driver named by `auth.passdb`: where passwords are checked.
///
/// The wiring layer maps each case to a RoostAuth type (`PasswdFile`, `PAMPassDB`); RoostConfig
/// only knows the names.
public enum PassDBName: String, Sendable, Hashable, CaseIterable {
    /// The passwd-file at `auth.passwd_file` (Dovecot's format), stored hashes checked by Roost.
    case passwdFile = "passwd-file"
    /// PAM service `auth.pam_service`; plaintext mechanisms only (no CRAM-MD5, no APOP).
    case pam
}
