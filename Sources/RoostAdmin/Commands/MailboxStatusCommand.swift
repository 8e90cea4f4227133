import ArgumentParser
import RoostStorage

/// `mailboxctl mailbox status USER [NAME]`: counts and UIDs of one mailbox or all of them.
///
/// Syncs without moving `new/` to `cur/`, so the user's next session still sees the messages as
/// recent; new files do get their UIDs, under the uidlist lock, as any reader would give them.
struct MailboxStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show messages, unseen, recent, size, UIDVALIDITY and UIDNEXT.",
        discussion: "RECENT counts messages still in new/. Without NAME, every mailbox is shown."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user whose mailboxes to show.")
    var user: String

    @Argument(help: "The mailbox (default: all).")
    var mailbox: String?

    func run() async throws {
        let console = AdminConsole.current
        try UserName.checkUsable(user)
        let name = try mailbox.map(MailboxCommand.name)
        let context = try AdminContext.load(path: mailboxctl.config)
        let account = try await context.lookUp(user)
        let statuses = try context.withExistingMail(of: account.user) { _, store in
            guard let name else { return try MailboxStatus.readAll(in: store) }
            guard store.exists(name) else {
                throw AdminError(.noInput, "mailbox \(name) of \(account.user.user) does not exist")
            }
            return [try MailboxStatus.read(name, in: store)]
        }
        for line in MailboxStatus.table(statuses) { console.print(line) }
    }
}
