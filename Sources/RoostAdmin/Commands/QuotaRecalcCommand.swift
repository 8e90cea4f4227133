import ArgumentParser

/// `mailboxctl quota recalc USER`: recounts every folder and rewrites `maildirsize`.
struct QuotaRecalcCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recalc",
        abstract: "Recount quota use from the folders and rewrite maildirsize."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user whose quota to recount.")
    var user: String

    func run() async throws {
        let console = AdminConsole.current
        let (context, account) = try await AdminContext.load(path: mailboxctl.config, user: user)
        let (usage, location) = try context.withExistingMail(of: account.user) { location, store in
            (try store.quota.recalculate(), location)
        }
        console.print("recalculated \(location.root)/maildirsize")
        for line in QuotaCommand.lines(usage: usage, location: location) { console.print(line) }
    }
}
