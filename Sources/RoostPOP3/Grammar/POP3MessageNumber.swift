/// A message number as the client sends it: 1-based, RFC 1939 section 5 "msg".
///
/// Message numbers count the messages of the maildrop as the session saw it at login; DELE does not
/// renumber them (RFC 1939 section 5). The parser accepts 1 through `POP3Limits.maxMessageNumber`.
public struct POP3MessageNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: Int

    /// Nil for zero and negative numbers, which name no message.
    public init?(_ rawValue: Int) {
        guard rawValue >= 1 else { return nil }
        self.rawValue = rawValue
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}
