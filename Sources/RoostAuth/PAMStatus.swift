import CPAM

/// How PAM's status codes become Roost's `AuthFailureReason`, in one place.
///
/// - `PAM_AUTH_ERR`, `PAM_USER_UNKNOWN`, `PAM_MAXTRIES` → `.wrongPassword`: an unknown user is
///   reported like a wrong password, so neither logs nor penalties depend on whether the name
///   exists (many modules, pam_unix included, do not reliably tell the two apart anyway);
/// - `PAM_ACCT_EXPIRED`, `PAM_NEW_AUTHTOK_REQD` (password expired: Roost cannot change it),
///   `PAM_PERM_DENIED` from `pam_acct_mgmt` → `.disabled`: the password was accepted first, so
///   they do not reveal the account to guessers. From `pam_authenticate` (pam_access, pam_time or
///   pam_listfile in the auth stack, before or without a password check) they are
///   `.wrongPassword`: nothing says the password was right;
/// - everything else (`PAM_AUTHINFO_UNAVAIL`: pam_unix cannot read /etc/shadow; `PAM_CONV_ERR`,
///   `PAM_SYSTEM_ERR`, `PAM_BUF_ERR`, `PAM_ABORT`, `PAM_CRED_*`, ...) → `.temporary`, with the
///   step and `pam_strerror` text for the log.
enum PAMStatus {
    /// The steps of a transaction, for logs and to say which call failed.
    enum Step: String, Sendable, Hashable {
        case start = "pam_start"
        case setItem = "pam_set_item"
        case authenticate = "pam_authenticate"
        case accountManagement = "pam_acct_mgmt"
        case setCredentials = "pam_setcred"
    }

    /// The failure reason for a status other than `PAM_SUCCESS`.
    static func failureReason(for status: Int32, step: Step, description: String) -> AuthFailureReason {
        switch status {
        case PAM_AUTH_ERR, PAM_USER_UNKNOWN, PAM_MAXTRIES:
            return .wrongPassword
        case PAM_ACCT_EXPIRED, PAM_NEW_AUTHTOK_REQD, PAM_PERM_DENIED:
            return step == .accountManagement ? .disabled : .wrongPassword
        default:
            return .temporary("\(step.rawValue): \(description)")
        }
    }

    /// The result of a whole transaction: success as `user`, or the mapped failure.
    static func result(_ outcome: PAMTransaction.Outcome) -> AuthResult {
        switch outcome {
        case .success(let user):
            return .success(user: user)
        case .failure(let step, let status, let description):
            return .failure(failureReason(for: status, step: step, description: description))
        }
    }
}
