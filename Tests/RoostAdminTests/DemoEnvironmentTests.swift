import Foundation
import RoostAuth
import RoostConfig
import RoostStorage
import Testing
@testable import RoostAdmin

@Suite("DemoEnvironment and mailboxctl demo")
struct DemoEnvironmentTests {
    @Test func runTwiceIsIdempotent() async throws {
        let environment = try AdminTestEnvironment()
        let directory = environment.path("dev data")
        let first = await runMailboxctl(["demo", "--directory", directory])
        #expect(first.code == 0, "\(first)")
        let passwordLine = try #require(first.lines.first { $0.hasPrefix("password: ") })
        let password = String(passwordLine.dropFirst("password: ".count))
        #expect(password.count == 16)
        #expect(password.allSatisfy { DemoPassword.alphabet.contains($0) })
        #expect(first.output.contains("delivered a welcome message to INBOX (UID 1)"))

        let configuration = try RoostConfiguration.load(path: directory + "/roostd.conf")
        #expect(configuration.auth.passwdFile == directory + "/passwd")
        #expect(configuration.mail.location == directory + "/mail/%u")
        #expect(configuration.mail.indexDirectory == directory + "/index/%u")
        let passwd = try String(contentsOfFile: directory + "/passwd", encoding: .utf8)
        let stored = storedPassword(in: passwd)
        #expect(stored.hasPrefix("{CRYPT}$y$"))
        #expect(try PasswordVerifier.verify(password: password, storedPassword: stored))

        let second = await runMailboxctl(["demo", "--directory", directory])
        #expect(second.code == 0, "\(second)")
        #expect(!second.output.contains("password: "))
        #expect(second.output.contains("user demo already exists; its password is unchanged. To set a new one:"))
        #expect(second.output.contains("  mailboxctl --config \(directory)/roostd.conf user passwd demo"))
        #expect(second.output.contains("the welcome message is already in INBOX"))
        #expect(try String(contentsOfFile: directory + "/passwd", encoding: .utf8) == passwd)

        let status = await runMailboxctl(["--config", directory + "/roostd.conf", "mailbox", "status", "demo"])
        let inbox = status.lines[1].split(separator: " ").map(String.init)
        #expect(inbox.prefix(4) == ["INBOX", "1", "1", "1"], "\(status)")
        // The demo's configuration works for every other command.
        let login = await runMailboxctl(["--config", directory + "/roostd.conf", "pw", "--test", stored, "--password-stdin"],
                                        stdin: [password])
        #expect(login.code == 0)
    }

    @Test func welcomeMessageIsAProperRFC5322Message() async throws {
        let environment = try AdminTestEnvironment()
        let demo = DemoEnvironment(directory: environment.path("demo"))
        let outcome = try await demo.setUp(now: 1_700_000_000)
        let uid = try #require(outcome.welcomeUID)
        let store = MailStore(root: outcome.maildir, options: StorageOptions(indexDirectory: outcome.indexDirectory))
        let inbox = try store.folder(.inbox)
        try inbox.sync(moveNewToCur: false)
        let text = String(decoding: try inbox.readMessage(uid), as: UTF8.self)
        let header = text.components(separatedBy: "\n\n")[0].split(separator: "\n").map(String.init)
        #expect(header == [
            "Date: Tue, 14 Nov 2023 22:13:20 +0000",
            "From: Roost <roost@localhost>",
            "To: demo <demo@localhost>",
            "Subject: Welcome to Roost",
            "Message-ID: <welcome.demo@roost.invalid>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ])
        #expect(text.contains("Happy hacking — Roost"))
        #expect(inbox.snapshot.messages.first?.internalDate == 1_700_000_000)
        #expect(inbox.snapshot.messages.first?.inNew == true)

        // A second setup finds it even after the message has been read and moved to cur/.
        try inbox.sync(moveNewToCur: true)
        let again = try await demo.setUp()
        #expect(again.welcomeUID == nil)
        #expect(again.password == nil)
        #expect(again.statuses.map(\.messages) == [1])
    }

    @Test func keepsAnEditedConfiguration() async throws {
        let environment = try AdminTestEnvironment()
        let directory = environment.path("demo")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let defaults = DemoEnvironment(directory: directory).configuration()
        try Data("""
            [mail]
            location = \(directory)/elsewhere/%u
            owner_user = \(defaults.mail.ownerUser)
            owner_group = \(defaults.mail.ownerGroup)
            fsync = no
            [auth]
            passwd_file = \(directory)/users
            password_scheme = PLAIN

            """.utf8).write(to: URL(fileURLWithPath: directory + "/roostd.conf"))
        let outcome = try await DemoEnvironment(directory: directory).setUp()
        #expect(!outcome.configurationCreated)
        #expect(outcome.maildir == directory + "/elsewhere/demo")
        #expect(outcome.indexDirectory == nil)
        let users = try String(contentsOfFile: directory + "/users", encoding: .utf8)
        #expect(users == "demo:{PLAIN}\(try #require(outcome.password))\n")
    }

    @Test func percentInTheDirectoryNameIsNotATemplateVariable() async throws {
        let environment = try AdminTestEnvironment()
        let demo = DemoEnvironment(directory: environment.path("100%d"))
        let outcome = try await demo.setUp()
        #expect(outcome.maildir == environment.path("100%d/mail/demo"))
    }

    @Test func relativeDirectoriesBecomeAbsolute() {
        let demo = DemoEnvironment(directory: "./dev-data/../dev-data")
        #expect(demo.directory == FileManager.default.currentDirectoryPath + "/dev-data")
        #expect(demo.configurationPath == demo.directory + "/roostd.conf")
    }

    @Test func passwordsUseTheUnambiguousAlphabet() {
        #expect(DemoPassword.alphabet.count == 56)
        for ambiguous in "0O1lI" { #expect(!DemoPassword.alphabet.contains(ambiguous)) }
        var generator = SystemRandomNumberGenerator()
        let passwords = (0..<50).map { _ in DemoPassword.generate(using: &generator) }
        #expect(Set(passwords).count == 50)
        #expect(passwords.allSatisfy { $0.count == 16 })
    }

    @Test(arguments: [
        (Int64(0), "Thu, 1 Jan 1970 00:00:00 +0000"),
        (Int64(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 +0000"),
        (Int64(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000"),
    ])
    func rfc5322Dates(seconds: Int64, text: String) {
        #expect(WelcomeMessage.rfc5322Date(seconds) == text)
    }

    @Test func messageIDOfAnAddress() {
        #expect(WelcomeMessage.messageID(for: "bob@example.org") == "<welcome.bob=example.org@roost.invalid>")
    }
}
