import NIOCore

/// The parameters of a FAIL reply: `FAIL <id> [user=<user>] [code=<code>] [reason=<text>]`.
///
/// The spec: `user=` "should always be sent if the userid is known"; `reason=` is shown to the end
/// user (Postfix puts it in its 535 reply) and "must NOT be used to give exact reason for
/// authentication failure". Written in Dovecot's order: user, code, reason.
public struct AuthSocketFailure: Hashable, Sendable {
    public var user: String?
    public var code: AuthSocketFailureCode?
    public var reason: String?

    public init(user: String? = nil, code: AuthSocketFailureCode? = nil, reason: String? = nil) {
        self.user = user
        self.code = code
        self.reason = reason
    }

    var parameters: [AuthSocketParameter] {
        var parameters: [AuthSocketParameter] = []
        if let user { parameters.append(AuthSocketParameter("user", user)) }
        if let code { parameters.append(AuthSocketParameter("code", code.rawValue)) }
        if let reason { parameters.append(AuthSocketParameter("reason", reason)) }
        return parameters
    }

    /// Reads the known parameters; others (`nodelay`, extra passdb fields) are ignored.
    init(parameters: [AuthSocketParameter]) {
        for parameter in parameters {
            switch (parameter.name, parameter.value) {
            case ("user", let value?): user = value
            case ("code", let value?): code = AuthSocketFailureCode(rawValue: value)
            case ("reason", let value?): reason = value
            case ("temp", nil): code = .temporaryFailure
            case ("authz", nil): code = .authorizationFailure
            default: break
            }
        }
    }
}
