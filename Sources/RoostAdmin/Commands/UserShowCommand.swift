import ArgumentParser
import RoostAuth
import RoostConfig

/// `mailboxctl user show USER`: the user as the server sees them. Never shows the hash, only
/// which scheme it is in, nor the value of an extra field that holds a password (`fieldText`).
struct UserShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a user's uid, gid, home, mail location and quota.",
        discussion: "Reads the passwd-file as the server does, so a damaged line anywhere in it is reported here."
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The user to show.")
    var user: String

    func run() async throws {
        let console = AdminConsole.current
        let (context, account) = try await AdminContext.load(path: mailboxctl.config, user: user)
        let location = try context.mailStore(for: account.user)
        let mail = context.configuration.mail
        let record = account.user

        var table = TextTable(["user", record.user])
        table.add(["uid", record.uid.map(String.init) ?? "- (mail.owner_user \(mail.ownerUser))"])
        table.add(["gid", record.gid.map(String.init) ?? "- (mail.owner_group \(mail.ownerGroup))"])
        table.add(["home", record.home ?? "-"])
        table.add(["mail", location.root + (record.mailLocation == nil ? "" : " (userdb_mail)")])
        table.add(["index", location.indexDirectory ?? "inside each Maildir folder"])
        table.add(["quota storage", Self.limit(location.quotaLimits.storageBytes, unit: " bytes",
                                                perUser: location.storageLimitIsPerUser, key: "mail.quota_storage")])
        table.add(["quota messages", Self.limit(Int64(location.quotaLimits.messages), unit: "",
                                                 perUser: location.messageLimitIsPerUser, key: "mail.quota_messages")])
        table.add(["password", try Self.passwordSummary(account.record, defaultScheme: context.defaultScheme)])
        let flags = account.record.passdbFields.keys.filter { !$0.hasPrefix("quota_") }.sorted()
        if !flags.isEmpty {
            table.add(["passdb fields", flags.map { key in
                Self.fieldText(key: key, value: account.record.passdbFields[key] ?? "", bareFlag: true)
            }.joined(separator: " ")])
        }
        let userdbExtras = record.extraFields.keys.filter { !$0.hasPrefix("quota") }.sorted()
        if !userdbExtras.isEmpty {
            table.add(["userdb fields", userdbExtras.map { key in
                Self.fieldText(key: key, value: record.extraFields[key] ?? "", bareFlag: false)
            }.joined(separator: " ")])
        }
        // The header row is the first field here, so the table is printed as is.
        for line in table.lines { console.print(line) }
    }

    /// `key=value`, or `key=<hidden>` when the field holds a secret; a bare passdb flag is `key`.
    ///
    /// Hidden are fields whose name contains `pass` or `secret`, which covers Dovecot's passdb
    /// fields `pass` (the password a proxy logs in to the destination with), `password` and
    /// `password_noscheme` (password columns of SQL and LDAP passdbs), `nopassword`, and
    /// site-specific names such as `master_password`. Only the value is hidden: that the field
    /// is set still shows.
    static func fieldText(key: String, value: String, bareFlag: Bool) -> String {
        if bareFlag && value.isEmpty { return key }
        let name = key.lowercased()
        let secret = name.contains("pass") || name.contains("secret")
        return "\(key)=\(secret ? "<hidden>" : value)"
    }

    /// `1073741824 bytes (user)`, `unlimited (mail.quota_storage)`.
    private static func limit(_ value: Int64, unit: String, perUser: Bool, key: String) -> String {
        let text = value > 0 ? "\(value)\(unit)" : "unlimited"
        return text + (perUser ? " (this user)" : " (\(key))")
    }

    /// The scheme only: `CRYPT`, `none (cannot log in)`, or why the value is unusable.
    private static func passwordSummary(_ record: PasswdFileRecord, defaultScheme: PasswordScheme) throws -> String {
        guard let password = record.password, !password.isEmpty else { return "none (cannot log in with a password)" }
        do {
            let stored = try StoredPassword(parsing: password, defaultScheme: defaultScheme)
            if let problem = StoredPasswordCheck.problem(stored) { return "unusable: \(problem)" }
            let prefixed = password.hasPrefix("{") ? "" : " (no prefix; auth.default_scheme)"
            return "set, scheme \(stored.scheme.name)\(prefixed)"
        } catch {
            return "unusable: \(error)"
        }
    }
}
