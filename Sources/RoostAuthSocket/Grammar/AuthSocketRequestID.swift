/// The client's number for one authentication request, unique among the requests in flight on its
/// connection (the spec: "a 32bit number, so typically you'd just increment it by one").
///
/// Zero parses (a `CONT 0` is answered like any unknown id), but Dovecot 2.3 refuses it in `AUTH`.
public struct AuthSocketRequestID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(_ value: UInt32) {
        rawValue = value
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
