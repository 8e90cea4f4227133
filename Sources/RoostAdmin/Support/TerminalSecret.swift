#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password from the controlling terminal with echo off, like getpass(3).
///
/// Uses /dev/tty rather than standard input so that `mailboxctl ... < file` still prompts on the
/// terminal, and so nothing read here can come from a pipe by accident (`--password-stdin` is the
/// explicit way to do that). The terminal's settings are restored before returning, also when the
/// read fails. Ctrl-C during the prompt ends the process with echo still off, as with getpass(3);
/// `stty sane` repairs the terminal.
///
/// A line longer than `PasswordInput.maxLength` bytes or not valid UTF-8 is refused rather than
/// cut or repaired: either would store a password other than the one typed, and the user could
/// then not log in with what they typed.
enum TerminalSecret {
    /// The line typed after `prompt`, without its line end; nil when there is no terminal.
    ///
    /// - Throws: `AdminError` (`dataError`) for a line that is too long or not UTF-8.
    static func read(prompt: String) throws(AdminError) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        let isTerminal = tcgetattr(fd, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO | ECHONL)
            _ = tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        }
        write(fd: fd, prompt)
        defer { write(fd: fd, "\n") }
        return try readLine(from: fd)
    }

    /// One line from `fd` without `\n` or `\r\n`, checked by `PasswordInput.decode`. The rest
    /// of a line that is too long is read and dropped, so it does not end up in the shell.
    static func readLine(from fd: Int32) throws(AdminError) -> String {
        var line: [UInt8] = []
        defer { for index in line.indices { line[index] = 0 } }
        var tooLong = false
        var byte: UInt8 = 0
        while true {
            let count = systemRead(fd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 || byte == UInt8(ascii: "\n") { break }
            if line.count <= PasswordInput.maxLength { line.append(byte) } else { tooLong = true }
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return try PasswordInput.decode(line, tooLong: tooLong, source: "typed")
    }

    private static func write(fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
    }
}

/// read(2) and write(2) under names the enum's own `read`/`write` do not shadow.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
