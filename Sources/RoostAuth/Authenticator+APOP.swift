/// POP3 APOP (RFC 1939 section 7): a digest of the greeting's timestamp and the shared secret.
///
/// The server's greeting carries a unique timestamp such as `<1896.697170952@dbc.mtview.ca.us>`;
/// the client answers `APOP name digest`, where digest is the MD5 of the timestamp (angle brackets
/// included) followed by the password, as 32 hex digits. Only a stored plaintext can check that,
/// so users with one-way hashes or Dovecot CRAM-MD5 contexts fail with `.unsupportedCredentials`
/// (see `PassDB.canServeAPOP` for when the server should offer APOP at all).
extension Authenticator {
    /// Verifies an APOP command.
    ///
    /// Order of checks, as in `verifyPlain`:
    /// 1. A digest that is not 32 hex digits is `.wrongPassword`, before any lookup.
    /// 2. The user is looked up (`credentials(for:remoteAddress:)`): an unknown or unusable name is
    ///    `.unknownUser`, a stored value other than a non-empty plaintext `.unsupportedCredentials`,
    ///    a passdb failure `.temporary`.
    /// 3. The expected digest is compared with the client's in constant time; hex case does not
    ///    matter because both are compared as bytes.
    /// 4. Only after a matching digest are `nologin`/`fail`/`disabled` and `allow_nets` applied,
    ///    so a restricted account is not revealed to guessers.
    ///
    /// Unknown users and unsupported credentials still compute one MD5 over the timestamp and a
    /// dummy secret and compare it, so those failures take about as long as a wrong digest (a
    /// real check is a single MD5, far cheaper than the crypt(3) `verifyPlain` must imitate).
    /// The passdb lookup itself is not disguised, as for `verifyPlain` and CRAM-MD5.
    ///
    /// - Parameters:
    ///   - user: the name as the client sent it; normalised like every other login.
    ///   - timestamp: the exact timestamp of this session's greeting, angle brackets included.
    ///     It comes from the server, not the client.
    ///   - digest: the client's hex digest.
    ///   - remoteAddress: the client's IP address, nil when there is none; see `verifyPlain`.
    public func verifyAPOP(user: String, timestamp: String, digest: String, remoteAddress: String?) async -> AuthResult {
        guard digest.utf8.count == 2 * MD5.digestSize, let response = Hex.decode(digest) else {
            return .failure(.wrongPassword)
        }
        let found: PlaintextEquivalentCredentials
        switch await credentials(for: user, remoteAddress: remoteAddress) {
        case .failure(let reason):
            if reason == .unknownUser || reason == .unsupportedCredentials {
                _ = Self.apopDigestMatches(timestamp: timestamp, secret: Self.apopDummySecret, response: response)
            }
            return .failure(reason)
        case .success(let credentials):
            found = credentials
        }
        guard let secret = found.plaintext else {
            _ = Self.apopDigestMatches(timestamp: timestamp, secret: Self.apopDummySecret, response: response)
            return .failure(.unsupportedCredentials)
        }
        guard Self.apopDigestMatches(timestamp: timestamp, secret: secret, response: response) else {
            return .failure(.wrongPassword)
        }
        return found.refusal.map { .failure($0) } ?? .success(user: found.user)
    }

    /// True when `response` is MD5(`timestamp` + `secret`), compared in constant time.
    static func apopDigestMatches(timestamp: String, secret: [UInt8], response: [UInt8]) -> Bool {
        var md5 = MD5()
        md5.update(Array(timestamp.utf8))
        md5.update(secret)
        return ConstantTime.equals(md5.finalize(), response)
    }

    /// Stands in for a password when there is none to check, so the failure costs the same MD5.
    private static let apopDummySecret: [UInt8] = Array(repeating: 0x2A, count: 16)
}
