import RoostConfig
import Testing

/// The schema table: its shape, the built-in defaults it reports, and round-tripping.
@Suite("Schema and defaults")
struct SchemaTests {
    /// The defaults and types the specification asks for, pinned so a change is deliberate.
    static let specified: [(String, String, String)] = [
        ("server.listen", "addresses", "* ::"),
        ("server.hostname", "hostname", ""),
        ("server.shutdown_timeout", "duration 0s..10m", "30s"),
        ("tls.certificate", "path", "/etc/roost/tls/fullchain.pem"),
        ("tls.key", "path", "/etc/roost/tls/privkey.pem"),
        ("tls.min_version", "enum", "TLSv1.2"),
        ("pop3.port", "integer 0..65535", "110"),
        ("pop3.tls_port", "integer 0..65535", "995"),
        ("pop3.autologout", "duration 1s..1d", "10m"),
        ("pop3.lock_session", "bool", "yes"),
        ("imap.port", "integer 0..65535", "143"),
        ("imap.tls_port", "integer 0..65535", "993"),
        ("imap.autologout", "duration 30m..1d", "30m"),
        ("imap.idle_keepalive", "duration 10s..30m", "2m"),
        ("imap.special_folders", "bool", "yes"),
        ("imap.drafts_folder", "mailbox", "Drafts"),
        ("imap.sent_folder", "mailbox", "Sent"),
        ("imap.trash_folder", "mailbox", "Trash"),
        ("imap.junk_folder", "mailbox", "Junk"),
        ("imap.archive_folder", "mailbox", "Archive"),
        ("limits.max_connections", "integer 1..1000000", "1000"),
        ("limits.max_connections_per_ip", "integer 1..1000000", "50"),
        ("limits.max_connections_per_user_ip", "integer 1..1000000", "20"),
        ("limits.max_line_length", "size 1K..16M", "64K"),
        ("limits.max_bad_commands", "integer 1..1000", "20"),
        ("mail.location", "template", "/var/vmail/%d/%n"),
        ("mail.owner_user", "string", "vmail"),
        ("mail.owner_group", "string", "vmail"),
        ("mail.fsync", "bool", "yes"),
        ("mail.max_message_size", "size", "50M"),
        ("mail.quota_storage", "size", "0"),
        ("mail.quota_messages", "integer >= 0", "0"),
        ("mail.index_dir", "template", ""),
        ("auth.passdb", "enum", "passwd-file"),
        ("auth.userdb", "enum", "passwd-file"),
        ("auth.passwd_file", "path", "/etc/roost/users"),
        ("auth.default_scheme", "enum", "CRYPT"),
        ("auth.password_scheme", "enum", "CRYPT"),
        ("auth.mechanisms", "list", "PLAIN LOGIN CRAM-MD5"),
        ("auth.allow_plaintext_without_tls", "bool", "no"),
        ("auth.failure_delay", "duration 0s..1m", "2s"),
        ("auth.failure_delay_max", "duration 0s..5m", "15s"),
        ("auth.failure_memory", "duration 0s..1d", "29s"),
        ("auth.hash_threads", "integer 1..64", "2"),
        ("auth.pam_service", "string", "roost"),
        ("auth.pam_setcred", "bool", "no"),
        ("auth.pam_threads", "integer 1..16", "1"),
        ("auth.system_mail_location", "template", "%h/Maildir"),
        ("auth.first_valid_uid", "integer 1..4294967294", "1000"),
        ("auth_socket.path", "path", ""),
        ("auth_socket.mode", "file mode", "0660"),
        ("auth_socket.user", "string", "postfix"),
        ("auth_socket.group", "string", "postfix"),
        ("log.level", "enum", "info"),
    ]

    @Test("every specified key exists with its type and default", arguments: specified)
    func specifiedKey(qualifiedName: String, type: String, defaultValue: String) throws {
        let key = try #require(ConfigSchema.keys.first { $0.qualifiedName == qualifiedName })
        #expect(key.type.summary == type)
        #expect(key.defaultValue == defaultValue)
        #expect(ConfigSchema.key(section: key.section, name: key.name)?.qualifiedName == qualifiedName)
    }

    @Test("the schema has exactly the specified keys, each once")
    func keySet() {
        let names = ConfigSchema.keys.map(\.qualifiedName)
        #expect(Set(names).count == names.count)
        #expect(Set(names) == Set(Self.specified.map(\.0)))
        #expect(ConfigSchema.sections == ["server", "tls", "pop3", "imap", "limits", "mail", "auth", "auth_socket", "log"])
        #expect(ConfigSchema.key(section: "mail", name: "nonexistent") == nil)
    }

    @Test("every key has a one-line doc and a well-formed name", arguments: ConfigSchema.keys.map(\.qualifiedName))
    func documented(qualifiedName: String) throws {
        let key = try #require(ConfigSchema.keys.first { $0.qualifiedName == qualifiedName })
        #expect(!key.doc.isEmpty)
        #expect(!key.doc.contains("\n"))
        #expect(key.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" })
        #expect(ConfigSchema.keys(in: key.section).contains { $0.name == key.name })
    }

    @Test("typed defaults match the specification")
    func typedDefaults() {
        let defaults = RoostConfiguration.defaults
        #expect(defaults == RoostConfiguration())
        #expect(defaults.mail.maxMessageSize == 52_428_800)
        #expect(defaults.mail.fsync)
        #expect(defaults.mail.indexDirectory.isEmpty)
        #expect(defaults.auth.defaultScheme == .crypt)
        #expect(defaults.auth.passwordScheme == .crypt)
        #expect(defaults.auth.mechanisms == [.plain, .login, .cramMD5])
        #expect(!defaults.auth.allowPlaintextWithoutTLS)
        #expect(defaults.auth.failureDelay == .seconds(2))
        #expect(defaults.auth.failureDelayMax == .seconds(15))
        // Dovecot's AUTH_PENALTY_TIMEOUT (2 + 4 + 8 + 15 s), as RoostAuth's AuthPenaltyConfiguration.
        #expect(defaults.auth.failureMemory == .seconds(29))
        #expect(defaults.auth.hashThreads == 2)
        #expect(defaults.log.level == .info)
        #expect(defaults.server.listen == ["*", "::"])
        #expect(defaults.server.hostname.isEmpty)
        #expect(defaults.server.shutdownTimeout == .seconds(30))
        #expect(defaults.tls.certificate == "/etc/roost/tls/fullchain.pem")
        #expect(defaults.tls.key == "/etc/roost/tls/privkey.pem")
        #expect(defaults.tls.minVersion == .tlsv12)
        #expect(defaults.tls.isEnabled)
        #expect(defaults.pop3.port == 110)
        #expect(defaults.pop3.tlsPort == 995)
        // RFC 1939 section 3: an autologout timer must be at least 10 minutes.
        #expect(defaults.pop3.autologout == .seconds(600))
        #expect(defaults.pop3.lockSession)
        #expect(defaults.imap.port == 143)
        #expect(defaults.imap.tlsPort == 993)
        // RFC 3501 section 5.4: an autologout timer must be at least 30 minutes.
        #expect(defaults.imap.autologout == .seconds(1800))
        #expect(defaults.imap.idleKeepalive == .seconds(120))
        #expect(defaults.imap.specialFolders)
        #expect(SpecialUseName.allCases.map { defaults.imap.folder(for: $0) } == ["Drafts", "Sent", "Trash", "Junk", "Archive"])
        #expect(defaults.limits.maxConnections == 1000)
        #expect(defaults.limits.maxConnectionsPerIP == 50)
        #expect(defaults.limits.maxConnectionsPerUserIP == 20)
        #expect(defaults.limits.maxLineLength == 65_536)
        #expect(defaults.limits.maxBadCommands == 20)
    }

    @Test("each default, written quoted, reads back as the default", arguments: ConfigSchema.keys.map(\.qualifiedName))
    func defaultRoundTrip(qualifiedName: String) throws {
        let key = try #require(ConfigSchema.keys.first { $0.qualifiedName == qualifiedName })
        let parsed = try TestSupport.parse(key.section, key.name, TestSupport.quoted(key.defaultValue))
        #expect(parsed == .defaults)
    }

    @Test("rendered defaults read back as the defaults and list every key")
    func renderedDefaults() throws {
        let text = RoostConfiguration.defaults.rendered()
        #expect(try RoostConfiguration.parse(text: text, fileName: "rendered.conf") == .defaults)
        for key in ConfigSchema.keys {
            #expect(text.contains("\n\(key.name) = "), "missing \(key.qualifiedName)")
        }
        #expect(RoostConfiguration.defaults.rendered(onlyChanged: true).isEmpty)
    }

    @Test("a customised configuration round-trips, and onlyChanged shows just the changes")
    func renderedCustom() throws {
        var custom = RoostConfiguration.defaults
        custom.mail.location = "  %h/Mail dir # odd  "
        custom.mail.ownerGroup = "\"quoted\\group\""
        custom.mail.maxMessageSize = 1536 * 1024
        custom.auth.mechanisms = [.cramMD5, .plain]
        custom.auth.failureDelay = .milliseconds(250)
        custom.auth.defaultScheme = .sha512Crypt
        custom.log.level = .trace
        custom.server.listen = ["127.0.0.1", "::1"]
        custom.server.hostname = "mail.example.org"
        custom.tls.certificate = ""
        custom.tls.key = ""
        custom.tls.minVersion = .tlsv13
        custom.pop3.port = 0
        custom.pop3.autologout = .seconds(5)
        custom.limits.maxLineLength = 8192

        let full = try RoostConfiguration.parse(text: custom.rendered(), fileName: "full.conf")
        #expect(full == custom)

        let changed = custom.rendered(onlyChanged: true)
        #expect(try RoostConfiguration.parse(text: changed, fileName: "changed.conf") == custom)
        #expect(changed.contains("max_message_size = 1536K\n"))
        #expect(changed.contains("mechanisms = CRAM-MD5 PLAIN\n"))
        #expect(changed.contains("failure_delay = 250ms\n"))
        #expect(changed.contains("[server]\n"))
        #expect(changed.contains("listen = 127.0.0.1 ::1\n"))
        #expect(changed.contains("certificate = \"\"\n"))
        #expect(changed.contains("min_version = TLSv1.3\n"))
        #expect(changed.contains("autologout = 5s\n"))
        #expect(changed.contains("max_line_length = 8K\n"))
        #expect(!changed.contains("tls_port"))
        #expect(!changed.contains("max_bad_commands"))
        #expect(!changed.contains("fsync"))
        #expect(!changed.contains("hash_threads"))
    }

    @Test("log levels order by severity and use swift-log's names")
    func logLevels() {
        #expect(LogLevel.allCases.map(\.rawValue) == ["trace", "debug", "info", "notice", "warning", "error", "critical"])
        #expect(LogLevel.trace < .debug)
        #expect(LogLevel.warning >= .notice)
        #expect(LogLevel.allCases.sorted() == LogLevel.allCases)
    }

    static let expectations: [(ConfigValueType, String)] = [
        (.string(allowsEmpty: true), "a string"),
        (.template(allowsEmpty: false), "a non-empty template such as /var/vmail/%d/%n"),
        (.template(allowsEmpty: true), "a template such as /var/vmail/%d/%n"),
        (.path(allowsEmpty: false), "an absolute path starting with /"),
        (.path(allowsEmpty: true), "an absolute path starting with / or an empty value"),
        (.size(0...Int.max), "a size such as 50M"),
        (.size(1024...(16 << 20)), "a size from 1K to 16M in bytes or with K, M, G or T"),
        (.listenAddresses, "a non-empty list of IP addresses, * (every IPv4 address) or :: (every IPv6 address)"),
        (.hostname(allowsEmpty: true), "a host name such as mail.example.org or an empty value"),
        (.integer(-5...5), "an integer from -5 to 5"),
        (.integer(3...Int.max), "an integer of at least 3"),
        (.list(allowed: ["A", "B"], allowsEmpty: true), "a list of A, B"),
        (.choice(["x", "y"]), "one of x, y"),
        (.duration(.zero ... .seconds(60)), "a duration from 0s to 1m such as 30s, 10m, 2h or 500ms"),
        (.duration(.milliseconds(500) ... .seconds(86_400)), "a duration from 500ms to 1d such as 30s, 10m, 2h or 500ms"),
        (.mailboxName, "a mailbox name such as Archive or Archive.2024"),
    ]

    @Test("value types describe what they expect", arguments: expectations)
    func expectation(type: ConfigValueType, text: String) {
        #expect(type.expectation == text)
    }

    @Test("file modes are octal permission bits", arguments: [
        ("0660", 0o660), ("660", 0o660), ("0600", 0o600), ("0777", 0o777), ("0000", 0),
    ])
    func fileModes(text: String, value: Int) throws {
        let configuration = try RoostConfiguration.parse(text: "[auth_socket]\nmode = \(text)\n", fileName: "t.conf")
        #expect(configuration.authSocket.mode == value)
    }

    @Test("bad file modes are refused", arguments: ["1777", "0888", "66", "rw-rw----", "06600", "-660"])
    func badFileModes(text: String) {
        #expect(throws: ConfigError.self) {
            try RoostConfiguration.parse(text: "[auth_socket]\nmode = \(text)\n", fileName: "t.conf")
        }
    }
}
