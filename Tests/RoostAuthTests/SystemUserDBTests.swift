import Foundation
import Testing
@testable import RoostAuth
import RoostTesting

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
        try await SystemTestUser.with { user in
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
}
