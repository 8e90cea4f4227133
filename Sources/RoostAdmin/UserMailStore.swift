import Logging
import RoostAuth
import RoostConfig
import RoostIMAP
import RoostStorage

/// How one user's mail is opened: the single mapping from configuration and userdb record to a
/// `MailStore`, shared by `mailboxctl` and the server so both always look in the same place.
///
/// Rules, in order:
/// - Mail location: the user's own (`userdb_mail`, already expanded by the userdb), else
///   `mail.location` expanded for the user (`%u`, `%n`, `%d`, `%h`); then parsed by `MailLocation`.
/// - Index directory: the location's `INDEX=`, else `mail.index_dir` expanded for the user, else
///   inside each folder.
/// - `mail.location` and `mail.index_dir` must name a directory per user (contain `%u`, `%n`+`%d`
///   or `%h`), checked with probe users of one and of two domains: a shared Maildir would mix
///   users' mail, and `user del --remove-mail` of one would delete the other's; every folder's
///   index files are `<dir>/<folder>/roost.index`, so a shared index directory would mix indexes.
/// - A template that uses `%d` is refused for a user without a domain: the empty `%d` would drop a
///   level, so the bare user `example.org` under `/var/vmail/%d/%n` would get the whole domain's
///   directory `/var/vmail/example.org`.
/// - Quota: each limit from the user's override (`userdb_quota_rule`, `quota_storage_size`, ...)
///   if present, else `mail.quota_storage` / `mail.quota_messages`; 0 or `unlimited` is no limit.
/// - Storage options: `mail.fsync` and `mail.max_message_size`.
public struct UserMailStore: Sendable {
    /// The userdb record this store belongs to.
    public let user: UserRecord
    public let location: MailLocation
    /// The index directory in use: `location.indexDirectory` or the expanded `mail.index_dir`.
    public let indexDirectory: String?
    public let quotaLimits: QuotaLimits
    /// True when the storage limit comes from the user's entry rather than `mail.quota_storage`.
    public let storageLimitIsPerUser: Bool
    /// True when the message limit comes from the user's entry rather than `mail.quota_messages`.
    public let messageLimitIsPerUser: Bool
    public let options: StorageOptions

    /// Works out where `user`'s mail is under `configuration`.
    ///
    /// - Throws: `MailLocationError` when a template, the user's location or the name is unusable.
    public init(
        user: UserRecord, configuration: RoostConfiguration, logger: Logger = Logger(label: "roost.storage")
    ) throws(MailLocationError) {
        let mail = configuration.mail
        let locationText: String
        let setting: String
        if let own = user.mailLocation, !own.isEmpty {
            locationText = own
            setting = "userdb_mail of \(user.user)"
        } else {
            try Self.requirePerUser(mail.location, setting: "mail.location")
            locationText = try Self.expand(mail.location, setting: "mail.location", user: user)
            setting = "mail.location"
        }
        location = try MailLocation(parsing: locationText, home: user.home, setting: setting)

        var index = location.indexDirectory
        if index == nil, !mail.indexDirectory.isEmpty {
            try Self.requirePerUser(mail.indexDirectory, setting: "mail.index_dir")
            let expanded = try Self.expand(mail.indexDirectory, setting: "mail.index_dir", user: user)
            index = try MailLocation(parsing: expanded, home: user.home, setting: "mail.index_dir").root
        }
        indexDirectory = index

        storageLimitIsPerUser = user.quota.storageBytes != nil
        messageLimitIsPerUser = user.quota.messages != nil
        quotaLimits = QuotaLimits(
            storageBytes: user.quota.storageBytes.map(Self.number) ?? Int64(mail.quotaStorage),
            messages: user.quota.messages.map { Int(clamping: Self.number($0)) } ?? mail.quotaMessages
        )
        // roostd and mailboxctl (index rebuild) must make the same roost.cache, renderings included.
        options = StorageOptions(
            fsync: mail.fsync, maxMessageSize: Int64(mail.maxMessageSize), indexDirectory: index,
            cacheRenderer: IMAPCachedRenderings.renderer, logger: logger
        )
        self.user = user
    }

    /// The Maildir root.
    public var root: String { location.root }

    /// A `MailStore` on this user's Maildir; creates nothing on disk.
    public func makeStore() -> MailStore {
        MailStore(root: location.root, quotaLimits: quotaLimits, options: options)
    }

    /// Shorthand for `UserMailStore(user:configuration:).makeStore()`.
    public static func open(
        user: UserRecord, configuration: RoostConfiguration, logger: Logger = Logger(label: "roost.storage")
    ) throws(MailLocationError) -> MailStore {
        try UserMailStore(user: user, configuration: configuration, logger: logger).makeStore()
    }

    /// Checks the `[mail]` templates without a user: syntax, and that `mail.location` and
    /// `mail.index_dir` are per user. For `config check`, so a bad template is reported before the
    /// first login needs it.
    public static func validate(_ mail: MailSettings) throws(MailLocationError) {
        try requirePerUser(mail.location, setting: "mail.location")
        if !mail.indexDirectory.isEmpty {
            try requirePerUser(mail.indexDirectory, setting: "mail.index_dir")
        }
    }

    /// Expands `template` for `user`; refuses `%d` for a user without a domain (see the type comment).
    private static func expand(_ template: String, setting: String, user: UserRecord) throws(MailLocationError) -> String {
        do {
            let parsed = try MailLocationTemplate(template)
            if !user.user.utf8.contains(UInt8(ascii: "@")), try usesDomain(parsed) {
                throw MailLocationError(.userName, setting: setting, """
                    \(template.debugDescription) uses %d, but user \(user.user) has no domain; the empty %d \
                    would put the mail in a directory shared with other users. Use %u in \(setting), or give \
                    the user a domain
                    """)
            }
            return try parsed.expand(user: user.user, home: user.home)
        } catch let error as MailLocationError {
            throw error
        } catch let error as MailLocationTemplate.TemplateError {
            switch error {
            case .unknownVariable(let variable):
                throw MailLocationError(.setting, setting: setting, "unknown variable \(variable) in \(template.debugDescription)")
            case .incompleteVariable:
                throw MailLocationError(.setting, setting: setting, "incomplete % variable in \(template.debugDescription)")
            case .missingHome:
                throw MailLocationError(.setting, setting: setting, "uses %h but user \(user.user) has no home directory")
            case .unsafeValue(let variable, let value):
                throw MailLocationError(.userName, setting: setting,
                                        "\(variable) would be \(value.debugDescription), which cannot be part of a path")
            }
        } catch {
            throw MailLocationError(.setting, setting: setting, "\(template.debugDescription): \(error)")
        }
    }

    /// True when the template puts the domain (`%d`, `%Ld`, `%{domain}`) into the path.
    ///
    /// Found by expanding for a probe user rather than by reading the template a second time, so
    /// the answer always agrees with `MailLocationTemplate`: the probe domain appears once per
    /// `%d` and once per `%u` (inside the full name), so more domains than full names means `%d`.
    private static func usesDomain(_ template: MailLocationTemplate) throws(MailLocationTemplate.TemplateError) -> Bool {
        let domain = "domain-probe.roost.invalid"
        let user = "local-probe@" + domain
        let expanded = try template.expand(user: user, home: "/home-probe")
        return expanded.ranges(of: domain).count > expanded.ranges(of: user).count
    }

    /// Throws unless `template` gives different users different directories: users of one domain,
    /// and users with the same local part in different domains. For a mail location, the Maildir
    /// roots and the `INDEX=` directories are compared separately.
    private static func requirePerUser(_ template: String, setting: String) throws(MailLocationError) {
        let probes = [
            UserRecord(user: "first@one.example", home: "/home/first-one"),
            UserRecord(user: "second@one.example", home: "/home/second-one"),
            UserRecord(user: "first@two.example", home: "/home/first-two"),
        ]
        var roots = Set<String>()
        var indexes = Set<String>()
        for probe in probes {
            let location = try MailLocation(
                parsing: try expand(template, setting: setting, user: probe), home: probe.home, setting: setting
            )
            let rootIsNew = roots.insert(lexical(location.root)).inserted
            let indexIsNew = location.indexDirectory.map { indexes.insert(lexical($0)).inserted } ?? true
            guard rootIsNew, indexIsNew else {
                let what = rootIsNew ? "the same INDEX= directory" : "the same directory"
                throw MailLocationError(.setting, setting: setting,
                                        "\(template.debugDescription) gives several users \(what); use %u (or %d/%n, or %h)")
            }
        }
    }

    /// `path` with `..` applied to the component before it, for the probe users' made-up
    /// directories (nothing on disk to consult), so `%h/..` is seen as the shared parent it is.
    private static func lexical(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") where component != "." {
            if component == ".." { _ = components.popLast() } else { components.append(component) }
        }
        return "/" + components.joined(separator: "/")
    }

    private static func number(_ limit: QuotaLimit) -> Int64 {
        switch limit {
        case .unlimited: 0
        case .limit(let value): Int64(clamping: value)
        }
    }
}
