import ArgumentParser
import RoostAuth

/// `mailboxctl user passwd USER`: replaces the stored password; the server sees it within a second.
struct UserPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Set a user's password.",
        discussion: "Asks twice on the terminal, or reads one line with --password-stdin."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user whose password to set.")
    var user: String

    @OptionGroup var password: PasswordOptions

    func run() async throws {
        let console = AdminConsole.current
        try UserName.checkUsable(user)
        let context = try AdminContext.load(path: mailboxctl.config)
        // Before prompting: nobody should type a password for a user that is not there.
        guard let name = try context.spelling(of: user) else { throw AdminError.noUser(user) }
        let scheme = try context.newPasswordScheme(override: password.scheme)
        let secret = try PasswordInput.readNew(fromStandardInput: password.passwordStdin, console: console)
        let hash = try PasswordHasher.hash(password: secret, scheme: scheme)
        try context.edit { editor throws(PasswdFileError) in try editor.setPassword(user: name, storedPassword: hash) }
        console.print("password of \(name) changed (scheme \(scheme.name))")
    }
}
