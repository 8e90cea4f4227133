/// The single table of every configuration key Roost understands.
///
/// Adding a key means one line here plus one field (with its default) in a settings struct;
/// the parser, error messages, `RoostConfiguration.rendered()` and the tests that keep
/// `conf/roostd.conf` and `docs/configuration.md` in step all read this table. A new section
/// needs no registration: sections are the distinct `section` values below, in table order.
public enum ConfigSchema {
    /// Every key, grouped by section in the order the shipped file and dumps list them.
    public static let keys: [ConfigKey] = [
        // [server]
        ConfigKey("server", "listen", .listenAddresses, \.server.listen,
                  doc: "Addresses the listeners bind: * is every IPv4 address, :: every IPv6 address (IPv6-only), else a literal IP."),
        ConfigKey("server", "hostname", .hostname(allowsEmpty: true), \.server.hostname,
                  doc: "Name used in greetings and APOP/CRAM-MD5 challenges; empty = the system's host name."),
        ConfigKey("server", "shutdown_timeout", .duration(.zero ... .seconds(600)), \.server.shutdownTimeout,
                  doc: "How long sessions may finish after SIGTERM before they are closed."),

        // [tls]
        ConfigKey("tls", "certificate", .path(allowsEmpty: true), \.tls.certificate,
                  doc: "PEM certificate chain; empty disables TLS (no STLS/STARTTLS, no implicit-TLS listeners)."),
        ConfigKey("tls", "key", .path(allowsEmpty: true), \.tls.key,
                  doc: "PEM private key of the certificate; set exactly when certificate is."),
        ConfigKey("tls", "min_version", .choice, \.tls.minVersion,
                  doc: "Oldest TLS version accepted: TLSv1.2 or TLSv1.3."),

        // [pop3]
        ConfigKey("pop3", "port", .integer(0...65535), \.pop3.port,
                  doc: "Port of the plaintext POP3 listener offering STLS; 0 = none."),
        ConfigKey("pop3", "tls_port", .integer(0...65535), \.pop3.tlsPort,
                  doc: "Port of the implicit-TLS POP3 listener (POP3S); 0 = none."),
        ConfigKey("pop3", "autologout", .duration(.seconds(1) ... .seconds(86_400)), \.pop3.autologout,
                  doc: "Idle time before a session is closed; RFC 1939 requires at least 10m, shorter values are for tests."),
        ConfigKey("pop3", "lock_session", .bool, \.pop3.lockSession,
                  doc: "Only one POP3 session per user at a time; a second login gets -ERR [IN-USE]."),

        // [imap]
        ConfigKey("imap", "port", .integer(0...65535), \.imap.port,
                  doc: "Port of the plaintext IMAP listener offering STARTTLS; 0 = none."),
        ConfigKey("imap", "tls_port", .integer(0...65535), \.imap.tlsPort,
                  doc: "Port of the implicit-TLS IMAP listener (IMAPS); 0 = none."),
        ConfigKey("imap", "autologout", .duration(.seconds(1800) ... .seconds(86_400), belowMinimum: IMAPSettings.autologoutRule),
                  \.imap.autologout,
                  doc: "Idle time before a session is closed; RFC 3501 section 5.4 requires at least 30m."),
        ConfigKey("imap", "idle_keepalive", .duration(.seconds(10) ... .seconds(1800)), \.imap.idleKeepalive,
                  doc: "How often a client in IDLE gets \"* OK Still here\", so NAT boxes keep the connection open."),
        ConfigKey("imap", "special_folders", .bool, \.imap.specialFolders,
                  doc: "Create and subscribe the five special-use folders below at a user's first login."),
        ConfigKey("imap", "drafts_folder", .mailboxName, \.imap.draftsFolder,
                  doc: "Folder listed with the \\Drafts special use (RFC 6154); \".\" separates levels."),
        ConfigKey("imap", "sent_folder", .mailboxName, \.imap.sentFolder,
                  doc: "Folder listed with the \\Sent special use (RFC 6154); \".\" separates levels."),
        ConfigKey("imap", "trash_folder", .mailboxName, \.imap.trashFolder,
                  doc: "Folder listed with the \\Trash special use (RFC 6154); \".\" separates levels."),
        ConfigKey("imap", "junk_folder", .mailboxName, \.imap.junkFolder,
                  doc: "Folder listed with the \\Junk special use (RFC 6154); \".\" separates levels."),
        ConfigKey("imap", "archive_folder", .mailboxName, \.imap.archiveFolder,
                  doc: "Folder listed with the \\Archive special use (RFC 6154); \".\" separates levels."),

        // [limits]
        ConfigKey("limits", "max_connections", .integer(1...1_000_000), \.limits.maxConnections,
                  doc: "Concurrent client connections to the whole server."),
        ConfigKey("limits", "max_connections_per_ip", .integer(1...1_000_000), \.limits.maxConnectionsPerIP,
                  doc: "Concurrent connections from one remote IP address."),
        ConfigKey("limits", "max_connections_per_user_ip", .integer(1...1_000_000), \.limits.maxConnectionsPerUserIP,
                  doc: "Concurrent sessions of one user from one remote IP (Thunderbird opens up to 5 IMAP connections per account)."),
        ConfigKey("limits", "max_line_length", .size(1024...(16 << 20)), \.limits.maxLineLength,
                  doc: "Longest command line (a SASL response line included) before the client gets an error."),
        ConfigKey("limits", "max_bad_commands", .integer(1...1000), \.limits.maxBadCommands,
                  doc: "Syntax errors and unknown commands a session may send before it is disconnected."),

        // [mail]
        ConfigKey("mail", "location", .template(), \.mail.location,
                  doc: "Maildir root of a virtual user (%u user, %n local part, %d domain, %h home); a passwd-file entry may override it."),
        ConfigKey("mail", "owner_user", .string(), \.mail.ownerUser,
                  doc: "System user that owns virtual users' mail files."),
        ConfigKey("mail", "owner_group", .string(), \.mail.ownerGroup,
                  doc: "System group that owns virtual users' mail files."),
        ConfigKey("mail", "fsync", .bool, \.mail.fsync,
                  doc: "Fsync message files and state before rename; turn off only on tmpfs for tests."),
        ConfigKey("mail", "max_message_size", .size, \.mail.maxMessageSize,
                  doc: "Largest message accepted by APPEND; 0 = unlimited, except that an IMAP literal (held in memory while it arrives) stays at most 64M."),
        ConfigKey("mail", "quota_storage", .size, \.mail.quotaStorage,
                  doc: "Per-user storage limit unless the user has an override; 0 = unlimited."),
        ConfigKey("mail", "quota_messages", .integer(0...Int.max), \.mail.quotaMessages,
                  doc: "Per-user message-count limit unless the user has an override; 0 = unlimited."),
        ConfigKey("mail", "index_dir", .template(allowsEmpty: true), \.mail.indexDirectory,
                  doc: "Where rebuildable index/cache files go, a template like location; empty = inside each Maildir folder."),

        // [auth]
        ConfigKey("auth", "passdb", .choice, \.auth.passdb,
                  doc: "Where passwords are checked: passwd-file (auth.passwd_file) or pam (auth.pam_service; no CRAM-MD5 or APOP)."),
        ConfigKey("auth", "userdb", .choice, \.auth.userdb,
                  doc: "Where uid, home and mail location come from: passwd-file (virtual users) or system (system accounts)."),
        ConfigKey("auth", "passwd_file", .path(), \.auth.passwdFile,
                  doc: "Passwd-file listing the virtual users."),
        ConfigKey("auth", "default_scheme", .choice, \.auth.defaultScheme,
                  doc: "Scheme assumed for a stored password without a {SCHEME} prefix (Dovecot's default_pass_scheme)."),
        ConfigKey("auth", "password_scheme", .choice, \.auth.passwordScheme,
                  doc: "Scheme mailboxctl uses for new passwords; CRYPT is libcrypt's yescrypt."),
        ConfigKey("auth", "mechanisms", .list(of: SASLMechanismName.self), \.auth.mechanisms,
                  doc: "SASL mechanisms that may be offered; CRAM-MD5 only when stored passwords allow it."),
        ConfigKey("auth", "allow_plaintext_without_tls", .bool, \.auth.allowPlaintextWithoutTLS,
                  doc: "Allow plaintext logins on unencrypted remote connections (loopback is always allowed)."),
        ConfigKey("auth", "failure_delay", .duration(.zero ... .seconds(60)), \.auth.failureDelay,
                  doc: "Delay before answering a failed login; grows with repeated failures."),
        ConfigKey("auth", "failure_delay_max", .duration(.zero ... .seconds(300)), \.auth.failureDelayMax,
                  doc: "Upper bound of the failed-login delay."),
        ConfigKey("auth", "failure_memory", .duration(.zero ... .seconds(86_400)), \.auth.failureMemory,
                  doc: "How long a remote IP's failed logins are remembered."),
        ConfigKey("auth", "hash_threads", .integer(1...64), \.auth.hashThreads,
                  doc: "Threads verifying password hashes."),
        ConfigKey("auth", "pam_service", .pamService, \.auth.pamService,
                  doc: "PAM service of passdb = pam, i.e. the file /etc/pam.d/<name>."),
        ConfigKey("auth", "pam_setcred", .bool, \.auth.pamSetcred,
                  doc: "Call pam_setcred after a PAM login; off because credentials would apply to the whole server process."),
        ConfigKey("auth", "pam_threads", .integer(1...16), \.auth.pamThreads,
                  doc: "Threads running PAM checks; more than 1 only if every module in the service is thread-safe."),
        ConfigKey("auth", "system_mail_location", .template(), \.auth.systemMailLocation,
                  doc: "Mail location of system users with userdb = system (%h home, %u user, %n local part)."),
        ConfigKey("auth", "first_valid_uid", .integer(1...4_294_967_294), \.auth.firstValidUID,
                  doc: "With userdb = system, users with a lower uid (system accounts) may not log in; root never may."),

        // [auth_socket]
        ConfigKey("auth_socket", "path", .path(allowsEmpty: true), \.authSocket.path,
                  doc: "UNIX socket for Postfix/Exim SASL in Dovecot's auth protocol; empty = none. Chrooted Postfix: /var/spool/postfix/private/auth."),
        ConfigKey("auth_socket", "mode", .fileMode, \.authSocket.mode,
                  doc: "Permission bits of the socket, in octal; whoever can connect can try passwords."),
        ConfigKey("auth_socket", "user", .string(), \.authSocket.user,
                  doc: "Owner of the socket (set while roostd is still root)."),
        ConfigKey("auth_socket", "group", .string(), \.authSocket.group,
                  doc: "Group of the socket."),

        // [log]
        ConfigKey("log", "level", .choice, \.log.level,
                  doc: "Least severe level logged: trace, debug, info, notice, warning, error, critical."),
    ]

    /// Section names in table order.
    public static let sections: [String] = keys.reduce(into: []) { names, key in
        if !names.contains(key.section) { names.append(key.section) }
    }

    /// Rules between keys, checked after the whole file is read.
    static let constraints: [ConfigConstraint] = [
        ConfigConstraint(
            keys: ["auth.failure_delay", "auth.failure_delay_max"],
            message: "auth.failure_delay_max must be at least auth.failure_delay",
            holds: { $0.auth.failureDelayMax >= $0.auth.failureDelay }
        ),
        ConfigConstraint(
            keys: ["tls.certificate", "tls.key"],
            message: "tls.certificate and tls.key must both be set (TLS on) or both be empty (TLS off)",
            holds: { $0.tls.certificate.isEmpty == $0.tls.key.isEmpty }
        ),
        ConfigConstraint(
            keys: ["auth.passdb", "auth.pam_service", "auth.pam_setcred", "auth.pam_threads"],
            message: "auth.pam_service, auth.pam_setcred and auth.pam_threads take effect only with auth.passdb = pam",
            holds: { $0.auth.passdb == .pam || $0.auth.pamKeysAtDefaults }
        ),
        ConfigConstraint(
            keys: ["auth.userdb", "auth.system_mail_location", "auth.first_valid_uid"],
            message: "auth.system_mail_location and auth.first_valid_uid take effect only with auth.userdb = system",
            holds: { $0.auth.userdb == .system || $0.auth.systemUserDBKeysAtDefaults }
        ),
    ]
        + pairwiseDistinct(listenerPorts, exempt: { $0 == 0 }) { "\($0) and \($1) must differ unless one of them is 0" }
        + pairwiseDistinct(specialUseFolders, exempt: { _ in false }) { "\($0) and \($1) must name different folders" }

    /// Every listener port: two listeners cannot bind one port, whichever protocols they serve.
    private static let listenerPorts: [(key: String, value: @Sendable (RoostConfiguration) -> Int)] = [
        ("pop3.port", { $0.pop3.port }),
        ("pop3.tls_port", { $0.pop3.tlsPort }),
        ("imap.port", { $0.imap.port }),
        ("imap.tls_port", { $0.imap.tlsPort }),
    ]

    /// The special-use folder of each use, as storage identifies it: RFC 6154 section 2 gives
    /// each attribute to one mailbox, so two uses on one folder would mean a mistyped key.
    private static let specialUseFolders: [(key: String, value: @Sendable (RoostConfiguration) -> String)] =
        SpecialUseName.allCases.map { use in
            ("imap.\(use.keyName)", { MailboxNameFormat.canonical($0.imap.folder(for: use)) })
        }

    /// One constraint per pair of `fields`: their values must differ unless either is `exempt`
    /// (a port of 0 opens no listener). Separate pairs let the error name exactly the two keys
    /// that clash rather than every key of the group.
    private static func pairwiseDistinct<Value: Equatable>(
        _ fields: [(key: String, value: @Sendable (RoostConfiguration) -> Value)],
        exempt: @escaping @Sendable (Value) -> Bool,
        message: (String, String) -> String
    ) -> [ConfigConstraint] {
        var constraints: [ConfigConstraint] = []
        for (index, first) in fields.enumerated() {
            for second in fields[(index + 1)...] {
                constraints.append(ConfigConstraint(keys: [first.key, second.key], message: message(first.key, second.key)) {
                    let a = first.value($0), b = second.value($0)
                    return exempt(a) || exempt(b) || a != b
                })
            }
        }
        return constraints
    }

    /// Keys by qualified name, for O(1) lookup while parsing.
    private static let byQualifiedName: [String: ConfigKey] =
        Dictionary(keys.map { ($0.qualifiedName, $0) }, uniquingKeysWith: { first, _ in first })

    /// The key `name` in `section`, if Roost has one.
    public static func key(section: String, name: String) -> ConfigKey? {
        byQualifiedName["\(section).\(name)"]
    }

    /// The keys of one section, in table order.
    public static func keys(in section: String) -> [ConfigKey] {
        keys.filter { $0.section == section }
    }

    /// A likely intended key for an unknown `section.name`: the same name in another section,
    /// or a name in this section within two typos. Nil when nothing is close.
    static func suggestion(section: String, name: String) -> String? {
        if let elsewhere = keys.first(where: { $0.name == name && $0.section != section }) {
            return elsewhere.qualifiedName
        }
        let lowered = name.lowercased()
        let scored = keys(in: section).map { ($0, EditDistance.between($0.name, lowered)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0.qualifiedName
    }
}
