/// Everything the storage layer needs to open a user's mail.
///
/// `mailLocation` is already expanded (`maildir:/var/vmail/example.org/bob`); nil means "use the
/// server-wide default". `extraFields` holds the remaining userdb fields with any `userdb_` prefix
/// removed, for settings this module does not interpret.
public struct UserRecord: Sendable, Hashable {
    public var user: String
    /// System uid to access the mail as; nil to use the server's own.
    public var uid: UInt32?
    /// System gid to access the mail as; nil to use the server's own.
    public var gid: UInt32?
    public var home: String?
    public var mailLocation: String?
    public var quota: QuotaOverride
    public var extraFields: [String: String]

    public init(
        user: String, uid: UInt32? = nil, gid: UInt32? = nil, home: String? = nil, mailLocation: String? = nil,
        quota: QuotaOverride = QuotaOverride(), extraFields: [String: String] = [:]
    ) {
        self.user = user
        self.uid = uid
        self.gid = gid
        self.home = home
        self.mailLocation = mailLocation
        self.quota = quota
        self.extraFields = extraFields
    }
}
