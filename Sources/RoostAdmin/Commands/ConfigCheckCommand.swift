import ArgumentParser
import RoostConfig

/// `mailboxctl config check [FILE]`: parses the file as the server would and checks the `[mail]`
/// templates, which RoostConfig keeps as text; prints `ok`, or the error as `file:line: key: message`.
struct ConfigCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a configuration file and report the first error with its line.",
        discussion: "With --show, prints the settings that differ from the built-in defaults instead of ok (like doveconf -n)."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: ArgumentHelp("The file to check (default: --config or \(Mailboxctl.defaultConfigurationPath)).", valueName: "file"))
    var file: String?

    @Flag(help: "Print the settings that differ from the defaults.")
    var show = false

    func run() async throws {
        let console = AdminConsole.current
        let context = try AdminContext.load(path: file ?? mailboxctl.config)
        do {
            try UserMailStore.validate(context.configuration.mail)
        } catch {
            throw AdminError(.configuration, "\(context.configurationPath): \(error)")
        }
        guard show else {
            console.print("ok")
            return
        }
        let rendered = context.configuration.rendered(onlyChanged: true)
        console.writeOutput(rendered.isEmpty ? "# every setting is at its built-in default\n" : rendered)
    }
}
