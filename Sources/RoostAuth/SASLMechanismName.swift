/// The SASL mechanisms Roost offers (RFC 4422 section 3.1 names, upper case on the wire).
public enum SASLMechanismName: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// RFC 4616: authzid NUL authcid NUL password in one response. Needs TLS or a trusted network.
    case plain = "PLAIN"
    /// The widespread non-standard LOGIN (draft-murchison-sasl-login): user and password in turn.
    case login = "LOGIN"
    /// RFC 2195 challenge-response; works only when the passdb has plaintext-equivalent secrets.
    case cramMD5 = "CRAM-MD5"

    /// Parses a client's mechanism name, case-insensitively (RFC 4422 section 3.1).
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }

    public var description: String { rawValue }

    /// True when the password crosses the wire in a reversible form, so the mechanism may only be
    /// offered where plaintext authentication is allowed.
    public var sendsPlaintext: Bool {
        self != .cramMD5
    }
}
