import Foundation
import Logging
import RoostAuth
import RoostConfig
import RoostStorage

/// What a command needs once its arguments are parsed: the configuration and access to the
/// passwd-file and to users' mail, with every failure already an `AdminError`.
struct AdminContext: Sendable {
    let configurationPath: String
    let configuration: RoostConfiguration
    let console: AdminConsole

    init(configurationPath: String, configuration: RoostConfiguration, console: AdminConsole = .current) {
        self.configurationPath = configurationPath
        self.configuration = configuration
        self.console = console
    }

    /// Loads the configuration at `path` (the default when nil); a missing or bad file is an error.
    static func load(path: String?) throws(AdminError) -> AdminContext {
        let path = path ?? Mailboxctl.defaultConfigurationPath
        do {
            return AdminContext(configurationPath: path, configuration: try RoostConfiguration.load(path: path))
        } catch {
            throw AdminError(error)
        }
    }

    /// The configuration and an existing user: the start of every command about one user's mail.
    static func load(path: String?, user: String) async throws -> (AdminContext, AdminUser) {
        try UserName.checkUsable(user)
        let context = try load(path: path)
        return (context, try await context.lookUp(user))
    }

    /// Like `load`, but the built-in defaults when no path was given and the default file is
    /// missing: for commands that need only a default or two (`pw`).
    static func loadIfPresent(path: String?) throws(AdminError) -> AdminContext {
        if path == nil, !FileManager.default.fileExists(atPath: Mailboxctl.defaultConfigurationPath) {
            return AdminContext(configurationPath: Mailboxctl.defaultConfigurationPath, configuration: .defaults)
        }
        return try load(path: path)
    }

    // MARK: Passwords

    /// The scheme of stored values without a `{SCHEME}` prefix (`auth.default_scheme`).
    var defaultScheme: PasswordScheme {
        get throws(AdminError) { try Self.scheme(configuration.auth.defaultScheme, key: "auth.default_scheme") }
    }

    /// The scheme for new passwords (`auth.password_scheme`), unless the command line names one.
    func newPasswordScheme(override: PasswordScheme?) throws(AdminError) -> PasswordScheme {
        if let override { return override }
        return try Self.scheme(configuration.auth.passwordScheme, key: "auth.password_scheme")
    }

    private static func scheme(_ name: PasswordSchemeName, key: String) throws(AdminError) -> PasswordScheme {
        guard let scheme = PasswordScheme(name: name.rawValue) else {
            throw .configuration("\(key): scheme \(name.rawValue) is not implemented by RoostAuth")
        }
        return scheme
    }

    // MARK: Passwd-file

    var passwdPath: String { configuration.auth.passwdFile }

    var editor: PasswdFileEditor {
        get throws(AdminError) {
            PasswdFileEditor(path: passwdPath, configuration: PasswdFileEditorConfiguration(defaultScheme: try defaultScheme))
        }
    }

    /// Every line of the passwd-file, read leniently (damaged lines included); empty when the file
    /// does not exist yet.
    func passwdLines() throws(AdminError) -> [PasswdFileLine] {
        guard FileManager.default.fileExists(atPath: passwdPath) else { return [] }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: passwdPath))
            return PasswdFileLine.lines(of: String(decoding: data, as: UTF8.self))
        } catch {
            throw AdminError(error)
        }
    }

    /// The name as the passwd-file spells it: exact match first, then a unique case-insensitive one
    /// (the editor and the reader resolve names the same way). Damaged lines count, so they can be
    /// deleted. Nil when there is no such user.
    func spelling(of user: String) throws(AdminError) -> String? {
        let claimed = try passwdLines().compactMap(\.claimedUser)
        if claimed.contains(user) { return user }
        let folded = claimed.filter { $0.lowercased() == user.lowercased() }
        return folded.count == 1 ? folded[0] : nil
    }

    /// Applies a passwd-file edit, mapping its errors.
    func edit(_ change: (PasswdFileEditor) throws(PasswdFileError) -> Void) throws(AdminError) {
        let editor = try editor
        do {
            try change(editor)
        } catch {
            throw AdminError(error)
        }
    }

    /// A user as the server would see them: the passwd-file line and the userdb view of it, read
    /// with `PasswdFile`, which refuses a file with any damaged line just as the server does.
    func lookUp(_ name: String) async throws(AdminError) -> AdminUser {
        let file = try reader(lookingFor: name)
        let found: UserRecord?
        do {
            found = try await file.userRecord(user: name)
        } catch let error as MailLocationTemplate.TemplateError {
            throw AdminError(error: error, setting: "userdb entry of \(name)")
        } catch {
            throw AdminError(error)
        }
        guard let user = found else { throw .noUser(name) }
        let records: [PasswdFileRecord]
        do {
            records = try editor.records()
        } catch {
            throw AdminError(error)
        }
        guard let record = records.first(where: { $0.user == user.user }) else { throw .noUser(name) }
        return AdminUser(record: record, user: user)
    }

    /// The passwd-file as the server reads it; `name` is the user the caller looks for, named when
    /// there is no file yet.
    private func reader(lookingFor name: String) throws(AdminError) -> PasswdFile {
        let readerConfiguration = PasswdFileConfiguration(defaultScheme: try defaultScheme)
        do {
            return try PasswdFile(
                path: passwdPath, configuration: readerConfiguration,
                logger: ConsoleLogHandler.logger(label: "roost.passwd-file", console: console, level: .warning)
            )
        } catch {
            if case .io(_, _, let number) = error, number == ENOENT {
                throw AdminError(.noUser, "user \(name) does not exist (there is no passwd-file at \(passwdPath) yet)")
            }
            throw AdminError(error)
        }
    }

    /// The Maildir, index directory and home of every user but `excluded`, for the checks of
    /// `user del --remove-mail`; users whose mail location cannot be worked out are listed in
    /// `unknown` with the reason.
    func mailDirectories(excluding excluded: String) async throws(AdminError)
        -> (directories: [MailRemoval.OtherDirectory], unknown: [(user: String, reason: String)]) {
        let file = try reader(lookingFor: excluded)
        var directories: [MailRemoval.OtherDirectory] = []
        var unknown: [(user: String, reason: String)] = []
        for name in await file.userNames() where name != excluded {
            do {
                guard let user = try await file.userRecord(user: name) else { continue }
                let location = try UserMailStore(user: user, configuration: configuration)
                directories.append(.init(user: name, role: .maildir, path: location.root))
                if let index = location.indexDirectory {
                    directories.append(.init(user: name, role: .index, path: index))
                }
                if let home = user.home, !home.isEmpty {
                    directories.append(.init(user: name, role: .home, path: home))
                }
            } catch let error as MailLocationTemplate.TemplateError {
                unknown.append((name, AdminError(error: error, setting: "userdb entry of \(name)").message))
            } catch {
                unknown.append((name, AdminError(error).message))
            }
        }
        return (directories, unknown)
    }

    // MARK: Mail

    /// Where `user`'s mail is (see `UserMailStore`).
    func mailStore(for user: UserRecord) throws(AdminError) -> UserMailStore {
        do {
            let logger = ConsoleLogHandler.logger(label: "roost.storage", console: console, level: .notice)
            return try UserMailStore(user: user, configuration: configuration, logger: logger)
        } catch {
            throw AdminError(error)
        }
    }

    /// Runs `body` on `user`'s mail store as the mail owner (see `MailOwner`).
    func withMail<Result>(
        of user: UserRecord, _ body: (UserMailStore, MailStore) throws -> Result
    ) throws(AdminError) -> Result {
        let location = try mailStore(for: user)
        return try asMailOwner(of: user) { try body(location, location.makeStore()) }
    }

    /// Runs `body` as the owner of `user`'s mail (see `MailOwner`), mapping its errors.
    func asMailOwner<Result>(of user: UserRecord, _ body: () throws -> Result) throws(AdminError) -> Result {
        let owner = try MailOwner.forMail(of: user, settings: configuration.mail)
        do {
            if let owner { return try owner.run(body) }
            return try body()
        } catch {
            throw AdminError(error)
        }
    }

    /// Like `withMail`, for commands that read a Maildir: fails with `noInput` when there is none
    /// rather than creating it as a side effect.
    func withExistingMail<Result>(
        of user: UserRecord, _ body: (UserMailStore, MailStore) throws -> Result
    ) throws(AdminError) -> Result {
        try withMail(of: user) { location, store in
            guard store.exists else {
                throw AdminError(.noInput, "user \(user.user) has no Maildir yet (\(location.root)); "
                    + "`mailboxctl user add` or the first login creates it")
            }
            return try body(location, store)
        }
    }
}

/// One user as the passwd-file has them: the raw line's fields and the userdb view.
struct AdminUser: Sendable {
    var record: PasswdFileRecord
    var user: UserRecord
}
