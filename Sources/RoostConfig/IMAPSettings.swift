/// The `[imap]` section: IMAP listeners, session timers and the special-use folders
/// (RFC 3501, RFC 2177, RFC 6154, RFC 8314).
///
/// IMAP's other limits are shared with POP3 and have one name each: the longest command line
/// is `limits.max_line_length`, the largest APPEND literal `mail.max_message_size`, and the
/// syntax errors a session may make `limits.max_bad_commands`.
public struct IMAPSettings: Sendable, Equatable {
    /// `imap.port`: port of the plaintext listener offering STARTTLS; 0 means none.
    public var port: Int
    /// `imap.tls_port`: port of the implicit-TLS listener (IMAPS); 0 means none.
    public var tlsPort: Int
    /// `imap.autologout`: idle time after which a session is closed.
    public var autologout: Duration
    /// `imap.idle_keepalive`: interval of `* OK Still here` while a client is in IDLE.
    public var idleKeepalive: Duration
    /// `imap.special_folders`: create and subscribe the special-use folders at a user's first login.
    public var specialFolders: Bool
    /// `imap.drafts_folder`: the folder listed with `\Drafts`.
    public var draftsFolder: String
    /// `imap.sent_folder`: the folder listed with `\Sent`.
    public var sentFolder: String
    /// `imap.trash_folder`: the folder listed with `\Trash`.
    public var trashFolder: String
    /// `imap.junk_folder`: the folder listed with `\Junk`.
    public var junkFolder: String
    /// `imap.archive_folder`: the folder listed with `\Archive`.
    public var archiveFolder: String

    /// Creates `[imap]` settings; every default is the built-in value used when the key is absent.
    ///
    /// Values set in code are not checked; a file is (see each parameter), so tests may use
    /// timers shorter than a file allows.
    ///
    /// - Parameters:
    ///   - port: Port of the plaintext listener, which offers STARTTLS when TLS is configured
    ///     (RFC 3501 section 6.2.1); 0...65535, 0 = no such listener. Default 143.
    ///   - tlsPort: Port of the implicit-TLS listener (RFC 8314); 0...65535, 0 = no such
    ///     listener. Ignored while `[tls]` is off. Every non-zero port of `[pop3]` and `[imap]`
    ///     must differ from the others (a `ConfigConstraint`). Default 993.
    ///   - autologout: Idle time after which a session is closed; 30m...1d. RFC 3501 section
    ///     5.4: "If a server has an inactivity autologout timer, the duration of that timer
    ///     MUST be at least 30 minutes." Any command from the client restarts it. Default 30
    ///     minutes.
    ///   - idleKeepalive: While a client is in IDLE (RFC 2177), how often the server sends
    ///     `* OK Still here`, so NAT boxes and firewalls that drop silent connections keep this
    ///     one; 10s...30m. Default 2 minutes (Dovecot's `imap_idle_notify_interval`).
    ///   - specialFolders: At a user's first IMAP login, create the five special-use folders
    ///     below that do not exist yet and subscribe them, so clients find them at once.
    ///     Default `true`.
    ///   - draftsFolder: Folder given `\Drafts` in LIST (RFC 6154 section 2). Levels are
    ///     separated by `.`, IMAP's hierarchy separator in Roost, so `Mail.Drafts` is `Drafts`
    ///     inside `Mail`. Written in UTF-8, not modified UTF-7. A file must give a non-empty
    ///     name without `*`, `%`, `/`, control characters or empty levels, other than INBOX,
    ///     and different from the other four folders. Default `Drafts`.
    ///   - sentFolder: Folder given `\Sent`; same rules. Default `Sent`.
    ///   - trashFolder: Folder given `\Trash`; same rules. Default `Trash`.
    ///   - junkFolder: Folder given `\Junk`; same rules. Default `Junk`.
    ///   - archiveFolder: Folder given `\Archive`; same rules. Default `Archive`.
    public init(
        port: Int = 143,
        tlsPort: Int = 993,
        autologout: Duration = .seconds(1800),
        idleKeepalive: Duration = .seconds(120),
        specialFolders: Bool = true,
        draftsFolder: String = "Drafts",
        sentFolder: String = "Sent",
        trashFolder: String = "Trash",
        junkFolder: String = "Junk",
        archiveFolder: String = "Archive"
    ) {
        self.port = port
        self.tlsPort = tlsPort
        self.autologout = autologout
        self.idleKeepalive = idleKeepalive
        self.specialFolders = specialFolders
        self.draftsFolder = draftsFolder
        self.sentFolder = sentFolder
        self.trashFolder = trashFolder
        self.junkFolder = junkFolder
        self.archiveFolder = archiveFolder
    }

    /// RFC 3501's rule, quoted in the error for an `imap.autologout` under 30 minutes.
    static let autologoutRule = "RFC 3501 section 5.4: \"If a server has an inactivity autologout timer, "
        + "the duration of that timer MUST be at least 30 minutes.\""

    /// The folder configured for `use`, with levels separated by `.` (e.g. `Archive.2024`).
    public func folder(for use: SpecialUseName) -> String {
        switch use {
        case .drafts: return draftsFolder
        case .sent: return sentFolder
        case .trash: return trashFolder
        case .junk: return junkFolder
        case .archive: return archiveFolder
        }
    }
}
