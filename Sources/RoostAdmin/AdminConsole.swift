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
    /// Reads one line of standard input without its line end; nil at end of input.
    public var readLine: @Sendable () -> String?
    /// Shows a prompt and reads one line without echo from the controlling terminal; nil when
    /// there is no terminal to ask.
    public var readSecret: @Sendable (_ prompt: String) -> String?

    public init(
        writeOutput: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void,
        readLine: @escaping @Sendable () -> String?,
        readSecret: @escaping @Sendable (_ prompt: String) -> String?
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
        readLine: { Swift.readLine(strippingNewline: true).map(stripCarriageReturn) },
        readSecret: { TerminalSecret.read(prompt: $0) }
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

    private static func stripCarriageReturn(_ line: String) -> String {
        line.hasSuffix("\r") ? String(line.dropLast()) : line
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
