import Logging

/// A Dovecot passwd-file used as both passdb and userdb, reloaded when it changes on disk.
///
/// Reload rules:
/// - At most once per `reloadCheckInterval` (by the injected clock), a lookup `stat`s the file;
///   when inode, size or mtime differ from the version in memory, the file is read and parsed.
/// - A version that fails to parse is logged (with every bad line) and ignored: lookups keep using
///   the last good version, and that same broken version is not parsed again until it changes.
/// - A file that disappears is logged once and the last good version stays in use; the editor
///   replaces the file by rename, so a missing file means an operator mistake, not an edit.
/// - The first load happens in `init`, which throws: a server must not start with a bad file.
///
/// The file is small and read synchronously inside the actor, never on an event loop.
public actor PasswdFile: PassDB, UserDB {
    public nonisolated let path: String
    public nonisolated let configuration: PasswdFileConfiguration
    private let clock: AuthClock
    private let logger: Logger
    private var snapshot: PasswdFileSnapshot
    private var identity: PosixFile.Identity
    private var lastCheck: ContinuousClock.Instant
    /// The last version that failed to parse, so it is reported once rather than every second.
    private var rejectedIdentity: PosixFile.Identity?
    /// The errno of the last failed `stat`, so a missing file is reported once.
    private var lastStatErrno: Int32?

    public init(
        path: String, configuration: PasswdFileConfiguration = PasswdFileConfiguration(),
        clock: AuthClock = .continuous, logger: Logger = Logger(label: "roost.auth.passwd-file")
    ) throws(PasswdFileError) {
        self.path = path
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        let (bytes, identity) = try PosixFile.read(path: path, maxSize: configuration.maxFileSize)
        let parsed = try PasswdFileSnapshot(
            text: String(decoding: bytes, as: UTF8.self), path: path, defaultScheme: configuration.defaultScheme
        )
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

    /// Checks the file now, regardless of the interval (for SIGHUP or the admin tool).
    /// Returns true when a new version was loaded.
    @discardableResult
    public func reloadNow() -> Bool {
        lastCheck = clock.now()
        return reloadIfChanged()
    }

    private func refreshIfDue() {
        let now = clock.now()
        guard now - lastCheck >= configuration.reloadCheckInterval else { return }
        lastCheck = now
        reloadIfChanged()
    }

    @discardableResult
    private func reloadIfChanged() -> Bool {
        let current: PosixFile.Identity
        do {
            current = try PosixFile.identity(path: path)
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
        guard current != identity, current != rejectedIdentity else { return false }
        var readIdentity = current
        do {
            let (bytes, identity) = try PosixFile.read(path: path, maxSize: configuration.maxFileSize)
            readIdentity = identity
            let parsed = try PasswdFileSnapshot(
                text: String(decoding: bytes, as: UTF8.self), path: path, defaultScheme: configuration.defaultScheme
            )
            snapshot = parsed
            self.identity = identity
            rejectedIdentity = nil
            logger.info("passwd-file reloaded", metadata: ["path": "\(path)", "users": "\(parsed.records.count)"])
            return true
        } catch {
            rejectedIdentity = readIdentity
            logger.error("passwd-file reload failed, keeping the last good version", metadata: [
                "path": "\(path)", "error": "\(error)",
            ])
            return false
        }
    }
}
