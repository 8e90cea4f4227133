/// The few kinds of storage failure a protocol needs to tell apart; each protocol maps them to its
/// replies in exactly one place.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The mailbox or message does not exist.
        case notFound
        /// The mailbox already exists.
        case exists
        /// The message was expunged by another session or program.
        case expunged
        /// Another process holds a lock we could not get in time.
        case inUse
        /// The user's storage or message-count quota would be exceeded.
        case overQuota
        /// The file system refused access.
        case noPermission
        /// A configured limit (message size, keyword count, name length) was hit.
        case limit
        /// A name or argument is not acceptable to the storage.
        case invalidName
        /// A passing failure (I/O error, disk full); retrying later may work.
        case temporary
    }

    public var kind: Kind
    /// A sentence for logs and, where safe, for the user.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
