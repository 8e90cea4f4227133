import NIOCore

/// A message's position in the selected mailbox, 1 to the number of messages (RFC 3501 section 2.3.1.2).
///
///     nz-number       = digit-nz *DIGIT
public struct SequenceNumber: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// `nil` for zero, which is never a sequence number.
    public init?(rawValue: UInt32) {
        guard rawValue != 0 else { return nil }
        self.rawValue = rawValue
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

extension IMAPParser {
    // nz-number       = digit-nz *DIGIT
    public mutating func parseSequenceNumber() throws(IMAPParseError) -> SequenceNumber {
        guard let number = SequenceNumber(rawValue: try parseNZNumber()) else { throw IMAPParseError("Expected a message number") }
        return number
    }
}

extension ByteBuffer {
    @discardableResult
    public mutating func writeSequenceNumber(_ number: SequenceNumber) -> Int { writeString(number.description) }
}
