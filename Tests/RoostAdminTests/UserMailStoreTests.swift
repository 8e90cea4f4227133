import RoostAuth
import RoostConfig
import RoostStorage
import Testing
@testable import RoostAdmin

@Suite("UserMailStore and MailLocation")
struct UserMailStoreTests {
    @Test(arguments: [
        ("/var/vmail/x", nil, "/var/vmail/x", nil),
        ("/var/vmail/x/", nil, "/var/vmail/x", nil),
        ("maildir:/var/vmail/x", nil, "/var/vmail/x", nil),
        ("MAILDIR:/var/vmail/x", nil, "/var/vmail/x", nil),
        ("maildir:~/Maildir", "/home/bob", "/home/bob/Maildir", nil),
        ("~/Maildir", "/home/bob/", "/home/bob/Maildir", nil),
        ("maildir:~/Maildir:INDEX=/var/index/bob", "/home/bob", "/home/bob/Maildir", "/var/index/bob"),
        ("maildir:~/Maildir:INDEX=~/index:LAYOUT=maildir++", "/home/bob", "/home/bob/Maildir", "/home/bob/index"),
        ("maildir:/var/odd::name", nil, "/var/odd:name", nil),
        // Normalised: no empty or "." components, whatever an empty variable or a typo left.
        ("/var/vmail//bob", nil, "/var/vmail/bob", nil),
        ("maildir:~/./Maildir/", "/home/bob", "/home/bob/Maildir", nil),
        ("~", "/home/bob/", "/home/bob", nil),
        ("maildir:~/.", "/home/bob", "/home/bob", nil),
        ("maildir://m///x/:INDEX=/i//x/.", nil, "/m/x", "/i/x"),
        ("/var/vmail/../vmail/bob", nil, "/var/vmail/../vmail/bob", nil),
    ] as [(String, String?, String, String?)])
    func parsesLocations(text: String, home: String?, root: String, index: String?) throws {
        let location = try MailLocation(parsing: text, home: home, setting: "test")
        #expect(location.root == root)
        #expect(location.indexDirectory == index)
    }

    @Test(arguments: [
        ("mbox:~/mail", "/home/bob", "mail format mbox is not supported"),
        ("maildir:", nil, "no path"),
        ("Maildir", nil, "is not an absolute path"),
        ("maildir:relative/path", nil, "is not an absolute path"),
        ("maildir:~/Maildir", nil, "uses ~ but the user has no home directory"),
        ("maildir:/m:LAYOUT=fs", nil, "LAYOUT=fs is not supported"),
        ("maildir:/m:CONTROL=/c", nil, "parameter CONTROL is not supported"),
        ("maildir:/m:INDEX=", nil, "INDEX= needs a directory"),
    ] as [(String, String?, String)])
    func refusesLocations(text: String, home: String?, reason: String) {
        #expect {
            try MailLocation(parsing: text, home: home, setting: "test")
        } throws: { error in
            guard let error = error as? MailLocationError else { return false }
            return error.kind == .setting && error.description.hasPrefix("test: ") && error.message.contains(reason)
        }
    }

    func configuration(_ change: (inout MailSettings) -> Void) -> RoostConfiguration {
        var configuration = RoostConfiguration()
        change(&configuration.mail)
        return configuration
    }

    @Test func defaultLocationIsExpandedPerUser() throws {
        let store = try UserMailStore(user: UserRecord(user: "bob@example.org"), configuration: .defaults)
        #expect(store.root == "/var/vmail/example.org/bob")
        #expect(store.indexDirectory == nil)
        #expect(store.quotaLimits == .unlimited)
        #expect(store.options.fsync)
        #expect(store.options.maxMessageSize == 50 << 20)
        #expect(store.makeStore().root == "/var/vmail/example.org/bob")
    }

    @Test func userLocationAndIndexDirectory() throws {
        let configuration = configuration {
            $0.indexDirectory = "/var/cache/roost/%d/%n"
            $0.fsync = false
            $0.maxMessageSize = 1000
        }
        let user = UserRecord(user: "bob@example.org", home: "/home/bob", mailLocation: "maildir:~/Maildir")
        let store = try UserMailStore(user: user, configuration: configuration)
        #expect(store.root == "/home/bob/Maildir")
        #expect(store.indexDirectory == "/var/cache/roost/example.org/bob")
        #expect(store.options.indexDirectory == "/var/cache/roost/example.org/bob")
        #expect(!store.options.fsync)
        #expect(store.options.maxMessageSize == 1000)

        let own = UserRecord(user: "bob@example.org", mailLocation: "maildir:/m/bob:INDEX=/i/bob")
        #expect(try UserMailStore(user: own, configuration: configuration).indexDirectory == "/i/bob")
    }

    @Test(arguments: [
        ("/var/cache/roost/%u", true), ("/var/cache/roost/%d/%n", true), ("%h/index", true),
        ("/var/cache/roost", false), ("/var/cache/roost/%d", false), ("/var/cache/roost/%n", false),
    ])
    func indexDirectoryMustBePerUser(template: String, accepted: Bool) throws {
        let configuration = configuration { $0.indexDirectory = template }
        let user = UserRecord(user: "bob@example.org", home: "/home/bob")
        if accepted {
            _ = try UserMailStore(user: user, configuration: configuration)
            try UserMailStore.validate(configuration.mail)
        } else {
            #expect(throws: MailLocationError.self) { try UserMailStore(user: user, configuration: configuration) }
            #expect(throws: MailLocationError.self) { try UserMailStore.validate(configuration.mail) }
        }
    }

    @Test(arguments: [
        ("/var/vmail/%u", true), ("/var/vmail/%d/%n", true), ("/var/vmail/%Ld/%Ln", true), ("%h/Maildir", true),
        ("maildir:~/Maildir", true), ("maildir:/var/vmail/%u:INDEX=/var/index/%u", true),
        ("/var/vmail/%n", false), ("/var/vmail/%d", false), ("/var/vmail/shared", false), ("%h/..", false),
        ("maildir:/var/vmail/%u:INDEX=/var/index/%d", false), ("maildir:/var/vmail/%u:INDEX=/var/index", false),
    ])
    func mailLocationMustBePerUser(template: String, accepted: Bool) throws {
        let configuration = configuration { $0.location = template }
        let user = UserRecord(user: "a@one.example", home: "/home/a")
        if accepted {
            _ = try UserMailStore(user: user, configuration: configuration)
            try UserMailStore.validate(configuration.mail)
        } else {
            #expect {
                try UserMailStore(user: user, configuration: configuration)
            } throws: { error in
                (error as? MailLocationError)?.description.hasPrefix("mail.location: \(template.debugDescription) gives several users the same") == true
            }
            #expect(throws: MailLocationError.self) { try UserMailStore.validate(configuration.mail) }
            // A user with a location of their own does not depend on mail.location.
            let own = UserRecord(user: "a@one.example", mailLocation: "maildir:/m/a")
            #expect(try UserMailStore(user: own, configuration: configuration).root == "/m/a")
        }
    }

    /// The data loss of the bare user `example.org` under `/var/vmail/%d/%n`: the empty `%d` made
    /// its Maildir `/var/vmail/example.org`, the directory of every user of that domain.
    @Test(arguments: [
        ("/var/vmail/%d/%n", "mail.location"), ("/var/vmail/%Ld/%Ln", "mail.location"),
        ("/var/vmail/%{domain}/%{username}", "mail.location"), ("maildir:/var/vmail/%d/%n:INDEX=/i/%u", "mail.location"),
    ])
    func domainVariableNeedsADomain(template: String, setting: String) throws {
        let configuration = configuration { $0.location = template }
        for name in ["example.org", "bob"] {
            #expect {
                try UserMailStore(user: UserRecord(user: name), configuration: configuration)
            } throws: { error in
                guard let error = error as? MailLocationError else { return false }
                return error.kind == .userName && error.setting == setting
                    && error.message.contains("uses %d, but user \(name) has no domain")
            }
        }
        #expect(try UserMailStore(user: UserRecord(user: "bob@example.org"), configuration: configuration)
            .root.hasPrefix("/var/vmail/example.org/bob"))
    }

    @Test func domainVariableInTheIndexDirectoryNeedsADomain() throws {
        let withIndex = configuration {
            $0.location = "/var/vmail/%u"
            $0.indexDirectory = "/var/index/%d/%n"
        }
        #expect(throws: MailLocationError.self) { try UserMailStore(user: UserRecord(user: "bob"), configuration: withIndex) }
        // Without %d, or with %% before the d, a bare name is fine.
        let plain = configuration { $0.location = "/var/vmail/%%d/%u" }
        #expect(try UserMailStore(user: UserRecord(user: "bob"), configuration: plain).root == "/var/vmail/%d/bob")
    }

    @Test func quotaComesFromTheUserElseTheConfiguration() throws {
        let configuration = configuration {
            $0.quotaStorage = 1 << 30
            $0.quotaMessages = 1000
        }
        let plain = try UserMailStore(user: UserRecord(user: "a@example.org"), configuration: configuration)
        #expect(plain.quotaLimits == QuotaLimits(storageBytes: 1 << 30, messages: 1000))
        #expect(!plain.storageLimitIsPerUser && !plain.messageLimitIsPerUser)
        #expect(plain.makeStore().quota.limits == plain.quotaLimits)

        let override = QuotaOverride(fields: ["quota_rule": "*:storage=2G:messages=0"])
        let special = try UserMailStore(user: UserRecord(user: "a@example.org", quota: override), configuration: configuration)
        #expect(special.quotaLimits == QuotaLimits(storageBytes: 2 << 30, messages: 0))
        #expect(special.storageLimitIsPerUser && special.messageLimitIsPerUser)
    }

    @Test func templateProblems() {
        #expect(throws: MailLocationError(.setting, setting: "mail.location", "uses %h but user a has no home directory")) {
            try UserMailStore(user: UserRecord(user: "a"), configuration: configuration { $0.location = "%h/Maildir" })
        }
        #expect(throws: MailLocationError(.userName, setting: "mail.location",
                                          "%u would be \"..\", which cannot be part of a path")) {
            try UserMailStore(user: UserRecord(user: ".."), configuration: configuration { $0.location = "/m/%u" })
        }
        #expect(throws: MailLocationError.self) {
            try UserMailStore(user: UserRecord(user: "a@example.org"), configuration: configuration { $0.indexDirectory = "/shared" })
        }
        #expect(throws: Never.self) {
            try UserMailStore.validate(configuration { $0.indexDirectory = "%h/index" }.mail)
        }
    }
}
