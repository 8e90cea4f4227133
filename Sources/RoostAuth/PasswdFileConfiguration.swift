/// Settings for reading a passwd-file as passdb and userdb.
public struct PasswdFileConfiguration: Sendable, Hashable {
    /// Scheme of passwords written without `{SCHEME}`.
    public var defaultScheme: PasswordScheme
    /// The file is checked for changes (inode, size, mtime) at most this often.
    public var reloadCheckInterval: Duration
    /// Mail location for users without a `userdb_mail` field; nil leaves it to the server default.
    public var mailLocationTemplate: MailLocationTemplate?
    /// Files larger than this are refused rather than read into memory.
    public var maxFileSize: Int

    /// - Parameters:
    ///   - defaultScheme: default `.crypt`, Dovecot's default for passwd-files.
    ///   - reloadCheckInterval: default 1 s: edits show up within a second, and a login storm
    ///     costs at most one `stat` per second.
    ///   - mailLocationTemplate: default nil.
    ///   - maxFileSize: default 64 MiB (about half a million users).
    public init(
        defaultScheme: PasswordScheme = .crypt,
        reloadCheckInterval: Duration = .seconds(1),
        mailLocationTemplate: MailLocationTemplate? = nil,
        maxFileSize: Int = 64 << 20
    ) {
        self.defaultScheme = defaultScheme
        self.reloadCheckInterval = reloadCheckInterval
        self.mailLocationTemplate = mailLocationTemplate
        self.maxFileSize = maxFileSize
    }
}
