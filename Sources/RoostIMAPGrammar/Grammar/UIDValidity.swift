import NIOCore

/// A mailbox's UID validity value: UIDs are only meaningful together with it (RFC 3501 section 2.3.1.1).
///
///     uidvalidity     = nz-number                                   (RFC 4315 section 4)
public struct UIDValidity: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// `nil` for zero, which is never a UID validity.
    public init?(rawValue: UInt32) {
        guard rawValue != 0 else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }
}

extension ByteBuffer {
    @discardableResult
    public mutating func writeUIDValidity(_ value: UIDValidity) -> Int { writeString(value.description) }
}
