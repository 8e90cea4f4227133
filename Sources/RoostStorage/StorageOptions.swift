import RoostMIME
import Logging

/// How the storage writes. Built by the server or admin tool from the configuration file.
public struct StorageOptions: Sendable {
    /// fsync message files and state files before they are renamed into place. Only tests on a
    /// throw-away file system turn it off.
    public var fsync: Bool
    /// The largest message `save` accepts, in bytes; 0 means no limit.
    public var maxMessageSize: Int64
    /// Where `roost.index` files go: `nil` puts each inside its folder's directory, otherwise a
    /// directory per user under which each folder gets `<disk name or INBOX>/roost.index`.
    public var indexDirectory: String?
    /// How often at most a folder's index is rewritten while it stays open, in seconds. Closing the
    /// folder always writes a changed index.
    public var indexWriteInterval: Double
    /// Makes the protocol-specific renderings kept with each parsed message in `roost.cache`.
    public var cacheRenderer: CacheRenderer?
    public var logger: Logger

    public init(fsync: Bool = true, maxMessageSize: Int64 = 50 << 20, indexDirectory: String? = nil,
                indexWriteInterval: Double = 30, cacheRenderer: CacheRenderer? = nil,
                logger: Logger = Logger(label: "roost.storage")) {
        self.fsync = fsync
        self.maxMessageSize = maxMessageSize
        self.indexDirectory = indexDirectory
        self.indexWriteInterval = indexWriteInterval
        self.cacheRenderer = cacheRenderer
        self.logger = logger
    }
}

/// Protocol-specific forms of a parsed message, kept in `roost.cache` beside it so that answering
/// them later costs a copy of bytes (IMAP keeps its ENVELOPE and BODYSTRUCTURE as sent, as Dovecot
/// keeps them in its cache). Opaque to the storage.
public struct CacheRenderer: Sendable {
    /// Part of the cache file header: a cache made with another version is discarded and rebuilt,
    /// so change it whenever `render` would make other bytes.
    public var version: UInt16
    public var render: @Sendable (CachedMessage) -> [String: [UInt8]]
    /// What of `render`'s output the envelope alone gives, for a header record (made from the
    /// message's header without reading its body); the same bytes under the same keys.
    public var renderHeader: @Sendable (Envelope) -> [String: [UInt8]]

    public init(
        version: UInt16, render: @escaping @Sendable (CachedMessage) -> [String: [UInt8]],
        renderHeader: @escaping @Sendable (Envelope) -> [String: [UInt8]]
    ) {
        self.version = version
        self.render = render
        self.renderHeader = renderHeader
    }
}
