import ArgumentParser
import RoostAuth

/// `mailboxctl user del USER`: removes the user's line; the mail stays unless `--remove-mail`.
///
/// Keeping mail by default makes a mistyped name recoverable (`user add` again finds the old
/// Maildir and keeps it). With `--remove-mail`, every check on the Maildir and the index
/// directory (`MailRemoval`) runs before the passwd-file is touched, so a refusal changes
/// nothing; only then is the line removed and the directories deleted, as the mail owner.
struct UserDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "del",
        abstract: "Delete a user; their mail is kept unless --remove-mail is given.",
        aliases: ["delete"]
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user to delete.")
    var user: String

    @Flag(help: "Also delete the user's Maildir and index files (never the home directory or another user's mail).")
    var removeMail = false

    func run() async throws {
        let console = AdminConsole.current
        try UserName.checkUsable(user)
        let context = try AdminContext.load(path: mailboxctl.config)
        guard let name = try context.spelling(of: user) else { throw AdminError.noUser(user) }
        guard removeMail else {
            // Where the mail is must be known before the line that says so is gone; a damaged
            // line has no location, and can still be deleted.
            let location = try? await context.mailStore(for: context.lookUp(name).user)
            try context.edit { editor throws(PasswdFileError) in try editor.deleteUser(name) }
            console.print("deleted user \(name) from \(context.passwdPath)")
            if let location {
                console.print("mail kept in \(location.root); delete the directory by hand if it is no longer needed")
            }
            return
        }

        let account: AdminUser
        let location: UserMailStore
        do {
            account = try await context.lookUp(name)
            location = try context.mailStore(for: account.user)
        } catch {
            throw AdminError(error.code, "cannot work out where the mail is, so nothing was deleted: \(error.message)")
        }
        let others = try await context.mailDirectories(excluding: account.user.user)
        for (other, reason) in others.unknown {
            console.warn("cannot work out where user \(other)'s mail is (\(reason)); not compared with \(name)'s")
        }
        let removal = try MailRemoval(
            user: name, location: location, home: account.user.home, others: others.directories
        )

        try context.edit { editor throws(PasswdFileError) in try editor.deleteUser(name) }
        console.print("deleted user \(name) from \(context.passwdPath)")
        try context.asMailOwner(of: account.user) { try removal.perform() }
        for target in removal.absent where target.role == .index {
            console.print("no index directory at \(target.path); nothing to delete")
        }
        for target in removal.targets where target.role == .index {
            console.print("deleted index files in \(target.path)")
        }
        if removal.targets.contains(where: { $0.role == .maildir }) {
            console.print("deleted mail in \(location.root)")
        } else {
            console.print("no Maildir at \(location.root); nothing to delete")
        }
    }
}
