/// A security property in a `MECH` line (spec, "Authentication Mechanisms"). Postfix's
/// `smtpd_sasl_security_options` (`noplaintext`, `noactive`, `nodictionary`, `noanonymous`) filters
/// mechanisms by these.
public struct AuthSocketMechanismFlag: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// Don't advertise as an available SASL mechanism.
    public static let `private` = AuthSocketMechanismFlag(rawValue: "private")
    public static let anonymous = AuthSocketMechanismFlag(rawValue: "anonymous")
    /// Transfers plaintext passwords.
    public static let plaintext = AuthSocketMechanismFlag(rawValue: "plaintext")
    /// Subject to passive (dictionary) attack.
    public static let dictionary = AuthSocketMechanismFlag(rawValue: "dictionary")
    /// Subject to active (non-dictionary) attack.
    public static let active = AuthSocketMechanismFlag(rawValue: "active")
    public static let forwardSecrecy = AuthSocketMechanismFlag(rawValue: "forward-secrecy")
    public static let mutualAuth = AuthSocketMechanismFlag(rawValue: "mutual-auth")
    /// Uses channel binding (protocol 1.3).
    public static let channelBinding = AuthSocketMechanismFlag(rawValue: "channel-binding")
}
