import Foundation
import Testing
@testable import RoostAuth

/// `SystemUserDB` over the real system password database: root and daemons refused, and a user
/// created for the test (root only; in CI a non-root run fails instead of skipping).
@Suite("System userdb")
struct SystemUserDBTests {
    let pool = BlockingWorkPool(threadCount: 1, name: "test-userdb")

    @Test("root is refused whatever first_valid_uid says", arguments: [UInt32(0), 1, 1000])
    func root(firstValidUID: UInt32) throws {
        let userdb = SystemUserDB(firstValidUID: firstValidUID, pool: pool)
        #expect(throws: SystemUserDB.LookupError.root) { try userdb.record(user: "root") }
    }

    @Test("a system account below first_valid_uid is refused")
    func daemon() async throws {
        // Debian's `daemon` is uid 1 on every installation.
        let account = try #require(try SystemUserDB.account(named: "daemon"))
        let userdb = SystemUserDB(pool: pool)
        #expect(throws: SystemUserDB.LookupError.systemAccount(uid: account.uid, firstValidUID: 1000)) {
            try userdb.record(user: "daemon")
        }
        // The async form reports a refused user as absent, with a warning.
        let capture = LogCapture()
        let logged = SystemUserDB(pool: pool, logger: capture.logger())
        #expect(try await logged.lookup(user: "daemon") == nil)
        #expect(capture.records.contains { $0.level == .warning && $0.metadata["uid"] == "\(account.uid)" })
        // With a first_valid_uid at or below its uid it is served.
        let lenient = SystemUserDB(firstValidUID: account.uid, pool: pool)
        #expect(try lenient.record(user: "daemon")?.uid == account.uid)
    }

    @Test("unknown and impossible names are absent", arguments: ["roost-no-such-user-x", "", "a\0b", "bob@example.org"])
    func unknown(name: String) async throws {
        let userdb = SystemUserDB(pool: pool)
        #expect(try userdb.record(user: name) == nil)
        #expect(try await userdb.lookup(user: name) == nil)
    }

    @Test("the default mail location is %h/Maildir")
    func defaults() {
        let userdb = SystemUserDB(pool: pool)
        #expect(userdb.mailTemplate.template == "%h/Maildir")
        #expect(userdb.firstValidUID == 1000)
    }

    @Test("a created user: uid, gid, home and mail location", .enabled(
        if: SystemTestUser.canCreate || SystemTestUser.isCI,
        "needs root to create a system user (useradd); skipped when not root outside CI"
    ))
    func createdUser() async throws {
        let user = try SystemTestUser.create()
        defer { user.delete() }
        let userdb = SystemUserDB(pool: pool)
        let record = try #require(try await userdb.lookup(user: user.name))
        #expect(record.user == user.name)
        #expect(record.uid == user.uid)
        #expect(record.gid == user.gid)
        #expect(record.home == user.home)
        #expect(record.mailLocation == user.home + "/Maildir")

        let custom = SystemUserDB(mailTemplate: try MailLocationTemplate("maildir:%h/mail/%u"), pool: pool)
        #expect(try custom.record(user: user.name)?.mailLocation == "maildir:\(user.home)/mail/\(user.name)")

        let strict = SystemUserDB(firstValidUID: user.uid + 1, pool: pool)
        #expect(throws: SystemUserDB.LookupError.systemAccount(uid: user.uid, firstValidUID: user.uid + 1)) {
            try strict.record(user: user.name)
        }
    }
}

/// A throw-away system account made with `useradd` and `chpasswd`, with a random name and
/// password, a home in a temporary directory and no login shell; `delete()` removes both.
struct SystemTestUser {
    let name: String
    let password: String
    let uid: UInt32
    let gid: UInt32
    let home: String
    private let directory: TemporaryDirectory

    static var isCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }
    static var canCreate: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd") }

    /// Creates the account; fails (rather than skipping) when not root, for CI.
    static func create() throws -> SystemTestUser {
        try #require(getuid() == 0, "creating a system user needs root; CI runs the tests as root")
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
        let name = "roostt\(suffix)"
        let password = "pw-" + UUID().uuidString
        let directory = try TemporaryDirectory()
        let home = directory.file("home")
        // useradd fails while another process holds /etc/passwd's lock: retry for a while.
        var attempt = 0
        while true {
            let (status, output) = try run(["/usr/sbin/useradd", "--create-home", "--home-dir", home,
                                            "--shell", "/usr/sbin/nologin", name])
            if status == 0 { break }
            attempt += 1
            guard attempt < 20 else { throw Failure("useradd failed (\(status)): \(output)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let (status, output) = try run(["/usr/sbin/chpasswd"], input: "\(name):\(password)\n")
        guard status == 0 else {
            _ = try? run(["/usr/sbin/userdel", "--remove", name])
            throw Failure("chpasswd failed (\(status)): \(output)")
        }
        guard let account = try SystemUserDB.account(named: name) else {
            _ = try? run(["/usr/sbin/userdel", "--remove", name])
            throw Failure("\(name) not found after useradd")
        }
        return SystemTestUser(name: name, password: password, uid: account.uid, gid: account.gid,
                              home: account.home, directory: directory)
    }

    func delete() {
        for _ in 0..<20 {
            if let (status, _) = try? Self.run(["/usr/sbin/userdel", "--remove", name]), status == 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Runs a command; returns its exit status and its output and errors together.
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
