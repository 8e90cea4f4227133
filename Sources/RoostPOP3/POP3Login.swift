import RoostAuth

/// Credentials a client presented, for the handler to verify (`POP3SessionStateMachine.Action.authenticate`).
public enum POP3Login: Sendable, Equatable {
    /// USER + PASS.
    case password(user: String, password: String)
    /// APOP name digest, against the greeting's timestamp.
    case apop(user: String, timestamp: String, digest: String)
    /// A finished SASL exchange (AUTH).
    case sasl(SASLMechanismName, SASLCredentials)

    /// The method name for log lines: `USER`, `APOP` or the SASL mechanism.
    public var method: String {
        switch self {
        case .password: "USER"
        case .apop: "APOP"
        case .sasl(let mechanism, _): mechanism.rawValue
        }
    }

    /// The user name the client claimed (not yet verified).
    public var claimedUser: String {
        switch self {
        case .password(let user, _), .apop(let user, _, _): user
        case .sasl(_, let credentials): credentials.user
        }
    }
}

/// Why a login did not lead to a TRANSACTION state, as the handler reports it back.
public enum POP3LoginFailure: Sendable, Equatable {
    /// Wrong name or password, disabled account, address not allowed: `-ERR [AUTH]`.
    case rejected
    /// The passdb or the maildrop could not be reached, or too many logins are in progress:
    /// `-ERR [SYS/TEMP]`.
    case temporary
    /// Another POP3 session holds the maildrop (`pop3.lock_session`), or the user has too many
    /// connections from this address: `-ERR [IN-USE]` with the given text.
    case inUse(String)
}
