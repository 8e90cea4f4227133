import RoostStorage

/// A POP3 session's view of the user's INBOX: the messages present at login, numbered from 1,
/// with the deletion marks DELE set (RFC 1939 sections 5 and 6).
///
/// Opening and committing block on the file system; callers run them on a storage thread pool.
/// Marks live only in this value, so a session that ends without QUIT changes nothing on disk.
public struct POP3Maildrop: Sendable {
    /// One message as the session numbers it.
    public struct Message: Sendable, Equatable {
        public var uid: UID
        /// Size with CRLF line ends, before dot-stuffing (RFC 1939 LIST, "exact size").
        public var size: Int64
        /// The UIDL value: Dovecot's default `%08Xu%08Xv`, so migrated clients do not fetch again.
        public var uniqueID: String
        public var deleted = false
        /// Retrieved in full with RETR: gets `\Seen` at QUIT unless deleted (as Dovecot does).
        public var retrieved = false

        public init(uid: UID, size: Int64, uniqueID: String, deleted: Bool = false, retrieved: Bool = false) {
            self.uid = uid
            self.size = size
            self.uniqueID = uniqueID
            self.deleted = deleted
            self.retrieved = retrieved
        }
    }

    /// What QUIT did.
    public struct CommitResult: Sendable, Equatable {
        /// Messages deleted (including ones another session had already removed).
        public var deleted: Int

        public init(deleted: Int) {
            self.deleted = deleted
        }
    }

    public let folder: MaildirFolder
    public private(set) var messages: [Message]

    /// Syncs INBOX (picking up deliveries in `new/` without moving them, so IMAP clients still see
    /// them as recent) and takes the message list.
    public static func open(store: MailStore) throws -> POP3Maildrop {
        try store.createIfNeeded()
        let folder = try store.folder(.inbox)
        let snapshot = try folder.sync(moveNewToCur: false).snapshot
        let messages = snapshot.messages.map { info in
            Message(
                uid: info.uid, size: info.virtualSize,
                uniqueID: POP3UniqueID.dovecotDefault(uid: info.uid.rawValue, uidValidity: snapshot.uidValidity.rawValue)
            )
        }
        return POP3Maildrop(folder: folder, messages: messages)
    }

    public init(folder: MaildirFolder, messages: [Message]) {
        self.folder = folder
        self.messages = messages
    }

    /// Messages not marked deleted, and their total size (STAT, LIST).
    public var liveCount: Int { messages.lazy.filter { !$0.deleted }.count }
    public var liveSize: Int64 { messages.lazy.filter { !$0.deleted }.reduce(0) { $0 + $1.size } }

    /// The message numbered `number`, unless it does not exist or is marked deleted.
    public func message(_ number: POP3MessageNumber) -> Message? {
        guard number.rawValue <= messages.count else { return nil }
        let message = messages[number.rawValue - 1]
        return message.deleted ? nil : message
    }

    /// Marks a message deleted; false when it does not exist or already is.
    public mutating func markDeleted(_ number: POP3MessageNumber) -> Bool {
        guard message(number) != nil else { return false }
        messages[number.rawValue - 1].deleted = true
        return true
    }

    public mutating func markRetrieved(_ number: POP3MessageNumber) {
        guard number.rawValue <= messages.count else { return }
        messages[number.rawValue - 1].retrieved = true
    }

    /// RSET: removes every deletion mark.
    public mutating func unmarkAll() {
        for index in messages.indices { messages[index].deleted = false }
    }

    /// The UPDATE state: deletes the marked messages in one storage call, then sets `\Seen` on
    /// retrieved ones, and writes the folder's index if it changed. Throws when the deletions could
    /// not all be applied; messages another session removed meanwhile count as deleted.
    public func commit() throws -> CommitResult {
        let doomed = messages.filter(\.deleted).map(\.uid)
        var deleted = 0
        if !doomed.isEmpty {
            deleted = try folder.expunge(doomed).count
        }
        let seen = messages.filter { $0.retrieved && !$0.deleted }.map(\.uid)
        if !seen.isEmpty {
            // A failure to set \Seen loses no mail; the deletions above already happened.
            _ = try? folder.setFlags(seen, .add, flags: .seen)
        }
        folder.flushIndex()
        return CommitResult(deleted: deleted)
    }
}
