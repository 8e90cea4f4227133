/// The userdb driver named by `auth.userdb`: where uid, gid, home and mail location come from.
///
/// The wiring layer maps each case to a RoostAuth type (`PasswdFile`, `SystemUserDB`).
public enum UserDBName: String, Sendable, Hashable, CaseIterable {
    /// The passwd-file at `auth.passwd_file`: virtual users under `mail.location`.
    case passwdFile = "passwd-file"
    /// The system's accounts (`getpwnam`), mail under `auth.system_mail_location`.
    case system
}
