/// Reads a password the way every `mailboxctl` command does: from the terminal without echo, or
/// with `--password-stdin` from the first line of standard input (for scripts).
///
/// A new password is asked twice on a terminal, so a typo does not lock the user out; from stdin
/// it is read once. Refused, never changed into something else: an empty password (the
/// passwd-file treats an empty field as "no password", which would be a surprise), one longer
/// than `maxLength` bytes, and one that is not valid UTF-8.
enum PasswordInput {
    /// Longest password accepted, in bytes; far more than any scheme uses (crypt(3) stops at 512).
    static let maxLength = 4096

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

    /// `bytes` as a password, or why it cannot be one; `source` says where it came from
    /// ("typed", "on standard input").
    static func decode(_ bytes: [UInt8], tooLong: Bool = false, source: String) throws(AdminError) -> String {
        guard !tooLong, bytes.count <= maxLength else {
            throw .dataError("the password \(source) is longer than \(maxLength) bytes")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .dataError("the password \(source) is not valid UTF-8; check the terminal's or the file's character set")
        }
        return text
    }

    private static func ask(_ prompt: String, _ console: AdminConsole) throws(AdminError) -> String {
        guard let answer = try console.readSecret(prompt) else {
            throw .usage("there is no terminal to ask for the password on; pass it on standard input with --password-stdin")
        }
        return try checked(answer, source: "typed")
    }

    private static func readStandardInput(_ console: AdminConsole) throws(AdminError) -> String {
        guard let line = try console.readLine() else { throw .dataError("no password on standard input") }
        return try checked(line, source: "on standard input")
    }

    private static func checked(_ password: String, source: String) throws(AdminError) -> String {
        guard !password.isEmpty else { throw .dataError("empty password") }
        guard password.utf8.count <= maxLength else {
            throw .dataError("the password \(source) is longer than \(maxLength) bytes")
        }
        return password
    }
}
