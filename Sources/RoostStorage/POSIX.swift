#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, throwing wrappers over the system calls the Maildir code needs. They exist so that every
/// `errno` becomes a `StorageError` of the right kind in one place, and so that `EINTR` is retried.
enum POSIX {
    static func error(_ operation: String, _ path: String, errno code: Int32 = errno) -> StorageError {
        let text = String(cString: strerror(code))
        let kind: StorageError.Kind
        switch code {
        case ENOENT, ENOTDIR: kind = .notFound
        case EEXIST, ENOTEMPTY: kind = .exists
        case EACCES, EPERM, EROFS, ELOOP: kind = .noPermission
        case EDQUOT: kind = .overQuota
        case ENAMETOOLONG: kind = .limit
        default: kind = .temporary
        }
        return StorageError(kind, "\(operation) \(path): \(text)")
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw error("open", path) }
        }
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            offset += n
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Reads up to `count` bytes at the current offset; returns fewer only at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = Glibc.read(fd, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 {
                if errno == EINTR { continue }
                throw error("read", path)
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    static func pread(_ fd: Int32, offset: Int64, count: Int, path: String) throws -> [UInt8] {
        // Read into uninitialized storage: zeroing what the read overwrites costs as much again.
        var failure: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var total = 0
            while total < count {
                let n = Glibc.pread(fd, buffer.baseAddress! + total, count - total, off_t(offset) + off_t(total))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                total += n
            }
            initialized = total
        }
        if failure != 0 {
            errno = failure
            throw error("read", path)
        }
        return out
    }

    /// Reads a whole file; `nil` when it does not exist. Throws `.limit` when the file is larger than
    /// `limit` bytes: checked against its size before anything is allocated, and never more than
    /// `limit + 1` bytes are read (the file may grow while it is read, or `st_size` may be 0 for a pipe).
    static func readFile(_ path: String, limit: Int = 1 << 30) throws -> [UInt8]? {
        let fd: Int32
        do { fd = try open(path, O_RDONLY) } catch let e as StorageError where e.kind == .notFound { return nil }
        defer { close(fd) }
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0 else { throw error("stat", path) }
        let tooLarge = StorageError(.limit, "\(path) is larger than \(limit) bytes")
        if Int64(st.st_size) > Int64(limit) { throw tooLarge }
        var bytes: [UInt8] = []
        // One more byte than expected, so that reaching end of file is seen without a second read.
        var chunk = Self.cappedRead(max(Int(st.st_size), 0), have: 0, limit: limit)
        while true {
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: chunk))
            let got = try bytes.withUnsafeMutableBytes { all in
                try read(fd, into: UnsafeMutableRawBufferPointer(rebasing: all[start...]), path: path)
            }
            bytes.removeLast(chunk - got)
            if bytes.count > limit { throw tooLarge }
            if got < chunk { break }
            chunk = Self.cappedRead(64 * 1024 - 1, have: bytes.count, limit: limit)
        }
        return bytes
    }

    /// `wanted + 1` bytes, but no more than one byte past `limit` in total.
    private static func cappedRead(_ wanted: Int, have: Int, limit: Int) -> Int {
        let room = limit - have // >= 0: the caller has thrown once `have` passes `limit`
        let n = min(wanted, room)
        return n == Int.max ? n : n + 1
    }

    static func fsync(_ fd: Int32, path: String) throws {
        if Glibc.fsync(fd) != 0 { throw error("fsync", path) }
    }

    /// Makes a rename or create inside `directory` durable.
    static func fsyncDirectory(_ directory: String) throws {
        let fd = try open(directory, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: directory)
    }

    static func rename(_ from: String, _ to: String) throws {
        if Glibc.rename(from, to) != 0 { throw error("rename", from) }
    }

    /// `link(2)` fails when the target exists, which makes it an atomic "create if absent".
    static func link(_ from: String, _ to: String) throws {
        if Glibc.link(from, to) != 0 { throw error("link", to) }
    }

    static func unlink(_ path: String) throws {
        if Glibc.unlink(path) != 0 { throw error("unlink", path) }
    }

    static func mkdir(_ path: String, mode: mode_t = 0o700) throws {
        if Glibc.mkdir(path, mode) != 0 { throw error("mkdir", path) }
    }

    static func rmdir(_ path: String) throws {
        if Glibc.rmdir(path) != 0 { throw error("rmdir", path) }
    }

    /// `stat(2)`; `nil` when the path does not exist.
    static func stat(_ path: String) throws -> stat? {
        var st = Glibc.stat()
        if systemStat(path, &st) == 0 { return st }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw error("stat", path)
    }

    /// `lstat(2)`: a symbolic link is described, not followed; `nil` when the path does not exist.
    static func lstat(_ path: String) throws -> stat? {
        var st = Glibc.stat()
        if Glibc.lstat(path, &st) == 0 { return st }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw error("lstat", path)
    }

    static func exists(_ path: String) -> Bool {
        var st = Glibc.stat()
        return systemStat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = Glibc.stat()
        return systemStat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a directory, without `.` and `..`; `nil` when it does not exist.
    static func listDirectory(_ path: String) throws -> [String]? {
        guard let dir = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw error("opendir", path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    /// Sets a file's modification time (Maildir's record of a message's internal date).
    static func setModificationTime(_ fd: Int32, seconds: Int64, path: String) throws {
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: (1 << 30) - 2 /* UTIME_OMIT */),
                     timespec(tv_sec: Int(seconds), tv_nsec: 0)]
        if futimens(fd, &times) != 0 { throw error("futimens", path) }
    }

    /// Removes a directory tree. Used only on trees renamed out of sight first. Symbolic links
    /// are removed, never followed: a folder that is a link to a shared directory loses the
    /// link, and the directory keeps its files.
    static func removeTree(_ path: String) throws {
        var own = Glibc.stat()
        if Glibc.lstat(path, &own) == 0, (own.st_mode & S_IFMT) != S_IFDIR {
            if Glibc.unlink(path) != 0 && errno != ENOENT { throw error("unlink", path) }
            return
        }
        if let names = try listDirectory(path) {
            for name in names {
                let child = path + "/" + name
                var st = Glibc.stat()
                if Glibc.lstat(child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                    try removeTree(child)
                } else if Glibc.unlink(child) != 0 && errno != ENOENT {
                    throw error("unlink", child)
                }
            }
        }
        if Glibc.rmdir(path) != 0 && errno != ENOENT { throw error("rmdir", path) }
    }

    static func now() -> timespec {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension stat {
    /// Modification time in nanoseconds since the epoch.
    var modificationNanoseconds: Int64 { Int64(st_mtim.tv_sec) * 1_000_000_000 + Int64(st_mtim.tv_nsec) }
}

/// `stat(2)` by path, callable where a member named `stat` would shadow the C function.
func systemStat(_ path: String, _ buffer: inout stat) -> Int32 {
    stat(path, &buffer)
}
