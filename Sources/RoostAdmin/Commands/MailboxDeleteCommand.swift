import ArgumentParser
import RoostStorage

/// `mailboxctl mailbox delete USER NAME`: a folder and its messages; its children stay.
struct MailboxDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a mailbox and its messages (not INBOX).",
        discussion: "Child mailboxes are kept. The folder disappears at once and whole, even if removal is interrupted."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user whose mailbox to delete.")
    var user: String

    @Argument(help: "The mailbox to delete.")
    var mailbox: String

    func run() async throws {
        let console = AdminConsole.current
        try UserName.checkUsable(user)
        let name = try MailboxCommand.name(mailbox)
        guard !name.isInbox else { throw AdminError.dataError("INBOX cannot be deleted") }
        let context = try AdminContext.load(path: mailboxctl.config)
        let account = try await context.lookUp(user)
        let count = try context.withExistingMail(of: account.user) { _, store in
            guard store.exists(name) else {
                throw AdminError(.noInput, "mailbox \(name) of \(account.user.user) does not exist")
            }
            let messages = try MailboxStatus.read(name, in: store).messages
            try store.delete(name)
            return messages
        }
        console.print("deleted mailbox \(name) of \(account.user.user) with \(count) message\(count == 1 ? "" : "s")")
    }
}
