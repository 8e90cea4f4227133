import Foundation
import RoostAuth
import RoostConfig
import RoostStorage

/// A ready-to-try Roost setup in one directory: configuration, passwd-file with one user, and that
/// user's Maildir with a welcome message. Used by `mailboxctl demo` and, later, `roostd --dev`.
///
/// Layout under `directory` (made absolute, since configuration paths must be):
/// - `roostd.conf`: `mail.location = DIR/mail/%u`, `mail.index_dir = DIR/index/%u`,
///   `auth.passwd_file = DIR/passwd`, and the mail owner set to the user running the setup, so the
///   files need no root;
/// - `passwd`: the user (default `demo`) with a random `DemoPassword`, hashed with
///   `auth.password_scheme`;
/// - `mail/demo/`: the Maildir; its INBOX holds `WelcomeMessage`.
///
/// Idempotent: an existing configuration file is used as it is (it may have been edited), an
/// existing user keeps their password (the result then has no password), and the welcome message
/// is delivered only if INBOX does not already hold one with its Message-ID.
public struct DemoEnvironment: Sendable {
    /// Absolute path of the directory holding everything.
    public let directory: String
    public let userName: String

    /// - Parameters:
    ///   - directory: where to put the files; relative paths are taken from the current directory.
    ///   - userName: the account to create. Default `demo`.
    public init(directory: String, userName: String = "demo") {
        let absolute = directory.hasPrefix("/")
            ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        self.directory = URL(fileURLWithPath: absolute).standardizedFileURL.path
        self.userName = userName
    }

    public var configurationPath: String { directory + "/roostd.conf" }

    /// What `setUp` found and did.
    public struct Outcome: Sendable {
        public var configurationPath: String
        public var configuration: RoostConfiguration
        /// False when an existing configuration file was used.
        public var configurationCreated: Bool
        public var user: String
        /// The new user's password; nil when the user already existed (it is never stored in clear).
        public var password: String?
        public var passwordScheme: PasswordScheme
        public var maildir: String
        public var indexDirectory: String?
        /// The welcome message's UID; nil when it was already there.
        public var welcomeUID: UID?
        /// Every mailbox of the user after the setup.
        public var statuses: [MailboxStatus]
    }

    /// Creates whatever is missing. `now` dates the welcome message (seconds since the epoch).
    public func setUp(now: Int64 = Int64(Date().timeIntervalSince1970)) async throws(AdminError) -> Outcome {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw AdminError(error)
        }
        let configurationCreated = try writeConfigurationIfMissing()
        let context = try AdminContext.load(path: configurationPath)
        let name = try UserName(validating: userName).rawValue
        let scheme = try context.newPasswordScheme(override: nil)

        var password: String?
        if try context.spelling(of: name) == nil {
            let generated = DemoPassword.generate()
            let hash: String
            do {
                hash = try PasswordHasher.hash(password: generated, scheme: scheme)
            } catch {
                throw AdminError(error)
            }
            try context.edit { editor throws(PasswdFileError) in
                try editor.addUser(PasswdFileRecord(user: name, password: hash))
            }
            password = generated
        }

        let account = try await context.lookUp(name)
        let location = try context.mailStore(for: account.user)
        let (welcomeUID, statuses) = try context.withMail(of: account.user) { location, store in
            try store.createIfNeeded()
            let inbox = try store.folder(.inbox)
            try inbox.sync(moveNewToCur: false)
            var uid: UID?
            if try !Self.holdsWelcome(inbox, user: name) {
                let message = WelcomeMessage.bytes(user: name, date: now, maildir: location.root,
                                                   configurationPath: configurationPath)
                uid = try inbox.save(message, internalDate: now)
            }
            return (uid, try MailboxStatus.readAll(in: store))
        }
        return Outcome(
            configurationPath: configurationPath, configuration: context.configuration,
            configurationCreated: configurationCreated, user: name, password: password, passwordScheme: scheme,
            maildir: location.root, indexDirectory: location.indexDirectory, welcomeUID: welcomeUID, statuses: statuses
        )
    }

    /// The unprivileged ports of the development server (`roostd --dev`).
    public static let developmentPorts: (pop3: Int, pop3s: Int, imap: Int, imaps: Int) = (1110, 1995, 1143, 1993)

    /// The configuration the demo writes: only what differs from the defaults.
    public func configuration() -> RoostConfiguration {
        // A `%` in the directory's own name must not read as a template variable.
        let escaped = directory.replacingAll("%", with: "%%")
        var configuration = RoostConfiguration()
        configuration.mail.location = escaped + "/mail/%u"
        configuration.mail.indexDirectory = escaped + "/index/%u"
        configuration.auth.passwdFile = directory + "/passwd"
        // `roostd --dev`: loopback only, unprivileged ports, a self-signed certificate it makes.
        configuration.server.listen = ["127.0.0.1"]
        configuration.server.hostname = "localhost"
        configuration.pop3.port = Self.developmentPorts.pop3
        configuration.pop3.tlsPort = Self.developmentPorts.pop3s
        configuration.imap.port = Self.developmentPorts.imap
        configuration.imap.tlsPort = Self.developmentPorts.imaps
        configuration.tls.certificate = directory + "/tls/cert.pem"
        configuration.tls.key = directory + "/tls/key.pem"
        if let owner = Self.currentOwner() {
            configuration.mail.ownerUser = owner.user
            configuration.mail.ownerGroup = owner.group
        }
        return configuration
    }

    /// Writes `roostd.conf` unless it exists; true when written.
    private func writeConfigurationIfMissing() throws(AdminError) -> Bool {
        guard !FileManager.default.fileExists(atPath: configurationPath) else { return false }
        let text = """
            # Written by `mailboxctl demo`: a playground, not a production setup.
            # Only settings that differ from the defaults are listed; see docs/configuration.md.

            """ + configuration().rendered(onlyChanged: true)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: configurationPath), options: .withoutOverwriting)
        } catch {
            throw AdminError(error)
        }
        return true
    }

    /// True when INBOX already has the welcome message (its Message-ID in the first 8 KiB).
    private static func holdsWelcome(_ inbox: MaildirFolder, user: String) throws -> Bool {
        let needle = "message-id: " + WelcomeMessage.messageID(for: user).lowercased()
        for message in inbox.snapshot.messages {
            let head: [UInt8]
            do {
                let file = try inbox.openMessage(message.uid)
                head = try file.read(at: 0, count: 8192)
            } catch let error as StorageError where error.kind == .expunged {
                continue
            }
            if String(decoding: head, as: UTF8.self).lowercased().contains(needle) { return true }
        }
        return false
    }

    /// The user and group running the setup, to own the demo's mail.
    private static func currentOwner() -> (user: String, group: String)? {
        guard let user = getpwuid(geteuid()), let group = getgrgid(getegid()) else { return nil }
        return (String(cString: user.pointee.pw_name), String(cString: group.pointee.gr_name))
    }
}
