/// A userdb that gives every user the same uid/gid and templated home and mail location: the usual
/// setup for virtual mail users who all live under one system account (Dovecot's `userdb static`).
///
/// It answers for any name, so it must sit behind a passdb that decided the user exists; the
/// templates refuse names that could escape the mail directory (see `MailLocationTemplate`).
public struct StaticUserDB: UserDB {
    public var uid: UInt32?
    public var gid: UInt32?
    /// Expanded without `%h` (there is no home yet); nil means no home directory.
    public var homeTemplate: MailLocationTemplate?
    /// Expanded with the expanded home; nil leaves the mail location to the server default.
    public var mailTemplate: MailLocationTemplate?
    public var quota: QuotaOverride
    public var extraFields: [String: String]

    /// For example `StaticUserDB(uid: 5000, gid: 5000, homeTemplate: try .init("/var/vmail/%d/%n"),
    /// mailTemplate: try .init("maildir:%h/Maildir"))`.
    public init(
        uid: UInt32?, gid: UInt32?, homeTemplate: MailLocationTemplate?, mailTemplate: MailLocationTemplate?,
        quota: QuotaOverride = QuotaOverride(), extraFields: [String: String] = [:]
    ) {
        self.uid = uid
        self.gid = gid
        self.homeTemplate = homeTemplate
        self.mailTemplate = mailTemplate
        self.quota = quota
        self.extraFields = extraFields
    }

    /// Always a record; throws `MailLocationTemplate.TemplateError` for names unsafe in a path.
    public func lookup(user: String) async throws -> UserRecord? {
        try record(user: user)
    }

    /// The synchronous form of `lookup`.
    public func record(user: String) throws(MailLocationTemplate.TemplateError) -> UserRecord {
        let home = try homeTemplate?.expand(user: user, home: nil)
        let mail = try mailTemplate?.expand(user: user, home: home)
        return UserRecord(
            user: user, uid: uid, gid: gid, home: home, mailLocation: mail, quota: quota, extraFields: extraFields
        )
    }
}
