#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// A Dovecot passwd-file used as both passdb and userdb, reloaded when it changes on disk.
///
/// Reload rules:
/// - At most once per `reloadCheckInterval` (by the injected clock), a lookup `stat`s the file;
///   when inode, size or mtime differ from the version in memory, the file is read and parsed.
/// - A version that fails to parse (or is larger than `maxFileSize`) is logged (with every bad
///   line) and ignored: lookups keep using the last good version, and that same broken version is
///   not parsed again until it changes.
/// - A version that cannot be read (EMFILE, ENOMEM, EACCES, ...) is not marked broken: the error
///   may be temporary, and pinning the old version until the next edit would silently keep a
///   reset password or a deleted user alive. It is retried at the next check; each distinct
///   errno is logged once.
/// - A file that disappears is logged once and the last good version stays in use; the editor
///   replaces the file by rename, so a missing file means an operator mistake, not an edit.
/// - `reloadNow()` re-reads even a version that was refused before: an in-place fix can keep size
///   and mtime (coarse timestamps), and an operator's explicit reload must not be ignored.
/// - The first load happens in `init`, which throws: a server must not start with a bad file.
///
/// The file is small and read synchronously inside the actor, never on an event loop.
public actor PasswdFile: PassDB, UserDB {
    public nonisolated let path: String
    public nonisolated let configuration: PasswdFileConfiguration
    private let clock: AuthClock
    private let logger: Logger
    private let source: PasswdFileSource
    private var snapshot: PasswdFileSnapshot
    private var identity: PosixFile.Identity
    private var lastCheck: ContinuousClock.Instant
    /// The last version that failed to parse, so it is reported once rather than every second.
    private var rejectedIdentity: PosixFile.Identity?
    /// The errno of the last failed `stat`, so a missing file is reported once.
    private var lastStatErrno: Int32?
    /// The errno of the last failed read, so a lasting I/O error is reported once, not every check.
    private var lastReadErrno: Int32?

    public init(
        path: String, configuration: PasswdFileConfiguration = PasswdFileConfiguration(),
        clock: AuthClock = .continuous, logger: Logger = Logger(label: "roost.auth.passwd-file")
    ) throws(PasswdFileError) {
        try self.init(path: path, configuration: configuration, clock: clock, logger: logger, source: .posix)
    }

    /// For tests: reads through `source` instead of the file system.
    init(
        path: String, configuration: PasswdFileConfiguration, clock: AuthClock, logger: Logger, source: PasswdFileSource
    ) throws(PasswdFileError) {
        self.path = path
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.source = source
        let (bytes, identity) = try source.read(path, configuration.maxFileSize)
        let parsed = try PasswdFileSnapshot(bytes: bytes, path: path, defaultScheme: configuration.defaultScheme)
        snapshot = parsed
        self.identity = identity
        lastCheck = clock.now()
        logger.info("passwd-file loaded", metadata: ["path": "\(path)", "users": "\(parsed.records.count)"])
    }

    // MARK: PassDB

    public func lookup(user: String) -> PassDBEntry? {
        passDBEntry(user: user)
    }

    public func canServeCRAMMD5() -> Bool {
        refreshIfDue()
        return snapshot.canServeCRAMMD5
    }

    public func canServeAPOP() -> Bool {
        refreshIfDue()
        return snapshot.canServeAPOP
    }

    /// The passdb entry for `user` (unambiguous name for direct callers).
    public func passDBEntry(user: String) -> PassDBEntry? {
        refreshIfDue()
        return snapshot.record(for: user).map { snapshot.passDBEntry(for: $0) }
    }

    // MARK: UserDB

    public func lookup(user: String) throws -> UserRecord? {
        try userRecord(user: user)
    }

    /// The userdb record for `user` (unambiguous name for direct callers). Throws
    /// `MailLocationTemplate.TemplateError` when the name cannot be put into the mail path.
    public func userRecord(user: String) throws -> UserRecord? {
        refreshIfDue()
        guard let record = snapshot.record(for: user) else { return nil }
        return try snapshot.userRecord(for: record, defaultMailLocation: configuration.mailLocationTemplate)
    }

    // MARK: Inspection and reload

    /// The user names in the version in use, sorted.
    public func userNames() -> [String] {
        refreshIfDue()
        return snapshot.records.keys.sorted()
    }

    /// Checks the file now, regardless of the interval (for SIGHUP or the admin tool), and reads
    /// it even if this same version was refused before. Returns true when a new version was loaded.
    @discardableResult
    public func reloadNow() -> Bool {
        lastCheck = clock.now()
        return reloadIfChanged(retryingRejected: true)
    }

    private func refreshIfDue() {
        let now = clock.now()
        guard now - lastCheck >= configuration.reloadCheckInterval else { return }
        lastCheck = now
        reloadIfChanged(retryingRejected: false)
    }

    @discardableResult
    private func reloadIfChanged(retryingRejected: Bool) -> Bool {
        let current: PosixFile.Identity
        do {
            current = try source.identity(path)
            lastStatErrno = nil
        } catch {
            if case .io(_, _, let code) = error, code != lastStatErrno {
                lastStatErrno = code
                logger.error("passwd-file unavailable, keeping the last good version", metadata: [
                    "path": "\(path)", "error": "\(error)",
                ])
            }
            return false
        }
        guard current != identity, retryingRejected || current != rejectedIdentity else { return false }
        var readIdentity = current
        do {
            let (bytes, identity) = try source.read(path, configuration.maxFileSize)
            readIdentity = identity
            let parsed = try PasswdFileSnapshot(bytes: bytes, path: path, defaultScheme: configuration.defaultScheme)
            snapshot = parsed
            self.identity = identity
            rejectedIdentity = nil
            lastReadErrno = nil
            logger.info("passwd-file reloaded", metadata: ["path": "\(path)", "users": "\(parsed.records.count)"])
            return true
        } catch {
            // EFBIG is how `PosixFile.read` reports a file over `maxFileSize`: a property of this
            // version, like a parse error. Any other I/O error may pass; retry at the next check.
            if case .io(_, _, let code) = error, code != EFBIG {
                if code != lastReadErrno {
                    lastReadErrno = code
                    logger.error("passwd-file unreadable, keeping the last good version until it can be read", metadata: [
                        "path": "\(path)", "error": "\(error)",
                    ])
                }
                return false
            }
            rejectedIdentity = readIdentity
            lastReadErrno = nil
            logger.error("passwd-file reload failed, keeping the last good version", metadata: [
                "path": "\(path)", "error": "\(error)",
            ])
            return false
        }
    }
}
