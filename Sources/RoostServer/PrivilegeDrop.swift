import CRoostPrivileges
import RoostAuth
#if canImport(Glibc)
import Glibc
#endif

/// Gives up root after the listeners are bound: roostd then runs as the mail owner
/// (`mail.owner_user`, `mail.owner_group`), which must own the virtual users' Maildirs.
enum PrivilegeDrop {
    /// Switches user, group and supplementary groups when running as root; does nothing
    /// otherwise. Throws when the names do not resolve or a call fails, or when root could be
    /// regained afterwards; the caller must then exit rather than serve.
    ///
    /// - Parameter supplementaryGroups: groups kept besides `group`, such as `shadow` for PAM's
    ///   pam_unix, which must read /etc/shadow to check other users' passwords. Groups that do not
    ///   exist are left out.
    /// - Parameter keepingUserSwitching: keep CAP_SETUID and CAP_SETGID in the calling thread's
    ///   permitted set (`PR_SET_KEEPCAPS`), for `withUserSwitching`. Every other thread loses all
    ///   capabilities with the uid change.
    static func dropIfRoot(
        user: String, group: String, supplementaryGroups: [String] = [], keepingUserSwitching: Bool = false
    ) throws -> Bool {
        guard geteuid() == 0 || getuid() == 0 else { return false }
        if keepingUserSwitching, roost_keep_capabilities(1) != 0 {
            throw ServerSetupError("prctl(PR_SET_KEEPCAPS) failed: \(String(cString: strerror(errno)))")
        }
        guard let account = getpwnam(user) else { throw ServerSetupError("mail.owner_user \(user): no such system user") }
        guard let groupEntry = getgrnam(group) else { throw ServerSetupError("mail.owner_group \(group): no such system group") }
        let uid = account.pointee.pw_uid
        let gid = groupEntry.pointee.gr_gid
        guard uid != 0, gid != 0 else { throw ServerSetupError("refusing to run as root (mail.owner_user/owner_group)") }
        var groups = [gid] + supplementaryGroups.compactMap { name in getgrnam(name).map { $0.pointee.gr_gid } }
        guard !groups.contains(0) else { throw ServerSetupError("refusing to keep the root group") }
        guard setgroups(groups.count, &groups) == 0 else { throw ServerSetupError("setgroups failed: \(String(cString: strerror(errno)))") }
        guard setgid(gid) == 0 else { throw ServerSetupError("setgid(\(gid)) failed: \(String(cString: strerror(errno)))") }
        guard setuid(uid) == 0 else { throw ServerSetupError("setuid(\(uid)) failed: \(String(cString: strerror(errno)))") }
        guard setuid(0) != 0, geteuid() == uid, getegid() == gid else {
            throw ServerSetupError("privileges could be regained after dropping them")
        }
        // PR_SET_KEEPCAPS kept every capability in the permitted set: keep only the two needed.
        if keepingUserSwitching, roost_limit_to_setid_capabilities() != 0 {
            throw ServerSetupError("capset failed: \(String(cString: strerror(errno)))")
        }
        return true
    }

    /// Raises CAP_SETUID and CAP_SETGID (only those) on the calling thread for `body`, which starts
    /// the threads that need them (they inherit the calling thread's capabilities), then drops
    /// every capability of the calling thread again. Call on the thread that called
    /// `dropIfRoot(keepingUserSwitching: true)`.
    static func withUserSwitching(_ body: () throws -> Void) throws {
        guard roost_limit_to_setid_capabilities() == 0 else {
            throw ServerSetupError("capset(CAP_SETUID, CAP_SETGID) failed: \(String(cString: strerror(errno)))")
        }
        defer {
            _ = roost_drop_all_capabilities()
            _ = roost_keep_capabilities(0)
        }
        try body()
    }

}
