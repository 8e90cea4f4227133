import ArgumentParser

/// `mailboxctl`: the root command. Holds the global `--config` option and runs the tool.
///
/// Subcommands read `--config` through `@ParentCommand`, so the option may stand before or after
/// the subcommand name (`mailboxctl --config F user list` and `mailboxctl user list --config F`).
public struct Mailboxctl: AsyncParsableCommand {
    /// Where the configuration is read from without `--config`.
    public static let defaultConfigurationPath = "/etc/roost/roostd.conf"

    public static let configuration = CommandConfiguration(
        commandName: "mailboxctl",
        abstract: "Manage Roost's users, passwords, mailboxes, quota and indexes.",
        discussion: """
            Reads the server's configuration file (--config, default \(defaultConfigurationPath)). \
            Passwd-file edits are locked and atomic, so they are safe while the server runs. Run as \
            root, mail files are written as the mail owner (the user's uid/gid, else \
            mail.owner_user and mail.owner_group). Mailbox names use / between levels \
            (Work/Projects). See docs/mailboxctl.md.

            EXIT STATUS (sysexits)
            \(AdminExitCode.helpText)
            """,
        subcommands: [
            UserCommand.self, PwCommand.self, MailboxCommand.self, QuotaCommand.self, IndexCommand.self,
            ConfigCommand.self, DemoCommand.self,
        ]
    )

    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (default: \(defaultConfigurationPath)).", valueName: "file"
    ))
    var config: String?

    public init() {}

    /// Parses `arguments` (without the program name), runs the command with `console` as its
    /// terminal, and returns the exit status; never exits the process itself.
    ///
    /// Errors are printed once, as `mailboxctl: error: ...` on the console's standard error;
    /// `--help` goes to standard output with status 0.
    public static func main(arguments: [String], console: AdminConsole = .standard) async -> Int32 {
        await AdminConsole.$current.withValue(console) {
            var command: any ParsableCommand
            do {
                command = try parseAsRoot(arguments)
            } catch {
                return reportParserError(error, console: console)
            }
            do {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return AdminExitCode.success.rawValue
            } catch let error as ExitCode {
                return error.rawValue
            } catch where isArgumentParserError(error) {
                // `--help` and `help` parse into ArgumentParser's own command, whose run throws.
                return reportParserError(error, console: console)
            } catch {
                let failure = AdminError(error)
                console.printError("mailboxctl: error: \(failure.message)")
                return failure.code.rawValue
            }
        }
    }

    /// True for ArgumentParser's errors (help requests, `ValidationError`, `CleanExit`, its internal
    /// parse errors), which it formats itself; everything else is the command's own failure.
    private static func isArgumentParserError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// Help, version and command-line errors, in ArgumentParser's words but with the tool's prefix.
    private static func reportParserError(_ error: any Error, console: AdminConsole) -> Int32 {
        let code = exitCode(for: error).rawValue
        var text = fullMessage(for: error)
        if code == 0 {
            if !text.isEmpty { console.print(text) }
            return code
        }
        if text.hasPrefix("Error: ") { text = "mailboxctl: error: " + text.dropFirst("Error: ".count) }
        console.printError(text)
        return code == ExitCode.validationFailure.rawValue ? AdminExitCode.usage.rawValue : code
    }
}
