#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The editors' mutual exclusion: a `<file>.lock` dotlock that its holder also keeps `flock`ed.
///
/// Why both:
/// - The dotlock, created with `O_CREAT|O_EXCL`, is the lock itself and is visible to operators and
///   to other tools that use the same convention (`ls` shows who is editing).
/// - The `flock` held on it tells a live holder from a crashed one: the kernel drops it when the
///   process dies. A lock file that nobody has `flock`ed is stale when the pid written in it is no
///   longer running, or, for tools that do not write a pid or `flock`, once it is older than the
///   stale timeout. A live holder is never declared stale, however long it takes.
///
/// Races handled:
/// - A holder between `open` and `flock`: its file is brand new and has no pid yet, so it is
///   neither pid-dead nor old, and is left alone.
/// - Two processes removing the same stale lock: removal happens while holding that file's
///   `flock` (so only one at a time) and only if the path still names the same inode.
/// - Release unlinks the file before closing the descriptor, so the `flock` covers the unlink.
final class PasswdFileLock {
    let lockPath: String
    private var fd: Int32

    private init(lockPath: String, fd: Int32) {
        self.lockPath = lockPath
        self.fd = fd
    }

    deinit {
        release()
    }

    /// Waits up to `timeout` for `<path>.lock`; throws `.locked` when another editor keeps it.
    static func acquire(for path: String, timeout: Duration, staleAfter: Duration) throws(PasswdFileError) -> PasswdFileLock {
        let lockPath = path + ".lock"
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var pause = Duration.milliseconds(5)
        while true {
            let fd = open(lockPath, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 {
                // Blocking: someone checking this new file for staleness holds its flock only briefly.
                while flock(fd, LOCK_EX) != 0 {
                    if errno == EINTR { continue }
                    let code = errno
                    close(fd)
                    unlink(lockPath)
                    throw .io(path: lockPath, operation: "flock", errno: code)
                }
                let pid = Array("\(getpid())\n".utf8)
                do {
                    try PosixFile.writeAll(fd: fd, bytes: pid, path: lockPath)
                } catch {
                    unlink(lockPath)
                    close(fd)
                    throw error
                }
                return PasswdFileLock(lockPath: lockPath, fd: fd)
            }
            guard errno == EEXIST else { throw .io(path: lockPath, operation: "create lock", errno: errno) }
            if removeIfStale(lockPath: lockPath, staleAfter: staleAfter) { continue }
            guard clock.now < deadline else { throw .locked(path: lockPath) }
            let remaining = deadline - clock.now
            let wait = min(pause, max(remaining, .milliseconds(1)))
            var request = timespec(
                tv_sec: Int(wait.components.seconds), tv_nsec: Int(wait.components.attoseconds / 1_000_000_000)
            )
            var remainder = timespec()
            while nanosleep(&request, &remainder) != 0 && errno == EINTR {
                request = remainder
            }
            pause = min(pause * 2, .milliseconds(200))
        }
    }

    /// Removes the lock at `lockPath` if it is stale; true when it did (or the lock vanished).
    private static func removeIfStale(lockPath: String, staleAfter: Duration) -> Bool {
        let fd = open(lockPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT }
        defer { close(fd) }
        // A live holder keeps the flock: not stale, however old.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        var opened = stat()
        var current = stat()
        guard fstat(fd, &opened) == 0 else { return false }
        guard stat(lockPath, &current) == 0 else { return errno == ENOENT }
        // The path was replaced since we opened it: that is someone else's lock now.
        guard opened.st_ino == current.st_ino && opened.st_dev == current.st_dev else { return false }
        let age = Int(time(nil)) - PosixFile.Identity(opened).modificationSeconds
        let staleSeconds = Int(staleAfter.components.seconds)
        let holderGone = holderPID(fd: fd).map { kill($0, 0) != 0 && errno == ESRCH } ?? false
        guard holderGone || age > staleSeconds else { return false }
        return unlink(lockPath) == 0 || errno == ENOENT
    }

    /// The pid written in the lock file, if it holds one.
    private static func holderPID(fd: Int32) -> pid_t? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingSpaces()
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard let pid = pid_t(digits), pid > 0 else { return nil }
        return pid
    }

    /// Removes the lock file, then drops the flock. Safe to call more than once.
    func release() {
        guard fd >= 0 else { return }
        unlink(lockPath)
        close(fd)
        fd = -1
    }
}
