import RoostConfig
import Testing

/// `[auth]` driver keys: passdb/userdb choices, the PAM and system-userdb keys and the rules
/// that tie them to their driver.
@Suite("[auth] passdb and userdb settings")
struct AuthSettingsTests {
    @Test("passdb and userdb take their driver names in any case", arguments: [
        ("passdb", "pam"), ("passdb", "PAM"), ("passdb", "passwd-file"), ("userdb", "system"), ("userdb", "Passwd-File"),
    ])
    func drivers(key: String, value: String) throws {
        let auth = try TestSupport.parse("auth", key, value).auth
        if key == "passdb" {
            #expect(auth.passdb.rawValue == value.lowercased())
        } else {
            #expect(auth.userdb.rawValue == value.lowercased())
        }
    }

    @Test("unknown drivers are refused with the choices", arguments: [("passdb", "ldap"), ("userdb", "pam"), ("passdb", "")])
    func unknownDriver(key: String, value: String) throws {
        let error = try #require(TestSupport.error("auth", key, value.isEmpty ? "\"\"" : value))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected one of "))
    }

    @Test("all four passdb/userdb combinations are valid", arguments: ["passwd-file", "pam"], ["passwd-file", "system"])
    func combinations(passdb: String, userdb: String) throws {
        let auth = try RoostConfiguration.parse(text: "[auth]\npassdb = \(passdb)\nuserdb = \(userdb)\n", fileName: "a.conf").auth
        #expect(auth.passdb.rawValue == passdb)
        #expect(auth.userdb.rawValue == userdb)
    }

    @Test("PAM keys with passdb = pam")
    func pamKeys() throws {
        let auth = try RoostConfiguration.parse(text: """
            [auth]
            passdb = pam
            pam_service = dovecot
            pam_setcred = yes
            pam_threads = 4
            """, fileName: "a.conf").auth
        #expect(auth.passdb == .pam)
        #expect(auth.pamService == "dovecot")
        #expect(auth.pamSetcred)
        #expect(auth.pamThreads == 4)
    }

    @Test("system userdb keys with userdb = system")
    func systemKeys() throws {
        let auth = try RoostConfiguration.parse(text: """
            [auth]
            userdb = system
            system_mail_location = maildir:%h/Mail
            first_valid_uid = 500
            """, fileName: "a.conf").auth
        #expect(auth.userdb == .system)
        #expect(auth.systemMailLocation == "maildir:%h/Mail")
        #expect(auth.firstValidUID == 500)
    }

    static let orphanKeys: [(String, String, Int, String)] = [
        ("[auth]\npam_service = other\n", "auth.pam_service", 2,
         "auth.pam_service, auth.pam_setcred and auth.pam_threads take effect only with auth.passdb = pam"),
        ("[auth]\npam_threads = 2\npassdb = passwd-file\n", "auth.passdb", 3,
         "auth.pam_service, auth.pam_setcred and auth.pam_threads take effect only with auth.passdb = pam"),
        ("[auth]\npam_setcred = yes\n", "auth.pam_setcred", 2,
         "auth.pam_service, auth.pam_setcred and auth.pam_threads take effect only with auth.passdb = pam"),
        ("[auth]\nfirst_valid_uid = 500\n", "auth.first_valid_uid", 2,
         "auth.system_mail_location and auth.first_valid_uid take effect only with auth.userdb = system"),
        ("[auth]\nuserdb = passwd-file\nsystem_mail_location = %h/mail\n", "auth.system_mail_location", 3,
         "auth.system_mail_location and auth.first_valid_uid take effect only with auth.userdb = system"),
    ]

    @Test("driver keys changed without their driver are inconsistent", arguments: orphanKeys)
    func orphan(text: String, key: String, line: Int, message: String) throws {
        let error = try #require(TestSupport.error(parsing: text))
        #expect(error.kind == .inconsistentValues)
        #expect(error.key == key)
        #expect(error.line == line)
        #expect(error.message == message)
    }

    @Test("driver keys at their defaults are fine under any driver")
    func defaultsAnywhere() throws {
        let auth = try RoostConfiguration.parse(text: """
            [auth]
            pam_service = roost
            pam_setcred = no
            pam_threads = 1
            system_mail_location = %h/Maildir
            first_valid_uid = 1000
            """, fileName: "a.conf").auth
        #expect(auth == RoostConfiguration.defaults.auth)
    }

    @Test("pam_threads is 1 to 16", arguments: ["0", "17", "-1", "many"])
    func badThreads(text: String) throws {
        let error = try #require(TestSupport.error(parsing: "[auth]\npassdb = pam\npam_threads = \(text)\n"))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected an integer from 1 to 16, got "))
    }

    @Test("first_valid_uid is 1 to 4294967294; 0 would let root in", arguments: ["0", "-5", "4294967295"])
    func badFirstUID(text: String) throws {
        let error = try #require(TestSupport.error(parsing: "[auth]\nuserdb = system\nfirst_valid_uid = \(text)\n"))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected an integer from 1 to 4294967294, got "))
    }

    @Test("PAM service names are file names", arguments: ["roost", "dovecot", "mail-2.test_x"])
    func goodService(name: String) throws {
        let auth = try RoostConfiguration.parse(text: "[auth]\npassdb = pam\npam_service = \(name)\n", fileName: "a.conf").auth
        #expect(auth.pamService == name)
    }

    @Test("PAM service names with paths, blanks or odd characters are refused",
          arguments: ["../etc/shadow", "/etc/pam.d/roost", "\"two words\"", ".hidden", "\"\"", "rööst"])
    func badService(name: String) throws {
        let error = try #require(TestSupport.error(parsing: "[auth]\npassdb = pam\npam_service = \(name)\n"))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "auth.pam_service")
    }

    @Test("system_mail_location is a checked template", arguments: ["%h/%x", "\"\"", "%"])
    func badSystemMailLocation(text: String) throws {
        let error = try #require(TestSupport.error(parsing: "[auth]\nuserdb = system\nsystem_mail_location = \(text)\n"))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "auth.system_mail_location")
    }
}
