#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe, locked edits of a passwd-file while the server reads it.
///
/// Every edit: take the lock (`PasswdFileLock`), read the current file, change the user's line,
/// write the whole file to a temporary file in the same directory, fsync it, give it the old file's
/// mode and owner, rename it over the original, fsync the directory, release the lock. Readers
/// therefore see either the old or the new file, never a half-written one, and a crash at any
/// point leaves the old file or the new one (plus at most a stray temporary, never renamed).
///
/// Comments, blank lines, line order and lines the editor does not understand are written back
/// as they were; only the edited user's line is rewritten. The methods block (locking, fsync): call
/// them from the admin tool or a `BlockingWorkPool`, not from an event loop.
///
/// Two guarantees towards the reader (`PasswdFile`), which refuses a whole file for one bad line:
/// - Before replacing the file, the new content is checked with the reader's own rules
///   (`PasswdFileSnapshot.problems`). An edit that would add a problem (a uid the reader refuses,
///   an unknown `%` variable, a truncated digest) fails with `invalidField` naming it, and the
///   file is left as it was. Problems already in the file do not block edits, so a damaged line
///   can still be deleted.
/// - A file that is not valid UTF-8 is not edited at all (`parse`, with the line numbers):
///   rewriting it would replace the bad bytes of lines nobody asked to change.
public struct PasswdFileEditor: Sendable {
    public let path: String
    public let configuration: PasswdFileEditorConfiguration

    public init(path: String, configuration: PasswdFileEditorConfiguration = PasswdFileEditorConfiguration()) {
        self.path = path
        self.configuration = configuration
    }

    /// Adds a user line at the end; creates the file if it does not exist.
    public func addUser(_ record: PasswdFileRecord) throws(PasswdFileError) {
        try PasswdFileUserName.validate(record.user, maxLength: configuration.maxUserNameLength)
        try validate(record)
        try edit(createIfMissing: true) { lines throws(PasswdFileError) in
            let folded = record.user.lowercased()
            if lines.contains(where: { $0.claimedUser?.lowercased() == folded }) {
                throw .duplicateUser(record.user)
            }
            lines.append(.user(record, raw: record.line))
        }
    }

    /// Removes every line for `user` (also a damaged one, so a broken line can be cleaned up).
    public func deleteUser(_ user: String) throws(PasswdFileError) {
        try edit(createIfMissing: false) { lines throws(PasswdFileError) in
            let before = lines.count
            lines.removeAll { $0.claimedUser == user }
            if lines.count == before { throw .unknownUser(user) }
        }
    }

    /// Replaces the stored password (`{SCHEME}data`, see `PasswordHasher`); nil removes it.
    public func setPassword(user: String, storedPassword: String?) throws(PasswdFileError) {
        try modify(user: user) { record throws(PasswdFileError) in
            record.password = storedPassword
            try validate(record)
        }
    }

    /// Sets an extra field (`userdb_mail`, `nologin`, ...) in place, or appends it; a nil value
    /// removes it. `bareFlag` writes the field without `=` (Dovecot flags such as `nologin`).
    public func setExtraField(user: String, key: String, value: String?, bareFlag: Bool = false) throws(PasswdFileError) {
        try modify(user: user) { record throws(PasswdFileError) in
            guard let value else {
                record.extraFields.removeAll { $0.key == key }
                return
            }
            let field = PasswdFileRecord.ExtraField(key: key, value: bareFlag ? nil : value)
            // Keep the field where it was; drop any repeats of the same key.
            let position = record.extraFields.firstIndex { $0.key == key } ?? record.extraFields.endIndex
            record.extraFields.removeAll { $0.key == key }
            record.extraFields.insert(field, at: min(position, record.extraFields.endIndex))
            try validate(record)
        }
    }

    /// The user lines of the file as it is now (no lock: the file is always replaced whole).
    public func records() throws(PasswdFileError) -> [PasswdFileRecord] {
        let (bytes, _) = try PosixFile.read(path: path, maxSize: Int.max)
        return try PasswdFileLine.lines(of: bytes, path: path).compactMap {
            if case .user(let record, _) = $0 { return record }
            return nil
        }
    }

    // MARK: Editing machinery

    /// Applies `change` to the user's record: exact name first, else a unique case-insensitive match.
    private func modify(
        user: String, _ change: (inout PasswdFileRecord) throws(PasswdFileError) -> Void
    ) throws(PasswdFileError) {
        try edit(createIfMissing: false) { lines throws(PasswdFileError) in
            var index = lines.firstIndex { $0.claimedUser == user }
            if index == nil {
                let matches = lines.indices.filter { lines[$0].claimedUser?.lowercased() == user.lowercased() }
                if matches.count == 1 { index = matches[0] }
            }
            guard let index else { throw .unknownUser(user) }
            guard case .user(var record, _) = lines[index] else {
                throw .parse(path: path, problems: [.init(line: index + 1, reason: "the line for \(user) is damaged; fix it by hand")])
            }
            try change(&record)
            lines[index] = .user(record, raw: record.line)
        }
    }

    /// Locks, reads, lets `change` edit the lines, writes atomically, unlocks.
    private func edit(
        createIfMissing: Bool, _ change: (inout [PasswdFileLine]) throws(PasswdFileError) -> Void
    ) throws(PasswdFileError) {
        let lock = try PasswdFileLock.acquire(
            for: path, timeout: configuration.lockTimeout, staleAfter: configuration.staleLockTimeout
        )
        defer { lock.release() }
        var info = stat()
        let existing: stat?
        if stat(path, &info) == 0 {
            existing = info
        } else {
            guard errno == ENOENT else { throw .io(path: path, operation: "stat", errno: errno) }
            guard createIfMissing else { throw .io(path: path, operation: "open", errno: ENOENT) }
            existing = nil
        }
        var lines: [PasswdFileLine] = []
        if existing != nil {
            let (bytes, _) = try PosixFile.read(path: path, maxSize: Int.max)
            lines = try PasswdFileLine.lines(of: bytes, path: path)
        }
        let before = lines
        try change(&lines)
        try refuseNewProblems(before: before, after: lines)
        let text = lines.map(\.text).joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
        try replace(with: Array(text.utf8), like: existing)
    }

    /// Throws for the first problem the reader would find in `after` that `before` did not have
    /// (the same line text with the same complaint counts as old, wherever the line moved).
    private func refuseNewProblems(before: [PasswdFileLine], after: [PasswdFileLine]) throws(PasswdFileError) {
        let scheme = configuration.defaultScheme
        var known: [String: Int] = [:]
        for problem in PasswdFileSnapshot.problems(in: before, defaultScheme: scheme) {
            known[Self.key(problem, in: before), default: 0] += 1
        }
        for problem in PasswdFileSnapshot.problems(in: after, defaultScheme: scheme) {
            let key = Self.key(problem, in: after)
            if let count = known[key], count > 0 {
                known[key] = count - 1
                continue
            }
            let line = after[problem.line - 1]
            let field = line.claimedUser.map { "line for \($0)" } ?? "line \(problem.line)"
            throw .invalidField(field, reason: "\(problem.reason); the server would refuse the whole file")
        }
    }

    private static func key(_ problem: PasswdFileError.Problem, in lines: [PasswdFileLine]) -> String {
        lines[problem.line - 1].text + "\n" + problem.reason
    }

    /// Writes `bytes` to a temporary file beside `path` and renames it over `path`.
    private func replace(with bytes: [UInt8], like existing: stat?) throws(PasswdFileError) {
        let directory = PosixFile.directory(of: path)
        var generator = SystemRandomNumberGenerator()
        let suffix = String(UInt64.random(in: .min ... .max, using: &generator), radix: 36)
        let temporary = "\(directory)/.\(PosixFile.fileName(of: path)).tmp.\(getpid()).\(suffix)"
        let mode = existing.map { mode_t($0.st_mode & 0o7777) } ?? mode_t(configuration.newFileMode)
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: temporary, operation: "create", errno: errno) }
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do throws(PasswdFileError) {
            // open() applied the umask; set the exact mode, and keep the owner when we may.
            if fchmod(fd, mode) != 0 { throw .io(path: temporary, operation: "fchmod", errno: errno) }
            if let existing, existing.st_uid != geteuid() || existing.st_gid != getegid() {
                if fchown(fd, existing.st_uid, existing.st_gid) != 0 && errno != EPERM {
                    throw .io(path: temporary, operation: "fchown", errno: errno)
                }
            }
            try PosixFile.writeAll(fd: fd, bytes: bytes, path: temporary)
            try PosixFile.sync(fd: fd, path: temporary)
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw .io(path: temporary, operation: "close", errno: errno) }
        guard rename(temporary, path) == 0 else { throw .io(path: path, operation: "rename", errno: errno) }
        renamed = true
        try PosixFile.syncDirectory(directory)
    }

    /// Refuses values that would break the line format or that the reader would reject.
    private func validate(_ record: PasswdFileRecord) throws(PasswdFileError) {
        func check(_ value: String, _ field: String, allowColon: Bool = false, allowSpace: Bool = true) throws(PasswdFileError) {
            for scalar in value.unicodeScalars {
                if scalar == ":" && !allowColon { throw .invalidField(field, reason: "contains ':'") }
                if scalar == " " && !allowSpace { throw .invalidField(field, reason: "contains a space") }
                if scalar.properties.generalCategory == .control {
                    throw .invalidField(field, reason: "contains a control character")
                }
            }
        }
        if let password = record.password {
            try check(password, "password")
            do {
                try StoredPassword(parsing: password, defaultScheme: configuration.defaultScheme).validate()
            } catch {
                throw .invalidField("password", reason: "\(error)")
            }
        }
        try check(record.gecos, "gecos")
        try check(record.home ?? "", "home")
        try check(record.shell, "shell")
        if record.uid == 0 { throw .invalidField("uid", reason: "0 is not allowed") }
        if record.gid == 0 { throw .invalidField("gid", reason: "0 is not allowed") }
        for field in record.extraFields {
            let validKey = !field.key.isEmpty && field.key.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_-.".unicodeScalars.contains($0))
            }
            guard validKey else { throw .invalidField("extra field '\(field.key)'", reason: "name must be letters, digits, '_', '-', '.'") }
            try check(field.value ?? "", "extra field '\(field.key)'", allowColon: true, allowSpace: false)
        }
        if case .invalid(_, let reason) = PasswdFileLine(record.line) {
            throw .invalidField("line", reason: reason)
        }
    }
}
