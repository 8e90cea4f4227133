import RoostStorage

/// The counts `mailbox status` shows for one mailbox, taken from a synced folder snapshot.
///
/// "Recent" is what the Maildir says: messages still in `new/`, not yet seen by any mail reader.
/// The folder is synced with `moveNewToCur: false`, so looking does not change that.
public struct MailboxStatus: Sendable, Hashable {
    public var name: MailboxName
    public var messages: Int
    /// Messages without `\Seen`.
    public var unseen: Int
    /// Messages still in `new/`.
    public var recent: Int
    /// Bytes of all message files.
    public var bytes: Int64
    public var uidValidity: UIDValidity
    public var uidNext: UID

    public init(name: MailboxName, snapshot: FolderSnapshot) {
        self.name = name
        messages = snapshot.messages.count
        unseen = snapshot.messages.count { !$0.flags.contains(.seen) }
        recent = snapshot.messages.count(where: \.inNew)
        bytes = snapshot.messages.reduce(0) { $0 + $1.size }
        uidValidity = snapshot.uidValidity
        uidNext = snapshot.nextUID
    }

    /// Syncs `name` in `store` (without moving `new/` to `cur/`) and counts it. The index the sync
    /// built is written before returning (mailboxctl exits next), so the server's next open reads it.
    public static func read(_ name: MailboxName, in store: MailStore) throws -> MailboxStatus {
        let folder = try store.folder(name)
        let result = try folder.sync(moveNewToCur: false)
        folder.flushIndex()
        return MailboxStatus(name: name, snapshot: result.snapshot)
    }

    /// Every selectable mailbox of `store`, INBOX first.
    public static func readAll(in store: MailStore) throws -> [MailboxStatus] {
        try store.mailboxes().filter(\.selectable).map { try read($0.name, in: store) }
    }

    /// The statuses as a table, one mailbox per line under a header.
    public static func table(_ statuses: [MailboxStatus]) -> [String] {
        var table = TextTable(["MAILBOX", "MESSAGES", "UNSEEN", "RECENT", "BYTES", "UIDVALIDITY", "UIDNEXT"], rightAligned: [1, 2, 3, 4, 5, 6])
        for status in statuses {
            table.add([
                status.name.description, String(status.messages), String(status.unseen), String(status.recent),
                String(status.bytes), status.uidValidity.description, status.uidNext.description,
            ])
        }
        return table.lines
    }
}
