import Foundation
import Testing
@testable import RoostAdmin

/// Every command path, for the help checks here and in `BinaryTests`.
let allCommandPaths: [[String]] = [
    [], ["user"], ["user", "add"], ["user", "del"], ["user", "passwd"], ["user", "list"], ["user", "show"], ["pw"],
    ["mailbox"], ["mailbox", "list"], ["mailbox", "status"], ["mailbox", "create"], ["mailbox", "delete"],
    ["quota"], ["quota", "show"], ["quota", "recalc"], ["index"], ["index", "rebuild"], ["config"],
    ["config", "check"], ["demo"],
]

@Suite("Mailboxctl")
struct MailboxctlTests {
    @Test(arguments: allCommandPaths)
    func helpWorksForEveryCommand(path: [String]) async {
        let result = await runMailboxctl(path + ["--help"])
        #expect(result.code == 0)
        #expect(result.output.contains("USAGE: mailboxctl" + path.map { " " + $0 }.joined()), "\(result)")
        #expect(result.errors.isEmpty)
    }

    @Test func globalOptionBeforeOrAfterTheSubcommand() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob", "--no-create-maildir")
        let before = await runMailboxctl(["--config", environment.configurationPath, "user", "list"])
        let after = await runMailboxctl(["user", "list", "--config", environment.configurationPath])
        #expect(before.output == "bob\n")
        #expect(after.output == "bob\n")
    }

    @Test func missingDefaultConfigurationIsEXCONFIG() async throws {
        try #require(!FileManager.default.fileExists(atPath: Mailboxctl.defaultConfigurationPath))
        let result = await runMailboxctl(["user", "list"])
        #expect(result.code == AdminExitCode.configuration.rawValue)
        #expect(result.errors == "mailboxctl: error: /etc/roost/roostd.conf: cannot read file: no such file\n")
    }

    @Test(arguments: [["bogus"], ["user", "add"], ["user", "add", "a", "b"], ["user", "add", "bob", "--uid", "0"],
                      ["mailbox", "status"], ["pw", "--scheme"], ["user", "add", "bob", "--uid", "x"]])
    func commandLineErrorsAreEXUSAGE(arguments: [String]) async {
        let result = await runMailboxctl(arguments)
        #expect(result.code == AdminExitCode.usage.rawValue, "\(result)")
        #expect(result.errors.hasPrefix("mailboxctl: error: "), "\(result)")
        #expect(result.output.isEmpty)
    }

    /// The help and the manual give every status in the same words (the help starts lowercase and
    /// has no backticks or final period), so neither can list less than the other.
    @Test func exitCodesAreDocumentedInHelpAndInTheManual() async throws {
        func words(_ text: some StringProtocol) -> String {
            text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let help = words(await runMailboxctl(["--help"]).output)
        let manual = try String(contentsOfFile: packageRoot + "/docs/mailboxctl.md", encoding: .utf8)
        for code in AdminExitCode.allCases {
            #expect(help.contains(" \(code.rawValue) \(code.meaning)"), "help lacks \(code.rawValue)")
            let prefix = "| \(code.rawValue) | \(code.description) | "
            let row = try #require(manual.split(separator: "\n").first { $0.hasPrefix(prefix) },
                                   "docs/mailboxctl.md lacks \(code.rawValue)")
            var meaning = row.dropFirst(prefix.count).dropLast(" |".count).replacingOccurrences(of: "`", with: "")
            if meaning.hasSuffix(".") { meaning.removeLast() }
            #expect(meaning.prefix(1).lowercased() + meaning.dropFirst() == code.meaning, "status \(code.rawValue)")
        }
    }

    /// Continuation lines of a long entry are indented under its text, never at the left margin.
    @Test func helpExitStatusLinesAreWrappedUnderTheirText() async {
        let help = await runMailboxctl(["--help"]).output
        let section = help.components(separatedBy: "EXIT STATUS (sysexits)\n")[1].components(separatedBy: "\n\n")[0]
        for line in section.split(separator: "\n") {
            #expect(line.count <= 80, "\(line)")
            #expect(line.hasPrefix(" "), "\(line)")
        }
    }
}

/// The package's root directory, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()
