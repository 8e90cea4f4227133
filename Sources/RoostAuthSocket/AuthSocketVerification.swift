import RoostAuth

/// Credentials a finished SASL exchange produced, for the handler to check
/// (`AuthSocketStateMachine.Action.verify`) and report back with `verificationFinished`.
///
/// `CustomStringConvertible` leaves the credentials out, so a log line can never show a password.
public struct AuthSocketVerification: Hashable, Sendable, CustomStringConvertible {
    public let id: AuthSocketRequestID
    /// Tells this request apart from a later one that reuses its id, so that a late result (the
    /// request was cancelled or failed meanwhile) is never taken as the answer to the new one.
    public let serial: UInt64
    public let mechanism: SASLMechanismName
    public let credentials: SASLCredentials
    public let info: AuthSocketRequestInfo

    public init(
        id: AuthSocketRequestID, serial: UInt64, mechanism: SASLMechanismName, credentials: SASLCredentials,
        info: AuthSocketRequestInfo
    ) {
        self.id = id
        self.serial = serial
        self.mechanism = mechanism
        self.credentials = credentials
        self.info = info
    }

    public var description: String {
        "request \(id) (\(mechanism), user \(credentials.user), service \(info.service), rip \(info.remoteIP ?? "-"))"
    }
}
