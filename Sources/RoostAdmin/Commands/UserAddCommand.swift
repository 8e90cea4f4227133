import ArgumentParser
import RoostAuth

/// `mailboxctl user add USER`: a new passwd-file line, then the user's Maildir.
///
/// Order matters: every option and where the mail will go are checked before the password
/// prompt, so a mistake costs no typing; the password is read and hashed before anything
/// changes, so a typo at the prompt leaves no half-added user; the line is written before the
/// Maildir is made, because a Maildir without a user is invisible while a user without a Maildir
/// gets one at first login.
struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user and create their Maildir.",
        discussion: """
            The password is asked twice on the terminal, or read from standard input with \
            --password-stdin, and stored hashed (auth.password_scheme unless --scheme is given). \
            The Maildir goes where mail.location (or --mail) says; run as root, it is created as \
            the mail owner.
            """
    )

    @ParentCommand var mailboxctl: Mailboxctl

    @Argument(help: "The new user's name, e.g. bob@example.org: lowercase letters, digits, '.', '_', '-', '@', '+'.")
    var user: String

    @OptionGroup var password: PasswordOptions

    @Option(help: "System uid for the user's mail files (default: mail.owner_user).")
    var uid: UInt32?

    @Option(help: "System gid for the user's mail files (default: mail.owner_group).")
    var gid: UInt32?

    @Option(help: ArgumentHelp("Home directory, for %h in mail.location.", valueName: "dir"))
    var home: String?

    @Option(help: ArgumentHelp(
        "This user's mail location instead of mail.location, e.g. maildir:~/Maildir (written as userdb_mail).",
        valueName: "location"
    ))
    var mail: String?

    @Option(help: ArgumentHelp(
        "This user's storage limit instead of mail.quota_storage, e.g. 1G; 0 or unlimited for none.", valueName: "size"
    ))
    var quotaStorage: String?

    @Option(help: ArgumentHelp(
        "This user's message-count limit instead of mail.quota_messages; 0 or unlimited for none.", valueName: "count"
    ))
    var quotaMessages: String?

    @Flag(help: "Do not create the Maildir now; the server creates it at the first login.")
    var noCreateMaildir = false

    func validate() throws {
        if uid == 0 || gid == 0 { throw ValidationError("uid and gid 0 are not allowed for mail users") }
        if let home, !home.hasPrefix("/") { throw ValidationError("--home must be an absolute path") }
    }

    func run() async throws {
        let console = AdminConsole.current
        let name = try UserName(validating: user).rawValue
        let context = try AdminContext.load(path: mailboxctl.config)
        if try context.spelling(of: name) != nil {
            throw AdminError(.cannotCreate, "user \(name) already exists")
        }
        var expandedHome: String?
        if let home {
            try Self.checkField(home, option: "--home", allowSpace: true, allowColon: false)
            do {
                expandedHome = try MailLocationTemplate(home).expand(user: name, home: nil)
            } catch {
                throw AdminError(.dataError, AdminError(error: error, setting: "--home").message)
            }
        }
        var extraFields: [PasswdFileRecord.ExtraField] = []
        var ownLocation: String?
        if let mail {
            try Self.checkField(mail, option: "--mail", allowSpace: false, allowColon: true)
            ownLocation = try Self.checkMailLocation(mail, user: name, home: expandedHome)
            extraFields.append(.init(key: "userdb_mail", value: mail))
        }
        if let quota = try QuotaRule.field(storage: quotaStorage, messages: quotaMessages) {
            extraFields.append(quota)
        }
        // Where the mail will go, as the server will work it out: a template the name does not fit
        // (%d for a name without a domain) is reported now rather than after the line is written.
        _ = try context.mailStore(for: UserRecord(user: name, uid: uid, gid: gid, home: expandedHome, mailLocation: ownLocation))
        let scheme = try context.newPasswordScheme(override: password.scheme)
        let secret = try PasswordInput.readNew(fromStandardInput: password.passwordStdin, console: console)
        let hash = try PasswordHasher.hash(password: secret, scheme: scheme)
        let record = PasswdFileRecord(
            user: name, password: hash, uid: uid, gid: gid, home: home, extraFields: extraFields
        )
        try context.edit { editor throws(PasswdFileError) in try editor.addUser(record) }
        console.print("added user \(name) to \(context.passwdPath) (password scheme \(scheme.name))")

        do {
            let account = try await context.lookUp(name)
            if noCreateMaildir {
                let location = try context.mailStore(for: account.user)
                console.print("Maildir \(location.root) not created (--no-create-maildir); the first login creates it")
                return
            }
            let (root, existed) = try context.withMail(of: account.user) { location, store in
                let existed = store.exists
                try store.createIfNeeded()
                return (location.root, existed)
            }
            console.print(existed ? "Maildir \(root) already exists and was kept" : "created Maildir \(root)")
        } catch {
            throw AdminError(error.code, "user \(name) was added, but its Maildir could not be set up: \(error.message)")
        }
    }

    /// `--mail` must be a template and a Maildir location Roost can use, before it is written;
    /// returns it expanded for `user`, as the userdb will give it.
    private static func checkMailLocation(_ text: String, user: String, home: String?) throws(AdminError) -> String {
        let expanded: String
        do {
            expanded = try MailLocationTemplate(text).expand(user: user, home: home)
        } catch {
            throw AdminError(.dataError, AdminError(error: error, setting: "--mail").message)
        }
        do {
            _ = try MailLocation(parsing: expanded, home: home, setting: "--mail")
        } catch {
            throw AdminError(.dataError, error.description)
        }
        return expanded
    }

    /// The characters the passwd-file cannot hold in that field, refused before the prompt (the
    /// editor would refuse them too, but only after the password was typed). Extra fields are
    /// separated by spaces; the home is a `:`-separated column.
    private static func checkField(_ value: String, option: String, allowSpace: Bool, allowColon: Bool) throws(AdminError) {
        for scalar in value.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                throw .dataError("\(option) contains a control character, which the passwd-file cannot hold")
            }
            if scalar == " " && !allowSpace {
                throw .dataError("\(option) contains a space, which the passwd-file cannot hold in that field")
            }
            if scalar == ":" && !allowColon {
                throw .dataError("\(option) contains ':', which the passwd-file cannot hold in that field")
            }
        }
    }
}
