import ArgumentParser
import RoostStorage

/// `mailboxctl mailbox`: a user's folders.
struct MailboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailbox",
        abstract: "List, inspect, create and delete a user's mailboxes.",
        discussion: """
            Mailbox names use / between levels (Work/Projects) and are case-sensitive, except \
            INBOX. On disk they are Maildir++ folders (.Work.Projects), as Dovecot writes them.
            """,
        subcommands: [
            MailboxListCommand.self, MailboxStatusCommand.self, MailboxCreateCommand.self, MailboxDeleteCommand.self,
        ]
    )

    /// Parses a mailbox name given on the command line.
    static func name(_ text: String) throws(AdminError) -> MailboxName {
        do {
            return try MailboxName(text, separator: "/")
        } catch {
            let reason = (error as? StorageError)?.message ?? "\(error)"
            let hint = text.contains(".") ? "; levels are separated by /, not ." : ""
            throw .dataError("invalid mailbox name \(text.debugDescription): \(reason)\(hint)")
        }
    }
}
