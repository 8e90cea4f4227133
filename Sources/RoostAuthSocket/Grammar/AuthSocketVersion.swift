/// A protocol version, `VERSION <major> <minor>`: sides with different majors must not talk.
public struct AuthSocketVersion: Hashable, Sendable {
    public var major: UInt32
    public var minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// What Roost sends: 1.2, as Dovecot 2.3 does. (1.3, Dovecot 2.4, adds channel-binding mechanisms,
    /// which Roost does not have.)
    public static let server = AuthSocketVersion(major: 1, minor: 2)

    /// Below this client minor version, an empty `resp=` means "no initial response" (Exim sends
    /// `VERSION 1 0` and `resp=` with nothing after it); from it on, an empty initial response.
    public static let firstMinorWithEmptyInitialResponse: UInt32 = 2
}
