import Foundation
import Testing
@testable import RoostAuth
import RoostTesting

/// Real libpam with real modules. Service files go into a temporary directory read through
/// `pam_start_confdir` (Linux-PAM 1.4+; Debian 12 has 1.5.2), so /etc/pam.d is never touched.
///
/// - pam_pwdfile (Debian's libpam-pwdfile) checks crypt hashes in a file of our own: no system
///   user needed.
/// - pam_unix checks a system user made for the test with useradd/chpasswd: needs root.
/// A missing module or a non-root run is a failure in CI (`CI` set) and a visible skip elsewhere.
@Suite("PAM round trips with real modules")
struct PAMRoundTripTests {
    static let moduleDirectories = [
        "/lib/x86_64-linux-gnu/security", "/usr/lib/x86_64-linux-gnu/security",
        "/lib/aarch64-linux-gnu/security", "/usr/lib/aarch64-linux-gnu/security",
        "/lib/security", "/usr/lib/security",
    ]

    static func moduleInstalled(_ name: String) -> Bool {
        moduleDirectories.contains { FileManager.default.fileExists(atPath: "\($0)/\(name)") }
    }

    static var pwdfileInstalled: Bool { moduleInstalled("pam_pwdfile.so") }

    /// Each service below also asks, through pam_faildelay, for a 100 s failure delay (libpam
    /// sleeps the longest delay any module asked for, randomised by up to 25%, so at least 75 s).
    /// Roost replaces the delay with none, so a failed check must come back well within it. The
    /// bound is about seven times a hash check on a loaded two-core machine (1.5 s was seen) and
    /// still 7.5 times below the delay, so scheduling noise cannot carry a check across it. A
    /// working replacement never sleeps the delay: only a broken one pays for its length.
    static let noDelayBound: Duration = .seconds(10)
    static let requestedDelay = "auth optional pam_faildelay.so delay=100000000"

    /// A passdb on `service`, whose file in a fresh directory holds `lines`.
    static func passdb(service: String, lines: [String], in directory: TemporaryDirectory) throws -> PAMPassDB {
        try directory.write(service, lines.joined(separator: "\n") + "\n")
        return PAMPassDB(configuration: PAMConfiguration(service: service, configurationDirectory: directory.path))
    }

    @Test("pam_pwdfile: right, wrong and unknown", .enabled(
        if: pwdfileInstalled || SystemTestUser.isCI,
        "pam_pwdfile.so not installed (apt install libpam-pwdfile); skipped outside CI"
    ))
    func pwdfile() async throws {
        try #require(Self.pwdfileInstalled, "pam_pwdfile.so not found; .ci/run installs libpam-pwdfile")
        let directory = try TemporaryDirectory()
        let password = "s3cret pass"
        let stored = try PasswordHasher.hash(password: password, scheme: .sha512Crypt)
        let hash = try #require(stored.split(separator: "}", maxSplits: 1).last.map(String.init))
        #expect(hash.hasPrefix("$6$"))
        try directory.write("passwords", "alice:\(hash)\n")
        let passdb = try Self.passdb(service: "roost-test", lines: [
            Self.requestedDelay,
            "auth required pam_pwdfile.so pwdfile=\(directory.file("passwords"))",
            "account required pam_permit.so",
        ], in: directory)

        #expect(await passdb.verifyPlain(user: "alice", password: password, remoteAddress: "192.0.2.9") == .success(user: "alice"))
        let clock = ContinuousClock()
        var wrong: AuthResult?
        let elapsed = await clock.measure {
            wrong = await passdb.verifyPlain(user: "alice", password: "s3cret pas", remoteAddress: nil)
        }
        #expect(wrong == .failure(.wrongPassword))
        #expect(elapsed < Self.noDelayBound)
        #expect(await passdb.verifyPlain(user: "mallory", password: password, remoteAddress: nil) == .failure(.wrongPassword))

        // Through the Authenticator, with its name normalisation.
        let authenticator = Authenticator(passdb: passdb, verifier: PasswordVerifier(pool: BlockingWorkPool(threadCount: 1)))
        #expect(await authenticator.verifyPlain(user: "ALICE", password: password, remoteAddress: nil) == .success(user: "alice"))
        #expect(await authenticator.verifyPlain(user: "alice", password: "", remoteAddress: nil) == .failure(.wrongPassword))
    }

    @Test("a service file that does not exist is a temporary failure")
    func missingService() async throws {
        let directory = try TemporaryDirectory()
        let passdb = PAMPassDB(configuration: PAMConfiguration(service: "absent", configurationDirectory: directory.path))
        let result = await passdb.verifyPlain(user: "alice", password: "x", remoteAddress: nil)
        guard case .failure(.temporary(let reason)) = result else {
            Issue.record("expected a temporary failure, got \(result)")
            return
        }
        #expect(reason.hasPrefix("pam_start: "))
    }

    @Test("pam_deny and pam_permit", arguments: [("pam_permit.so", true), ("pam_deny.so", false)])
    func permitDeny(module: String, succeeds: Bool) async throws {
        let directory = try TemporaryDirectory()
        let passdb = try Self.passdb(service: "roost-\(module.prefix(8))", lines: [
            "auth required \(module)", "account required pam_permit.so",
        ], in: directory)
        let result = await passdb.verifyPlain(user: "anyone", password: "anything", remoteAddress: nil)
        #expect(result == (succeeds ? .success(user: "anyone") : .failure(.wrongPassword)))
    }

    @Test("pam_unix with a system user: right, wrong, unknown, expired", .enabled(
        if: SystemTestUser.canCreate || SystemTestUser.isCI,
        "needs root to create a system user (useradd) and read /etc/shadow; skipped when not root outside CI"
    ))
    func pamUnix() async throws {
        try await SystemTestUser.with { user in
            let directory = try TemporaryDirectory()
            let passdb = try Self.passdb(service: "roost-unix", lines: [
                Self.requestedDelay, "auth required pam_unix.so", "account required pam_unix.so",
            ], in: directory)

            #expect(await passdb.verifyPlain(user: user.name, password: user.password, remoteAddress: "::1") == .success(user: user.name))
            let clock = ContinuousClock()
            var wrong: AuthResult?
            let elapsed = await clock.measure {
                wrong = await passdb.verifyPlain(user: user.name, password: user.password + "x", remoteAddress: nil)
            }
            #expect(wrong == .failure(.wrongPassword))
            #expect(elapsed < Self.noDelayBound, "pam_unix's failure delay should be replaced by none")
            #expect(await passdb.verifyPlain(user: user.name + "q", password: user.password, remoteAddress: nil) == .failure(.wrongPassword))

            // An expired account, then an expired password: right password, but disabled.
            try await SystemTestUser.modify(["/usr/sbin/usermod", "--expiredate", "1970-01-02", user.name])
            #expect(await passdb.verifyPlain(user: user.name, password: user.password, remoteAddress: nil) == .failure(.disabled))
            #expect(await passdb.verifyPlain(user: user.name, password: "wrong", remoteAddress: nil) == .failure(.wrongPassword))
            try await SystemTestUser.modify(["/usr/sbin/usermod", "--expiredate", "", user.name])
            #expect(await passdb.verifyPlain(user: user.name, password: user.password, remoteAddress: nil) == .success(user: user.name))
            try await SystemTestUser.modify(["/usr/bin/chage", "--lastday", "0", user.name])
            #expect(await passdb.verifyPlain(user: user.name, password: user.password, remoteAddress: nil) == .failure(.disabled))

            // root's password is never what this test sends.
            #expect(await passdb.verifyPlain(user: "root", password: user.password, remoteAddress: nil) == .failure(.wrongPassword))
        }
    }
}
