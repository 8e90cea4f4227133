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
}
