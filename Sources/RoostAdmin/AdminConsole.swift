#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command's output goes and where its input comes from.
///
/// Commands never touch file descriptors 0-2 themselves: they use `AdminConsole.current`, a
/// task-local that `Mailboxctl.main(arguments:console:)` sets. `standard` is the real terminal;
/// tests pass a console that records output and answers prompts, so every command runs in-process.
public struct AdminConsole: Sendable {
    /// Writes text to standard output as it is (callers add the newline).
    public var writeOutput: @Sendable (String) -> Void
    /// Writes text to standard error as it is.
    public var writeError: @Sendable (String) -> Void
    /// Reads one line of standard input without its line end; nil at end of input. Throws for a
    /// line that is not valid UTF-8 rather than repairing it (it may be a password).
    public var readLine: @Sendable () throws(AdminError) -> String?
    /// Shows a prompt and reads one line without echo from the controlling terminal; nil when
    /// there is no terminal to ask. Throws for a line it cannot return unchanged (see
    /// `TerminalSecret`).
    public var readSecret: @Sendable (_ prompt: String) throws(AdminError) -> String?

    public init(
        writeOutput: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void,
        readLine: @escaping @Sendable () throws(AdminError) -> String?,
        readSecret: @escaping @Sendable (_ prompt: String) throws(AdminError) -> String?
    ) {
        self.writeOutput = writeOutput
        self.writeError = writeError
        self.readLine = readLine
        self.readSecret = readSecret
    }

    /// The process's standard input, output and error, and /dev/tty for passwords.
    public static let standard = AdminConsole(
        writeOutput: { writeAll(fd: STDOUT_FILENO, $0) },
        writeError: { writeAll(fd: STDERR_FILENO, $0) },
        readLine: { () throws(AdminError) -> String? in try readStandardInputLine() },
        readSecret: { (prompt: String) throws(AdminError) -> String? in try TerminalSecret.read(prompt: prompt) }
    )

    /// The console of the running command.
    @TaskLocal public static var current: AdminConsole = .standard

    /// Prints a line to standard output.
    func print(_ line: String = "") {
        writeOutput(line + "\n")
    }

    /// Prints a line to standard error.
    func printError(_ line: String) {
        writeError(line + "\n")
    }

    /// Prints `mailboxctl: warning: ...` to standard error.
    func warn(_ message: String) {
        printError("mailboxctl: warning: \(message)")
    }

    /// Longest line `readLine` takes from standard input.
    static let maxLineLength = 65536

    /// One line of standard input without `\n` or `\r\n`, read as bytes: `Swift.readLine` would
    /// replace bytes that are not UTF-8, which would silently change a password. Read a byte at a
    /// time, so nothing after the line is taken from standard input.
    private static func readStandardInputLine() throws(AdminError) -> String? {
        var bytes: [UInt8] = []
        defer { for index in bytes.indices { bytes[index] = 0 } }
        var byte: UInt8 = 0
        var sawAnything = false
        while true {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            sawAnything = true
            if byte == UInt8(ascii: "\n") { break }
            guard bytes.count < maxLineLength else {
                throw .dataError("the line read from standard input is longer than \(maxLineLength) bytes")
            }
            bytes.append(byte)
        }
        guard sawAnything else { return nil }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let line = String(validating: bytes, as: UTF8.self) else {
            throw .dataError("the line read from standard input is not valid UTF-8")
        }
        return line
    }

    private static func writeAll(fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
