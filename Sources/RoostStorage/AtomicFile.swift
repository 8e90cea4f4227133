#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe replacement of a small state file: write a temporary file beside it, fsync, rename over
/// the old one, fsync the directory. A reader sees the old or the new content, never a mix, and after a
/// crash at any point the old or the new file is there whole.
enum AtomicFile {
    /// - Parameters:
    ///   - durable: fsync the data and the directory. Caches that are rebuilt anyway pass `false`.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, durable: Bool = true) throws {
        try write(bytes, to: path, mode: mode, durable: durable, temporaryName: temporaryName(for:))
    }

    /// A name beside `path` that no other writer uses: time, pid, counter and host (`UniqueNames`) plus
    /// 64 random bits, so a leftover from a crashed process whose pid was reused cannot collide with it.
    static func temporaryName(for path: String) -> String {
        "\(path).tmp.\(UniqueNames.make()).R\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    }

    /// `write` with the temporary names injected (tests use it to provoke a collision).
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, durable: Bool,
                      temporaryName: (String) -> String) throws {
        let directory = parentDirectory(of: path)
        var temporary = temporaryName(path)
        let fd: Int32
        do {
            fd = try POSIX.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        } catch let error as StorageError where error.kind == .exists {
            // Someone else's file (or a crash leftover) has the name: one more try with a new one.
            temporary = temporaryName(path)
            fd = try POSIX.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        }
        do {
            defer { POSIX.close(fd) }
            try POSIX.writeAll(fd, bytes, path: temporary)
            if durable { try POSIX.fsync(fd, path: temporary) }
        } catch {
            _ = Glibc.unlink(temporary)
            throw error
        }
        do {
            try POSIX.rename(temporary, path)
        } catch {
            _ = Glibc.unlink(temporary)
            throw error
        }
        if durable { try POSIX.fsyncDirectory(directory) }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
