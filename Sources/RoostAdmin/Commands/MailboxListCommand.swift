import ArgumentParser
import RoostStorage

/// `mailboxctl mailbox list USER`: every mailbox, INBOX first, one per line.
struct MailboxListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a user's mailboxes.",
        discussion: "A name that exists only as the parent of others is marked (no folder)."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user whose mailboxes to list.")
    var user: String

    func run() async throws {
        let console = AdminConsole.current
        let (context, account) = try await AdminContext.load(path: mailboxctl.config, user: user)
        let listings = try context.withExistingMail(of: account.user) { _, store in try store.mailboxes() }
        for listing in listings {
            console.print(listing.name.description + (listing.selectable ? "" : "  (no folder)"))
        }
    }
}
