import Foundation
import RoostAuth
import Testing
@testable import RoostAdmin

@Suite("mailboxctl user")
struct UserCommandTests {
    @Test func addWritesAHashedLineAndCreatesTheMaildir() async throws {
        let environment = try AdminTestEnvironment()
        let result = try await environment.addUser("bob@example.org", password: "s3cret")
        #expect(result.lines == [
            "added user bob@example.org to \(environment.passwdPath) (password scheme SSHA512)",
            "created Maildir \(environment.maildir("bob@example.org"))",
        ])
        let line = try environment.read("passwd")
        #expect(line.hasPrefix("bob@example.org:{SSHA512}"))
        #expect(!line.contains("s3cret"))
        let stored = storedPassword(in: line)
        #expect(try PasswordVerifier.verify(password: "s3cret", storedPassword: stored))
        for sub in ["cur", "new", "tmp"] {
            #expect(FileManager.default.fileExists(atPath: environment.maildir("bob@example.org") + "/" + sub))
        }
    }

    @Test func addPromptsTwiceOnTheTerminal() async throws {
        let environment = try AdminTestEnvironment()
        let result = await environment.run("user", "add", "carol", secrets: ["pw1", "pw1"])
        #expect(result.code == 0, "\(result)")
        #expect(result.prompts == ["New password: ", "Retype new password: "])
        #expect(!result.output.contains("pw1"))
    }

    @Test func addRefusesMismatchedPromptsAndChangesNothing() async throws {
        let environment = try AdminTestEnvironment()
        let result = await environment.run("user", "add", "carol", secrets: ["pw1", "pw2"])
        #expect(result.code == AdminExitCode.dataError.rawValue)
        #expect(result.errors == "mailboxctl: error: the two passwords do not match; nothing was changed\n")
        #expect(!FileManager.default.fileExists(atPath: environment.passwdPath))
    }

    @Test func addWithoutTerminalOrStdinIsAUsageError() async throws {
        let environment = try AdminTestEnvironment()
        let result = await environment.run("user", "add", "carol")
        #expect(result.code == AdminExitCode.usage.rawValue)
        #expect(result.errors.contains("--password-stdin"))
    }

    @Test func addRefusesAnEmptyPassword() async throws {
        let environment = try AdminTestEnvironment()
        let result = await environment.run("user", "add", "carol", "--password-stdin", stdin: [""])
        #expect(result.code == AdminExitCode.dataError.rawValue)
        #expect(result.errors == "mailboxctl: error: empty password\n")
    }

    @Test func duplicateUserIsRefusedBeforeAnyPrompt() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        let before = try environment.read("passwd")
        let result = await environment.run("user", "add", "bob", secrets: ["x", "x"])
        #expect(result.code == AdminExitCode.cannotCreate.rawValue)
        #expect(result.errors == "mailboxctl: error: user bob already exists\n")
        #expect(result.prompts.isEmpty)
        #expect(try environment.read("passwd") == before)
    }

    @Test(arguments: [
        ("Bob", "user names are lowercase"),
        ("bob smith", "contains U+20"),
        ("bob:x", "contains ':'"),
        ("bob/x", "contains '/'"),
        ("bob\u{7}", "contains U+7"),
        (".hidden", "starts with '.'"),
        ("a@b@c", "more than one '@'"),
        ("@example.org", "empty local part"),
        ("bob@", "empty domain"),
        ("bob@example..org", "malformed domain"),
        ("", "empty"),
        (String(repeating: "a", count: 256), "longer than 255 bytes"),
    ])
    func badUserNamesAreRefused(name: String, reason: String) async throws {
        let environment = try AdminTestEnvironment()
        let result = await environment.run("user", "add", name, "--password-stdin", stdin: ["pw"])
        #expect(result.code == AdminExitCode.dataError.rawValue, "\(result)")
        #expect(result.errors.hasPrefix("mailboxctl: error: invalid user name"), "\(result)")
        #expect(result.errors.contains(reason), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: environment.passwdPath))
    }

    @Test func addWritesUserFieldsAndQuota() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("dave@example.org", "--uid", "5000", "--gid", "5001", "--home", "/home/dave",
                                      "--quota-storage", "512M", "--quota-messages", "1000", "--no-create-maildir")
        let line = try environment.read("passwd").split(separator: ":", maxSplits: 2)[2]
        #expect(line == "5000:5001::/home/dave::userdb_quota_rule=*:storage=512M:messages=1000\n")
        #expect(!FileManager.default.fileExists(atPath: environment.maildir("dave@example.org")))

        let shown = await environment.run("user", "show", "dave@example.org")
        #expect(shown.code == 0, "\(shown)")
        #expect(shown.lines.contains("uid             5000"))
        #expect(shown.lines.contains("gid             5001"))
        #expect(shown.lines.contains("home            /home/dave"))
        #expect(shown.lines.contains("quota storage   536870912 bytes (this user)"))
        #expect(shown.lines.contains("quota messages  1000 (this user)"))
    }

    @Test func addWithOwnMailLocation() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("erin", "--home", environment.path("homes/erin"), "--mail", "maildir:~/Maildir")
        #expect(FileManager.default.fileExists(atPath: environment.path("homes/erin/Maildir/cur")))
        let shown = await environment.run("user", "show", "erin")
        #expect(shown.lines.contains("mail            \(environment.path("homes/erin/Maildir")) (userdb_mail)"))

        let bad = await environment.run("user", "add", "frank", "--mail", "mbox:~/mail", "--home", "/home/frank",
                                        "--password-stdin", stdin: ["pw"])
        #expect(bad.code == AdminExitCode.dataError.rawValue, "\(bad)")
        #expect(bad.errors.contains("mail format mbox is not supported"))
    }

    /// What the passwd-file cannot hold, and a mail location the name does not fit, are refused
    /// before the password is asked, with nothing written.
    @Test(arguments: [
        (["bob", "--mail", "maildir:/var/mail/a b"], "--mail contains a space"),
        (["bob", "--mail", "maildir:/var/mail/a\tb"], "--mail contains a control character"),
        (["bob", "--home", "/home/a:b"], "--home contains ':'"),
        (["bob", "--home", "/home/a\nb"], "--home contains a control character"),
        (["bob", "--home", "/home/%x"], "--home: unknown variable %x"),
        (["bob", "--mail", "maildir:/m/%x"], "--mail: unknown variable %x"),
        (["example.org", "--no-create-maildir"], "uses %d, but user example.org has no domain"),
    ])
    func badOptionsAreRefusedBeforeThePrompt(arguments: [String], message: String) async throws {
        let environment = try AdminTestEnvironment(mail: ["location = $DIR/vmail/%d/%n"])
        let result = await environment.run(["user", "add"] + arguments, secrets: ["pw", "pw"])
        #expect(result.code == AdminExitCode.dataError.rawValue, "\(result)")
        #expect(result.errors.contains(message), "\(result)")
        #expect(result.prompts.isEmpty, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: environment.passwdPath))
    }

    @Test func maildirFailureIsReportedButTheUserStays() async throws {
        let environment = try AdminTestEnvironment()
        try environment.write("mail", "a file where the Maildirs' parent directory should be")
        let result = await environment.run("user", "add", "bob", "--password-stdin", stdin: ["pw"])
        #expect(result.code != 0)
        #expect(result.errors.hasPrefix("mailboxctl: error: user bob was added, but its Maildir could not be set up: "), "\(result)")
        #expect(await environment.run("user", "list").output == "bob\n")
    }

    @Test func showNeverPrintsTheHash() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        let hash = storedPassword(in: try environment.read("passwd"))
        let result = await environment.run("user", "show", "bob")
        #expect(result.code == 0)
        #expect(!result.output.contains(hash))
        #expect(!result.output.contains(String(hash.dropFirst("{SSHA512}".count).prefix(12))))
        #expect(result.lines.contains("password        set, scheme SSHA512"))
        #expect(result.lines.contains("mail            \(environment.maildir("bob"))"))
        #expect(result.lines.contains("index           \(environment.path("index/bob"))"))
        #expect(result.lines.contains("quota storage   unlimited (mail.quota_storage)"))
    }

    /// Dovecot's `pass` (a proxy's password at the destination) and other password-like fields
    /// are passdb fields like any other in the file; only that they are set may show.
    @Test func showHidesPasswordLikeFields() async throws {
        let environment = try AdminTestEnvironment()
        try environment.appendPasswd(
            "bob:{PLAIN}pw::::::proxy host=10.0.0.2 pass=proxy-s3cret password=col-s3cret nopassword=y "
                + "master_password=m-s3cret api_secret=a-s3cret nologin userdb_relay_pass=u-s3cret userdb_note=visible"
        )
        let result = await environment.run("user", "show", "bob")
        #expect(result.code == 0, "\(result)")
        #expect(!result.output.contains("s3cret"), "\(result)")
        let passdb = try #require(result.lines.first { $0.hasPrefix("passdb fields") })
        #expect(passdb.hasSuffix("api_secret=<hidden> host=10.0.0.2 master_password=<hidden> nologin nopassword=<hidden> "
            + "pass=<hidden> password=<hidden> proxy"), "\(passdb)")
        let userdb = try #require(result.lines.first { $0.hasPrefix("userdb fields") })
        #expect(userdb.hasSuffix("note=visible relay_pass=<hidden>"), "\(userdb)")
    }

    @Test(arguments: [
        ("pass", "x", true, "pass=<hidden>"), ("PASSWORD", "x", true, "PASSWORD=<hidden>"),
        ("password_noscheme", "x", true, "password_noscheme=<hidden>"), ("nopassword", "", true, "nopassword"),
        ("host", "10.0.0.1", true, "host=10.0.0.1"), ("nologin", "", true, "nologin"), ("reason", "", false, "reason="),
    ])
    func fieldTexts(key: String, value: String, bareFlag: Bool, text: String) {
        #expect(UserShowCommand.fieldText(key: key, value: value, bareFlag: bareFlag) == text)
    }

    @Test func showCallsAMalformedHashUnusable() async throws {
        let environment = try AdminTestEnvironment()
        try environment.appendPasswd("bob:{SHA512-CRYPT}$6$salt$cut-short")
        let result = await environment.run("user", "show", "bob")
        #expect(result.lines.contains("password        unusable: the value is not a complete $6$ crypt(3) hash (cut short or malformed)"),
                "\(result)")
        #expect(!result.output.contains("cut-short"))
    }

    @Test(arguments: [["user", "show"], ["user", "del"], ["user", "passwd", "--password-stdin"],
                      ["mailbox", "list"], ["mailbox", "status"], ["quota", "show"], ["index", "rebuild"]])
    func unknownUserIsEXNOUSER(command: [String]) async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        let result = await runMailboxctl(["--config", environment.configurationPath] + command + ["nobody"], stdin: ["pw"])
        #expect(result.code == AdminExitCode.noUser.rawValue, "\(result)")
        #expect(result.errors.hasPrefix("mailboxctl: error: user nobody does not exist"), "\(result)")
    }

    @Test func unknownUserWithoutAPasswdFileSaysSo() async throws {
        let environment = try AdminTestEnvironment()
        let result = await environment.run("user", "show", "bob")
        #expect(result.code == AdminExitCode.noUser.rawValue)
        #expect(result.errors.contains("there is no passwd-file at \(environment.passwdPath) yet"))
    }

    @Test func deleteKeepsMailByDefault() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        try await environment.addUser("carol")
        let result = await environment.run("user", "del", "bob")
        #expect(result.code == 0, "\(result)")
        #expect(result.lines == [
            "deleted user bob from \(environment.passwdPath)",
            "mail kept in \(environment.maildir("bob")); delete the directory by hand if it is no longer needed",
        ])
        #expect(try !environment.read("passwd").contains("bob"))
        #expect(try environment.read("passwd").contains("carol"))
        #expect(FileManager.default.fileExists(atPath: environment.maildir("bob") + "/cur"))

        // Adding the user again finds the old Maildir and keeps it.
        let again = try await environment.addUser("bob")
        #expect(again.lines.last == "Maildir \(environment.maildir("bob")) already exists and was kept")
    }

    @Test func deleteWithRemoveMail() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        _ = await environment.run("mailbox", "status", "bob")
        #expect(FileManager.default.fileExists(atPath: environment.path("index/bob")))
        let result = await environment.run("user", "del", "bob", "--remove-mail")
        #expect(result.code == 0, "\(result)")
        #expect(result.lines.last == "deleted mail in \(environment.maildir("bob"))")
        #expect(!FileManager.default.fileExists(atPath: environment.maildir("bob")))
        #expect(!FileManager.default.fileExists(atPath: environment.path("index/bob")))
    }

    @Test func deleteCanRemoveADamagedLine() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        try environment.write("passwd", try environment.read("passwd") + "broken:x:notanumber\n")
        let result = await environment.run("user", "del", "broken")
        #expect(result.code == 0, "\(result)")
        #expect(try !environment.read("passwd").contains("broken"))
    }

    @Test func passwdReplacesThePassword() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob", password: "old")
        let result = await environment.run("user", "passwd", "bob", "--scheme", "sha512-crypt", secrets: ["new", "new"])
        #expect(result.code == 0, "\(result)")
        #expect(result.output == "password of bob changed (scheme SHA512-CRYPT)\n")
        let stored = storedPassword(in: try environment.read("passwd"))
        #expect(stored.hasPrefix("{SHA512-CRYPT}$6$"))
        #expect(try PasswordVerifier.verify(password: "new", storedPassword: stored))
        #expect(try !PasswordVerifier.verify(password: "old", storedPassword: stored))
    }

    @Test func listIsSortedAndWarnsAboutDamagedLines() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("zoe", "--no-create-maildir")
        try await environment.addUser("adam", "--no-create-maildir")
        try environment.write("passwd", try environment.read("passwd") + "# comment\nbroken:x:notanumber\n")
        let result = await environment.run("user", "list")
        #expect(result.code == 0)
        #expect(result.lines == ["adam", "zoe"])
        #expect(result.errors.contains("mailboxctl: warning: \(environment.passwdPath):4: uid 'notanumber' is not a number"))
    }

    @Test func showReportsADamagedFileAsTheServerWould() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        try environment.write("passwd", try environment.read("passwd") + "broken:x:notanumber\n")
        let result = await environment.run("user", "show", "bob")
        #expect(result.code == AdminExitCode.dataError.rawValue)
        #expect(result.errors.contains("line 2: uid 'notanumber' is not a number"))
    }
}
