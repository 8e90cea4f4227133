import RoostAuth
import RoostStorage

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
    /// The maildrop cannot be opened and retrying will not help (no permission, a broken mail
    /// location): `-ERR [SYS/PERM]`; the admin must act.
    case permanent
    /// Another POP3 session holds the maildrop (`pop3.lock_session`), or the user has too many
    /// connections from this address: `-ERR [IN-USE]` with the given text.
    case inUse(String)
}

extension POP3LoginFailure {
    /// The reply class for a maildrop that could not be opened: permission problems and a
    /// mail location that cannot be used (`StorageError` `.noPermission`, `.invalidName`,
    /// `.notFound`) are permanent; everything else (I/O, locks held too long, a full storage
    /// thread pool) is temporary.
    public static func openingFailed(_ error: any Error) -> POP3LoginFailure {
        guard let storage = error as? StorageError else { return .temporary }
        switch storage.kind {
        case .noPermission, .invalidName, .notFound: return .permanent
        default: return .temporary
        }
    }
}
