/// The `[mail]` section: where virtual users' mail lives and how it is written.
///
/// Templates (`location`, `indexDirectory`) are stored unexpanded; the storage layer expands
/// `%u`, `%n`, `%d` and `%h` per user, because only it knows the user being served.
public struct MailSettings: Sendable, Equatable {
    /// `mail.location`: Maildir root template of a virtual user.
    public var location: String
    /// `mail.owner_user`: system user owning virtual users' mail files.
    public var ownerUser: String
    /// `mail.owner_group`: system group owning virtual users' mail files.
    public var ownerGroup: String
    /// `mail.fsync`: whether message files and state are fsynced before being renamed into place.
    public var fsync: Bool
    /// `mail.max_message_size`: largest message APPEND accepts, in bytes; 0 means unlimited.
    public var maxMessageSize: Int
    /// `mail.quota_storage`: default per-user storage limit in bytes; 0 means unlimited.
    public var quotaStorage: Int
    /// `mail.quota_messages`: default per-user message-count limit; 0 means unlimited.
    public var quotaMessages: Int
    /// `mail.index_dir`: template of the directory for rebuildable index and cache files;
    /// empty means inside each Maildir folder.
    public var indexDirectory: String

    /// Creates `[mail]` settings; every default is the built-in value used when the key is absent.
    ///
    /// - Parameters:
    ///   - location: Maildir root of a virtual user (`%u` user, `%n` local part, `%d` domain,
    ///     `%h` home). A user's passwd-file entry may override it. Default `/var/vmail/%d/%n`.
    ///   - ownerUser: System user that owns mail files; the server drops to it to touch mail.
    ///     Default `vmail`.
    ///   - ownerGroup: System group that owns mail files. Default `vmail`.
    ///   - fsync: Fsync files and state before rename so a crash cannot lose an acknowledged
    ///     message. Turn off only on tmpfs for tests. Default `true`.
    ///   - maxMessageSize: Largest message accepted by APPEND in bytes, 0 = unlimited.
    ///     Default 50 MiB.
    ///   - quotaStorage: Per-user storage limit in bytes unless the user has an override,
    ///     0 = unlimited. Default 0.
    ///   - quotaMessages: Per-user message-count limit unless the user has an override,
    ///     0 = unlimited. Default 0.
    ///   - indexDirectory: Where rebuildable index/cache files go, a template like `location`;
    ///     empty keeps them inside each Maildir folder. Default empty.
    public init(
        location: String = "/var/vmail/%d/%n",
        ownerUser: String = "vmail",
        ownerGroup: String = "vmail",
        fsync: Bool = true,
        maxMessageSize: Int = 50 * 1024 * 1024,
        quotaStorage: Int = 0,
        quotaMessages: Int = 0,
        indexDirectory: String = ""
    ) {
        self.location = location
        self.ownerUser = ownerUser
        self.ownerGroup = ownerGroup
        self.fsync = fsync
        self.maxMessageSize = maxMessageSize
        self.quotaStorage = quotaStorage
        self.quotaMessages = quotaMessages
        self.indexDirectory = indexDirectory
    }

    /// Why mail must not be served with these owners, or nil: `ownerUser` or `ownerGroup` is
    /// root (`root`, or the id 0 written as digits). Dovecot refuses uid and gid 0 for mail access
    /// too (`first_valid_uid`, `first_valid_gid`): serving mail as root turns any path mistake
    /// into a root exploit.
    ///
    /// Not checked while the file is parsed, because `mailboxctl` run as root may legitimately
    /// keep its own identity (its test environment names root as the owner); the server is to
    /// refuse to start when this is not nil.
    public var rootOwnerProblem: String? {
        func isRoot(_ name: String) -> Bool {
            name == "root" || (!name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "0" })
        }
        if isRoot(ownerUser) { return "mail.owner_user is \(ownerUser): mail files must not be owned by root" }
        if isRoot(ownerGroup) { return "mail.owner_group is \(ownerGroup): mail files must not be owned by root" }
        return nil
    }
}
