import RoostAuth

/// `MECH <name> [flags]`: one mechanism the server offers, with its security properties.
public struct AuthSocketMechanism: Hashable, Sendable {
    public var name: String
    public var flags: [AuthSocketMechanismFlag]

    public init(name: String, flags: [AuthSocketMechanismFlag]) {
        self.name = name
        self.flags = flags
    }

    /// A Roost mechanism with the flags Dovecot's own module for it sends, in Dovecot's order
    /// (mech.c `mech_register_add`): PLAIN and LOGIN `plaintext` (mech-plain.c, mech-login.c),
    /// CRAM-MD5 `dictionary active` (mech-cram-md5.c).
    public init(_ mechanism: SASLMechanismName) {
        name = mechanism.rawValue
        switch mechanism {
        case .plain, .login: flags = [.plaintext]
        case .cramMD5: flags = [.dictionary, .active]
        }
    }
}
