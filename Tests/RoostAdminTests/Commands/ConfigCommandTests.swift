import Foundation
import Testing
@testable import RoostAdmin

@Suite("mailboxctl config")
struct ConfigCommandTests {
    @Test func goodFileIsOK() async throws {
        let environment = try AdminTestEnvironment()
        let result = await runMailboxctl(["config", "check", environment.configurationPath])
        #expect(result.code == 0, "\(result)")
        #expect(result.output == "ok\n")
        // --config names the file too.
        let viaOption = await environment.run("config", "check")
        #expect(viaOption.output == "ok\n")
    }

    @Test(arguments: [
        ("[mail]\nfsync = yes\nmax_message_size = lots\n", 3, "mail.max_message_size: expected a size such as 50M"),
        ("[mail]\nfsynk = no\n", 2, "mail.fsynk: unknown key; did you mean mail.fsync?"),
        ("[pop]\n", 1, "unknown section [pop]"),
        ("[auth]\nhash_threads = 2\nhash_threads = 3\n", 3, "duplicate key; already set on line 2"),
    ])
    func badFileIsReportedWithItsLine(text: String, line: Int, message: String) async throws {
        let environment = try AdminTestEnvironment()
        try environment.write("bad.conf", text)
        let path = environment.path("bad.conf")
        let result = await runMailboxctl(["config", "check", path])
        #expect(result.code == AdminExitCode.configuration.rawValue)
        #expect(result.errors.hasPrefix("mailboxctl: error: \(path):\(line): "), "\(result)")
        #expect(result.errors.contains(message), "\(result)")
        #expect(result.output.isEmpty)
    }

    @Test func missingFileIsAConfigurationError() async throws {
        let result = await runMailboxctl(["config", "check", "/nonexistent/roostd.conf"])
        #expect(result.code == AdminExitCode.configuration.rawValue)
        #expect(result.errors == "mailboxctl: error: /nonexistent/roostd.conf: cannot read file: no such file\n")
    }

    /// Syntax errors come from the parser (with the line), the per-user rules from `UserMailStore.validate`.
    @Test(arguments: [
        ("location = /var/vmail/%x", ["mail.location", "unknown variable %x"]),
        ("location = /var/vmail/%", ["mail.location", "a % at the end"]),
        ("index_dir = /var/cache/roost", ["mail.index_dir: \"/var/cache/roost\" gives several users the same directory"]),
        ("location = /var/vmail/%n", ["mail.location: \"/var/vmail/%n\" gives several users the same directory"]),
        ("location = /var/vmail/shared", ["mail.location: \"/var/vmail/shared\" gives several users the same directory"]),
        ("location = maildir:/var/vmail/%u:INDEX=/var/index/%d",
         ["mail.location: \"maildir:/var/vmail/%u:INDEX=/var/index/%d\" gives several users the same INDEX= directory"]),
    ])
    func badTemplatesAreCaught(setting: String, fragments: [String]) async throws {
        let environment = try AdminTestEnvironment(mail: [setting])
        let result = await environment.run("config", "check")
        #expect(result.code == AdminExitCode.configuration.rawValue, "\(result)")
        #expect(result.errors.hasPrefix("mailboxctl: error: \(environment.configurationPath):"), "\(result)")
        for fragment in fragments {
            #expect(result.errors.contains(fragment), "\(result)")
        }
    }

    /// A shared mail.location is refused by every command that needs a user's mail, before any prompt.
    @Test func sharedMailLocationIsRefusedBeforeAnythingIsWritten() async throws {
        let environment = try AdminTestEnvironment(mail: ["location = \(FileManager.default.temporaryDirectory.path)/%n"])
        let result = await environment.run("user", "add", "a@one.example", secrets: ["pw", "pw"])
        #expect(result.code == AdminExitCode.configuration.rawValue, "\(result)")
        #expect(result.errors.contains("gives several users the same directory"), "\(result)")
        #expect(result.prompts.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: environment.passwdPath))
    }

    @Test func showPrintsOnlyChangedSettings() async throws {
        let environment = try AdminTestEnvironment()
        let result = await environment.run("config", "check", "--show")
        #expect(result.code == 0)
        #expect(result.output.contains("fsync = no\n"))
        #expect(result.output.contains("password_scheme = SSHA512\n"))
        #expect(!result.output.contains("max_message_size"))
        #expect(!result.output.contains("ok\n"))

        try environment.write("empty.conf", "")
        let empty = await runMailboxctl(["config", "check", environment.path("empty.conf"), "--show"])
        #expect(empty.output == "# every setting is at its built-in default\n")
    }

    @Test func commandsNeedingTheConfigurationReportItsErrors() async throws {
        let environment = try AdminTestEnvironment()
        try environment.write("bad.conf", "[mail]\nfsync = maybe\n")
        let result = await runMailboxctl(["--config", environment.path("bad.conf"), "user", "list"])
        #expect(result.code == AdminExitCode.configuration.rawValue)
        #expect(result.errors.hasPrefix("mailboxctl: error: \(environment.path("bad.conf")):2: mail.fsync: "))
    }
}
