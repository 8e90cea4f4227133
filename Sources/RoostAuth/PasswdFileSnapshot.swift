/// One fully parsed, validated version of a passwd-file, as the server uses it.
///
/// Parsing is strict: any invalid line, duplicate user, unknown password scheme or bad `%`
/// template rejects the whole version. That is deliberate: a half-edited file must not silently
/// drop users or let a line's typo become someone's password, so the reader keeps the previous good
/// version instead (see `PasswdFile`). All problems are reported at once, with line numbers.
struct PasswdFileSnapshot: Sendable {
    let records: [String: PasswdFileRecord]
    /// Lowercased name to exact name, for names whose lowercase form is unique in the file.
    let caseFolded: [String: String]
    let defaultScheme: PasswordScheme
    /// True when at least one user has a password and every password can serve CRAM-MD5.
    let canServeCRAMMD5: Bool

    init(text: String, path: String, defaultScheme: PasswordScheme) throws(PasswdFileError) {
        var records: [String: PasswdFileRecord] = [:]
        var problems: [PasswdFileError.Problem] = []
        var anyPassword = false
        var allCRAM = true
        for (offset, line) in PasswdFileLine.lines(of: text).enumerated() {
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
                if let reason = Self.problem(in: record, defaultScheme: defaultScheme) {
                    problems.append(.init(line: number, reason: reason))
                    continue
                }
                records[record.user] = record
                if let password = record.password,
                   let scheme = try? StoredPassword(parsing: password, defaultScheme: defaultScheme).scheme {
                    anyPassword = true
                    allCRAM = allCRAM && scheme.canServeCRAMMD5
                }
            }
        }
        guard problems.isEmpty else { throw .parse(path: path, problems: problems) }
        var folded: [String: String] = [:]
        var ambiguous: Set<String> = []
        for name in records.keys {
            let key = name.lowercased()
            if folded[key] != nil { ambiguous.insert(key) } else { folded[key] = name }
        }
        for key in ambiguous { folded[key] = nil }
        self.records = records
        self.caseFolded = folded
        self.defaultScheme = defaultScheme
        self.canServeCRAMMD5 = anyPassword && allCRAM
    }

    /// The record for `user`: exact name first, then a unique case-insensitive match.
    func record(for user: String) -> PasswdFileRecord? {
        if let record = records[user] { return record }
        return caseFolded[user.lowercased()].flatMap { records[$0] }
    }

    /// What is wrong with an otherwise well-formed line, or nil.
    private static func problem(in record: PasswdFileRecord, defaultScheme: PasswordScheme) -> String? {
        if let password = record.password {
            do {
                let stored = try StoredPassword(parsing: password, defaultScheme: defaultScheme)
                // MD5 decodes by content at verification time; every other encoding is checkable now.
                if stored.scheme != .md5 { _ = try stored.rawBytes() }
            } catch {
                return "password of \(record.user): \(error)"
            }
        }
        let userdb = record.userdbFields
        for key in ["uid", "gid"] {
            if let value = userdb[key], UInt32(value) == nil || value == "0" {
                return "userdb_\(key) '\(value)' is not a valid id"
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
        return nil
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
        let uid = fields.removeValue(forKey: "uid").flatMap { UInt32($0) } ?? record.uid
        let gid = fields.removeValue(forKey: "gid").flatMap { UInt32($0) } ?? record.gid
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
