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
/// edit; the supplementary groups are replaced by the owner's gid meanwhile (see `run`). On Linux
/// glibc applies the change to every thread of the process.
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

    /// Runs `body` with the effective uid and gid of the owner and no other group, then switches
    /// back to root with root's groups.
    ///
    /// The supplementary groups go too (`setgroups([gid])`), before the gid and uid change: root's
    /// own groups (`root`, often more) would otherwise stay in force, and the mail owner could
    /// read and write what only those groups may. Only root may set groups, so the order back is
    /// uid first, then gid, then the saved group list.
    public func run<Result>(_ body: () throws -> Result) throws -> Result {
        try run(using: .system, body)
    }

    /// `run` with the credential calls given, so tests can check their order without being root.
    func run<Result>(using calls: CredentialCalls, _ body: () throws -> Result) throws -> Result {
        func failure(_ what: String, _ number: Int32) -> AdminError {
            AdminError(.noPermission, "cannot switch to \(what): \(String(cString: strerror(number)))")
        }
        let savedGroups: [gid_t]
        switch calls.getgroups() {
        case .success(let groups): savedGroups = groups
        case .failure(let error): throw failure("the mail owner (reading root's groups failed)", error.number)
        }
        let savedGID = calls.getegid()
        if let number = calls.setgroups([gid]) { throw failure("group list [\(gid)]", number) }
        if let number = calls.setegid(gid) {
            _ = calls.setgroups(savedGroups)
            throw failure("group \(gid)", number)
        }
        if let number = calls.seteuid(uid) {
            _ = calls.setegid(savedGID)
            _ = calls.setgroups(savedGroups)
            throw failure("user \(uid)", number)
        }
        defer {
            // Back to root first: only root may set the group and the group list back.
            _ = calls.seteuid(0)
            _ = calls.setegid(savedGID)
            _ = calls.setgroups(savedGroups)
        }
        return try body()
    }
}

/// The system calls `MailOwner.run` switches credentials with; each setter returns nil on
/// success, else the errno.
struct CredentialCalls: Sendable {
    /// A failed call's errno.
    struct Failure: Error, Equatable {
        var number: Int32
    }

    var getgroups: @Sendable () -> Result<[gid_t], Failure>
    var setgroups: @Sendable ([gid_t]) -> Int32?
    var getegid: @Sendable () -> gid_t
    var setegid: @Sendable (gid_t) -> Int32?
    var seteuid: @Sendable (uid_t) -> Int32?

    /// The process's own credentials. On Linux glibc applies each change to every thread.
    static let system = CredentialCalls(
        getgroups: {
            let count = systemGetgroups(0, nil)
            guard count >= 0 else { return .failure(Failure(number: errno)) }
            var groups = [gid_t](repeating: 0, count: Int(count))
            let read = groups.withUnsafeMutableBufferPointer { systemGetgroups(count, $0.baseAddress) }
            guard read >= 0 else { return .failure(Failure(number: errno)) }
            return .success(Array(groups.prefix(Int(read))))
        },
        setgroups: { groups in
            groups.withUnsafeBufferPointer { systemSetgroups(numericCast($0.count), $0.baseAddress) } == 0 ? nil : errno
        },
        getegid: { systemGetegid() },
        setegid: { systemSetegid($0) == 0 ? nil : errno },
        seteuid: { systemSeteuid($0) == 0 ? nil : errno }
    )
}

// The C functions under names that `CredentialCalls`' own properties do not shadow.
private func systemGetgroups(_ count: Int32, _ list: UnsafeMutablePointer<gid_t>?) -> Int32 { getgroups(count, list) }
private func systemSetgroups(_ count: Int, _ list: UnsafePointer<gid_t>?) -> Int32 { setgroups(numericCast(count), list) }
private func systemGetegid() -> gid_t { getegid() }
private func systemSetegid(_ gid: gid_t) -> Int32 { setegid(gid) }
private func systemSeteuid(_ uid: uid_t) -> Int32 { seteuid(uid) }
