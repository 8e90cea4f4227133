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
        _ = try replace(with: bytes, at: path, mode: mode, durable: durable, reader: false, temporaryName: temporaryName)
    }

    /// `write`, returning a descriptor open for reading the file written (the caller closes it).
    /// It is opened before the rename: opening `path` after it could give a file another process
    /// renamed there in between.
    static func writeKeepingReader(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, durable: Bool = true) throws -> Int32 {
        try replace(with: bytes, at: path, mode: mode, durable: durable, reader: true, temporaryName: temporaryName(for:))
    }

    /// Writes the temporary file and renames it over `path`; returns a descriptor reading it when
    /// `reader` is set, -1 otherwise.
    private static func replace(with bytes: [UInt8], at path: String, mode: mode_t, durable: Bool, reader: Bool,
                                temporaryName: (String) -> String) throws -> Int32 {
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
        var readerFD: Int32 = -1
        do {
            defer { POSIX.close(fd) }
            try POSIX.writeAll(fd, bytes, path: temporary)
            if durable { try POSIX.fsync(fd, path: temporary) }
            // The name is ours alone until the rename, so this is the file just written.
            if reader { readerFD = try POSIX.open(temporary, O_RDONLY) }
        } catch {
            _ = Glibc.unlink(temporary)
            throw error
        }
        do {
            try POSIX.rename(temporary, path)
        } catch {
            if readerFD >= 0 { POSIX.close(readerFD) }
            _ = Glibc.unlink(temporary)
            throw error
        }
        do {
            if durable { try POSIX.fsyncDirectory(directory) }
        } catch {
            if readerFD >= 0 { POSIX.close(readerFD) }
            throw error
        }
        return readerFD
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
