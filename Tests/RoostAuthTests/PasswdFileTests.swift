import Foundation
import Testing
@testable import RoostAuth

@Suite("PasswdFile as passdb and userdb")
struct PasswdFileTests {
    static let sample = """
        # Roost test users
        bob@example.org:{PLAIN}bobpw:5000:5000::/var/vmail/example.org/bob::userdb_quota_rule=*:storage=1G userdb_mail=maildir:%h/Maildir
        Carol@Example.org:{CRAM-MD5}cd3ba7deaad6e5ca23448ba42e379747a9e0f7f1fbc00c8a81bbaac395731b56:5000:5000
        dave:{PLAIN}davepw:::::: nologin reason=moved

        erin@example.net:{PLAIN}erinpw:5001:5001::::userdb_mail=maildir:/srv/mail/%d/%n quota_message_count=500
        """

    func makeFile(_ text: String = sample, clock: ManualClock = ManualClock(), logs: LogCapture = LogCapture())
        throws -> (PasswdFile, TemporaryDirectory)
    {
        let directory = try TemporaryDirectory()
        try directory.write("passwd", text)
        let configuration = PasswdFileConfiguration(mailLocationTemplate: try MailLocationTemplate("maildir:~/Maildir"))
        let file = try PasswdFile(
            path: directory.file("passwd"), configuration: configuration, clock: clock.authClock, logger: logs.logger()
        )
        return (file, directory)
    }

    @Test func passdbLookups() async throws {
        let (file, fileDirectory) = try makeFile()
        defer { withExtendedLifetime(fileDirectory) {} }
        let bob = try #require(await file.passDBEntry(user: "bob@example.org"))
        #expect(bob.storedPassword == "{PLAIN}bobpw")
        #expect(bob.defaultScheme == .crypt)
        #expect(!bob.isDisabled)
        #expect(await file.passDBEntry(user: "nobody") == nil)
        // A unique case-insensitive match finds the name as spelled in the file.
        #expect(await file.passDBEntry(user: "carol@example.org")?.user == "Carol@Example.org")
        let dave = try #require(await file.passDBEntry(user: "dave"))
        #expect(dave.isDisabled)
        #expect(dave.extraFields["reason"] == "moved")
    }

    @Test func userdbRecords() async throws {
        let (file, fileDirectory) = try makeFile()
        defer { withExtendedLifetime(fileDirectory) {} }
        let bob = try #require(try await file.userRecord(user: "bob@example.org"))
        #expect(bob.uid == 5000 && bob.gid == 5000)
        #expect(bob.home == "/var/vmail/example.org/bob")
        #expect(bob.mailLocation == "maildir:/var/vmail/example.org/bob/Maildir")
        #expect(bob.quota == QuotaOverride(storageBytes: .limit(1 << 30)))
        #expect(bob.extraFields["quota_rule"] == "*:storage=1G")

        let erin = try #require(try await file.userRecord(user: "erin@example.net"))
        #expect(erin.mailLocation == "maildir:/srv/mail/example.net/erin")
        #expect(erin.quota == QuotaOverride(messages: .limit(500)))

        // No userdb_mail: the configured default template applies.
        let carol = try #require(try await file.userRecord(user: "Carol@Example.org"))
        #expect(carol.mailLocation == "maildir:~/Maildir")
        #expect(carol.home == nil)
    }

    @Test func protocolWitnessesAnswerThroughTheProtocols() async throws {
        let (file, fileDirectory) = try makeFile()
        defer { withExtendedLifetime(fileDirectory) {} }
        let passdb: any PassDB = file
        let userdb: any UserDB = file
        #expect(try await passdb.lookup(user: "dave")?.user == "dave")
        #expect(try await userdb.lookup(user: "dave")?.user == "dave")
        #expect(try await passdb.canServePlaintext(user: "dave"))
        #expect(try await !passdb.canServePlaintext(user: "Carol@Example.org"))
        #expect(try await passdb.canServeCRAMMD5(user: "Carol@Example.org"))
    }

    @Test func cramMD5IsServableOnlyWhenEveryPasswordIs() async throws {
        let (plainOnly, plainOnlyDirectory) = try makeFile()
        defer { withExtendedLifetime(plainOnlyDirectory) {} }
        #expect(await plainOnly.canServeCRAMMD5())
        let (mixed, mixedDirectory) = try makeFile(Self.sample + "\nfrank:{SHA512-CRYPT}$6$salt$hash\n")
        defer { withExtendedLifetime(mixedDirectory) {} }
        #expect(await !mixed.canServeCRAMMD5())
        let (noPasswords, noPasswordsDirectory) = try makeFile("nopass\n")
        defer { withExtendedLifetime(noPasswordsDirectory) {} }
        #expect(await !noPasswords.canServeCRAMMD5())
    }

    @Test func reloadsAtMostOncePerIntervalWhenTheFileChanges() async throws {
        let clock = ManualClock()
        let (file, directory) = try makeFile("one:{PLAIN}1\n", clock: clock)
        try directory.write("passwd", "one:{PLAIN}1\ntwo:{PLAIN}2\n")
        // Within the interval the old version is still served.
        clock.advance(by: .milliseconds(500))
        #expect(await file.passDBEntry(user: "two") == nil)
        clock.advance(by: .milliseconds(500))
        #expect(await file.passDBEntry(user: "two")?.storedPassword == "{PLAIN}2")
        #expect(await file.userNames() == ["one", "two"])
    }

    @Test func keepsTheLastGoodVersionWhenAReloadFailsToParse() async throws {
        let clock = ManualClock()
        let logs = LogCapture()
        let (file, directory) = try makeFile("one:{PLAIN}1\n", clock: clock, logs: logs)
        try directory.write("passwd", "one:{PLAIN}1\ntwo:{PLAIN}2:notanumber\n")
        clock.advance(by: .seconds(1))
        #expect(await file.passDBEntry(user: "one") != nil)
        #expect(await file.passDBEntry(user: "two") == nil)
        clock.advance(by: .seconds(1))
        _ = await file.passDBEntry(user: "one")
        let errors = logs.records.filter { $0.level == .error }
        #expect(errors.count == 1, "a broken version is reported once")
        #expect(errors.first?.metadata["error"]?.contains("line 2") == true)

        try directory.write("passwd", "one:{PLAIN}1\ntwo:{PLAIN}2\n")
        clock.advance(by: .seconds(1))
        #expect(await file.passDBEntry(user: "two") != nil)
    }

    @Test func keepsTheLastGoodVersionWhenTheFileDisappears() async throws {
        let clock = ManualClock()
        let logs = LogCapture()
        let (file, directory) = try makeFile("one:{PLAIN}1\n", clock: clock, logs: logs)
        try FileManager.default.removeItem(atPath: directory.file("passwd"))
        clock.advance(by: .seconds(1))
        #expect(await file.passDBEntry(user: "one") != nil)
        #expect(logs.records.contains { $0.level == .error && $0.message.contains("unavailable") })
    }

    @Test func explicitReloadIgnoresTheInterval() async throws {
        let clock = ManualClock()
        let (file, directory) = try makeFile("one:{PLAIN}1\n", clock: clock)
        try directory.write("passwd", "two:{PLAIN}2\n")
        #expect(await file.reloadNow())
        #expect(await file.userNames() == ["two"])
        #expect(await !file.reloadNow())
    }

    @Test(arguments: [
        ("bob:{PLAIN}a\nbob:{PLAIN}b\n", "line 2: user bob exists more than once"),
        ("bob:{NOSUCH}a\n", "line 1: password of bob: unknown password scheme NOSUCH"),
        ("bob:{PLAIN}a:::::: userdb_mail=%x\n", "line 1: userdb_mail '%x' has an invalid % variable"),
        ("bob:{PLAIN}a:::::: userdb_uid=root\n", "line 1: userdb_uid 'root' is not a valid id"),
        ("ok:{PLAIN}a\n:nouser\nbad:x:y\n", "line 2: empty user name; line 3: uid 'y' is not a number"),
    ])
    func initRejectsBadFiles(_ text: String, _ problem: String) throws {
        let directory = try TemporaryDirectory()
        try directory.write("passwd", text)
        do {
            _ = try PasswdFile(path: directory.file("passwd"))
            Issue.record("expected a parse error")
        } catch {
            #expect(error.description == "\(directory.file("passwd")): \(problem)")
        }
    }

    @Test func initRejectsAMissingFile() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: PasswdFileError.self) { try PasswdFile(path: directory.file("absent")) }
    }

    @Test func unsafeNamesCannotReachTheMailPath() async throws {
        let (file, fileDirectory) = try makeFile("../evil@example.org:{PLAIN}x:::::: userdb_mail=maildir:/srv/%n\n")
        defer { withExtendedLifetime(fileDirectory) {} }
        await #expect(throws: MailLocationTemplate.TemplateError.unsafeValue(variable: "%n", value: "../evil")) {
            try await file.userRecord(user: "../evil@example.org")
        }
    }
}

