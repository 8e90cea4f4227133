import Logging

/// Checks a user's credentials against a `PassDB`; the one place where "may this person log in" is
/// decided, for POP3 USER/PASS, IMAP LOGIN, SASL and the Dovecot auth socket alike.
///
/// Order of checks, and why:
/// 1. Refuse an empty password or one longer than `SASLConfiguration.maxPasswordLength`, before
///    any lookup or hashing: IMAP LOGIN and POP3 PASS must not get around the limit SASL has,
///    since crypt(3) cost grows with the password's length.
/// 2. Normalise the name (`AuthConfiguration`): length, control characters, lowercase, realm.
/// 3. Look it up. An unknown user still costs one crypt(3) verification against a dummy hash, so
///    response time does not tell an attacker which names exist.
/// 4. Verify the password on the verifier's thread pool.
/// 5. Only then look at `nologin`/`fail`/`disabled` and `allow_nets`/`allow_real_nets`
///    (`PassDBEntry.refusal`), so a restricted account is not revealed to guessers.
/// A passdb error or a broken stored value is `.temporary` and logged at error level with the
/// user name; the password and the stored hash are never logged.
///
/// A passdb that checks passwords itself (`PlaintextVerifyingPassDB`, such as `PAMPassDB`) takes
/// over from step 3: after steps 1 and 2, `verifyPlain` hands it the normalised name and the
/// password and returns its answer. Such a backend has no stored values, so CRAM-MD5 and APOP
/// (`credentials(for:remoteAddress:)`) find no user. A full verification queue
/// (`BlockingWorkPoolError.overloaded`) is `.temporary` too, for unknown users as well, so that
/// overload does not tell names apart either.
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
    ///
    /// - Parameter remoteAddress: the client's IP address as text (`192.0.2.7`, `2001:db8::1`),
    ///   checked against the user's `allow_nets`; nil when there is none (a local tool such as
    ///   mailboxctl, a Unix socket), which only an `allow_nets` listing `local` admits.
    public func verifyPlain(user: String, password: String, remoteAddress: String?) async -> AuthResult {
        // An empty password never matches (an empty stored plaintext is "no password"), and an
        // over-long one is refused before it can cost a hash.
        guard !password.isEmpty, password.utf8.count <= configuration.sasl.maxPasswordLength else {
            return .failure(.wrongPassword)
        }
        if let checking = passdb as? any PlaintextVerifyingPassDB {
            // A name that cannot be a user is refused by its form alone, which tells an attacker
            // nothing. A failed check also costs one dummy hash: pam_unix hashes only for users
            // that exist, and its failure delay, which hid that, is switched off (PAMLibrary).
            guard let name = normalizedUserName(user) else { return .failure(.unknownUser) }
            let result = await checking.verifyPlain(user: name, password: password, remoteAddress: remoteAddress)
            if case .failure(let reason) = result, reason == .wrongPassword || reason == .unknownUser {
                return .failure(await burnDummyVerification(password: password) ?? reason)
            }
            return result
        }
        guard let name = normalizedUserName(user) else {
            return .failure(await burnDummyVerification(password: password) ?? .unknownUser)
        }
        let entry: PassDBEntry?
        do {
            entry = try await passdb.lookup(user: name)
        } catch {
            logger.error("passdb lookup failed", metadata: ["user": "\(name)", "error": "\(error)"])
            return .failure(.temporary("passdb lookup failed"))
        }
        guard let entry else {
            return .failure(await burnDummyVerification(password: password) ?? .unknownUser)
        }
        guard let stored = entry.storedPassword, !stored.isEmpty else {
            return .failure(await burnDummyVerification(password: password) ?? .wrongPassword)
        }
        let matched: Bool
        do {
            matched = try await verifier.verify(password: password, storedPassword: stored, defaultScheme: entry.defaultScheme)
        } catch let error as PasswordSchemeError {
            logger.error("stored password unusable", metadata: ["user": "\(entry.user)", "error": "\(error)"])
            return .failure(.temporary("stored password unusable"))
        } catch BlockingWorkPoolError.overloaded {
            return .failure(Self.overloaded(logger: logger))
        } catch {
            logger.warning("password verification interrupted", metadata: ["user": "\(entry.user)", "error": "\(error)"])
            return .failure(.temporary("password verification interrupted"))
        }
        guard matched else { return .failure(.wrongPassword) }
        if let refusal = entry.refusal(remoteAddress: remoteAddress) {
            logger.info("login refused by passdb fields", metadata: [
                "user": "\(entry.user)", "reason": "\(refusal.keyword)", "remote_ip": "\(remoteAddress ?? "-")",
            ])
            return .failure(refusal)
        }
        return .success(user: entry.user)
    }

    /// The user's plaintext-equivalent secret for CRAM-MD5 or APOP.
    ///
    /// Fails with `.unknownUser`, `.unsupportedCredentials` (the stored value is a one-way hash,
    /// an empty plaintext, or the user has no password) or `.temporary`. Users who may not log in
    /// (`nologin`, `fail`, `allow_nets` not matching `remoteAddress`, see `verifyPlain`) are returned
    /// with `refusal` set, to be refused only after their response checked out.
    public func credentials(
        for user: String, remoteAddress: String?
    ) async -> Result<PlaintextEquivalentCredentials, AuthFailureReason> {
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
            if stored.scheme.isPlaintext, case let raw = try stored.rawBytes(), !raw.isEmpty {
                secret = .plaintext(raw)
            } else if stored.scheme == .cramMD5, let context = CRAMMD5Secret(rawContext: try stored.rawBytes()) {
                secret = .cramMD5(context)
            } else {
                return .failure(.unsupportedCredentials)
            }
            return .success(PlaintextEquivalentCredentials(
                user: entry.user, secret: secret, refusal: entry.refusal(remoteAddress: remoteAddress)
            ))
        } catch {
            logger.error("stored password unusable", metadata: ["user": "\(entry.user)", "error": "\(error)"])
            return .failure(.temporary("stored password unusable"))
        }
    }

    /// Spends about the time of a real crypt(3) check, so that failures for unknown users and
    /// users without a password are not measurably faster than wrong passwords.
    /// The dummy hash is first touched on a pool thread too, since making it runs crypt(3).
    /// Returns the `.temporary` failure to report instead when the pool is overloaded, since a real
    /// user's check would have failed that way too; nil otherwise.
    private func burnDummyVerification(password: String) async -> AuthFailureReason? {
        do {
            _ = try await verifier.pool.run {
                guard let dummy = Self.dummyHash else { return false }
                return (try? PasswordVerifier.verify(password: password, storedPassword: dummy)) ?? false
            }
            return nil
        } catch BlockingWorkPoolError.overloaded {
            return Self.overloaded(logger: logger)
        } catch {
            return nil
        }
    }

    /// The failure for a full verification queue, logged as a warning: an operator may need more
    /// `hash_threads`, or the server is under a guessing storm.
    private static func overloaded(logger: Logger) -> AuthFailureReason {
        logger.warning("password verification queue full, refusing the login for now")
        return .temporary("too many logins in progress")
    }

    /// A hash of a random password in the default scheme, made once on first use.
    private static let dummyHash: String? = {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }.joined()
        return try? PasswordHasher.hash(password: random, scheme: PasswordHasher.defaultScheme)
    }()
}
