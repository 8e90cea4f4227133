/// Where `PasswdFile` gets a file's identity and bytes: the real file system, or in tests a
/// stand-in that fails on demand (EMFILE, EACCES) or changes bytes under an unchanged identity,
/// which a test running as root cannot make the kernel do.
struct PasswdFileSource: Sendable {
    /// `stat` of the path.
    var identity: @Sendable (_ path: String) throws(PasswdFileError) -> PosixFile.Identity
    /// The whole file and the identity of the version read, refusing more than `maxSize` bytes
    /// with `.io(..., errno: EFBIG)`.
    var read: @Sendable (_ path: String, _ maxSize: Int) throws(PasswdFileError) -> (bytes: [UInt8], identity: PosixFile.Identity)

    /// The real file system, through `PosixFile`.
    static let posix = PasswdFileSource(
        identity: { path throws(PasswdFileError) in try PosixFile.identity(path: path) },
        read: { path, maxSize throws(PasswdFileError) in try PosixFile.read(path: path, maxSize: maxSize) }
    )
}
