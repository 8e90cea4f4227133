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
        let directory = parentDirectory(of: path)
        let temporary = "\(path).tmp.\(getpid()).\(UniqueNames.nextCounter())"
        let fd = try POSIX.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
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
