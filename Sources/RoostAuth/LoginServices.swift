/// How a protocol front end checks a login: the SASL authenticator over the passdb, the mechanisms
/// the configuration allows (`auth.mechanisms`, in preference order), the per-address failure
/// penalty and the failure log. POP3, IMAP and the auth socket share one, so a login costs the same
/// and is logged the same wherever it arrives.
public struct LoginServices: Sendable {
    public var authenticator: SASLAuthenticator
    public var mechanisms: [SASLMechanismName]
    public var penalty: AuthPenalty
    public var failureLog: AuthFailureLog

    public init(authenticator: SASLAuthenticator, mechanisms: [SASLMechanismName], penalty: AuthPenalty, failureLog: AuthFailureLog) {
        self.authenticator = authenticator
        self.mechanisms = mechanisms
        self.penalty = penalty
        self.failureLog = failureLog
    }

    /// The configured mechanisms the passdb can serve (CRAM-MD5 only when every stored password
    /// allows it, since clients that see it do not fall back).
    public func servableMechanisms() async -> [SASLMechanismName] {
        await authenticator.servableMechanisms(from: mechanisms)
    }
}
