#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths as the file system sees them, to tell whether two paths are the same directory or one
/// lies inside the other.
///
/// Strings cannot answer that: `/var/vmail//x`, `/var/vmail/./x`, `/srv/../var/vmail/x`, `~/.`
/// and a symbolic link can all name one directory. So a path is resolved component by component
/// as realpath(3) does, except that a tail that does not exist is kept as written (a home that
/// is not created yet still has ancestors), and directories are compared by device and inode,
/// which also sees through bind mounts.
enum RealPath {
    /// A file's device and inode number.
    struct Identity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
    }

    /// What `lstat` says a path is.
    enum Kind: Sendable, Equatable {
        case directory, regularFile, symbolicLink, other
    }

    /// Symbolic links followed in one path before giving up, as Linux's ELOOP limit.
    static let maxSymbolicLinks = 40

    /// `path` with every symbolic link, `.`, `..` and empty component resolved; the part from the
    /// first component that does not exist on is only cleaned up. A relative path is taken from
    /// the working directory.
    ///
    /// - Throws: `AdminError` when a component cannot be examined (other than not existing) or
    ///   the links loop.
    static func resolve(_ path: String) throws(AdminError) -> String {
        var pending = components(of: absolute(path))[...]
        var resolved: [String] = []
        var links = 0
        while let component = pending.popFirst() {
            if component == "." { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = "/" + (resolved + [component]).joined(separator: "/")
            var status = stat()
            guard lstat(candidate, &status) == 0 else {
                let number = errno
                guard number == ENOENT || number == ENOTDIR else { throw failure(candidate, number) }
                resolved.append(component)
                continue
            }
            guard (status.st_mode & S_IFMT) == S_IFLNK else {
                resolved.append(component)
                continue
            }
            links += 1
            guard links <= maxSymbolicLinks else { throw failure(path, ELOOP) }
            let target = try readLink(candidate)
            if target.hasPrefix("/") { resolved.removeAll() }
            pending = (components(of: target) + pending)[...]
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// The identity of the file `path` names (links followed); nil when it does not exist.
    static func identity(of path: String) -> Identity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// The identities of `path` and of every directory above it up to `/`, those that exist,
    /// deepest first. A directory is `path` or one of its ancestors exactly when its identity
    /// is in this list.
    static func ancestry(of path: String) throws(AdminError) -> [Identity] {
        var current = try resolve(path)
        var identities: [Identity] = []
        while true {
            if let identity = identity(of: current) { identities.append(identity) }
            guard current != "/" else { return identities }
            current = parent(of: current)
        }
    }

    /// What `path` itself is (a link is not followed); nil when it does not exist.
    static func kind(of path: String) -> Kind? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regularFile
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// The parent of an absolute, resolved path; `/` for `/`.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    private static func components(of path: String) -> [String] {
        path.split(separator: "/").map(String.init)
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let directory = getcwd(nil, 0) else { return "/" + path }
        defer { free(directory) }
        return String(cString: directory) + "/" + path
    }

    private static func readLink(_ path: String) throws(AdminError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw failure(path, errno) }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func failure(_ path: String, _ number: Int32) -> AdminError {
        AdminError(number == EACCES || number == EPERM ? .noPermission : .ioError,
                   "cannot examine \(path): \(String(cString: strerror(number)))")
    }
}
