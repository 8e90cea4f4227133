import Foundation
import Testing
@testable import RoostAdmin
#if canImport(Glibc)
import Glibc
#endif

@Suite("PasswordInput and TerminalSecret")
struct PasswordInputTests {
    /// What `TerminalSecret` reads from the terminal, fed through a pipe instead.
    func readLine(_ bytes: [UInt8]) throws(AdminError) -> String {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        let (reader, writer) = (fds[0], fds[1])
        defer { close(reader) }
        DispatchQueue.global().async {
            var rest = bytes[...]
            while !rest.isEmpty {
                let written = rest.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                rest = rest.dropFirst(written)
            }
            close(writer)
        }
        return try TerminalSecret.readLine(from: reader)
    }

    @Test func aLineIsReadWithoutItsEnd() throws {
        #expect(try readLine(Array("h\u{e9}llo\r\nnext\n".utf8)) == "h\u{e9}llo")
        #expect(try readLine(Array("last".utf8)) == "last")
        let longest = String(repeating: "a", count: PasswordInput.maxLength)
        #expect(try readLine(Array((longest + "\r\n").utf8)) == longest)
    }

    /// Cutting or repairing would store a password other than the one typed.
    @Test func tooLongOrNotUTF8IsRefused() throws {
        #expect(throws: AdminError.dataError("the password typed is longer than 4096 bytes")) {
            try readLine(Array(String(repeating: "a", count: 5000).utf8) + [0x0A])
        }
        #expect(throws: AdminError.dataError("the password typed is longer than 4096 bytes")) {
            try readLine(Array(String(repeating: "a", count: PasswordInput.maxLength + 1).utf8) + [0x0A])
        }
        #expect(throws: AdminError.dataError(
            "the password typed is not valid UTF-8; check the terminal's or the file's character set"
        )) {
            try readLine([0x70, 0xC3, 0x28, 0x0A])
        }
    }

    @Test func consoleErrorsReachTheCommand() async throws {
        let environment = try AdminTestEnvironment()
        let console = AdminConsole(
            writeOutput: { _ in }, writeError: { _ in }, readLine: { nil },
            readSecret: { _ throws(AdminError) in throw .dataError("the password typed is not valid UTF-8") }
        )
        let code = await Mailboxctl.main(arguments: ["--config", environment.configurationPath, "pw"], console: console)
        #expect(code == AdminExitCode.dataError.rawValue)
    }
}
