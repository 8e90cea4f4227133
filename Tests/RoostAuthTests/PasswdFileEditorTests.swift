import Foundation
import Testing
@testable import RoostAuth

@Suite("PasswdFileEditor")
struct PasswdFileEditorTests {
    static let original = """
        # Managed by mailboxctl; comments stay.
        bob:{PLAIN}bob:5000:5000::/home/bob

        # a line the editor does not understand is kept as it is
        broken:x:notanumber
        carol:{PLAIN}carol:::::: nologin

        """

    func makeEditor(_ text: String? = original) throws -> (PasswdFileEditor, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        if let text { try directory.write("passwd", text) }
        let configuration = PasswdFileEditorConfiguration(lockTimeout: .seconds(5), defaultScheme: .plain)
        return (PasswdFileEditor(path: directory.file("passwd"), configuration: configuration), directory)
    }

    @Test func addAppendsAndPreservesEverythingElse() throws {
        let (editor, directory) = try makeEditor()
        try editor.addUser(PasswdFileRecord(
            user: "dave@example.org", password: "{PLAIN}dave", uid: 5000, gid: 5000, home: "/var/vmail/dave",
            extraFields: [.init(key: "userdb_quota_rule", value: "*:storage=1G")]
        ))
        #expect(try directory.read("passwd") == Self.original
            + "dave@example.org:{PLAIN}dave:5000:5000::/var/vmail/dave::userdb_quota_rule=*:storage=1G\n")
        #expect(try directory.entries() == ["passwd"], "no lock or temporary file is left behind")
    }

    @Test func addCreatesAMissingFileWithPrivateMode() throws {
        let (editor, directory) = try makeEditor(nil)
        try editor.addUser(PasswdFileRecord(user: "first", password: "{PLAIN}1"))
        #expect(try directory.read("passwd") == "first:{PLAIN}1\n")
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file("passwd"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func existingFileModeIsKept() throws {
        let (editor, directory) = try makeEditor()
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: directory.file("passwd"))
        try editor.setPassword(user: "bob", storedPassword: "{PLAIN}new")
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file("passwd"))[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func deleteRemovesOnlyThatUser() throws {
        let (editor, directory) = try makeEditor()
        try editor.deleteUser("bob")
        #expect(try directory.read("passwd") == Self.original.replacingOccurrences(of: "bob:{PLAIN}bob:5000:5000::/home/bob\n", with: ""))
        // A damaged line can be deleted too.
        try editor.deleteUser("broken")
        #expect(try !directory.read("passwd").contains("broken"))
    }

    @Test func setPasswordRewritesOnlyThatLine() throws {
        let (editor, directory) = try makeEditor()
        let hash = try PasswordHasher.hash(password: "n3w", scheme: .sha512Crypt)
        try editor.setPassword(user: "bob", storedPassword: hash)
        let text = try directory.read("passwd")
        #expect(text.contains("bob:\(hash):5000:5000::/home/bob\n"))
        #expect(text.contains("# a line the editor does not understand is kept as it is\nbroken:x:notanumber\n"))
        let record = try #require(try editor.records().first { $0.user == "bob" })
        #expect(try PasswordVerifier.verify(password: "n3w", storedPassword: try #require(record.password)))
    }

    @Test func setExtraFieldAddsReplacesAndRemoves() throws {
        let (editor, directory) = try makeEditor()
        try editor.setExtraField(user: "carol", key: "userdb_mail", value: "maildir:/srv/carol")
        try editor.setExtraField(user: "carol", key: "nologin", value: nil)
        try editor.setExtraField(user: "carol", key: "userdb_mail", value: "maildir:/srv/c2")
        try editor.setExtraField(user: "bob", key: "nologin", value: "", bareFlag: true)
        let text = try directory.read("passwd")
        #expect(text.contains("carol:{PLAIN}carol::::::userdb_mail=maildir:/srv/c2\n"))
        #expect(text.contains("bob:{PLAIN}bob:5000:5000::/home/bob::nologin\n"))
    }

    @Test func errors() throws {
        let (editor, directory) = try makeEditor()
        defer { withExtendedLifetime(directory) {} }
        #expect(throws: PasswdFileError.duplicateUser("bob")) { try editor.addUser(PasswdFileRecord(user: "bob", password: nil)) }
        #expect(throws: PasswdFileError.duplicateUser("BOB")) { try editor.addUser(PasswdFileRecord(user: "BOB", password: nil)) }
        #expect(throws: PasswdFileError.duplicateUser("broken")) { try editor.addUser(PasswdFileRecord(user: "broken", password: nil)) }
        #expect(throws: PasswdFileError.unknownUser("nobody")) { try editor.deleteUser("nobody") }
        #expect(throws: PasswdFileError.unknownUser("nobody")) { try editor.setPassword(user: "nobody", storedPassword: nil) }
        #expect(throws: PasswdFileError.invalidField("password", reason: "contains ':'")) {
            try editor.setPassword(user: "bob", storedPassword: "{PLAIN}a:b")
        }
        #expect(throws: PasswdFileError.invalidField("password", reason: "unknown password scheme BOGUS")) {
            try editor.setPassword(user: "bob", storedPassword: "{BOGUS}x")
        }
        #expect(throws: PasswdFileError.invalidField("extra field 'userdb_mail'", reason: "contains a space")) {
            try editor.setExtraField(user: "bob", key: "userdb_mail", value: "maildir:/a b")
        }
        #expect(throws: PasswdFileError.invalidField("extra field 'bad key'", reason: "name must be letters, digits, '_', '-', '.'")) {
            try editor.setExtraField(user: "bob", key: "bad key", value: "x")
        }
        #expect(throws: PasswdFileError.self) { try editor.setPassword(user: "broken", storedPassword: nil) }
    }

    /// The editor refuses to write what the reader would refuse, and leaves the file alone.
    @Test(arguments: [
        ("userdb_uid", "00", "userdb_uid 0 is not allowed"),
        ("userdb_uid", "+0", "userdb_uid '+0' is not a number"),
        ("userdb_gid", "root", "userdb_gid 'root' is not a number"),
        ("userdb_mail", "maildir:/srv/%x", "userdb_mail 'maildir:/srv/%x' has an invalid % variable"),
        ("userdb_home", "/home/%{uid}", "userdb_home '/home/%{uid}' has an invalid % variable"),
        ("allow_nets", "192.0.2.0/24,nonsense", "allow_nets: 'nonsense' is not an IP address, a network (address/bits) or local"),
    ])
    func editsTheReaderWouldRefuseAreRefused(_ key: String, _ value: String, _ reason: String) throws {
        let (editor, directory) = try makeEditor()
        #expect(throws: PasswdFileError.invalidField("line for bob", reason: reason + "; the server would refuse the whole file")) {
            try editor.setExtraField(user: "bob", key: key, value: value)
        }
        #expect(try directory.read("passwd") == Self.original)
    }

    @Test(arguments: [
        ("{SHA256}c2hvcnQ=", "SHA256 data is 5 bytes long, expected 32"),
        ("{SSHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "SSHA data is 20 bytes long, expected 28"),
        ("{MD5}z!z!", "PLAIN-MD5 data is not valid hex or base64 for its encoding"),
    ])
    func storedPasswordsTheReaderWouldRefuseAreRefused(_ stored: String, _ reason: String) throws {
        let (editor, directory) = try makeEditor()
        #expect(throws: PasswdFileError.invalidField("password", reason: reason)) {
            try editor.setPassword(user: "bob", storedPassword: stored)
        }
        #expect(throws: PasswdFileError.invalidField("password", reason: reason)) {
            try editor.addUser(PasswdFileRecord(user: "new", password: stored))
        }
        #expect(try directory.read("passwd") == Self.original)
    }

    @Test func aRecordTheReaderWouldRefuseCannotBeAdded() throws {
        let (editor, directory) = try makeEditor()
        let record = PasswdFileRecord(user: "dave", password: "{PLAIN}d", extraFields: [.init(key: "userdb_mail", value: "%q")])
        #expect(throws: PasswdFileError.invalidField("line for dave", reason: "userdb_mail '%q' has an invalid % variable; the server would refuse the whole file")) {
            try editor.addUser(record)
        }
        #expect(try directory.read("passwd") == Self.original)
    }

    /// A file that is not UTF-8 is not rewritten: other users' bytes would become U+FFFD.
    @Test func aFileThatIsNotUTF8IsNotEdited() throws {
        let (editor, directory) = try makeEditor()
        let bytes = Array("bob:{PLAIN}bob\n".utf8) + Array("carol:{PLAIN}caf".utf8) + [0xE9] + Array("\n".utf8)
        try directory.write("passwd", bytes: bytes)
        let expected = PasswdFileError.parse(path: directory.file("passwd"), problems: [.init(line: 2, reason: "not valid UTF-8 (byte 17 of the line)")])
        #expect(throws: expected) { try editor.setPassword(user: "bob", storedPassword: "{PLAIN}new") }
        #expect(throws: expected) { try editor.addUser(PasswdFileRecord(user: "dave", password: nil)) }
        #expect(throws: expected) { try editor.records() }
        #expect(try directory.bytes("passwd") == bytes)
    }

    @Test(arguments: [
        ("", "empty"), ("a:b", "contains ':'"), ("a b", "contains whitespace"), ("a\tb", "contains whitespace"),
        ("a\u{7}b", "contains a control character"), ("a/b", "contains '/'"), (".hidden", "starts with '.'"),
        ("#x", "starts with '#'"), ("a@b@c", "contains more than one '@'"), ("@example.org", "empty local part before '@'"),
        ("bob@", "empty domain after '@'"), ("bob@.example", "malformed domain"),
        (String(repeating: "a", count: 256), "longer than 255 bytes"),
    ])
    func invalidNames(_ name: String, _ reason: String) throws {
        let (editor, directory) = try makeEditor()
        defer { withExtendedLifetime(directory) {} }
        #expect(throws: PasswdFileError.invalidName(name, reason: reason)) {
            try editor.addUser(PasswdFileRecord(user: name, password: nil))
        }
    }

    @Test func validNamesPass() throws {
        for name in ["bob", "bob@example.org", "first.last+tag@mail.example.org", "ünïcode@example.org"] {
            try PasswdFileUserName.validate(name)
        }
    }

    @Test func concurrentEditorsAreSerialisedByTheLock() async throws {
        let (editor, directory) = try makeEditor("")
        let second = PasswdFileEditor(path: directory.file("passwd"), configuration: editor.configuration)
        let count = 20
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                let which = index % 2 == 0 ? editor : second
                group.addTask {
                    await Thread.detachNewThreadAndWait { try? which.addUser(PasswdFileRecord(user: "user\(index)", password: "{PLAIN}p")) }
                }
            }
        }
        let users = try editor.records().map(\.user)
        #expect(Set(users) == Set((0..<count).map { "user\($0)" }))
        #expect(users.count == count)
        #expect(try directory.entries() == ["passwd"])
    }

    @Test func heldLockMakesAnEditFailWithLocked() throws {
        let (_, directory) = try makeEditor()
        let path = directory.file("passwd")
        let held = try PasswdFileLock.acquire(for: path, timeout: .seconds(1), staleAfter: .seconds(30))
        defer { held.release() }
        let impatient = PasswdFileEditor(path: path, configuration: PasswdFileEditorConfiguration(lockTimeout: .milliseconds(100)))
        #expect(throws: PasswdFileError.locked(path: path + ".lock")) { try impatient.deleteUser("bob") }
    }

    @Test func staleLockFromADeadProcessIsTakenOver() throws {
        let (editor, directory) = try makeEditor()
        // A lock left by a crashed editor: nobody holds its flock and its pid is not running.
        try directory.write("passwd.lock", "999999999\n")
        try editor.deleteUser("bob")
        #expect(try directory.entries() == ["passwd"])
    }

    @Test func oldUnlockedLockWithoutPidIsStale() throws {
        let (_, directory) = try makeEditor()
        try directory.write("passwd.lock", "")
        let old = Date(timeIntervalSinceNow: -120)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: directory.file("passwd.lock"))
        let editor = PasswdFileEditor(path: directory.file("passwd"), configuration: PasswdFileEditorConfiguration(
            lockTimeout: .seconds(2), staleLockTimeout: .seconds(30), defaultScheme: .plain
        ))
        try editor.deleteUser("bob")
        #expect(try directory.entries() == ["passwd"])
    }

    @Test func freshLockWithoutPidIsRespected() throws {
        let (_, directory) = try makeEditor()
        try directory.write("passwd.lock", "")
        let editor = PasswdFileEditor(path: directory.file("passwd"), configuration: PasswdFileEditorConfiguration(
            lockTimeout: .milliseconds(100), staleLockTimeout: .seconds(30)
        ))
        #expect(throws: PasswdFileError.locked(path: directory.file("passwd.lock"))) { try editor.deleteUser("bob") }
    }

    @Test func editsAreSeenByARunningReader() async throws {
        let clock = ManualClock()
        let (editor, directory) = try makeEditor("bob:{PLAIN}old\n")
        let reader = try PasswdFile(path: directory.file("passwd"), clock: clock.authClock)
        try editor.setPassword(user: "bob", storedPassword: "{PLAIN}new")
        clock.advance(by: .seconds(1))
        #expect(await reader.passDBEntry(user: "bob")?.storedPassword == "{PLAIN}new")
    }
}

extension Thread {
    /// Runs `body` on a new thread and waits for it without blocking the cooperative pool.
    static func detachNewThreadAndWait(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                body()
                continuation.resume()
            }
        }
    }
}
