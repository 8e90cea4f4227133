/// The secret a server needs to check RFC 2195 CRAM-MD5 responses: the HMAC-MD5 key schedule.
///
/// HMAC-MD5(K, m) = MD5(K^opad || MD5(K^ipad || m)) (RFC 2104). Both `K^pad` inputs are exactly one
/// 64-byte block, so the MD5 states after them capture everything the key contributes. Dovecot
/// stores `{CRAM-MD5}` as those two states, 16 bytes each, each 32-bit word little-endian, the outer
/// (opad) state first, hex-encoded: 64 hex digits. `doveadm pw -s CRAM-MD5` produces that form, and
/// the committed fixtures check this type against it. The secret is still plaintext-equivalent for
/// CRAM-MD5 (whoever has it can answer any challenge) but not for PLAIN or APOP.
public struct CRAMMD5Secret: Sendable, Equatable {
    /// Length of the raw context: two 16-byte MD5 states.
    public static let rawLength = 32

    let outer: MD5.State
    let inner: MD5.State

    /// Derives the key schedule from a plaintext shared secret (UTF-8 bytes of `password`).
    public init(password: String) {
        self.init(passwordBytes: Array(password.utf8))
    }

    /// Derives the key schedule from raw secret bytes; keys over 64 bytes are first hashed (RFC 2104).
    public init(passwordBytes: [UInt8]) {
        var key = passwordBytes.count > MD5.blockSize ? MD5.digest(passwordBytes) : passwordBytes
        key.append(contentsOf: repeatElement(0, count: MD5.blockSize - key.count))
        var innerHash = MD5()
        innerHash.update(key.map { $0 ^ 0x36 })
        var outerHash = MD5()
        outerHash.update(key.map { $0 ^ 0x5C })
        inner = innerHash.state
        outer = outerHash.state
    }

    /// Reads Dovecot's raw 32-byte context; nil for any other length.
    public init?(rawContext: [UInt8]) {
        guard rawContext.count == Self.rawLength,
              let outer = MD5.State(littleEndianBytes: rawContext[0..<16]),
              let inner = MD5.State(littleEndianBytes: rawContext[16..<32])
        else { return nil }
        self.outer = outer
        self.inner = inner
    }

    /// Dovecot's raw 32-byte context (outer state, then inner state).
    public var rawContext: [UInt8] {
        outer.littleEndianBytes + inner.littleEndianBytes
    }

    /// The stored-password data Dovecot writes after `{CRAM-MD5}`: 64 lowercase hex digits.
    public var hexContext: String {
        Hex.encode(rawContext)
    }

    /// HMAC-MD5 of `challenge` under this key, as the 32 lowercase hex digits a client sends.
    public func responseDigest(challenge: String) -> String {
        Hex.encode(digest(message: Array(challenge.utf8)))
    }

    /// Raw 16-byte HMAC-MD5 of `message`.
    func digest(message: [UInt8]) -> [UInt8] {
        var innerHash = MD5(resumingFrom: inner, byteCount: UInt64(MD5.blockSize))
        innerHash.update(message)
        let innerDigest = innerHash.finalize()
        var outerHash = MD5(resumingFrom: outer, byteCount: UInt64(MD5.blockSize))
        outerHash.update(innerDigest)
        return outerHash.finalize()
    }

    /// Checks a client's hex digest (either case) in constant time.
    public func verify(challenge: String, responseDigest: String) -> Bool {
        guard let presented = Hex.decode(responseDigest), presented.count == MD5.digestSize else { return false }
        return ConstantTime.equals(digest(message: Array(challenge.utf8)), presented)
    }
}
