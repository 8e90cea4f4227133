/// Reads a password the way every `mailboxctl` command does: from the terminal without echo, or
/// with `--password-stdin` from the first line of standard input (for scripts).
///
/// A new password is asked twice on a terminal, so a typo does not lock the user out; from stdin
/// it is read once. Empty passwords are refused: the passwd-file treats an empty field as "no
/// password", which would be a surprise.
enum PasswordInput {
    /// A new password, asked twice on the terminal.
    static func readNew(fromStandardInput: Bool, console: AdminConsole) throws(AdminError) -> String {
        if fromStandardInput { return try readStandardInput(console) }
        let first = try ask("New password: ", console)
        let second = try ask("Retype new password: ", console)
        guard first == second else { throw .dataError("the two passwords do not match; nothing was changed") }
        return first
    }

    /// A password to check, asked once.
    static func readExisting(fromStandardInput: Bool, console: AdminConsole) throws(AdminError) -> String {
        if fromStandardInput { return try readStandardInput(console) }
        return try ask("Password: ", console)
    }

    private static func ask(_ prompt: String, _ console: AdminConsole) throws(AdminError) -> String {
        guard let answer = console.readSecret(prompt) else {
            throw .usage("there is no terminal to ask for the password on; pass it on standard input with --password-stdin")
        }
        return try nonEmpty(answer)
    }

    private static func readStandardInput(_ console: AdminConsole) throws(AdminError) -> String {
        guard let line = console.readLine() else { throw .dataError("no password on standard input") }
        return try nonEmpty(line)
    }

    private static func nonEmpty(_ password: String) throws(AdminError) -> String {
        guard !password.isEmpty else { throw .dataError("empty password") }
        return password
    }
}
