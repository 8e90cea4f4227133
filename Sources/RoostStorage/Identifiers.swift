/// A message's unique identifier within a folder (RFC 3501 section 2.3.1.1): strictly ascending in
/// arrival order, never reused while the folder's `UIDValidity` stays the same. Zero is never valid.
public struct UID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { self.rawValue = value }
    public static func < (a: UID, b: UID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// A folder's UIDVALIDITY: when it changes, every UID a client remembers is void.
public struct UIDValidity: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { self.rawValue = value }
    public var description: String { String(rawValue) }
}
