import RoostConfig
import Testing

/// `[imap]`: ports and the distinct-ports rule across protocols, autologout (RFC 3501 section
/// 5.4), the IDLE keepalive and the special-use folders (RFC 6154).
@Suite("[imap] settings")
struct IMAPSettingsTests {
    // MARK: Ports

    @Test("ports take 0 to 65535", arguments: ["port", "tls_port"], [0, 1, 143, 993, 65535])
    func validPort(key: String, value: Int) throws {
        // The other port is moved out of the way so the distinct-ports rule does not interfere.
        let other = key == "port" ? "tls_port = 2" : "port = 2"
        let imap = try RoostConfiguration.parse(text: "[imap]\n\(other)\n\(key) = \(value)\n", fileName: "i.conf").imap
        #expect((key == "port" ? imap.port : imap.tlsPort) == value)
    }

    @Test("ports outside 0 to 65535 are refused", arguments: ["port", "tls_port"], ["-1", "65536", "imap", "143s", "\"\""])
    func invalidPort(key: String, text: String) throws {
        let error = try #require(TestSupport.error("imap", key, text))
        #expect(error.kind == .invalidValue)
        #expect(error.line == 2)
        #expect(error.key == "imap.\(key)")
        #expect(error.message.hasPrefix("expected an integer from 0 to 65535, got "))
    }

    static let clashingPorts: [(String, Int, String, String)] = [
        ("[imap]\nport = 993\n", 2, "imap.port", "imap.port and imap.tls_port"),
        ("[imap]\ntls_port = 143\n", 2, "imap.tls_port", "imap.port and imap.tls_port"),
        ("[imap]\nport = 110\n", 2, "imap.port", "pop3.port and imap.port"),
        ("[imap]\ntls_port = 995\n", 2, "imap.tls_port", "pop3.tls_port and imap.tls_port"),
        ("[pop3]\ntls_port = 143\n", 2, "pop3.tls_port", "pop3.tls_port and imap.port"),
        ("[imap]\ntls_port = 2000\n[pop3]\n\nport = 2000\n", 5, "pop3.port", "pop3.port and imap.tls_port"),
        // The POP3 pair keeps its own message.
        ("[pop3]\nport = 995\n", 2, "pop3.port", "pop3.port and pop3.tls_port"),
    ]

    @Test("two non-zero listener ports, of either protocol, may not be equal", arguments: clashingPorts)
    func clashingPort(text: String, line: Int, key: String, pair: String) throws {
        let error = try #require(TestSupport.error(parsing: text, fileName: "/etc/roost/roostd.conf"))
        #expect(error.kind == .inconsistentValues)
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message == "\(pair) must differ unless one of them is 0")
        #expect(error.description == "/etc/roost/roostd.conf:\(line): \(key): \(pair) must differ unless one of them is 0")
    }

    @Test("any number of ports may be 0, and IMAP and POP3 may swap the usual numbers")
    func zeroPortsNeverClash() throws {
        let off = try RoostConfiguration.parse(
            text: "[pop3]\nport = 0\ntls_port = 0\n[imap]\nport = 0\ntls_port = 0\n", fileName: "i.conf")
        #expect([off.pop3.port, off.pop3.tlsPort, off.imap.port, off.imap.tlsPort] == [0, 0, 0, 0])
        let swapped = try RoostConfiguration.parse(
            text: "[pop3]\nport = 143\ntls_port = 993\n[imap]\nport = 110\ntls_port = 995\n", fileName: "i.conf")
        #expect([swapped.pop3.port, swapped.pop3.tlsPort, swapped.imap.port, swapped.imap.tlsPort] == [143, 993, 110, 995])
    }

    // MARK: Timers

    @Test("autologout is 30m to 1d", arguments: [
        ("30m", Duration.seconds(1800)), ("1800s", .seconds(1800)), ("45 mins", .seconds(2700)),
        ("2h", .seconds(7200)), ("1d", .seconds(86_400)),
    ])
    func validAutologout(text: String, expected: Duration) throws {
        #expect(try TestSupport.parse("imap", "autologout", text).imap.autologout == expected)
    }

    @Test("autologout under 30 minutes is refused, quoting RFC 3501 section 5.4",
          arguments: ["29m", "1799s", "1799999ms", "10m", "0"])
    func autologoutBelowRFCMinimum(text: String) throws {
        let error = try #require(TestSupport.error(parsing: "# IMAP\n[imap]\nautologout = \(text)\n",
                                                   fileName: "/etc/roost/roostd.conf"))
        #expect(error.kind == .invalidValue)
        #expect(error.description == "/etc/roost/roostd.conf:3: imap.autologout: "
            + "expected a duration from 30m to 1d such as 30s, 10m, 2h or 500ms, got \"\(text)\" "
            + "(RFC 3501 section 5.4: \"If a server has an inactivity autologout timer, "
            + "the duration of that timer MUST be at least 30 minutes.\")")
    }

    @Test("autologout over a day is out of range, and nonsense is not a duration", arguments: [
        ("86401s", "out of range"), ("2d", "out of range"), ("30 fortnights", "unknown unit \"fortnights\"; use ms, s, m, h or d"),
    ])
    func autologoutOtherwiseInvalid(text: String, reason: String) throws {
        let error = try #require(TestSupport.error("imap", "autologout", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message == "expected a duration from 30m to 1d such as 30s, 10m, 2h or 500ms, got \"\(text)\" (\(reason))")
    }

    @Test("idle_keepalive is 10s to 30m", arguments: [
        ("10s", Duration.seconds(10)), ("2m", .seconds(120)), ("90", .seconds(90)), ("30m", .seconds(1800)),
    ])
    func validIdleKeepalive(text: String, expected: Duration) throws {
        #expect(try TestSupport.parse("imap", "idle_keepalive", text).imap.idleKeepalive == expected)
    }

    @Test("idle_keepalive under 10s or over 30m is refused", arguments: ["0", "9s", "9999ms", "31m", "1h"])
    func invalidIdleKeepalive(text: String) throws {
        let error = try #require(TestSupport.error("imap", "idle_keepalive", text))
        #expect(error.kind == .invalidValue)
        #expect(error.line == 2)
        #expect(error.message == "expected a duration from 10s to 30m such as 30s, 10m, 2h or 500ms, got \"\(text)\" (out of range)")
    }

    @Test("special_folders is a bool", arguments: [("yes", true), ("off", false), ("False", false), ("ON", true)])
    func specialFolders(text: String, expected: Bool) throws {
        #expect(try TestSupport.parse("imap", "special_folders", text).imap.specialFolders == expected)
    }

    @Test("special_folders refuses words that are not yes or no")
    func specialFoldersNotBool() throws {
        let error = try #require(TestSupport.error("imap", "special_folders", "always"))
        #expect(error.message == "expected yes or no (or true/false, on/off), got \"always\"")
    }

    // MARK: Special-use folders

    static let folderKeys: [(String, SpecialUseName)] = [
        ("drafts_folder", .drafts), ("sent_folder", .sent), ("trash_folder", .trash),
        ("junk_folder", .junk), ("archive_folder", .archive),
    ]

    /// Names as written in the file and the name stored; none equals a default folder.
    static let validNames: [(String, String)] = [
        ("Sent Messages", "Sent Messages"),
        ("Archive.2024", "Archive.2024"),
        ("Mail.Papierkorb", "Mail.Papierkorb"),
        ("已发送", "已发送"),
        ("Spam & Co", "Spam & Co"),
        ("INBOX.Entwürfe", "INBOX.Entwürfe"),
        ("\"  Spaced  \"", "  Spaced  "),
        ("\"a#b\"", "a#b"),
    ]

    @Test("each folder key takes UTF-8 names with . between levels", arguments: folderKeys, validNames)
    func validFolder(key: (String, SpecialUseName), name: (String, String)) throws {
        let imap = try TestSupport.parse("imap", key.0, name.0).imap
        #expect(imap.folder(for: key.1) == name.1)
        for other in SpecialUseName.allCases where other != key.1 {
            #expect(imap.folder(for: other) == other.rawValue, "only \(key.0) changed")
        }
    }

    static let invalidNames: [(String, String)] = [
        ("\"\"", "expected a mailbox name such as Archive or Archive.2024, got \"\""),
        ("INBOX", "expected a mailbox name such as Archive or Archive.2024, got \"INBOX\" (INBOX cannot be a special-use folder)"),
        ("inBox", "expected a mailbox name such as Archive or Archive.2024, got \"inBox\" (INBOX cannot be a special-use folder)"),
        ("Ar*chive", "expected a mailbox name such as Archive or Archive.2024, got \"Ar*chive\" (\"*\" and \"%\" are IMAP wildcards)"),
        ("100%", "expected a mailbox name such as Archive or Archive.2024, got \"100%\" (\"*\" and \"%\" are IMAP wildcards)"),
        ("Archive/2024", "expected a mailbox name such as Archive or Archive.2024, got \"Archive/2024\" (\"/\" is not allowed; levels are separated by \".\")"),
        (".Archive", "expected a mailbox name such as Archive or Archive.2024, got \".Archive\" (empty level; \".\" separates levels, as in Archive.2024)"),
        ("Archive.", "expected a mailbox name such as Archive or Archive.2024, got \"Archive.\" (empty level; \".\" separates levels, as in Archive.2024)"),
        ("Archive..2024", "expected a mailbox name such as Archive or Archive.2024, got \"Archive..2024\" (empty level; \".\" separates levels, as in Archive.2024)"),
        (".", "expected a mailbox name such as Archive or Archive.2024, got \".\" (empty level; \".\" separates levels, as in Archive.2024)"),
        ("\"Sent\tItems\"", "expected a mailbox name such as Archive or Archive.2024, got \"Sent\tItems\" (contains a control character)"),
        ("Sent\u{85}Items", "expected a mailbox name such as Archive or Archive.2024, got \"Sent\u{85}Items\" (contains a control character)"),
    ]

    @Test("bad folder names are refused with file, line, key and reason", arguments: folderKeys, invalidNames)
    func invalidFolder(key: (String, SpecialUseName), name: (String, String)) throws {
        let text = "[imap]\nspecial_folders = yes\n\(key.0) = \(name.0)\n"
        let error = try #require(TestSupport.error(parsing: text, fileName: "/etc/roost/roostd.conf"))
        #expect(error.kind == .invalidValue)
        #expect(error.line == 3)
        #expect(error.key == "imap.\(key.0)")
        #expect(error.message == name.1)
        #expect(error.description == "/etc/roost/roostd.conf:3: imap.\(key.0): \(name.1)")
    }

    static let sameFolders: [(String, Int, String, String)] = [
        ("[imap]\ndrafts_folder = Sent\n", 2, "imap.drafts_folder", "imap.drafts_folder and imap.sent_folder"),
        ("[imap]\njunk_folder = Spam\n\narchive_folder = Spam\n", 4, "imap.archive_folder", "imap.junk_folder and imap.archive_folder"),
        ("[imap]\ntrash_folder = Archive\n", 2, "imap.trash_folder", "imap.trash_folder and imap.archive_folder"),
        // INBOX is case-insensitive as a first level, so these are one folder.
        ("[imap]\nsent_folder = INBOX.Sent\ntrash_folder = inbox.Sent\n", 3, "imap.trash_folder", "imap.sent_folder and imap.trash_folder"),
    ]

    @Test("two uses on one folder are inconsistent, naming the two keys", arguments: sameFolders)
    func sameFolder(text: String, line: Int, key: String, pair: String) throws {
        let error = try #require(TestSupport.error(parsing: text))
        #expect(error.kind == .inconsistentValues)
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message == "\(pair) must name different folders")
    }

    @Test("folders differing in case, or swapped between uses, are distinct")
    func distinctFolders() throws {
        let cased = try RoostConfiguration.parse(text: "[imap]\ntrash_folder = trash\njunk_folder = TRASH\n", fileName: "i.conf").imap
        #expect(cased.folder(for: .trash) == "trash")
        #expect(cased.folder(for: .junk) == "TRASH")
        let swapped = try RoostConfiguration.parse(text: "[imap]\ndrafts_folder = Sent\nsent_folder = Drafts\n", fileName: "i.conf").imap
        #expect(swapped.draftsFolder == "Sent")
        #expect(swapped.sentFolder == "Drafts")
    }

    @Test("each special use has its key, and its name is the default folder")
    func specialUseNames() throws {
        #expect(SpecialUseName.allCases.map(\.rawValue) == ["Drafts", "Sent", "Trash", "Junk", "Archive"])
        for (name, use) in Self.folderKeys {
            let key = try #require(ConfigSchema.key(section: "imap", name: name))
            #expect(key.defaultValue == use.rawValue)
            #expect(key.doc.contains("\\\(use.rawValue) special use"))
        }
    }

    @Test("folder(for:) reads the field of each use")
    func folderForUse() {
        let imap = IMAPSettings(draftsFolder: "D", sentFolder: "S", trashFolder: "T", junkFolder: "J", archiveFolder: "A")
        #expect(SpecialUseName.allCases.map { imap.folder(for: $0) } == ["D", "S", "T", "J", "A"])
    }

    // MARK: Whole section

    @Test("a customised [imap] round-trips, and onlyChanged shows just its changes")
    func renderedCustom() throws {
        var custom = RoostConfiguration.defaults
        custom.imap = IMAPSettings(port: 0, tlsPort: 10993, autologout: .seconds(3600), idleKeepalive: .seconds(45),
                                   specialFolders: false, sentFolder: "Sent Items", archiveFolder: "Archive.2024")
        let changed = custom.rendered(onlyChanged: true)
        #expect(try RoostConfiguration.parse(text: changed, fileName: "changed.conf") == custom)
        #expect(try RoostConfiguration.parse(text: custom.rendered(), fileName: "full.conf") == custom)
        #expect(changed.hasPrefix("[imap]\n"))
        for line in ["port = 0", "tls_port = 10993", "autologout = 1h", "idle_keepalive = 45s", "special_folders = no",
                     "sent_folder = Sent Items", "archive_folder = Archive.2024"] {
            #expect(changed.contains("\n\(line)\n"), "missing \(line)")
        }
        #expect(!changed.contains("drafts_folder"))
    }

    @Test("IMAP limits shared with POP3 are not repeated in [imap]; the error points to the shared key", arguments: [
        ("max_line_length", "limits.max_line_length"), ("max_bad_commands", "limits.max_bad_commands"),
        ("max_message_size", "mail.max_message_size"),
    ])
    func sharedLimits(name: String, shared: String) throws {
        let error = try #require(TestSupport.error("imap", name, "1"))
        #expect(error.kind == .unknownKey)
        #expect(error.message == "unknown key; did you mean \(shared)?")
    }
}
