import CPAM
import Foundation
import Logging
import Testing
@testable import RoostAuth

/// `PAMPassDB` and its place in `Authenticator`, over a fake libpam that prompts through the real
/// conversation callback and answers with chosen status codes.
@Suite("PAM passdb over a fake libpam")
struct PAMPassDBTests {
    static let password = "correct horse"

    @Test("the right password succeeds; wrong and unknown are both a wrong password")
    func passwords() async {
        let fake = FakePAM(users: ["bob": Self.password])
        let passdb = fake.passdb()
        #expect(await passdb.verifyPlain(user: "bob", password: Self.password, remoteAddress: nil) == .success(user: "bob"))
        #expect(await passdb.verifyPlain(user: "bob", password: "wrong", remoteAddress: nil) == .failure(.wrongPassword))
        #expect(await passdb.verifyPlain(user: "nobody-here", password: Self.password, remoteAddress: nil) == .failure(.wrongPassword))
    }

    @Test("the call sequence: start, items, authenticate, account, end with the last status")
    func sequence() async {
        let fake = FakePAM(users: ["bob": Self.password])
        let passdb = fake.passdb(PAMConfiguration(service: "mail-svc", configurationDirectory: "/tmp/pam-conf"))
        _ = await passdb.verifyPlain(user: "bob", password: Self.password, remoteAddress: "192.0.2.7")
        #expect(fake.calls == [
            "start mail-svc bob /tmp/pam-conf", "set_item rhost 192.0.2.7", "fail_delay", "authenticate",
            "acct_mgmt", "get_item user", "end 0",
        ])
        #expect(fake.flags == [FakePAM.checkFlags, FakePAM.checkFlags])
        #expect(fake.allOnPoolThread)

        fake.reset()
        _ = await passdb.verifyPlain(user: "bob", password: "wrong", remoteAddress: nil)
        #expect(fake.calls == ["start mail-svc bob /tmp/pam-conf", "fail_delay", "authenticate", "end \(PAM_AUTH_ERR)"])
    }

    @Test("pam_setcred is called only when configured, after the account check")
    func setcred() async {
        let fake = FakePAM(users: ["bob": Self.password])
        let on = fake.passdb(PAMConfiguration(establishCredentials: true))
        #expect(await on.verifyPlain(user: "bob", password: Self.password, remoteAddress: nil) == .success(user: "bob"))
        #expect(fake.calls.contains("setcred"))
        #expect(fake.calls.firstIndex(of: "acct_mgmt")! < fake.calls.firstIndex(of: "setcred")!)

        fake.reset()
        fake.setcredStatus = PAM_CRED_ERR
        #expect(await on.verifyPlain(user: "bob", password: Self.password, remoteAddress: nil)
            == .failure(.temporary("pam_setcred: Failure setting user credentials")))

        fake.reset()
        let off = fake.passdb()
        _ = await off.verifyPlain(user: "bob", password: Self.password, remoteAddress: nil)
        #expect(!fake.calls.contains("setcred"))
    }

    static let accountResults: [(Int32, AuthResult)] = [
        (PAM_SUCCESS, .success(user: "bob")),
        (PAM_ACCT_EXPIRED, .failure(.disabled)),
        (PAM_NEW_AUTHTOK_REQD, .failure(.disabled)),
        (PAM_PERM_DENIED, .failure(.disabled)),
        (PAM_USER_UNKNOWN, .failure(.wrongPassword)),
        (PAM_AUTHINFO_UNAVAIL, .failure(.temporary("pam_acct_mgmt: Authentication service cannot retrieve authentication info"))),
    ]

    @Test("pam_acct_mgmt decides after a right password", arguments: accountResults)
    func account(status: Int32, expected: AuthResult) async {
        let fake = FakePAM(users: ["bob": Self.password])
        fake.accountStatus = status
        #expect(await fake.passdb().verifyPlain(user: "bob", password: Self.password, remoteAddress: nil) == expected)
        #expect(fake.calls.last == "end \(status)")
    }

    @Test("a module may rename the user; the name PAM ends with is the canonical one")
    func renamed() async {
        let fake = FakePAM(users: ["bob": Self.password])
        fake.renameTo = "robert"
        #expect(await fake.passdb().verifyPlain(user: "bob", password: Self.password, remoteAddress: nil) == .success(user: "robert"))
    }

    @Test("a renamed user that cannot be a name is a temporary failure", arguments: ["bad\nname", String(repeating: "x", count: 256)])
    func unusableRename(name: String) async {
        let fake = FakePAM(users: ["bob": Self.password])
        fake.renameTo = name
        let result = await fake.passdb().verifyPlain(user: "bob", password: Self.password, remoteAddress: nil)
        #expect(result == .failure(.temporary("PAM returned an unusable user name")))
    }

    @Test("pam_start failing is temporary, and pam_end is not called without a handle")
    func startFails() async {
        let fake = FakePAM(users: ["bob": Self.password])
        fake.startStatus = PAM_ABORT
        #expect(await fake.passdb().verifyPlain(user: "bob", password: Self.password, remoteAddress: nil)
            == .failure(.temporary("pam_start: Critical error - immediate abort")))
        #expect(fake.calls == ["start roost bob -"])
    }

    @Test("a module prompting with an unknown style gets a conversation error, reported as temporary")
    func conversationError() async {
        let fake = FakePAM(users: ["bob": Self.password])
        fake.extraMessages = [(7, "binary")]
        let result = await fake.passdb().verifyPlain(user: "bob", password: Self.password, remoteAddress: nil)
        #expect(result == .failure(.temporary("pam_authenticate: Conversation error")))
    }

    @Test("informational messages before the prompt are ignored")
    func infoMessages() async {
        let fake = FakePAM(users: ["bob": Self.password])
        fake.extraMessages = [(PAM_TEXT_INFO, "Hello"), (PAM_ERROR_MSG, "careful")]
        #expect(await fake.passdb().verifyPlain(user: "bob", password: Self.password, remoteAddress: nil) == .success(user: "bob"))
    }

    @Test("a password with a NUL never reaches PAM")
    func nulPassword() async {
        let fake = FakePAM(users: ["bob": "abc"])
        #expect(await fake.passdb().verifyPlain(user: "bob", password: "abc\0def", remoteAddress: nil) == .failure(.wrongPassword))
        #expect(fake.calls.isEmpty)
    }

    @Test("PAM cannot serve stored passwords: no lookup, no CRAM-MD5, no APOP")
    func noStoredPasswords() async throws {
        let passdb = FakePAM(users: ["bob": Self.password]).passdb()
        #expect(try await passdb.lookup(user: "bob") == nil)
        #expect(await passdb.canServeCRAMMD5() == false)
        #expect(await passdb.canServeAPOP() == false)
        let mechanisms = await SASLAuthenticator.availableMechanisms(passdb: passdb, plaintextAllowed: true)
        #expect(mechanisms == [.plain, .login])
    }

    @Test("the default pool has one thread")
    func defaultThreads() {
        #expect(PAMPassDB(configuration: PAMConfiguration()).pool.threadCount == 1)
        #expect(PAMConfiguration(threadCount: 0).threadCount == 1)
        #expect(PAMConfiguration(threadCount: 99).threadCount == 16)
        #expect(PAMPassDB(configuration: PAMConfiguration(threadCount: 3)).pool.threadCount == 3)
    }

    @Test("temporary failures are logged with the PAM call and error, never the password")
    func logging() async {
        let capture = LogCapture()
        let fake = FakePAM(users: ["bob": Self.password])
        fake.accountStatus = PAM_AUTHINFO_UNAVAIL
        let passdb = PAMPassDB(configuration: PAMConfiguration(), library: fake.library, logger: capture.logger())
        _ = await passdb.verifyPlain(user: "bob", password: Self.password, remoteAddress: "192.0.2.1")
        let record = capture.records.first { $0.level == .error }
        #expect(record != nil)
        #expect(record?.metadata["call"] == "pam_acct_mgmt")
        #expect(record?.metadata["user"] == "bob")
        #expect(record?.metadata["hint"]?.contains("shadow") == true)
        for logged in capture.records {
            #expect(!logged.message.contains(Self.password))
            #expect(!logged.metadata.values.contains { $0.contains(Self.password) })
        }
    }

    // MARK: Authenticator

    @Test("Authenticator sends plaintext logins through PAM with the normalised name")
    func authenticator() async {
        let fake = FakePAM(users: ["bob": Self.password])
        let authenticator = Self.authenticator(fake.passdb())
        #expect(await authenticator.verifyPlain(user: "BoB", password: Self.password, remoteAddress: "::1") == .success(user: "bob"))
        #expect(fake.calls.first == "start roost bob -")
        #expect(fake.calls.contains("set_item rhost ::1"))
        #expect(await authenticator.verifyPlain(user: "bob", password: "nope", remoteAddress: nil) == .failure(.wrongPassword))
    }

    @Test("empty, over-long passwords and impossible names are refused before PAM")
    func authenticatorRefusesFirst() async {
        let fake = FakePAM(users: ["bob": Self.password])
        let authenticator = Self.authenticator(fake.passdb())
        let limit = authenticator.configuration.sasl.maxPasswordLength
        #expect(await authenticator.verifyPlain(user: "bob", password: "", remoteAddress: nil) == .failure(.wrongPassword))
        #expect(await authenticator.verifyPlain(user: "bob", password: String(repeating: "a", count: limit + 1), remoteAddress: nil)
            == .failure(.wrongPassword))
        #expect(await authenticator.verifyPlain(user: "bo\u{7}b", password: Self.password, remoteAddress: nil) == .failure(.unknownUser))
        #expect(await authenticator.verifyPlain(user: "", password: Self.password, remoteAddress: nil) == .failure(.unknownUser))
        #expect(fake.calls.isEmpty)
    }

    @Test("CRAM-MD5 and APOP find no user behind PAM")
    func authenticatorStoredCredentials() async {
        let fake = FakePAM(users: ["bob": Self.password])
        let authenticator = Self.authenticator(fake.passdb())
        let credentials = await authenticator.credentials(for: "bob", remoteAddress: nil)
        #expect(credentials.failureReason == .unknownUser)
        let apop = await authenticator.verifyAPOP(
            user: "bob", timestamp: "<1.2@host>", digest: String(repeating: "0", count: 32), remoteAddress: nil
        )
        #expect(apop == .failure(.unknownUser))
        #expect(fake.calls.isEmpty)
    }

    @Test("a full PAM queue is a temporary failure")
    func overloaded() async throws {
        let gate = Gate()
        let fake = FakePAM(users: ["bob": Self.password])
        fake.beforeAuthenticate = { gate.wait() }
        let passdb = fake.passdb()
        let first = Task { await passdb.verifyPlain(user: "bob", password: Self.password, remoteAddress: nil) }
        while !gate.isWaiting { try await Task.sleep(for: .milliseconds(5)) }
        // One job runs; fill the queue behind it, then one more must be refused at once.
        var queued: [Task<AuthResult, Never>] = []
        for _ in 0..<passdb.pool.maxQueuedJobs {
            queued.append(Task { await passdb.verifyPlain(user: "bob", password: Self.password, remoteAddress: nil) })
        }
        while passdb.pool.queuedJobCount < passdb.pool.maxQueuedJobs { try await Task.sleep(for: .milliseconds(5)) }
        #expect(await passdb.verifyPlain(user: "bob", password: Self.password, remoteAddress: nil)
            == .failure(.temporary("too many logins in progress")))
        gate.open()
        #expect(await first.value == .success(user: "bob"))
        for task in queued { #expect(await task.value == .success(user: "bob")) }
    }

    static func authenticator(_ passdb: PAMPassDB) -> Authenticator {
        Authenticator(passdb: passdb, verifier: PasswordVerifier(pool: BlockingWorkPool(threadCount: 1)))
    }
}

/// A libpam stand-in: one user table, prompts through the real conversation callback, chosen
/// status codes for the account and credential steps, and a log of the calls made.
final class FakePAM: @unchecked Sendable {
    static let checkFlags = Int32(PAM_SILENT) | Int32(PAM_DISALLOW_NULL_AUTHTOK)

    private let lock = NSLock()
    private let users: [String: String]
    private var conversation: pam_conv?
    private var user = ""
    private var log: [String] = []
    private var flagLog: [Int32] = []
    private var offPool = false
    private var settings = Settings()

    struct Settings {
        var startStatus = PAM_SUCCESS
        var accountStatus = PAM_SUCCESS
        var setcredStatus = PAM_SUCCESS
        var renameTo: String?
        var extraMessages: [(Int32, String)] = []
        var beforeAuthenticate: (@Sendable () -> Void)?
    }

    init(users: [String: String]) {
        self.users = users
    }

    var startStatus: Int32 {
        get { lock.withLock { settings.startStatus } }
        set { lock.withLock { settings.startStatus = newValue } }
    }
    var accountStatus: Int32 {
        get { lock.withLock { settings.accountStatus } }
        set { lock.withLock { settings.accountStatus = newValue } }
    }
    var setcredStatus: Int32 {
        get { lock.withLock { settings.setcredStatus } }
        set { lock.withLock { settings.setcredStatus = newValue } }
    }
    var renameTo: String? {
        get { lock.withLock { settings.renameTo } }
        set { lock.withLock { settings.renameTo = newValue } }
    }
    var extraMessages: [(Int32, String)] {
        get { lock.withLock { settings.extraMessages } }
        set { lock.withLock { settings.extraMessages = newValue } }
    }
    var beforeAuthenticate: (@Sendable () -> Void)? {
        get { lock.withLock { settings.beforeAuthenticate } }
        set { lock.withLock { settings.beforeAuthenticate = newValue } }
    }

    var calls: [String] { lock.withLock { log } }
    var flags: [Int32] { lock.withLock { flagLog } }
    var allOnPoolThread: Bool { lock.withLock { !offPool } }

    func reset() {
        lock.withLock {
            log = []
            flagLog = []
            settings = Settings()
        }
    }

    func passdb(_ configuration: PAMConfiguration = PAMConfiguration()) -> PAMPassDB {
        PAMPassDB(configuration: configuration, library: library, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    private func record(_ call: String, flags: Int32? = nil) {
        lock.withLock {
            log.append(call)
            if let flags { flagLog.append(flags) }
            if !BlockingWorkPool.isOnPoolThread { offPool = true }
        }
    }

    /// A made-up handle; libpam's would be a real `pam_handle_t *`, the fake never reads it.
    private static var handle: OpaquePointer? { OpaquePointer(bitPattern: 0x1000) }

    var library: PAMLibrary {
        PAMLibrary(
            start: { service, user, conversation, confdir in
                self.record("start \(service) \(user) \(confdir ?? "-")")
                return self.lock.withLock {
                    self.conversation = conversation.pointee
                    self.user = user
                    return self.settings.startStatus == PAM_SUCCESS ? (PAM_SUCCESS, Self.handle) : (self.settings.startStatus, nil)
                }
            },
            setStringItem: { _, item, value in
                self.record("set_item \(item == PAM_RHOST ? "rhost" : String(item)) \(value)")
                return PAM_SUCCESS
            },
            disableFailDelay: { _ in
                self.record("fail_delay")
                return PAM_SUCCESS
            },
            stringItem: { _, item in
                self.record("get_item \(item == PAM_USER ? "user" : String(item))")
                return self.lock.withLock { self.user }
            },
            authenticate: { _, flags in
                self.record("authenticate", flags: flags)
                let (conversation, user, settings) = self.lock.withLock { (self.conversation, self.user, self.settings) }
                settings.beforeAuthenticate?()
                guard let conversation else { return PAM_SYSTEM_ERR }
                let messages = settings.extraMessages + [(PAM_PROMPT_ECHO_OFF, "Password: ")]
                let (status, replies) = PAMConversationTests.converse(conversation: conversation, messages: messages)
                guard status == PAM_SUCCESS, let typed = replies?.last ?? nil else { return PAM_CONV_ERR }
                guard let expected = self.users[user] else { return PAM_USER_UNKNOWN }
                guard typed == expected else { return PAM_AUTH_ERR }
                if let renamed = settings.renameTo { self.lock.withLock { self.user = renamed } }
                return PAM_SUCCESS
            },
            accountManagement: { _, flags in
                self.record("acct_mgmt", flags: flags)
                return self.accountStatus
            },
            setCredentials: { _, _ in
                self.record("setcred")
                return self.setcredStatus
            },
            end: { _, status in
                self.record("end \(status)")
                return PAM_SUCCESS
            },
            describe: { _, status in
                pam_strerror(nil, status).map { String(cString: $0) } ?? "?"
            }
        )
    }
}
