import NIOCore

/// A message's unique identifier in its mailbox, as it appears on the wire (RFC 3501 section 2.3.1.1).
///
///     uniqueid        = nz-number
///                         ; Strictly ascending
///
/// 32-bit and never zero. RoostStorage has a `UID` of the same meaning; the IMAP session converts.
public struct UID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// `nil` for zero, which is never a UID.
    public init?(rawValue: UInt32) {
        guard rawValue != 0 else { return nil }
        self.rawValue = rawValue
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

extension IMAPParser {
    // uniqueid        = nz-number
    public mutating func parseUID() throws(IMAPParseError) -> UID {
        guard let uid = UID(rawValue: try parseNZNumber()) else { throw IMAPParseError("Expected a UID") }
        return uid
    }
}

extension ByteBuffer {
    @discardableResult
    public mutating func writeUID(_ uid: UID) -> Int { writeNumber(uid.rawValue) }
}
