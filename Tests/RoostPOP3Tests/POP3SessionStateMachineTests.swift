import Foundation
import NIOCore
import RoostAuth
import RoostPOP3
import RoostStorage
import Testing

/// The POP3 state machine called directly: every command in every state, and the counters.
@Suite struct POP3SessionStateMachineTests {
    /// What an action amounts to, for tables.
    enum Outcome: Equatable, CustomStringConvertible {
        case ok, error(String?), multiline, continuation, authenticate, startTLS, retrieve, commit, close

        var description: String {
            switch self {
            case .ok: "+OK"
            case .error(let code): "-ERR" + (code.map { " [\($0)]" } ?? "")
            case .multiline: "+OK multiline"
            case .continuation: "+ continuation"
            case .authenticate: "authenticate"
            case .startTLS: "startTLS"
            case .retrieve: "retrieve"
            case .commit: "commit"
            case .close: "close"
            }
        }

        init(_ action: POP3SessionStateMachine.Action) {
            switch action {
            case .send(let response):
                switch response {
                case .ok: self = .ok
                case .error(let code, _): self = .error(code?.rawValue)
                case .multiline: self = .multiline
                case .continuation: self = .continuation
                }
            case .sendAndClose: self = .close
            case .startTLS: self = .startTLS
            case .authenticate: self = .authenticate
            case .retrieve: self = .retrieve
            case .commit: self = .commit
            }
        }
    }

    static let folder: MaildirFolder = {
        let root = FileManager.default.temporaryDirectory.path + "/roost-pop3-sm-\(getpid())"
        let store = MailStore(root: root)
        try! store.createIfNeeded()
        return try! store.folder(.inbox)
    }()

    static func maildrop() -> POP3Maildrop {
        POP3Maildrop(folder: folder, messages: [
            .init(uid: UID(1), size: 100, uniqueID: "0000000100000001"),
            .init(uid: UID(2), size: 250, uniqueID: "0000000200000001"),
        ])
    }

    static func machine(plaintext: Bool = true, tls: Bool = false, apop: Bool = true, maxBadCommands: Int = 100) -> POP3SessionStateMachine {
        POP3SessionStateMachine(
            configuration: POP3Configuration(hostname: "test", tlsAvailable: true, maxBadCommands: maxBadCommands),
            isTLS: tls, plaintextAllowedWithoutTLS: plaintext, mechanisms: [.plain, .login, .cramMD5],
            saslConfiguration: SASLConfiguration(hostname: "test"), apopTimestamp: apop ? "<1.2@test>" : nil
        )
    }

    static func loggedIn() -> POP3SessionStateMachine {
        var machine = machine()
        _ = machine.loginSucceeded(user: "alice", maildrop: maildrop())
        return machine
    }

    /// Every command in AUTHORIZATION (no USER yet) and TRANSACTION.
    static let matrix: [(line: String, authorization: Outcome, transaction: Outcome)] = [
        ("USER alice", .ok, .error(nil)),
        ("PASS secret", .error(nil), .error(nil)),
        ("APOP alice c4c9334bac560ecc979e58001b3e22fb", .authenticate, .error(nil)),
        ("AUTH", .multiline, .error(nil)),
        ("AUTH PLAIN", .continuation, .error(nil)),
        ("AUTH PLAIN AGFsaWNlAHNlY3JldA==", .authenticate, .error(nil)),
        ("AUTH CRAM-MD5", .continuation, .error(nil)),
        ("AUTH GSSAPI", .error(nil), .error(nil)),
        ("CAPA", .multiline, .multiline),
        ("STLS", .startTLS, .error(nil)),
        ("STAT", .error(nil), .ok),
        ("LIST", .error(nil), .multiline),
        ("LIST 2", .error(nil), .ok),
        ("LIST 3", .error(nil), .error(nil)),
        ("UIDL", .error(nil), .multiline),
        ("UIDL 1", .error(nil), .ok),
        ("RETR 1", .error(nil), .retrieve),
        ("RETR 9", .error(nil), .error(nil)),
        ("TOP 1 0", .error(nil), .retrieve),
        ("DELE 1", .error(nil), .ok),
        ("RSET", .error(nil), .ok),
        ("NOOP", .error(nil), .ok),
        ("QUIT", .close, .commit),
        ("XYZZY", .error(nil), .error(nil)),
        ("", .error(nil), .error(nil)),
    ]

    @Test(arguments: matrix)
    func everyCommandInEveryState(_ row: (line: String, authorization: Outcome, transaction: Outcome)) {
        var authorization = Self.machine()
        #expect(Outcome(authorization.receive(line: ByteBuffer(string: row.line))) == row.authorization, "AUTHORIZATION: \(row.line)")
        var transaction = Self.loggedIn()
        #expect(Outcome(transaction.receive(line: ByteBuffer(string: row.line))) == row.transaction, "TRANSACTION: \(row.line)")
    }

    @Test func userThenPassAuthenticates() {
        var machine = Self.machine()
        _ = machine.receive(line: ByteBuffer(string: "USER alice"))
        guard case .authenticate(let login) = machine.receive(line: ByteBuffer(string: "PASS two words")) else {
            Issue.record("PASS did not authenticate")
            return
        }
        #expect(login == .password(user: "alice", password: "two words"))
    }

    @Test func plaintextRefusedWithoutTLS() {
        var machine = Self.machine(plaintext: false)
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "USER alice"))) == .error("AUTH"))
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "AUTH PLAIN"))) == .error("AUTH"))
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "AUTH CRAM-MD5"))) == .continuation)
        #expect(machine.offeredMechanisms == [.cramMD5])
        machine.tlsStarted()
        #expect(machine.offeredMechanisms == [.plain, .login, .cramMD5])
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "USER alice"))) == .ok)
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "STLS"))) == .error(nil))
    }

    @Test func tlsStartForgetsTheUser() {
        var machine = Self.machine()
        _ = machine.receive(line: ByteBuffer(string: "USER alice"))
        machine.tlsStarted()
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "PASS secret"))) == .error(nil))
    }

    @Test func noAPOPWithoutTimestamp() {
        var machine = Self.machine(apop: false)
        #expect(machine.greeting() == .ok("Roost POP3 server ready"))
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "APOP alice c4c9334bac560ecc979e58001b3e22fb"))) == .error(nil))
        #expect(Self.machine().greeting() == .ok("Roost POP3 server ready <1.2@test>"))
    }

    @Test func saslCancelAndMalformedResponse() {
        var machine = Self.machine()
        _ = machine.receive(line: ByteBuffer(string: "AUTH LOGIN"))
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "*"))) == .error(nil))
        _ = machine.receive(line: ByteBuffer(string: "AUTH PLAIN"))
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "!!!not base64"))) == .error("AUTH"))
        #expect(machine.authFailures == 1)
    }

    @Test func deleMarksAndRsetUnmarks() {
        var machine = Self.loggedIn()
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "DELE 1"))) == .ok)
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "DELE 1"))) == .error(nil))
        guard case .send(.ok(let stat)) = machine.receive(line: ByteBuffer(string: "STAT")) else { Issue.record("STAT"); return }
        #expect(stat == "1 250")
        guard case .send(.multiline(_, let lines)) = machine.receive(line: ByteBuffer(string: "LIST")) else { Issue.record("LIST"); return }
        #expect(lines == ["2 250"])
        _ = machine.receive(line: ByteBuffer(string: "RSET"))
        guard case .send(.ok(let again)) = machine.receive(line: ByteBuffer(string: "STAT")) else { Issue.record("STAT"); return }
        #expect(again == "2 350")
        _ = machine.receive(line: ByteBuffer(string: "DELE 2"))
        guard case .commit(let maildrop) = machine.receive(line: ByteBuffer(string: "QUIT")) else { Issue.record("QUIT"); return }
        #expect(maildrop.messages.map(\.deleted) == [false, true])
    }

    @Test func quitReportsWhatWasDeleted() {
        var machine = Self.loggedIn()
        _ = machine.receive(line: ByteBuffer(string: "QUIT"))
        guard case .sendAndClose(.ok(let text)) = machine.committed(.success(.init(deleted: 2))) else { Issue.record("QUIT"); return }
        #expect(text == "Logging out, 2 deleted")
        var other = Self.loggedIn()
        _ = other.receive(line: ByteBuffer(string: "QUIT"))
        guard case .sendAndClose(.ok(let none)) = other.committed(.success(.init(deleted: 0))) else { Issue.record("QUIT"); return }
        #expect(none == "Logging out")
    }

    @Test func onlyRetrMarksRetrieved() {
        var machine = Self.loggedIn()
        machine.retrievalFinished(POP3MessageNumber(1)!, bodyLines: 0)
        machine.retrievalFinished(POP3MessageNumber(2)!, bodyLines: nil)
        guard case .transaction(_, let maildrop) = machine.state else { Issue.record("state"); return }
        #expect(maildrop.messages.map(\.retrieved) == [false, true])
    }

    @Test func badCommandsCloseAtTheLimit() {
        var machine = Self.machine(maxBadCommands: 3)
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "FOO"))) == .error(nil))
        #expect(Outcome(machine.lineTooLong()) == .error(nil))
        #expect(Outcome(machine.receive(line: ByteBuffer(string: "STAT"))) == .close)
    }

    @Test func authFailuresCloseAtTheLimit() {
        var machine = Self.machine()
        for attempt in 1...3 {
            _ = machine.receive(line: ByteBuffer(string: "USER alice"))
            _ = machine.receive(line: ByteBuffer(string: "PASS wrong"))
            let outcome = Outcome(machine.loginFailed(.rejected))
            #expect(outcome == (attempt < 3 ? .error("AUTH") : .close))
        }
    }

    @Test func loginFailuresMapToResponseCodes() {
        var machine = Self.machine()
        _ = machine.receive(line: ByteBuffer(string: "USER alice"))
        _ = machine.receive(line: ByteBuffer(string: "PASS x"))
        #expect(Outcome(machine.loginFailed(.temporary)) == .error("SYS/TEMP"))
        #expect(Outcome(machine.loginFailed(.inUse("busy"))) == .error("IN-USE"))
        #expect(Outcome(machine.loginFailed(.permanent)) == .error("SYS/PERM"))
        #expect(machine.authFailures == 0)
    }

    @Test func maildropErrorsAreTemporaryOrPermanent() {
        #expect(POP3LoginFailure.openingFailed(StorageError(.noPermission, "x")) == .permanent)
        #expect(POP3LoginFailure.openingFailed(StorageError(.temporary, "x")) == .temporary)
        #expect(POP3LoginFailure.openingFailed(StorageError(.inUse, "x")) == .temporary)
        #expect(POP3LoginFailure.openingFailed(StorageError(.invalidName, "x")) == .permanent)
        #expect(POP3LoginFailure.openingFailed(BlockingWorkPoolError.overloaded) == .temporary)
    }

    @Test func capabilitiesFollowStateAndSecurity() {
        func capabilities(_ machine: inout POP3SessionStateMachine) -> [String] {
            guard case .send(.multiline(_, let lines)) = machine.receive(line: ByteBuffer(string: "CAPA")) else { return [] }
            return lines
        }
        var open = Self.machine()
        #expect(capabilities(&open) == [
            "CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "USER", "SASL PLAIN LOGIN CRAM-MD5", "STLS",
            "IMPLEMENTATION Roost",
        ])
        var remote = Self.machine(plaintext: false)
        #expect(!capabilities(&remote).contains("USER"))
        var secure = Self.machine(plaintext: false, tls: true)
        #expect(!capabilities(&secure).contains("STLS"))
        var loggedIn = Self.loggedIn()
        #expect(capabilities(&loggedIn) == ["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "IMPLEMENTATION Roost"])
    }
}
