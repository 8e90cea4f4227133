/// A user's secret in a form that can check challenge-response mechanisms (CRAM-MD5, APOP).
///
/// Only passdbs that store plaintext or Dovecot CRAM-MD5 contexts can produce one; see
/// `PasswordScheme.canServeCRAMMD5`. Holders must not log or persist it.
public struct PlaintextEquivalentCredentials: Sendable, Equatable {
    /// What was stored.
    public enum Secret: Sendable, Equatable {
        /// The password itself (UTF-8 bytes as stored): serves CRAM-MD5 and APOP.
        case plaintext([UInt8])
        /// Dovecot's HMAC-MD5 key schedule: serves CRAM-MD5 only.
        case cramMD5(CRAMMD5Secret)
    }

    /// The canonical user name from the passdb.
    public var user: String
    public var secret: Secret
    /// Why the account may not log in even with the right response (`.disabled`,
    /// `.networkNotAllowed`), nil when it may; check it only after the response checked out.
    public var refusal: AuthFailureReason?

    /// True when the account may not log in even with the right response (see `refusal`).
    public var isDisabled: Bool { refusal != nil }

    public init(user: String, secret: Secret, isDisabled: Bool = false) {
        self.init(user: user, secret: secret, refusal: isDisabled ? .disabled : nil)
    }

    public init(user: String, secret: Secret, refusal: AuthFailureReason?) {
        self.user = user
        self.secret = secret
        self.refusal = refusal
    }

    /// The CRAM-MD5 key schedule, derived from plaintext when needed.
    public var cramMD5Secret: CRAMMD5Secret {
        switch secret {
        case .plaintext(let bytes): CRAMMD5Secret(passwordBytes: bytes)
        case .cramMD5(let secret): secret
        }
    }

    /// The plaintext for APOP (`MD5(timestamp + password)`), nil for a CRAM-MD5 context.
    public var plaintext: [UInt8]? {
        if case .plaintext(let bytes) = secret { return bytes }
        return nil
    }
}
