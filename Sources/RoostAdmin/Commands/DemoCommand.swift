import ArgumentParser

/// `mailboxctl demo`: sets up (or re-checks) the playground of `DemoEnvironment` and says how to
/// use it. Running it again changes nothing that exists and prints the same overview, without the
/// password, which only the first run knows.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a ready-to-try setup: configuration, user demo, Maildir with a welcome message.",
        discussion: """
            Everything goes into one directory (default ./dev-data): roostd.conf, passwd, mail/ and \
            index/. The user demo gets a random password, printed once. Running the command again \
            keeps the existing user, password and messages. --config is ignored: the demo writes \
            and uses DIR/roostd.conf.
            """
    )

    @Option(help: ArgumentHelp("Directory for the demo's files.", valueName: "dir"))
    var directory: String = "./dev-data"

    func run() async throws {
        let console = AdminConsole.current
        let environment = DemoEnvironment(directory: directory)
        let outcome = try await environment.setUp()
        let configuration = outcome.configuration

        console.print("Roost demo in \(environment.directory)")
        var paths = TextTable(["  configuration", outcome.configurationPath + (outcome.configurationCreated ? " (created)" : "")])
        paths.add(["  passwd-file", configuration.auth.passwdFile])
        paths.add(["  Maildir", outcome.maildir])
        paths.add(["  index", outcome.indexDirectory ?? "inside each Maildir folder"])
        for line in paths.lines { console.print(line) }
        console.print()
        if let password = outcome.password {
            console.print("user:     \(outcome.user)")
            console.print("password: \(password)")
            console.print("(shown only now; stored as a \(outcome.passwordScheme.name) hash)")
        } else {
            console.print("user \(outcome.user) already exists; its password is unchanged. To set a new one:")
            console.print("  mailboxctl --config \(outcome.configurationPath) user passwd \(outcome.user)")
        }
        console.print()
        if let uid = outcome.welcomeUID {
            console.print("delivered a welcome message to INBOX (UID \(uid))")
        } else {
            console.print("the welcome message is already in INBOX")
        }
        console.print()
        for line in MailboxStatus.table(outcome.statuses) { console.print(line) }
    }
}
