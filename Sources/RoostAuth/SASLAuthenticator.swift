/// Checks the credentials a `SASLServerExchange` produced, and decides which mechanisms to offer.
///
/// PLAIN and LOGIN go through `Authenticator.verifyPlain`. CRAM-MD5 fetches the user's
/// plaintext-equivalent secret and compares the HMAC-MD5 digest in constant time; a user whose
/// stored password is a one-way hash fails with `.unsupportedCredentials`.
public struct SASLAuthenticator: Sendable {
    public let authenticator: Authenticator

    public init(authenticator: Authenticator) {
        self.authenticator = authenticator
    }

    /// Verifies finished-exchange credentials.
    ///
    /// - Parameter remoteAddress: the client's IP address, nil when there is none; see
    ///   `Authenticator.verifyPlain` (it is checked against the user's `allow_nets`).
    public func verify(_ credentials: SASLCredentials, remoteAddress: String?) async -> AuthResult {
        switch credentials {
        case .password(let user, let password):
            return await authenticator.verifyPlain(user: user, password: password, remoteAddress: remoteAddress)
        case .cramMD5(let user, let challenge, let digest):
            switch await authenticator.credentials(for: user, remoteAddress: remoteAddress) {
            case .failure(let reason):
                return .failure(reason)
            case .success(let found):
                guard found.cramMD5Secret.verify(challenge: challenge, responseDigest: digest) else {
                    return .failure(.wrongPassword)
                }
                return found.refusal.map { .failure($0) } ?? .success(user: found.user)
            }
        }
    }

    /// Of `configured` (in its order), the mechanisms the passdb can serve, plaintext ones
    /// included: for servers that apply the plaintext rule themselves per connection state.
    public func servableMechanisms(from configured: [SASLMechanismName]) async -> [SASLMechanismName] {
        let servable = await availableMechanisms(plaintextAllowed: true)
        return configured.filter(servable.contains)
    }

    /// The mechanisms to advertise on a connection; see the static form.
    public func availableMechanisms(plaintextAllowed: Bool) async -> [SASLMechanismName] {
        await Self.availableMechanisms(passdb: authenticator.passdb, plaintextAllowed: plaintextAllowed)
    }

    /// The mechanisms to advertise: PLAIN and LOGIN only where plaintext authentication is allowed
    /// (TLS or a trusted network), CRAM-MD5 only when every stored password can serve it, because
    /// clients that see CRAM-MD5 pick it first and do not fall back when it fails.
    public static func availableMechanisms(passdb: any PassDB, plaintextAllowed: Bool) async -> [SASLMechanismName] {
        var mechanisms: [SASLMechanismName] = []
        if plaintextAllowed {
            mechanisms.append(.plain)
            mechanisms.append(.login)
        }
        if await passdb.canServeCRAMMD5() {
            mechanisms.append(.cramMD5)
        }
        return mechanisms
    }
}
