import ArgumentParser
import RoostStorage

/// `mailboxctl mailbox create USER NAME`: a new folder, with any missing parents.
struct MailboxCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a mailbox (and any missing parents)."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user who gets the mailbox.")
    var user: String

    @Argument(help: "The mailbox to create, e.g. Archive/2024.")
    var mailbox: String

    @Flag(help: "Also subscribe the user to it.")
    var subscribe = false

    func run() async throws {
        let console = AdminConsole.current
        try UserName.checkUsable(user)
        let name = try MailboxCommand.name(mailbox)
        guard !name.isInbox else { throw AdminError(.cannotCreate, "INBOX always exists") }
        let context = try AdminContext.load(path: mailboxctl.config)
        let account = try await context.lookUp(user)
        try context.withMail(of: account.user) { _, store in
            try store.createIfNeeded()
            try store.create(name)
            if subscribe { try store.setSubscribed(name, true) }
        }
        console.print("created mailbox \(name) for \(account.user.user)" + (subscribe ? " (subscribed)" : ""))
    }
}
