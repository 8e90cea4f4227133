/// One fully parsed, validated version of a passwd-file, as the server uses it.
///
/// Parsing is strict: bytes that are not UTF-8, any invalid line, duplicate user, unknown or
/// undecodable password, bad uid/gid, bad `%` template or unreadable `allow_nets` rejects the
/// whole version. That is deliberate: a half-edited file must not silently drop users or let a
/// line's typo become someone's password, so the reader keeps the previous good version instead
/// (see `PasswdFile`). All problems are reported at once, with line numbers. `PasswdFileEditor`
/// runs the same checks (`problems(in:defaultScheme:)`) before it writes, so it cannot write a
/// file this type refuses.
struct PasswdFileSnapshot: Sendable {
    let records: [String: PasswdFileRecord]
    /// Lowercased name to exact name, for names whose lowercase form is unique in the file.
    let caseFolded: [String: String]
    let defaultScheme: PasswordScheme
    /// True when at least one user has a password and every password can serve CRAM-MD5
    /// (`StoredPassword.canServeCRAMMD5`: an empty `{PLAIN}` cannot).
    let canServeCRAMMD5: Bool
    /// True when at least one user has a password and every password is a non-empty plaintext
    /// (`StoredPassword.canServePlaintext`), as APOP needs.
    let canServeAPOP: Bool

    /// Parses the bytes of a file; `path` is for error messages.
    init(bytes: [UInt8], path: String, defaultScheme: PasswordScheme) throws(PasswdFileError) {
        try self.init(lines: try PasswdFileLine.lines(of: bytes, path: path), path: path, defaultScheme: defaultScheme)
    }

    init(lines: [PasswdFileLine], path: String, defaultScheme: PasswordScheme) throws(PasswdFileError) {
        let (records, problems) = Self.validate(lines, defaultScheme: defaultScheme)
        guard problems.isEmpty else { throw .parse(path: path, problems: problems) }
        var folded: [String: String] = [:]
        var ambiguous: Set<String> = []
        for name in records.keys {
            let key = name.lowercased()
            if folded[key] != nil { ambiguous.insert(key) } else { folded[key] = name }
        }
        for key in ambiguous { folded[key] = nil }
        let passwords = records.values.compactMap { record in
            record.password.flatMap { try? StoredPassword(parsing: $0, defaultScheme: defaultScheme) }
        }
        self.records = records
        self.caseFolded = folded
        self.defaultScheme = defaultScheme
        self.canServeCRAMMD5 = !passwords.isEmpty && passwords.allSatisfy(\.canServeCRAMMD5)
        self.canServeAPOP = !passwords.isEmpty && passwords.allSatisfy(\.canServePlaintext)
    }

    /// Every problem the reader would refuse `lines` for, with 1-based line numbers.
    static func problems(in lines: [PasswdFileLine], defaultScheme: PasswordScheme) -> [PasswdFileError.Problem] {
        validate(lines, defaultScheme: defaultScheme).problems
    }

    /// The valid records and the problems of `lines`.
    private static func validate(
        _ lines: [PasswdFileLine], defaultScheme: PasswordScheme
    ) -> (records: [String: PasswdFileRecord], problems: [PasswdFileError.Problem]) {
        var records: [String: PasswdFileRecord] = [:]
        var problems: [PasswdFileError.Problem] = []
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            switch line {
            case .blank, .comment:
                continue
            case .invalid(_, let reason):
                problems.append(.init(line: number, reason: reason))
            case .user(let record, _):
                if records[record.user] != nil {
                    problems.append(.init(line: number, reason: "user \(record.user) exists more than once"))
                    continue
                }
                if let reason = problem(in: record, defaultScheme: defaultScheme) {
                    problems.append(.init(line: number, reason: reason))
                    continue
                }
                records[record.user] = record
            }
        }
        return (records, problems)
    }

    /// What is wrong with an otherwise well-formed line, or nil.
    private static func problem(in record: PasswdFileRecord, defaultScheme: PasswordScheme) -> String? {
        if let password = record.password {
            do {
                try StoredPassword(parsing: password, defaultScheme: defaultScheme).validate()
            } catch {
                return "password of \(record.user): \(error)"
            }
        }
        let userdb = record.userdbFields
        for key in ["uid", "gid"] {
            guard let value = userdb[key] else { continue }
            guard !value.isEmpty else { return "userdb_\(key) is empty" }
            do {
                _ = try PasswdFileRecord.parseID(value, what: "userdb_\(key)")
            } catch {
                return error.reason
            }
        }
        for key in ["mail", "home"] {
            if let value = userdb[key], (try? MailLocationTemplate(value)) == nil {
                return "userdb_\(key) '\(value)' has an invalid % variable"
            }
        }
        if let home = record.home, (try? MailLocationTemplate(home)) == nil {
            return "home '\(home)' has an invalid % variable"
        }
        let passdb = record.passdbFields
        for key in ["allow_nets", "allow_real_nets"] {
            guard let value = passdb[key] else { continue }
            do {
                _ = try AllowedNetworks(parsing: value)
            } catch {
                return "\(key): \(error.reason)"
            }
        }
        return nil
    }

    /// The record for `user`: exact name first, then a unique case-insensitive match.
    func record(for user: String) -> PasswdFileRecord? {
        if let record = records[user] { return record }
        return caseFolded[user.lowercased()].flatMap { records[$0] }
    }

    /// The passdb view of a record.
    func passDBEntry(for record: PasswdFileRecord) -> PassDBEntry {
        PassDBEntry(
            user: record.user, storedPassword: record.password, defaultScheme: defaultScheme,
            extraFields: record.passdbFields
        )
    }

    /// The userdb view of a record: `userdb_` fields override the fixed columns, `%` variables
    /// in home and mail are expanded, quota fields are read with or without the `userdb_` prefix.
    func userRecord(
        for record: PasswdFileRecord, defaultMailLocation: MailLocationTemplate?
    ) throws(MailLocationTemplate.TemplateError) -> UserRecord {
        var fields = record.userdbFields
        // Validated when the snapshot was made, with the same `parseID` as the uid/gid columns.
        let uid = fields.removeValue(forKey: "uid").flatMap { try? PasswdFileRecord.parseID($0, what: "uid") } ?? record.uid
        let gid = fields.removeValue(forKey: "gid").flatMap { try? PasswdFileRecord.parseID($0, what: "gid") } ?? record.gid
        let homeText = fields.removeValue(forKey: "home") ?? record.home
        let home = try homeText.map { text throws(MailLocationTemplate.TemplateError) in
            try MailLocationTemplate(text).expand(user: record.user, home: nil)
        }
        let mailTemplate = try fields.removeValue(forKey: "mail").map { text throws(MailLocationTemplate.TemplateError) in
            try MailLocationTemplate(text)
        } ?? defaultMailLocation
        let mail = try mailTemplate?.expand(user: record.user, home: home)
        var quotaFields = record.passdbFields.filter { $0.key.hasPrefix("quota_") }
        quotaFields.merge(fields) { _, userdb in userdb }
        return UserRecord(
            user: record.user, uid: uid, gid: gid, home: home, mailLocation: mail,
            quota: QuotaOverride(fields: quotaFields), extraFields: fields
        )
    }
}
