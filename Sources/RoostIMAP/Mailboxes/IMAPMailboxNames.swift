import RoostIMAPGrammar
import RoostStorage

/// IMAP's view of mailbox names: hierarchy separator `.`, empty personal namespace prefix.
///
/// RFC 3501 section 5.1: names are hierarchical with a server-chosen delimiter; INBOX, in any case,
/// is the user's primary mailbox. The separator is Maildir++'s own, so an IMAP name is the folder's
/// directory name without the leading dot (`Work.Projects` is `.Work.Projects`), as Dovecot shows it.
///
/// INBOX may have children: `INBOX.Sub` is the folder `.INBOX.Sub`, not part of the Maildir root.
/// The first level `INBOX` is case-insensitive there too (`inbox.Sub` is `INBOX.Sub`), because the
/// storage normalises it so; every other level is compared exactly. The wire form (modified UTF-7)
/// is RoostIMAPGrammar's business; names here are decoded Unicode (`已发送` stays `已发送`).
public enum IMAPMailboxNames {
    /// The hierarchy delimiter of every name (LIST's `"."`).
    public static let separator: Character = "."

    /// Wire name → storage name.
    ///
    /// Names the Maildir cannot hold safely are refused with `NO [CANNOT]`: empty levels (`A..B`,
    /// `.A`, `A.`, the empty name), `/`, control characters and the wildcards `*` and `%`; so `..`
    /// or a path can never leave the Maildir. A name too long for a directory is `NO [LIMIT]`.
    public static func storageName(_ name: RoostIMAPGrammar.MailboxName) throws(IMAPCommandError) -> RoostStorage.MailboxName {
        do {
            return try RoostStorage.MailboxName(name.name, separator: separator)
        } catch let error as StorageError where error.kind == .invalidName {
            // MailboxName's own messages name only the offending rule, never a path.
            throw IMAPCommandError(.no("Invalid mailbox name: " + error.message, code: .cannot))
        } catch let error as StorageError where error.kind == .limit {
            throw IMAPCommandError(.no("Mailbox name is too long", code: .limit))
        } catch {
            throw IMAPCommandError(error)
        }
    }

    /// Storage name → wire name: the levels joined with `.`.
    public static func wireName(_ name: RoostStorage.MailboxName) -> RoostIMAPGrammar.MailboxName {
        RoostIMAPGrammar.MailboxName(joined(name))
    }

    /// The name as LIST patterns see it.
    static func joined(_ name: RoostStorage.MailboxName) -> String {
        name.joined(separator: String(separator))
    }
}
