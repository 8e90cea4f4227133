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
            if systemStat(lockPath, &st) == 0 {
                let age = Self.seconds() - Double(st.st_mtim.tv_sec)
                if age > staleAfter {
                    _ = Glibc.unlink(lockPath)
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

    /// Writes `bytes` as the new content of the target and releases the lock.
    consuming func replace(with bytes: [UInt8], durable: Bool = true) throws {
        defer { released = true }
        do {
            try POSIX.writeAll(fd, bytes, path: lockPath)
            if durable { try POSIX.fsync(fd, path: lockPath) }
            POSIX.close(fd)
            fd = -1
            try POSIX.rename(lockPath, target)
            if durable { try POSIX.fsyncDirectory(AtomicFile.parentDirectory(of: target)) }
        } catch {
            if fd >= 0 { POSIX.close(fd) }
            _ = Glibc.unlink(lockPath)
            throw error
        }
    }

    /// Releases the lock without changing the target.
    consuming func release() {
        released = true
        POSIX.close(fd)
        _ = Glibc.unlink(lockPath)
    }

    deinit {
        if !released {
            if fd >= 0 { POSIX.close(fd) }
            _ = Glibc.unlink(lockPath)
        }
    }

    private static func seconds() -> Double {
        let now = POSIX.now()
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
