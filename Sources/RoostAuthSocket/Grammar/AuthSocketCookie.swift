import RoostAuth

/// The 128-bit connection cookie of the handshake (`COOKIE <32 hex digits>`), which a master process
/// would quote in `REQUEST` to pick up a finished login. Roost has no master interface, so it is only sent.
public struct AuthSocketCookie: Hashable, Sendable, CustomStringConvertible {
    /// Exactly 16 bytes.
    public let bytes: [UInt8]

    /// Nil unless `bytes` holds exactly 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses 32 hex digits, either case; nil for anything else.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// Sixteen bytes from the system's cryptographic random source.
    public static func random() -> AuthSocketCookie {
        var generator = SystemRandomNumberGenerator()
        return AuthSocketCookie(bytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })!
    }

    /// Lowercase hex, as Dovecot's `binary_to_hex` writes it.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }
}
