import RoostIMAPGrammar
import RoostStorage

/// The special-use folders (RFC 6154 section 2), by name: which mailbox holds drafts, sent mail,
/// deleted mail, spam and archived mail.
///
/// RFC 6154 lets a server put these attributes on the replies to a plain LIST without announcing a
/// capability; Roost does, so clients find the folders whatever their language. The names are IMAP
/// names with `.` as the hierarchy separator. An empty name turns that special use off.
public struct SpecialUseFolders: Sendable, Hashable {
    public var drafts: String
    public var sent: String
    public var trash: String
    public var junk: String
    public var archive: String

    /// The defaults are Dovecot's and most clients' English names.
    public init(drafts: String = "Drafts", sent: String = "Sent", trash: String = "Trash", junk: String = "Junk",
                archive: String = "Archive") {
        self.drafts = drafts
        self.sent = sent
        self.trash = trash
        self.junk = junk
        self.archive = archive
    }

    /// The special-use attribute of a mailbox, `nil` for an ordinary one. Where two uses share a name,
    /// the first in the order drafts, sent, trash, junk, archive wins.
    public func attribute(for name: RoostStorage.MailboxName) -> MailboxAttribute? {
        folders.first { (try? Self.storageName($0.name)) == name }?.attribute
    }

    /// Creates and subscribes the special-use folders that do not exist yet (the first login of a
    /// new user). One that exists is left alone, subscribed or not: the user may have unsubscribed
    /// it. A second session provisioning at the same time is no error. Throws `StorageError`
    /// (`invalidName` for a configured name the Maildir cannot hold). Blocking: run it where storage
    /// work runs.
    public func provision(in store: MailStore) throws {
        try store.createIfNeeded()
        for folder in folders where !folder.name.isEmpty {
            let name = try Self.storageName(folder.name)
            guard !store.exists(name) else { continue }
            do {
                try store.create(name)
            } catch let error as StorageError where error.kind == .exists {
                continue // another session of the user created it first, and subscribes it
            }
            try store.setSubscribed(name, true)
        }
    }

    private var folders: [(name: String, attribute: MailboxAttribute)] {
        [(drafts, .drafts), (sent, .sent), (trash, .trash), (junk, .junk), (archive, .archive)]
    }

    private static func storageName(_ name: String) throws -> RoostStorage.MailboxName {
        try RoostStorage.MailboxName(name, separator: IMAPMailboxNames.separator)
    }
}
