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

    @Test func exitCodesAreDocumentedInHelpAndInTheManual() async throws {
        let help = await runMailboxctl(["--help"]).output
        let manual = try String(contentsOfFile: packageRoot + "/docs/mailboxctl.md", encoding: .utf8)
        for code in AdminExitCode.allCases {
            #expect(help.contains(String(code.rawValue) + "  " + code.meaning), "help lacks \(code.rawValue)")
            #expect(manual.contains("| \(code.rawValue) | \(code.description) |"), "docs/mailboxctl.md lacks \(code.rawValue)")
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
