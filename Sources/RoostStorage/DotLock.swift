#if canImport(Glibc)
import Glibc
#endif

/// Dovecot-compatible dot-lock: `<file>.lock` created with `O_EXCL`. Dovecot takes exactly this lock
/// before changing `dovecot-uidlist`, so Roost and a Dovecot still running on the same Maildir (during a
/// migration) exclude each other. Dovecot changes `dovecot-keywords` only while it holds the uidlist
/// lock, so Roost does too (and lock order is always uidlist, then keywords).
///
/// A lock whose file has not changed for `staleAfter` seconds is taken to be left by a crashed process
/// and is removed, as Dovecot does. `replace(with:)` writes the new content into the lock file and
/// renames it over the target: replacing the file and releasing the lock in one atomic step.
///
/// Invariants:
/// - A stale lock is removed only if the file at the lock path is still the one judged stale (same
///   device, inode and modification time). Two waiters that both judge the same lock stale therefore
///   cannot remove each other's fresh lock: see `breakStale(_:judged:)`.
/// - We never rename or unlink a lock file that is not ours (checked by inode against our open
///   descriptor just before), so a holder whose lock was wrongly broken fails with `.temporary`
///   instead of overwriting the target or deleting the new holder's lock.
struct DotLock: ~Copyable {
    let target: String
    let lockPath: String
    private var fd: Int32
    private var released = false

    /// Tries for up to `timeout` seconds, sleeping briefly between attempts.
    init(for target: String, timeout: Double = 30, staleAfter: Double = 120) throws {
        self.target = target
        self.lockPath = target + ".lock"
        let deadline = Self.seconds() + timeout
        var delay: UInt32 = 2_000
        while true {
            let fd = Glibc.open(lockPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                self.fd = fd
                return
            }
            guard errno == EEXIST else { throw POSIX.error("create lock", lockPath) }
            var st = stat()
            if Glibc.lstat(lockPath, &st) == 0 {
                let age = Self.seconds() - Double(st.st_mtim.tv_sec)
                if age > staleAfter {
                    if !Self.breakStale(lockPath, judged: st) && Self.seconds() > deadline {
                        // Not removable (or someone keeps replacing it): don't spin past the timeout.
                        throw StorageError(.inUse, "\(target) is locked by another process (\(lockPath))")
                    }
                    // As Dovecot does after breaking a lock: let the other waiters that saw the same
                    // stale lock settle before we race them for the new one.
                    usleep(UInt32.random(in: 10_000...100_000))
                    continue
                }
            }
            if Self.seconds() > deadline {
                throw StorageError(.inUse, "\(target) is locked by another process (\(lockPath))")
            }
            usleep(delay)
            delay = min(delay * 2, 100_000)
        }
    }

    /// Removes the lock file at `lockPath` if it is still the one described by `judged`.
    ///
    /// There is no "unlink if inode is X", so breakers take turns: each holds an exclusive `flock`
    /// on `<lock>.breaking` while it compares the file at the lock path with the judged one and
    /// unlinks it only if it is the same. While one breaker holds that lock no other Roost process
    /// can remove anything, and nobody can create a fresh lock until the stale one is gone, so the
    /// comparison still holds at the unlink. The kernel releases the `flock` of a breaker that
    /// crashes, so `<lock>.breaking` is never removed and never goes stale; it is an empty file left
    /// beside the lock. (Moving the lock aside to compare it, as Roost did before, left the lock path
    /// free for a moment: a third waiter could take it, and the fresh lock moved aside could not be
    /// put back, leaving two holders.)
    ///
    /// What remains: a holder alive past `staleAfter` may release its own lock between our
    /// comparison and our unlink, and a new holder's lock be unlinked instead; Dovecot, which does
    /// not know `<lock>.breaking`, breaks stale locks its own way.
    ///
    /// Returns whether the judged stale lock was removed (by us).
    @discardableResult
    static func breakStale(_ lockPath: String, judged: stat) -> Bool {
        let breaking = lockPath + ".breaking"
        let fd = Glibc.open(breaking, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) } // releases the flock
        // Another waiter is breaking it: retry later.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        var there = stat()
        guard Glibc.lstat(lockPath, &there) == 0, there.st_dev == judged.st_dev, there.st_ino == judged.st_ino,
              there.st_mtim.tv_sec == judged.st_mtim.tv_sec, there.st_mtim.tv_nsec == judged.st_mtim.tv_nsec
        else { return false } // gone, or a fresh lock since the judgement
        return Glibc.unlink(lockPath) == 0
    }

    /// Whether the file at `lockPath` is still the one we created (not broken as stale and replaced by
    /// another process's lock). Needs `fd` open.
    private func holdsLockFile() -> Bool {
        guard fd >= 0 else { return false }
        var mine = stat()
        var there = stat()
        guard fstat(fd, &mine) == 0, Glibc.lstat(lockPath, &there) == 0 else { return false }
        return mine.st_dev == there.st_dev && mine.st_ino == there.st_ino
    }

    /// Writes `bytes` as the new content of the target and releases the lock.
    ///
    /// Throws `.temporary` without touching the target when our lock was broken meanwhile. Once the
    /// rename has happened the lock path is never unlinked again: a new lock there belongs to someone else.
    consuming func replace(with bytes: [UInt8], durable: Bool = true) throws {
        defer { released = true }
        var renamed = false
        do {
            try POSIX.writeAll(fd, bytes, path: lockPath)
            if durable { try POSIX.fsync(fd, path: lockPath) }
            guard holdsLockFile() else {
                POSIX.close(fd)
                fd = -1
                throw StorageError(.temporary, "lock \(lockPath) was taken over by another process; \(target) not changed")
            }
            try POSIX.rename(lockPath, target)
            renamed = true
            POSIX.close(fd)
            fd = -1
            if durable { try POSIX.fsyncDirectory(AtomicFile.parentDirectory(of: target)) }
        } catch {
            if fd >= 0 {
                if !renamed && holdsLockFile() { _ = Glibc.unlink(lockPath) }
                POSIX.close(fd)
                fd = -1
            }
            throw error
        }
    }

    /// Releases the lock without changing the target.
    consuming func release() {
        released = true
        unlinkIfHeld()
    }

    private mutating func unlinkIfHeld() {
        guard fd >= 0 else { return }
        if holdsLockFile() { _ = Glibc.unlink(lockPath) }
        POSIX.close(fd)
        fd = -1
    }

    deinit {
        if !released && fd >= 0 {
            if holdsLockFile() { _ = Glibc.unlink(lockPath) }
            POSIX.close(fd)
        }
    }

    private static func seconds() -> Double {
        let now = POSIX.now()
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
