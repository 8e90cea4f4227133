import ArgumentParser

/// `mailboxctl index`: Roost's rebuildable per-folder files.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Rebuild Roost's index and message cache.",
        subcommands: [IndexRebuildCommand.self]
    )
}
