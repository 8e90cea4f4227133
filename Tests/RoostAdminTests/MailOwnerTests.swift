import Foundation
import RoostAuth
import RoostConfig
import Testing
@testable import RoostAdmin
#if canImport(Glibc)
import Glibc
#endif

@Suite("MailOwner")
struct MailOwnerTests {
    @Test func noSwitchUnlessRoot() throws {
        let owner = try MailOwner.forMail(of: UserRecord(user: "a", uid: 5000, gid: 5000), settings: MailSettings())
        if geteuid() == 0 {
            #expect(owner == MailOwner(uid: 5000, gid: 5000))
        } else {
            #expect(owner == nil)
        }
    }

    @Test(.enabled(if: geteuid() == 0, "only root resolves the owner"))
    func ownerFromTheConfiguration() throws {
        let root = try MailOwner.forMail(of: UserRecord(user: "a"), settings: MailSettings(ownerUser: "root", ownerGroup: "root"))
        #expect(root == nil, "the owner is root: nothing to switch")
        let nobody = try #require(getpwnam("nobody")).pointee
        let owner = try MailOwner.forMail(of: UserRecord(user: "a"), settings: MailSettings(ownerUser: "nobody", ownerGroup: "root"))
        #expect(owner == MailOwner(uid: nobody.pw_uid, gid: 0))
        #expect(throws: AdminError.configuration(
            "mail.owner_user roost-no-such-user is not a user on this system; create it or change the setting"
        )) {
            try MailOwner.forMail(of: UserRecord(user: "a"), settings: MailSettings(ownerUser: "roost-no-such-user"))
        }
    }

    /// Records the credential calls `run` makes; `failing` names a call that fails with EPERM.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var log: [String] = []
        let failing: String?

        init(failing: String? = nil) { self.failing = failing }

        var calls: [String] { lock.withLock { log } }

        private func record(_ call: String) -> Int32? {
            lock.withLock { log.append(call) }
            return call.hasPrefix(failing ?? "-") ? EPERM : nil
        }

        var credentialCalls: CredentialCalls {
            CredentialCalls(
                getgroups: { .success([0, 4, 27]) },
                setgroups: { self.record("setgroups \($0)") },
                getegid: { 0 },
                setegid: { self.record("setegid \($0)") },
                seteuid: { self.record("seteuid \($0)") }
            )
        }
    }

    /// Root's supplementary groups (here 0, 4, 27) would give the mail owner their access: they
    /// are replaced by the owner's gid before the ids change, and restored after.
    @Test func supplementaryGroupsAreDroppedAndRestored() throws {
        let recorder = Recorder()
        let owner = MailOwner(uid: 5000, gid: 6000)
        let result = try owner.run(using: recorder.credentialCalls) {
            #expect(recorder.calls == ["setgroups [6000]", "setegid 6000", "seteuid 5000"])
            return 42
        }
        #expect(result == 42)
        #expect(recorder.calls == [
            "setgroups [6000]", "setegid 6000", "seteuid 5000",
            "seteuid 0", "setegid 0", "setgroups [0, 4, 27]",
        ])
    }

    @Test func restoredAlsoWhenTheBodyThrows() {
        let recorder = Recorder()
        #expect(throws: AdminError.self) {
            try MailOwner(uid: 5000, gid: 6000).run(using: recorder.credentialCalls) { throw AdminError(.ioError, "x") }
        }
        #expect(recorder.calls.suffix(3) == ["seteuid 0", "setegid 0", "setgroups [0, 4, 27]"])
    }

    @Test(arguments: [
        ("setgroups", ["setgroups [6000]"]),
        ("setegid", ["setgroups [6000]", "setegid 6000", "setgroups [0, 4, 27]"]),
        ("seteuid", ["setgroups [6000]", "setegid 6000", "seteuid 5000", "setegid 0", "setgroups [0, 4, 27]"]),
    ])
    func aFailedSwitchUndoesWhatWasDoneAndRunsNothing(failing: String, calls: [String]) {
        let recorder = Recorder(failing: failing)
        var ran = false
        #expect {
            try MailOwner(uid: 5000, gid: 6000).run(using: recorder.credentialCalls) { ran = true }
        } throws: { error in
            (error as? AdminError)?.code == .noPermission
        }
        #expect(!ran)
        #expect(recorder.calls == calls)
    }
}
