import ArgumentParser

/// `mailboxctl user`: the passwd-file's users.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, delete, list and show users; set passwords.",
        discussion: """
            Users live in the passwd-file named by auth.passwd_file. Edits take the file's lock and \
            replace it atomically, so the server picks them up within a second without a restart.
            """,
        subcommands: [
            UserAddCommand.self, UserDeleteCommand.self, UserPasswordCommand.self, UserListCommand.self,
            UserShowCommand.self,
        ]
    )
}
