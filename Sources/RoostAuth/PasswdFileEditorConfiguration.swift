/// Settings for `PasswdFileEditor`.
public struct PasswdFileEditorConfiguration: Sendable, Hashable {
    /// How long an edit waits for another editor's lock before failing with `.locked`.
    public var lockTimeout: Duration
    /// A lock file nobody holds `flock` on is stale after this long even if its pid looks alive
    /// (it was left by a tool that does not use `flock` or write its pid).
    public var staleLockTimeout: Duration
    /// Longest user name accepted for new users, in UTF-8 bytes.
    public var maxUserNameLength: Int
    /// Scheme assumed for password values written without `{SCHEME}` (used to validate them).
    public var defaultScheme: PasswordScheme
    /// Permissions of a passwd-file the editor creates; an existing file keeps its own.
    public var newFileMode: UInt32

    /// - Parameters:
    ///   - lockTimeout: default 10 s; edits take milliseconds, so only a stuck editor waits that long.
    ///   - staleLockTimeout: default 30 s.
    ///   - maxUserNameLength: default 255.
    ///   - defaultScheme: default `.crypt`, as for the reader.
    ///   - newFileMode: default 0o600: the file holds password hashes.
    public init(
        lockTimeout: Duration = .seconds(10),
        staleLockTimeout: Duration = .seconds(30),
        maxUserNameLength: Int = 255,
        defaultScheme: PasswordScheme = .crypt,
        newFileMode: UInt32 = 0o600
    ) {
        self.lockTimeout = lockTimeout
        self.staleLockTimeout = staleLockTimeout
        self.maxUserNameLength = maxUserNameLength
        self.defaultScheme = defaultScheme
        self.newFileMode = newFileMode
    }
}
