import ArgumentParser
import RoostAuth

/// `mailboxctl user list`: every user name in the passwd-file, sorted, one per line.
///
/// Reads the file leniently so one damaged line does not hide the others; damaged lines are
/// reported as warnings with their line numbers, since the server refuses such a file.
struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the users in the passwd-file."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    func run() async throws {
        let console = AdminConsole.current
        let context = try AdminContext.load(path: mailboxctl.config)
        let lines = try context.passwdLines()
        if lines.isEmpty {
            console.warn("\(context.passwdPath) has no users yet")
        }
        var names: [String] = []
        for (offset, line) in lines.enumerated() {
            switch line {
            case .user(let record, _):
                names.append(record.user)
            case .invalid(_, let reason):
                console.warn("\(context.passwdPath):\(offset + 1): \(reason) (the server refuses the file until this is fixed)")
            case .blank, .comment:
                continue
            }
        }
        for name in names.sorted() { console.print(name) }
    }
}
