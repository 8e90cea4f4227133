#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the passwd-file reader and editor need, with errno kept.
///
/// Foundation's file APIs hide inode numbers and fsync, and `Data(contentsOf:)` cannot tell which
/// version of a file it read; these helpers read through one descriptor and report its identity.
enum PosixFile {
    /// What identifies one version of a file: a rename swaps the inode, an in-place edit changes
    /// size or mtime (nanoseconds, so two edits in one second still differ).
    struct Identity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modificationSeconds: Int
        var modificationNanoseconds: Int

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            #if canImport(Darwin)
            modificationSeconds = Int(info.st_mtimespec.tv_sec)
            modificationNanoseconds = Int(info.st_mtimespec.tv_nsec)
            #else
            modificationSeconds = Int(info.st_mtim.tv_sec)
            modificationNanoseconds = Int(info.st_mtim.tv_nsec)
            #endif
        }
    }

    /// The identity of the file at `path` now.
    static func identity(path: String) throws(PasswdFileError) -> Identity {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .io(path: path, operation: "stat", errno: errno) }
        return Identity(info)
    }

    /// The full contents and identity of the file at `path`, read through one descriptor.
    static func read(path: String, maxSize: Int) throws(PasswdFileError) -> (bytes: [UInt8], identity: Identity) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, operation: "fstat", errno: errno) }
        guard Int(info.st_size) <= maxSize else { throw .io(path: path, operation: "read (file too large)", errno: EFBIG) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maxSize else { throw .io(path: path, operation: "read (file too large)", errno: EFBIG) }
        }
        return (bytes, Identity(info))
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    static func writeAll(fd: Int32, bytes: [UInt8], path: String) throws(PasswdFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            offset += written
        }
    }

    /// fsync, retrying EINTR.
    static func sync(fd: Int32, path: String) throws(PasswdFileError) {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw .io(path: path, operation: "fsync", errno: errno)
        }
    }

    /// fsyncs a directory so that a rename or unlink in it survives a crash.
    static func syncDirectory(_ directory: String) throws(PasswdFileError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: directory, operation: "open directory", errno: errno) }
        defer { close(fd) }
        try sync(fd: fd, path: directory)
    }

    /// The directory part of `path` (`.` when there is none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// The last path component.
    static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

// `read` and `write` are shadowed by the enum's own methods inside `PosixFile`; these names reach the C ones.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
