import ArgumentParser
import RoostStorage

/// `mailboxctl index rebuild USER [MAILBOX]`: discards `roost.index` and `roost.cache` and builds
/// them again from the Maildir (`MaildirFolder.rebuildIndex`). UIDs come from `dovecot-uidlist`,
/// so they do not change; a running server notices the new files on its next sync.
struct IndexRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Throw away and rebuild the index of one or all of a user's mailboxes.",
        discussion: """
            The index and cache are caches of the Maildir; rebuilding re-reads every message. UIDs, \
            flags and UIDVALIDITY are kept: they live in dovecot-uidlist and the file names.
            """
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user whose index to rebuild.")
    var user: String

    @Argument(help: "The mailbox (default: all).")
    var mailbox: String?

    func run() async throws {
        let console = AdminConsole.current
        try UserName.checkUsable(user)
        let only = try mailbox.map(MailboxCommand.name)
        let context = try AdminContext.load(path: mailboxctl.config)
        let account = try await context.lookUp(user)
        try context.withExistingMail(of: account.user) { _, store in
            let names: [MailboxName]
            if let only {
                guard store.exists(only) else {
                    throw AdminError(.noInput, "mailbox \(only) of \(account.user.user) does not exist")
                }
                names = [only]
            } else {
                names = try store.mailboxes().filter(\.selectable).map(\.name)
            }
            for name in names {
                let snapshot = try store.folder(name).rebuildIndex()
                let count = snapshot.messages.count
                console.print("\(name): rebuilt, \(count) message\(count == 1 ? "" : "s")")
            }
        }
    }
}
