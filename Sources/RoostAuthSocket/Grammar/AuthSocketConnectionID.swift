/// The server's number for one client connection (`CUID`), different for every connection the server
/// process accepts. Dovecot counts from 1; only APOP-style mechanisms would use it.
public struct AuthSocketConnectionID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(_ value: UInt32) {
        rawValue = value
    }

    public var description: String { String(rawValue) }
}
