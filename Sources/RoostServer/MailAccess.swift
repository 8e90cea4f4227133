import CRoostPrivileges
import NIOConcurrencyHelpers
import NIOPosix
import RoostAuth
import RoostProtocolSupport
import RoostStorage
#if canImport(Glibc)
import Glibc
#endif

/// Where storage work runs, and how a thread takes a system user's file identity.
///
/// Virtual users' mail belongs to roostd's own user: their work runs on the storage pool as is.
/// A system user's Maildir belongs to that user (`auth.userdb = system`): the work runs on a pool
/// whose threads may change their file-system uid and gid (setfsuid/setfsgid are per thread) and
/// do so around each job, so files are read and created as the user. Those threads hold
/// CAP_SETUID and CAP_SETGID and nothing else when roostd has dropped root
/// (`startUserSwitchingPool`); in a process that is still root (tests, roostd run by hand as
/// root) the storage pool itself can switch. An identity below `auth.first_valid_uid` (root
/// among them) is never taken.
final class MailAccess: Sendable {
    private let storagePool: BlockingWorkPool
    private let userSwitchingPool = NIOLockedValueBox<BlockingWorkPool?>(nil)
    /// Hands the user-switching pool's results back to the awaiting tasks from a thread without
    /// capabilities (see `BlockingWorkPool`'s `completions`). Started with the server, before
    /// privileges are dropped, which leaves it none.
    private let resumer: NIOThreadPool
    private let firstValidUID: UInt32

    init(storagePool: BlockingWorkPool, firstValidUID: UInt32) {
        self.storagePool = storagePool
        self.firstValidUID = firstValidUID
        resumer = NIOThreadPool(numberOfThreads: 1)
        resumer.start()
    }

    /// Starts the storage threads for system users' mail: jobs with an identity go to them from
    /// now on. Call on a thread holding CAP_SETUID and CAP_SETGID (`PrivilegeDrop.withUserSwitching`):
    /// the new threads inherit them.
    func startUserSwitchingPool() {
        let resumer = self.resumer
        let pool = BlockingWorkPool(
            threadCount: ServerComponents.storageThreads, name: "roost-user", maxQueuedJobs: 4096,
            // A work item submitted after shutdown still runs (state .cancelled): no task is left waiting.
            completions: { resume in resumer.submit { _ in resume() } }
        )
        userSwitchingPool.withLockedValue { $0 = pool }
    }

    var executor: StorageExecutor {
        StorageExecutor { identity, work in
            guard let identity else { return try await self.storagePool.run { try work() } }
            guard identity.uid != 0, identity.gid != 0, identity.uid >= self.firstValidUID else {
                throw StorageError(.noPermission, "refusing to access mail as uid \(identity.uid), gid \(identity.gid)")
            }
            let pool = self.userSwitchingPool.withLockedValue { $0 } ?? self.storagePool
            return try await pool.run { try Self.asUser(identity, work) }
        }
    }

    /// Runs `work` on this thread with the user's fsuid, fsgid and (only) the user's group as
    /// supplementary group, then puts the thread's own back. The groups matter: roostd's own
    /// (mail owner, `shadow` for PAM) would otherwise open files the user may not read.
    private static func asUser<Value>(_ identity: MailIdentity, _ work: () throws -> Value) throws -> Value {
        let ownUID = geteuid(), ownGID = getegid()
        var ownGroups = [gid_t](repeating: 0, count: 64)
        let ownCount = roost_get_thread_groups(&ownGroups, Int32(ownGroups.count))
        var userGroups = [identity.gid]
        guard ownCount >= 0, roost_set_thread_groups(&userGroups, 1) == 0 else {
            throw StorageError(.noPermission, "cannot access mail as uid \(identity.uid): roostd may not change its groups")
        }
        defer {
            // A thread left with another user's identity would serve the next job as that user.
            precondition(roost_set_fs_identity(ownUID, ownGID) == 0, "cannot restore the storage thread's file identity")
            precondition(roost_set_thread_groups(&ownGroups, ownCount) == 0, "cannot restore the storage thread's groups")
        }
        guard roost_set_fs_identity(identity.uid, identity.gid) == 0 else {
            throw StorageError(.noPermission, "cannot access mail as uid \(identity.uid): roostd may not change its file identity")
        }
        return try work()
    }

    func shutdown() {
        userSwitchingPool.withLockedValue { $0 }?.shutdown()
        resumer.shutdownGracefully { _ in }
    }
}
