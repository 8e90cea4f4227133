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

    @Test func quotaComesFromTheUserElseTheConfiguration() throws {
        let configuration = configuration {
            $0.quotaStorage = 1 << 30
            $0.quotaMessages = 1000
        }
        let plain = try UserMailStore(user: UserRecord(user: "a"), configuration: configuration)
        #expect(plain.quotaLimits == QuotaLimits(storageBytes: 1 << 30, messages: 1000))
        #expect(!plain.storageLimitIsPerUser && !plain.messageLimitIsPerUser)
        #expect(plain.makeStore().quota.limits == plain.quotaLimits)

        let override = QuotaOverride(fields: ["quota_rule": "*:storage=2G:messages=0"])
        let special = try UserMailStore(user: UserRecord(user: "a", quota: override), configuration: configuration)
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
            try UserMailStore(user: UserRecord(user: "a"), configuration: configuration { $0.indexDirectory = "/shared" })
        }
        #expect(throws: Never.self) {
            try UserMailStore.validate(configuration { $0.indexDirectory = "%h/index" }.mail)
        }
    }
}
