#if canImport(Glibc)
import Glibc
#endif

/// A folder's directory held open for a batch of renames or unlinks. Each names its file relative
/// to it (`cur/<name>`), so the kernel does not walk the folder's whole path twice per message: a
/// `STORE 1:* +FLAGS (\Seen)` renames every file of the folder.
struct FolderDirectory: ~Copyable {
    let path: String
    private let fd: Int32

    /// Throws `.notFound` when the folder is gone.
    init(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw StorageError(.notFound, "folder \(path) was deleted") }
            throw POSIX.error("open", path)
        }
        self.path = path
        self.fd = fd
    }

    /// `rename(2)` of `from` to `to`, both relative to the folder; false with `errno` set.
    func rename(_ from: String, to: String) -> Bool {
        renameat(fd, from, fd, to) == 0
    }

    /// `unlink(2)` of `relative`; false with `errno` set.
    func unlink(_ relative: String) -> Bool {
        unlinkat(fd, relative, 0) == 0
    }

    deinit { Glibc.close(fd) }
}
