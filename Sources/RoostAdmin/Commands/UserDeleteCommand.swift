import ArgumentParser
import Foundation
import RoostAuth

/// `mailboxctl user del USER`: removes the user's line; the mail stays unless `--remove-mail`.
///
/// Keeping mail by default makes a mistyped name recoverable (`user add` again finds the old
/// Maildir and keeps it). With `--remove-mail`, the Maildir and the user's index directory are
/// removed after the line, and only if the directory really is a Maildir that is not the home.
struct UserDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "del",
        abstract: "Delete a user; their mail is kept unless --remove-mail is given.",
        aliases: ["delete"]
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user to delete.")
    var user: String

    @Flag(help: "Also delete the user's Maildir and index files.")
    var removeMail = false

    func run() async throws {
        let console = AdminConsole.current
        try UserName.checkUsable(user)
        let context = try AdminContext.load(path: mailboxctl.config)
        guard let name = try context.spelling(of: user) else { throw AdminError.noUser(user) }

        // Where the mail is must be known before the line that says so is gone.
        var location: UserMailStore?
        var account: AdminUser?
        do {
            let found = try await context.lookUp(name)
            location = try context.mailStore(for: found.user)
            account = found
        } catch {
            if removeMail { throw AdminError(error.code, "cannot work out where the mail is, so nothing was deleted: \(error.message)") }
            location = nil
        }

        try context.edit { editor throws(PasswdFileError) in try editor.deleteUser(name) }
        console.print("deleted user \(name) from \(context.passwdPath)")

        guard let location, let account else { return }
        guard removeMail else {
            console.print("mail kept in \(location.root); delete the directory by hand if it is no longer needed")
            return
        }
        if let home = account.user.home, Self.sameDirectory(home, location.root) {
            throw AdminError(.dataError, "the Maildir \(location.root) is the home directory; not deleted, remove it by hand")
        }
        let removed = try context.withMail(of: account.user) { location, store in
            guard store.exists else { return false }
            try FileManager.default.removeItem(atPath: location.root)
            if let index = location.indexDirectory, FileManager.default.fileExists(atPath: index) {
                try FileManager.default.removeItem(atPath: index)
            }
            return true
        }
        console.print(removed ? "deleted mail in \(location.root)" : "no Maildir at \(location.root); nothing to delete")
    }

    private static func sameDirectory(_ a: String, _ b: String) -> Bool {
        func trimmed(_ path: String) -> String {
            var path = path
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            return path
        }
        return trimmed(a) == trimmed(b)
    }
}
