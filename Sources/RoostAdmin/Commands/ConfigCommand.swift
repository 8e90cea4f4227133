import ArgumentParser

/// `mailboxctl config`: the configuration file.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check a configuration file.",
        subcommands: [ConfigCheckCommand.self]
    )
}
