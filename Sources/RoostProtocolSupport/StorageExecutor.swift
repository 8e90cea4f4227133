import RoostStorage

/// The file-system identity a user's mail is accessed with: the owner of a system user's own
/// Maildir (`auth.userdb = system`). Virtual users have none; their mail belongs to the server's
/// own user (`mail.owner_user`).
public struct MailIdentity: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }
}

/// A logged-in user's mail store and the identity to touch its files with.
public struct UserMailbox: Sendable {
    public var store: MailStore
    /// Nil: the server's own identity.
    public var identity: MailIdentity?

    public init(store: MailStore, identity: MailIdentity?) {
        self.store = store
        self.identity = identity
    }
}

/// Runs blocking storage work off the event loops, as the mailbox's identity.
///
/// Sessions never call a thread pool directly: the server decides on which threads work runs and
/// how a thread takes a system user's file identity (RoostServer's `MailAccess`).
public struct StorageExecutor: Sendable {
    private let submit: @Sendable (MailIdentity?, @escaping @Sendable () throws -> any Sendable) async throws -> any Sendable

    public init(
        submit: @escaping @Sendable (MailIdentity?, @escaping @Sendable () throws -> any Sendable) async throws -> any Sendable
    ) {
        self.submit = submit
    }

    /// Runs `work` on a storage thread with `identity`'s file access.
    public func run<Value: Sendable>(as identity: MailIdentity?, _ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        // `submit` returns what `work` returned, so the cast cannot fail.
        try await submit(identity) { try work() } as! Value
    }
}
