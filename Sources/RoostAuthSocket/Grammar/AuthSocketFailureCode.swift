/// The `code=` of a FAIL reply (Dovecot 2.3's auth-client-interface.h). Dovecot 2.2 sent the bare
/// booleans `temp` and `authz` instead; the parser reads those as `.temporaryFailure` and
/// `.authorizationFailure`.
public struct AuthSocketFailureCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// An internal failure (the passdb could not answer): the client may try again later.
    public static let temporaryFailure = AuthSocketFailureCode(rawValue: "temp_fail")
    /// Authentication succeeded but the authorization identity was refused.
    public static let authorizationFailure = AuthSocketFailureCode(rawValue: "authz_fail")
    public static let userDisabled = AuthSocketFailureCode(rawValue: "user_disabled")
    public static let passwordExpired = AuthSocketFailureCode(rawValue: "pass_expired")
    /// The initial or continued response was not base64.
    public static let invalidBase64 = AuthSocketFailureCode(rawValue: "invalid_base64")
}
