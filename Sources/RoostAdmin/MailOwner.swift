#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RoostAuth
import RoostConfig

/// The system user and group a user's mail files belong to, and running file work as them.
///
/// Why: `mailboxctl` is usually run as root, but the server reads and writes mail as the mail
/// owner. A Maildir, uidlist or index created by root would be unwritable for the server. So when
/// the effective uid is 0, mail is touched with the effective uid and gid switched to the owner
/// (the user's `uid`/`gid` from the userdb, else `mail.owner_user`/`mail.owner_group`), like
/// Dovecot's `doveadm` does. Run as anyone else, the tool works as itself.
///
/// Only the effective ids change (`seteuid`), so root's rights come back for the next passwd-file
/// edit. On Linux glibc applies the change to every thread of the process.
public struct MailOwner: Sendable, Hashable {
    public let uid: uid_t
    public let gid: gid_t

    public init(uid: uid_t, gid: gid_t) {
        self.uid = uid
        self.gid = gid
    }

    /// The owner to switch to for `user`'s mail, or nil when no switch is needed (not root, or the
    /// owner is root itself).
    ///
    /// - Throws: `AdminError` (configuration) when the configured owner or group does not exist.
    public static func forMail(of user: UserRecord, settings: MailSettings) throws(AdminError) -> MailOwner? {
        guard geteuid() == 0 else { return nil }
        var uid = user.uid.map { uid_t($0) }
        var gid = user.gid.map { gid_t($0) }
        if uid == nil {
            guard let entry = getpwnam(settings.ownerUser) else {
                throw .configuration("mail.owner_user \(settings.ownerUser) is not a user on this system; create it or change the setting")
            }
            uid = entry.pointee.pw_uid
            if gid == nil, settings.ownerGroup.isEmpty { gid = entry.pointee.pw_gid }
        }
        if gid == nil {
            guard let group = getgrnam(settings.ownerGroup) else {
                throw .configuration("mail.owner_group \(settings.ownerGroup) is not a group on this system; create it or change the setting")
            }
            gid = group.pointee.gr_gid
        }
        guard let uid, let gid, uid != 0 else { return nil }
        return MailOwner(uid: uid, gid: gid)
    }

    /// Runs `body` with the effective uid and gid of the owner, then switches back to root.
    public func run<Result>(_ body: () throws -> Result) throws -> Result {
        let savedGID = getegid()
        guard setegid(gid) == 0 else {
            throw AdminError(.noPermission, "cannot switch to group \(gid): \(String(cString: strerror(errno)))")
        }
        guard seteuid(uid) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = setegid(savedGID)
            throw AdminError(.noPermission, "cannot switch to user \(uid): \(reason)")
        }
        defer {
            // Back to root first: only root may set the group back.
            _ = seteuid(0)
            _ = setegid(savedGID)
        }
        return try body()
    }
}
