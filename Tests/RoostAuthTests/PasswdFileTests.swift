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

    @Test func apopIsServableOnlyWhenEveryPasswordIsPlaintext() async throws {
        let (plainOnly, plainOnlyDirectory) = try makeFile("a:{PLAIN}apw\nb:{CLEAR}bpw\nc:{PLAIN.B64}Y3B3\nnopass\n")
        defer { withExtendedLifetime(plainOnlyDirectory) {} }
        #expect(await plainOnly.canServeAPOP())
        // The sample mixes plaintext with a CRAM-MD5 context, which serves CRAM-MD5 but not APOP.
        let (mixed, mixedDirectory) = try makeFile()
        defer { withExtendedLifetime(mixedDirectory) {} }
        #expect(await mixed.canServeCRAMMD5())
        #expect(await !mixed.canServeAPOP())
        let (hashed, hashedDirectory) = try makeFile("a:{PLAIN}apw\nfrank:{SHA512-CRYPT}$6$salt$hash\n")
        defer { withExtendedLifetime(hashedDirectory) {} }
        #expect(await !hashed.canServeAPOP())
        let (emptyPlain, emptyPlainDirectory) = try makeFile("a:{PLAIN}apw\nb:{PLAIN}\n")
        defer { withExtendedLifetime(emptyPlainDirectory) {} }
        #expect(await !emptyPlain.canServeAPOP())
        let (noPasswords, noPasswordsDirectory) = try makeFile("nopass\n")
        defer { withExtendedLifetime(noPasswordsDirectory) {} }
        #expect(await !noPasswords.canServeAPOP())
        let passdb: any PassDB = plainOnly
        #expect(await passdb.canServeAPOP())
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
        ("bob:{PLAIN}a:::::: userdb_uid=root\n", "line 1: userdb_uid 'root' is not a number"),
        ("ok:{PLAIN}a\n:nouser\nbad:x:y\n", "line 2: empty user name; line 3: uid 'y' is not a number"),
        // Root in disguise: only ASCII digits are read, and 0 is refused as a number.
        ("bob:{PLAIN}a:00\n", "line 1: uid 0 is not allowed"),
        ("bob:{PLAIN}a:1000:000\n", "line 1: gid 0 is not allowed"),
        ("bob:{PLAIN}a:+0\n", "line 1: uid '+0' is not a number"),
        ("bob:{PLAIN}a:+1000\n", "line 1: uid '+1000' is not a number"),
        ("bob:{PLAIN}a:::::: userdb_uid=00\n", "line 1: userdb_uid 0 is not allowed"),
        ("bob:{PLAIN}a:::::: userdb_uid=+0\n", "line 1: userdb_uid '+0' is not a number"),
        ("bob:{PLAIN}a:::::: userdb_gid=000\n", "line 1: userdb_gid 0 is not allowed"),
        ("bob:{PLAIN}a:::::: userdb_uid=\u{FF10}\n", "line 1: userdb_uid '\u{FF10}' is not a number"),
        ("bob:{PLAIN}a:::::: userdb_uid=\n", "line 1: userdb_uid is empty"),
        // Values verification would choke on are refused when the file is read.
        ("bob:{SHA256}c2hvcnQ=\n", "line 1: password of bob: SHA256 data is 5 bytes long, expected 32"),
        ("bob:{SSHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n", "line 1: password of bob: SSHA data is 20 bytes long, expected 28"),
        ("bob:{PLAIN}a:::::: allow_nets=192.0.2.0/24,nonsense\n",
         "line 1: allow_nets: 'nonsense' is not an IP address, a network (address/bits) or local"),
        ("bob:{PLAIN}a:::::: allow_real_nets=::1/129\n",
         "line 1: allow_real_nets: '::1/129' is not an IP address, a network (address/bits) or local"),
        ("bob:{PLAIN}a:::::: allow_nets=\n", "line 1: allow_nets: no networks listed"),
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

    @Test func userdbIDsAreReadWithTheColumnRules() async throws {
        let (file, directory) = try makeFile("bob:{PLAIN}a:1000:1000:::: userdb_uid=0012 userdb_gid=5000\n")
        defer { withExtendedLifetime(directory) {} }
        let bob = try #require(try await file.userRecord(user: "bob"))
        #expect(bob.uid == 12 && bob.gid == 5000)
    }

    /// Bytes that are not UTF-8 are refused with the line, instead of becoming U+FFFD.
    @Test func initRejectsBytesThatAreNotUTF8() throws {
        let directory = try TemporaryDirectory()
        let bytes = Array("ok:{PLAIN}a\n".utf8) + [0x62, 0xFF, 0x62] + Array(":{PLAIN}b\nfine:{PLAIN}c\n".utf8)
            + Array("x:{PLAIN}".utf8) + [0xC3] + Array("\n".utf8)
        try directory.write("passwd", bytes: bytes)
        #expect(throws: PasswdFileError.parse(path: directory.file("passwd"), problems: [
            .init(line: 2, reason: "not valid UTF-8 (byte 2 of the line)"),
            .init(line: 4, reason: "not valid UTF-8 (byte 10 of the line)"),
        ])) {
            try PasswdFile(path: directory.file("passwd"))
        }
    }

    @Test func splitsFieldsAtColonBytesEvenBeforeACombiningMark() async throws {
        // ":" + U+0301 is one Character; Dovecot (and Roost) still split there.
        let (file, directory) = try makeFile("carol:{PLAIN}c:1000:1000:\u{301}Carol\n")
        defer { withExtendedLifetime(directory) {} }
        #expect(await file.passDBEntry(user: "carol")?.storedPassword == "{PLAIN}c")
        #expect(try await file.userRecord(user: "carol")?.uid == 1000)
    }

    @Test func anEmptyPlaintextDisablesCRAMMD5() async throws {
        let (file, directory) = try makeFile("a:{PLAIN}x\nb:{PLAIN}\n")
        defer { withExtendedLifetime(directory) {} }
        #expect(await !file.canServeCRAMMD5())
        #expect(try await !file.canServeCRAMMD5(user: "b"))
        #expect(try await file.canServeCRAMMD5(user: "a"))
    }

    @Test func allowNetsFromTheFileRestrictLogins() async throws {
        let (file, directory) = try makeFile("bob@example.org:{PLAIN}pw:::::: allow_nets=10.0.0.0/8,::1\n")
        defer { withExtendedLifetime(directory) {} }
        let pool = BlockingWorkPool(threadCount: 1, name: "nets-test")
        defer { pool.shutdown() }
        let authenticator = Authenticator(passdb: file, verifier: PasswordVerifier(pool: pool))
        #expect(await authenticator.verifyPlain(user: "bob@example.org", password: "pw", remoteAddress: "10.1.2.3")
            == .success(user: "bob@example.org"))
        #expect(await authenticator.verifyPlain(user: "bob@example.org", password: "pw", remoteAddress: "::1")
            == .success(user: "bob@example.org"))
        #expect(await authenticator.verifyPlain(user: "bob@example.org", password: "pw", remoteAddress: "192.0.2.1")
            == .failure(.networkNotAllowed))
        #expect(await authenticator.verifyPlain(user: "bob@example.org", password: "pw", remoteAddress: nil)
            == .failure(.networkNotAllowed))
    }

    /// A read error may pass (EMFILE, ENOMEM, EACCES): the version is tried again at the next
    /// check instead of being pinned until the file changes, so an edit is not silently lost.
    @Test func aTemporaryReadErrorIsRetriedAtTheNextCheck() async throws {
        let clock = ManualClock()
        let logs = LogCapture()
        let directory = try TemporaryDirectory()
        try directory.write("passwd", "bob:{PLAIN}old\n")
        let failing = Flag()
        let source = PasswdFileSource(
            identity: { path throws(PasswdFileError) in try PosixFile.identity(path: path) },
            read: { path, maxSize throws(PasswdFileError) in
                if failing.isSet { throw .io(path: path, operation: "open", errno: EMFILE) }
                return try PosixFile.read(path: path, maxSize: maxSize)
            }
        )
        let file = try PasswdFile(
            path: directory.file("passwd"), configuration: PasswdFileConfiguration(), clock: clock.authClock,
            logger: logs.logger(), source: source
        )
        try directory.write("passwd", "bob:{PLAIN}reset\n")
        failing.set()
        for _ in 0..<3 {
            clock.advance(by: .seconds(1))
            #expect(await file.passDBEntry(user: "bob")?.storedPassword == "{PLAIN}old")
        }
        #expect(logs.records.filter { $0.level == .error }.count == 1, "a lasting error is logged once")
        failing.clear()
        clock.advance(by: .seconds(1))
        #expect(await file.passDBEntry(user: "bob")?.storedPassword == "{PLAIN}reset")
    }

    /// A version over `maxFileSize` is a property of the file, like a parse error: pinned.
    @Test func aTooLargeVersionIsNotReadAgainUntilItChanges() async throws {
        let clock = ManualClock()
        let reads = Box(0)
        let directory = try TemporaryDirectory()
        try directory.write("passwd", "bob:{PLAIN}a\n")
        let source = PasswdFileSource(
            identity: { path throws(PasswdFileError) in try PosixFile.identity(path: path) },
            read: { path, maxSize throws(PasswdFileError) in
                reads.value += 1
                return try PosixFile.read(path: path, maxSize: maxSize)
            }
        )
        let file = try PasswdFile(
            path: directory.file("passwd"), configuration: PasswdFileConfiguration(maxFileSize: 64), clock: clock.authClock,
            logger: LogCapture().logger(), source: source
        )
        try directory.write("passwd", "bob:{PLAIN}a\n" + String(repeating: "# padding\n", count: 10))
        for _ in 0..<3 {
            clock.advance(by: .seconds(1))
            #expect(await file.passDBEntry(user: "bob") != nil)
        }
        #expect(reads.value == 2, "the first load and one attempt at the big version")
    }

    /// `reloadNow()` reads even a version that was refused, e.g. after an in-place fix that kept
    /// size and mtime (a coarse-mtime file system), which periodic checks would not notice.
    @Test func explicitReloadRetriesARejectedVersion() async throws {
        let clock = ManualClock()
        let directory = try TemporaryDirectory()
        try directory.write("first", "1")
        try directory.write("second", "2")
        let first = try PosixFile.identity(path: directory.file("first"))
        let second = try PosixFile.identity(path: directory.file("second"))
        let current = Box((bytes: Array("bob:{PLAIN}a\n".utf8), identity: first))
        let source = PasswdFileSource(
            identity: { _ throws(PasswdFileError) in current.value.identity },
            read: { _, _ throws(PasswdFileError) in current.value }
        )
        let file = try PasswdFile(
            path: "passwd", configuration: PasswdFileConfiguration(), clock: clock.authClock,
            logger: LogCapture().logger(), source: source
        )
        current.value = (Array("bob:{PLAIN}a:zz\n".utf8), second)
        clock.advance(by: .seconds(1))
        #expect(await file.passDBEntry(user: "bob")?.storedPassword == "{PLAIN}a")
        current.value = (Array("bob:{PLAIN}b:77\n".utf8), second)
        clock.advance(by: .seconds(1))
        #expect(await file.passDBEntry(user: "bob")?.storedPassword == "{PLAIN}a", "checks do not re-read a refused version")
        #expect(await file.reloadNow())
        #expect(await file.passDBEntry(user: "bob")?.storedPassword == "{PLAIN}b")
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

