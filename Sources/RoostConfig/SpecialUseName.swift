/// A special use of a mailbox (RFC 6154 section 2) that `[imap]` names a folder for.
///
/// The raw value is the attribute's name without its backslash, as RFC 6154 spells it
/// (`Drafts` for `\Drafts`), so the wiring layer maps each case to RoostIMAPGrammar's
/// `MailboxAttribute` one to one; RoostConfig only knows the names. `\All` and `\Flagged`
/// are left out: they describe virtual mailboxes, which Roost does not have.
public enum SpecialUseName: String, Sendable, Hashable, CaseIterable {
    /// `\Drafts`: messages being composed (`imap.drafts_folder`).
    case drafts = "Drafts"
    /// `\Sent`: copies of messages that were sent (`imap.sent_folder`).
    case sent = "Sent"
    /// `\Trash`: messages the user deleted (`imap.trash_folder`).
    case trash = "Trash"
    /// `\Junk`: messages judged to be spam (`imap.junk_folder`).
    case junk = "Junk"
    /// `\Archive`: messages kept out of INBOX (`imap.archive_folder`).
    case archive = "Archive"

    /// The `[imap]` key naming the folder with this use, e.g. `drafts_folder`.
    var keyName: String { "\(rawValue.lowercased())_folder" }
}
