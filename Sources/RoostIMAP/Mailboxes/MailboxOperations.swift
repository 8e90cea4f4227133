import RoostIMAPGrammar
import RoostStorage

/// RENAME and DELETE with the rules RFC 3501 adds to what storage does.
public enum MailboxOperations {
    /// RENAME (RFC 3501 section 6.3.5).
    ///
    /// "Renaming INBOX is permitted, and has special behavior. It moves all messages in INBOX to a
    /// new mailbox with the given new name, leaving INBOX empty. If the server implementation supports
    /// inferior hierarchical names of INBOX, these are unaffected by a rename of INBOX." So the new
    /// name may be one of INBOX's children (`RENAME INBOX INBOX.Old`), which a rename moving the
    /// folder along with its children could not allow; this is done here rather than by
    /// `MailStore.rename`. Every other rename moves the children along ("all of its inferior
    /// hierarchical names MUST also be renamed") and their subscriptions with them. Throws
    /// `StorageError`; blocking.
    public static func rename(_ from: RoostStorage.MailboxName, to: RoostStorage.MailboxName, in store: MailStore) throws {
        guard from.isInbox else { return try store.rename(from, to: to) }
        guard !to.isInbox else { throw StorageError(.exists, "INBOX already exists") }
        try store.create(to)
        let inbox = try store.folder(.inbox)
        try inbox.sync()
        try inbox.move(inbox.snapshot.messages.map(\.uid), to: try store.folder(to))
    }

    /// DELETE (RFC 3501 section 6.3.4).
    ///
    /// INBOX is refused with `NO [CANNOT]`: "It is an error to attempt to delete INBOX or a mailbox
    /// name that does not exist." A mailbox with children loses its messages and stays as a level of
    /// the hierarchy, listed `\Noselect`: "It is permitted to delete a name that has inferior
    /// hierarchical names and does not have the \Noselect mailbox name attribute. In this case, all
    /// messages in that mailbox are removed, and the name will acquire the \Noselect mailbox name
    /// attribute." Maildir++ keeps such a level without a directory of its own, so Roost does what
    /// Dovecot does on it. Deleting a name that is only such a level is `NO [NONEXISTENT]`, as RFC
    /// 3501 asks ("It is an error to attempt to delete a name that has inferior hierarchical names and
    /// also has the \Noselect mailbox name attribute"). The subscription stays (section 6.3.9).
    /// Throws `StorageError` or `IMAPCommandError`; blocking.
    public static func delete(_ name: RoostStorage.MailboxName, in store: MailStore) throws {
        guard !name.isInbox else { throw IMAPCommandError(.no("INBOX cannot be deleted", code: .cannot)) }
        try store.delete(name)
    }
}
