import Logging
import RoostAuth
import RoostConfig
import RoostStorage

/// How one user's mail is opened: the single mapping from configuration and userdb record to a
/// `MailStore`, shared by `mailboxctl` and the server so both always look in the same place.
///
/// Rules, in order:
/// - Mail location: the user's own (`userdb_mail`, already expanded by the userdb), else
///   `mail.location` expanded for the user (`%u`, `%n`, `%d`, `%h`); then parsed by `MailLocation`.
/// - Index directory: the location's `INDEX=`, else `mail.index_dir` expanded for the user, else
///   inside each folder. `mail.index_dir` must name a per-user directory (contain `%u`, `%n`+`%d`
///   or `%h`): every folder's files are `<dir>/<folder>/roost.index`, so a shared directory would
///   mix users' indexes.
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
        options = StorageOptions(
            fsync: mail.fsync, maxMessageSize: Int64(mail.maxMessageSize), indexDirectory: index, logger: logger
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

    /// Checks the `[mail]` templates without a user: syntax, and that `mail.index_dir` is per user.
    /// For `config check`, so a bad template is reported before the first login needs it.
    public static func validate(_ mail: MailSettings) throws(MailLocationError) {
        let probe = UserRecord(user: "probe@example.org", home: "/home/probe")
        _ = try expand(mail.location, setting: "mail.location", user: probe)
        if !mail.indexDirectory.isEmpty {
            try requirePerUser(mail.indexDirectory, setting: "mail.index_dir")
        }
    }

    private static func expand(_ template: String, setting: String, user: UserRecord) throws(MailLocationError) -> String {
        do {
            return try MailLocationTemplate(template).expand(user: user.user, home: user.home)
        } catch {
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
        }
    }

    /// Throws unless `template` gives different users different directories: users of one domain,
    /// and users with the same local part in different domains.
    private static func requirePerUser(_ template: String, setting: String) throws(MailLocationError) {
        let probes = [
            UserRecord(user: "first@one.example", home: "/home/first-one"),
            UserRecord(user: "second@one.example", home: "/home/second-one"),
            UserRecord(user: "first@two.example", home: "/home/first-two"),
        ]
        var seen = Set<String>()
        for probe in probes {
            guard seen.insert(try expand(template, setting: setting, user: probe)).inserted else {
                throw MailLocationError(.setting, setting: setting,
                                        "\(template.debugDescription) gives several users the same directory; use %u (or %d/%n, or %h)")
            }
        }
    }

    private static func number(_ limit: QuotaLimit) -> Int64 {
        switch limit {
        case .unlimited: 0
        case .limit(let value): Int64(clamping: value)
        }
    }
}
