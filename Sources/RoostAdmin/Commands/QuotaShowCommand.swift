import ArgumentParser

/// `mailboxctl quota show USER`: use from `maildirsize` (recounted only if it cannot be trusted).
struct QuotaShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show quota use against the limits.",
        discussion: "storage is in bytes. Limits are the user's own, else mail.quota_storage and mail.quota_messages."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user whose quota to show.")
    var user: String

    func run() async throws {
        let console = AdminConsole.current
        let (context, account) = try await AdminContext.load(path: mailboxctl.config, user: user)
        let (usage, location) = try context.withExistingMail(of: account.user) { location, store in
            (try store.quota.usage(), location)
        }
        for line in QuotaCommand.lines(usage: usage, location: location) { console.print(line) }
    }
}
