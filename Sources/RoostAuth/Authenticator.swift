import Logging

/// Checks a user's credentials against a `PassDB`; the one place where "may this person log in" is
/// decided, for POP3 USER/PASS, IMAP LOGIN, SASL and the Dovecot auth socket alike.
///
/// Order of checks, and why:
/// 1. Normalise the name (`AuthConfiguration`): length, control characters, lowercase, realm.
/// 2. Look it up. An unknown user still costs one crypt(3) verification against a dummy hash, so
///    response time does not tell an attacker which names exist.
/// 3. Verify the password on the verifier's thread pool.
/// 4. Only then look at `nologin`/`disabled`, so a disabled account is not revealed to guessers.
/// A passdb error or a broken stored value is `.temporary` and logged at error level with the
/// user name; the password and the stored hash are never logged.
public struct Authenticator: Sendable {
    public let passdb: any PassDB
    public let verifier: PasswordVerifier
    public let configuration: AuthConfiguration
    private let logger: Logger

    public init(
        passdb: any PassDB, verifier: PasswordVerifier, configuration: AuthConfiguration = AuthConfiguration(),
        logger: Logger = Logger(label: "roost.auth")
    ) {
        self.passdb = passdb
        self.verifier = verifier
        self.configuration = configuration
        self.logger = logger
    }

    /// The name to look up for what the client sent, or nil when it cannot be a user name
    /// (empty, too long, control characters or NUL).
    public func normalizedUserName(_ user: String) -> String? {
        guard !user.isEmpty, user.utf8.count <= configuration.maxUserNameLength,
              !user.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        var name = configuration.lowercaseUserNames ? user.lowercased() : user
        if let realm = configuration.defaultRealm, !realm.isEmpty, !name.contains("@") {
            name += "@" + (configuration.lowercaseUserNames ? realm.lowercased() : realm)
        }
        return name.utf8.count <= configuration.maxUserNameLength ? name : nil
    }

    /// Verifies a plaintext password (POP3 PASS, IMAP LOGIN, SASL PLAIN and LOGIN).
    public func verifyPlain(user: String, password: String) async -> AuthResult {
        guard let name = normalizedUserName(user) else {
            await burnDummyVerification(password: password)
            return .failure(.unknownUser)
        }
        let entry: PassDBEntry?
        do {
            entry = try await passdb.lookup(user: name)
        } catch {
            logger.error("passdb lookup failed", metadata: ["user": "\(name)", "error": "\(error)"])
            return .failure(.temporary("passdb lookup failed"))
        }
        guard let entry else {
            await burnDummyVerification(password: password)
            return .failure(.unknownUser)
        }
        guard let stored = entry.storedPassword, !stored.isEmpty else {
            await burnDummyVerification(password: password)
            return .failure(.wrongPassword)
        }
        let matched: Bool
        do {
            matched = try await verifier.verify(password: password, storedPassword: stored, defaultScheme: entry.defaultScheme)
        } catch let error as PasswordSchemeError {
            logger.error("stored password unusable", metadata: ["user": "\(entry.user)", "error": "\(error)"])
            return .failure(.temporary("stored password unusable"))
        } catch {
            logger.warning("password verification interrupted", metadata: ["user": "\(entry.user)", "error": "\(error)"])
            return .failure(.temporary("password verification interrupted"))
        }
        guard matched else { return .failure(.wrongPassword) }
        return entry.isDisabled ? .failure(.disabled) : .success(user: entry.user)
    }

    /// The user's plaintext-equivalent secret for CRAM-MD5 or APOP.
    ///
    /// Fails with `.unknownUser`, `.unsupportedCredentials` (the stored value is a one-way hash or
    /// the user has no password) or `.temporary`. Disabled users are returned with `isDisabled`
    /// set, to be refused only after their response checked out.
    public func credentials(for user: String) async -> Result<PlaintextEquivalentCredentials, AuthFailureReason> {
        guard let name = normalizedUserName(user) else { return .failure(.unknownUser) }
        let entry: PassDBEntry?
        do {
            entry = try await passdb.lookup(user: name)
        } catch {
            logger.error("passdb lookup failed", metadata: ["user": "\(name)", "error": "\(error)"])
            return .failure(.temporary("passdb lookup failed"))
        }
        guard let entry else { return .failure(.unknownUser) }
        do {
            guard let stored = try entry.parsedPassword(), !stored.data.isEmpty else {
                return .failure(.unsupportedCredentials)
            }
            let secret: PlaintextEquivalentCredentials.Secret
            if stored.scheme.isPlaintext {
                secret = .plaintext(try stored.rawBytes())
            } else if stored.scheme == .cramMD5, let context = CRAMMD5Secret(rawContext: try stored.rawBytes()) {
                secret = .cramMD5(context)
            } else {
                return .failure(.unsupportedCredentials)
            }
            return .success(PlaintextEquivalentCredentials(user: entry.user, secret: secret, isDisabled: entry.isDisabled))
        } catch {
            logger.error("stored password unusable", metadata: ["user": "\(entry.user)", "error": "\(error)"])
            return .failure(.temporary("stored password unusable"))
        }
    }

    /// Spends about the time of a real crypt(3) check, so that failures for unknown users and
    /// users without a password are not measurably faster than wrong passwords.
    /// The dummy hash is first touched on a pool thread too, since making it runs crypt(3).
    private func burnDummyVerification(password: String) async {
        _ = try? await verifier.pool.run {
            guard let dummy = Self.dummyHash else { return false }
            return (try? PasswordVerifier.verify(password: password, storedPassword: dummy)) ?? false
        }
    }

    /// A hash of a random password in the default scheme, made once on first use.
    private static let dummyHash: String? = {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }.joined()
        return try? PasswordHasher.hash(password: random, scheme: PasswordHasher.defaultScheme)
    }()
}
