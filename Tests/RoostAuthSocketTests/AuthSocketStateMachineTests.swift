import Foundation
import NIOCore
import RoostAuth
import Testing
@testable import RoostAuthSocket

private let cookie = AuthSocketCookie(hex: "00112233445566778899aabbccddeeff")!
private let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)
private func id(_ value: UInt32) -> AuthSocketRequestID { AuthSocketRequestID(value) }
private func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
private func unb64(_ text: String) -> String { String(decoding: Data(base64Encoded: text) ?? Data(), as: UTF8.self) }

private func makeMachine(
    mechanisms: [SASLMechanismName] = [.plain, .login, .cramMD5], configuration: AuthSocketConfiguration = AuthSocketConfiguration()
) -> AuthSocketStateMachine {
    AuthSocketStateMachine(
        configuration: configuration, mechanisms: mechanisms, saslConfiguration: SASLConfiguration(hostname: "test"),
        serverProcessID: AuthSocketProcessID(4242), connectionID: AuthSocketConnectionID(1), cookie: cookie
    )
}

extension AuthSocketStateMachine {
    /// Feeds one line as the client writes it (without LF).
    mutating func feed(_ line: String, at now: NIODeadline = t0) -> Action? {
        receive(line: ByteBuffer(string: line), now: now)
    }

    /// A machine past the client's handshake.
    static func ready(
        minor: UInt32 = 2, mechanisms: [SASLMechanismName] = [.plain, .login, .cramMD5],
        configuration: AuthSocketConfiguration = AuthSocketConfiguration()
    ) -> AuthSocketStateMachine {
        var machine = makeMachine(mechanisms: mechanisms, configuration: configuration)
        precondition(machine.feed("VERSION\t1\t\(minor)") == nil && machine.feed("CPID\t99") == nil)
        return machine
    }
}

/// The verification an action asks for, or nil.
private func verification(_ action: AuthSocketStateMachine.Action?) -> AuthSocketVerification? {
    if case .verify(let verification)? = action { return verification }
    return nil
}

@Suite("AuthSocketStateMachine")
struct AuthSocketStateMachineTests {
    // MARK: Handshake

    @Test func handshakeLinesInDovecotOrder() {
        let machine = makeMachine()
        #expect(machine.handshake() == [
            .version(AuthSocketVersion(major: 1, minor: 2)),
            .mechanism(AuthSocketMechanism(name: "PLAIN", flags: [.plaintext])),
            .mechanism(AuthSocketMechanism(name: "LOGIN", flags: [.plaintext])),
            .mechanism(AuthSocketMechanism(name: "CRAM-MD5", flags: [.dictionary, .active])),
            .processID(AuthSocketProcessID(4242)), .connectionID(AuthSocketConnectionID(1)), .cookie(cookie), .done,
        ])
        var buffer = ByteBuffer()
        machine.handshake().forEach { $0.encode(into: &buffer) }
        #expect(String(buffer: buffer) == "VERSION\t1\t2\nMECH\tPLAIN\tplaintext\nMECH\tLOGIN\tplaintext\nMECH\tCRAM-MD5\tdictionary\tactive\nSPID\t4242\nCUID\t1\nCOOKIE\t00112233445566778899aabbccddeeff\nDONE\n")
    }

    @Test(arguments: [UInt32(0), 1, 2, 3, 99])
    func anyMinorVersionIsAccepted(_ minor: UInt32) {
        var machine = makeMachine()
        #expect(machine.feed("VERSION\t1\t\(minor)") == nil)
        #expect(machine.state == .awaitingProcessID(clientVersion: AuthSocketVersion(major: 1, minor: minor)))
        #expect(machine.feed("CPID\t12") == nil)
        #expect(machine.state == .ready(clientVersion: AuthSocketVersion(major: 1, minor: minor), clientProcessID: AuthSocketProcessID(12)))
    }

    /// Which lines each handshake state allows: anything out of place closes the connection.
    @Test(arguments: [
        ([String](), "AUTH\t1\tPLAIN\tservice=smtp", AuthSocketCloseReason.versionExpected(command: "AUTH")),
        ([], "CPID\t12", .versionExpected(command: "CPID")),
        ([], "CONT\t1\tAA==", .versionExpected(command: "CONT")),
        ([], "VERSION\t2\t0", .versionMismatch(AuthSocketVersion(major: 2, minor: 0))),
        ([], "VERSION\t0\t9", .versionMismatch(AuthSocketVersion(major: 0, minor: 9))),
        ([], "HELLO", .malformedLine(.unknownCommand("HELLO"))),
        ([], "", .malformedLine(.emptyLine)),
        (["VERSION\t1\t2"], "AUTH\t1\tPLAIN\tservice=smtp", .processIDExpected(command: "AUTH")),
        (["VERSION\t1\t2"], "VERSION\t1\t2", .processIDExpected(command: "VERSION")),
        (["VERSION\t1\t2"], "CPID\t0", .malformedLine(.invalidNumber(command: "CPID", .processID))),
        (["VERSION\t1\t2", "CPID\t1"], "VERSION\t1\t2", .unexpectedCommand("VERSION")),
        (["VERSION\t1\t2", "CPID\t1"], "CPID\t1", .unexpectedCommand("CPID")),
        (["VERSION\t1\t2", "CPID\t1"], "AUTH\t1\tPLAIN", .malformedLine(.missingService)),
        (["VERSION\t1\t2", "CPID\t1"], "AUTH\t1\tDIGEST-MD5\tservice=smtp", .unsupportedMechanism("DIGEST-MD5")),
        (["VERSION\t1\t2", "CPID\t1"], "AUTH\t1\tXOAUTH2\tservice=smtp\tresp=AA==", .unsupportedMechanism("XOAUTH2")),
    ])
    func outOfPlaceLinesClose(_ before: [String], _ line: String, _ reason: AuthSocketCloseReason) {
        var machine = makeMachine()
        for earlier in before { #expect(machine.feed(earlier) == nil) }
        #expect(machine.feed(line) == .closeConnection(reason))
        #expect(machine.state == .closed)
        // Nothing more happens on a closing connection.
        #expect(machine.feed("VERSION\t1\t2") == nil)
        #expect(machine.lineTooLong() == nil)
    }

    @Test func unannouncedMechanismCloses() {
        var machine = AuthSocketStateMachine.ready(mechanisms: [.plain, .login])
        #expect(machine.feed("AUTH\t1\tCRAM-MD5\tservice=smtp") == .closeConnection(.unsupportedMechanism("CRAM-MD5")))
    }

    @Test func lineTooLongCloses() {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.feed("AUTH\t1\tLOGIN\tservice=smtp") != nil)
        #expect(machine.lineTooLong() == .closeConnection(.lineTooLong))
        #expect(machine.inFlightCount == 0)
    }

    // MARK: Requests

    @Test func plainWithInitialResponse() throws {
        var machine = AuthSocketStateMachine.ready()
        let action = machine.feed("AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.7\tsecured\tresp=\(b64("\0alice\0secret"))")
        let request = try #require(verification(action))
        #expect(request.id == id(1))
        #expect(request.mechanism == .plain)
        #expect(request.credentials == .password(user: "alice", password: "secret"))
        #expect(request.info == AuthSocketRequestInfo(service: "smtp", remoteIP: "192.0.2.7", secured: .secured))
        #expect(!request.description.contains("secret"))
        #expect(machine.isInFlight(id(1)))
        #expect(machine.verificationFinished(request, result: .success(user: "alice@example.org")) == .ok(id(1), user: "alice@example.org", parameters: []))
        #expect(!machine.isInFlight(id(1)))
        // Reported twice: the second is ignored.
        #expect(machine.verificationFinished(request, result: .success(user: "alice")) == nil)
    }

    @Test func plainWithoutInitialResponseAsksForIt() throws {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.feed("AUTH\t1\tPLAIN\tservice=smtp") == .send(.continue(id(1), "")))
        let request = try #require(verification(machine.feed("CONT\t1\t\(b64("\0bob\0pw"))")))
        #expect(request.credentials == .password(user: "bob", password: "pw"))
    }

    @Test(arguments: [
        (AuthResult.failure(.wrongPassword), AuthSocketServerLine.fail(id(3), AuthSocketFailure(user: "Alice"))),
        (.failure(.unknownUser), .fail(id(3), AuthSocketFailure(user: "Alice"))),
        (.failure(.disabled), .fail(id(3), AuthSocketFailure(user: "Alice"))),
        (.failure(.networkNotAllowed), .fail(id(3), AuthSocketFailure(user: "Alice"))),
        (.failure(.unsupportedCredentials), .fail(id(3), AuthSocketFailure(user: "Alice"))),
        (.failure(.temporary("passdb lookup failed")), .fail(id(3), AuthSocketFailure(user: "Alice", code: .temporaryFailure))),
        (.success(user: "alice"), .ok(id(3), user: "alice", parameters: [])),
    ])
    func verificationResultsBecomeReplies(_ result: AuthResult, _ reply: AuthSocketServerLine) throws {
        var machine = AuthSocketStateMachine.ready()
        let request = try #require(verification(machine.feed("AUTH\t3\tPLAIN\tservice=smtp\tresp=\(b64("\0Alice\0pw"))")))
        #expect(machine.verificationFinished(request, result: result) == reply)
        #expect(machine.inFlightCount == 0)
    }

    /// LOGIN (id 1) and CRAM-MD5 (id 2) interleaved, each with its CONT rounds, answered out of order.
    @Test func interleavedLoginAndCRAMMD5() throws {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.feed("AUTH\t1\tLOGIN\tservice=smtp\trip=192.0.2.1") == .send(.continue(id(1), b64("Username:"))))
        guard case .send(.continue(let two, let challenge))? = machine.feed("AUTH\t2\tCRAM-MD5\tservice=smtp") else {
            Issue.record("no CRAM-MD5 challenge")
            return
        }
        #expect(two == id(2))
        let challengeText = unb64(challenge)
        #expect(challengeText.hasPrefix("<") && challengeText.hasSuffix("@test>"))
        #expect(machine.feed("CONT\t1\t\(b64("alice"))") == .send(.continue(id(1), b64("Password:"))))
        let digest = String(repeating: "ab", count: 16)
        let cram = try #require(verification(machine.feed("CONT\t2\t\(b64("bob \(digest)"))")))
        #expect(cram.credentials == .cramMD5(user: "bob", challenge: challengeText, digest: digest))
        #expect(cram.mechanism == .cramMD5)
        let login = try #require(verification(machine.feed("CONT\t1\t\(b64("alice-secret"))")))
        #expect(login.credentials == .password(user: "alice", password: "alice-secret"))
        #expect(login.info.remoteIP == "192.0.2.1")
        #expect(machine.inFlightCount == 2)
        #expect(machine.verificationFinished(cram, result: .failure(.wrongPassword)) == .fail(id(2), AuthSocketFailure(user: "bob")))
        #expect(machine.verificationFinished(login, result: .success(user: "alice")) == .ok(id(1), user: "alice", parameters: []))
        #expect(machine.inFlightCount == 0)
    }

    @Test func continueForUnknownIDFails() {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.feed("CONT\t5\tAA==") == .send(.fail(id(5), AuthSocketFailure(reason: "Authentication request timed out"))))
        #expect(machine.feed("CONT\t0\t") == .send(.fail(id(0), AuthSocketFailure(reason: "Authentication request timed out"))))
        #expect(machine.state != .closed)
    }

    @Test func continueWhileVerifyingFailsAndDropsTheRequest() throws {
        var machine = AuthSocketStateMachine.ready()
        let request = try #require(verification(machine.feed("AUTH\t1\tPLAIN\tservice=smtp\tresp=\(b64("\0a\0b"))")))
        #expect(machine.feed("CONT\t1\tAA==") == .send(.fail(id(1), AuthSocketFailure(reason: "Unexpected continuation"))))
        #expect(machine.verificationFinished(request, result: .success(user: "a")) == nil)
    }

    @Test func duplicateIDInFlightCloses() throws {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.feed("AUTH\t1\tLOGIN\tservice=smtp") != nil)
        #expect(machine.feed("AUTH\t1\tPLAIN\tservice=smtp") == .closeConnection(.duplicateRequestID(id(1))))
    }

    @Test func idMayBeReusedOnceAnswered() throws {
        var machine = AuthSocketStateMachine.ready()
        let first = try #require(verification(machine.feed("AUTH\t1\tPLAIN\tservice=smtp\tresp=\(b64("\0a\0b"))")))
        _ = machine.verificationFinished(first, result: .failure(.wrongPassword))
        let second = try #require(verification(machine.feed("AUTH\t1\tPLAIN\tservice=smtp\tresp=\(b64("\0a\0c"))")))
        #expect(second.serial != first.serial)
        // A late result for the first never answers the second.
        #expect(machine.verificationFinished(first, result: .success(user: "a")) == nil)
        #expect(machine.verificationFinished(second, result: .success(user: "a")) == .ok(id(1), user: "a", parameters: []))
    }

    @Test func cancelForgetsTheRequest() throws {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.feed("AUTH\t1\tLOGIN\tservice=smtp") != nil)
        let verifying = try #require(verification(machine.feed("AUTH\t2\tPLAIN\tservice=smtp\tresp=\(b64("\0a\0b"))")))
        #expect(machine.feed("CANCEL\t1") == nil)
        #expect(machine.feed("CANCEL\t2") == nil)
        #expect(machine.feed("CANCEL\t3") == nil)
        #expect(machine.inFlightCount == 0)
        #expect(machine.feed("CONT\t1\tAA==") == .send(.fail(id(1), AuthSocketFailure(reason: "Authentication request timed out"))))
        #expect(machine.verificationFinished(verifying, result: .success(user: "a")) == nil)
    }

    @Test(arguments: [
        ("AUTH\t1\tPLAIN\tservice=smtp\tresp=*", "Invalid base64 data in initial response"),
        ("AUTH\t1\tPLAIN\tservice=smtp\tresp=AA=", "Invalid base64 data in initial response"),
        ("AUTH\t1\tLOGIN\tservice=smtp\tresp=not base64", "Invalid base64 data in initial response"),
    ])
    func invalidBase64InitialResponseFails(_ line: String, _ reason: String) {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.feed(line) == .send(.fail(id(1), AuthSocketFailure(code: .invalidBase64, reason: reason))))
        #expect(machine.inFlightCount == 0)
    }

    @Test(arguments: ["*", "AAA", "dXNlcg", "a b=", "AA==\tx"])
    func invalidBase64ContinuationFails(_ data: String) {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.feed("AUTH\t1\tLOGIN\tservice=smtp") != nil)
        #expect(machine.feed("CONT\t1\t\(data)") == .send(.fail(id(1), AuthSocketFailure(
            code: .invalidBase64, reason: "Invalid base64 data in continued response"
        ))))
        #expect(machine.inFlightCount == 0)
    }

    @Test func malformedMechanismDataFailsWithAReason() {
        var machine = AuthSocketStateMachine.ready()
        // PLAIN without the NULs.
        #expect(machine.feed("AUTH\t1\tPLAIN\tservice=smtp\tresp=\(b64("alice"))") == .send(.fail(id(1), AuthSocketFailure(reason: "Invalid authentication data"))))
        // PLAIN with another authorization identity.
        #expect(machine.feed("AUTH\t2\tPLAIN\tservice=smtp\tresp=\(b64("bob\0alice\0pw"))") == .send(.fail(id(2), AuthSocketFailure(reason: "Authorization identity not allowed"))))
        #expect(machine.inFlightCount == 0)
    }

    /// Exim says VERSION 1 0 and sends `resp=` with nothing after it when there is no initial response.
    @Test func emptyInitialResponseBeforeMinorTwoIsNone() throws {
        var exim = AuthSocketStateMachine.ready(minor: 0)
        #expect(exim.feed("AUTH\t1\tLOGIN\tservice=smtp\tnologin\tresp=") == .send(.continue(id(1), b64("Username:"))))
        #expect(exim.feed("AUTH\t2\tPLAIN\tservice=smtp\tresp=") == .send(.continue(id(2), "")))
        // From 1.2 on, it is an empty initial response, which LOGIN cannot take as a user name.
        var modern = AuthSocketStateMachine.ready(minor: 2)
        #expect(modern.feed("AUTH\t1\tLOGIN\tservice=smtp\tresp=") == .send(.fail(id(1), AuthSocketFailure(reason: "Invalid authentication data"))))
        #expect(modern.feed("AUTH\t2\tLOGIN\tservice=smtp\tresp==") == .send(.fail(id(2), AuthSocketFailure(reason: "Invalid authentication data"))))
        // A LOGIN initial response is the user name.
        #expect(modern.feed("AUTH\t3\tLOGIN\tservice=smtp\tresp=\(b64("alice"))") == .send(.continue(id(3), b64("Password:"))))
    }

    @Test func cramMD5IgnoresAnInitialResponse() {
        var machine = AuthSocketStateMachine.ready()
        guard case .send(.continue(let requestID, let challenge))? = machine.feed("AUTH\t1\tcram-md5\tservice=smtp\tresp=\(b64("x"))") else {
            Issue.record("no challenge")
            return
        }
        #expect(requestID == id(1) && unb64(challenge).hasPrefix("<"))
    }

    @Test func mechanismNamesAreCaseInsensitive() throws {
        var machine = AuthSocketStateMachine.ready()
        let request = try #require(verification(machine.feed("AUTH\t1\tpLaIn\tservice=smtp\tresp=\(b64("\0a\0b"))")))
        #expect(request.mechanism == .plain)
    }

    // MARK: Limits

    /// At the limit the request that waited longest for a CONT makes room; later ones are kept.
    @Test func inFlightLimitDropsTheOldestWaitingRequest() {
        var machine = AuthSocketStateMachine.ready(configuration: AuthSocketConfiguration(maxInFlightRequests: 3))
        for request in 1...3 { #expect(machine.feed("AUTH\t\(request)\tLOGIN\tservice=smtp") != nil) }
        #expect(machine.feed("AUTH\t4\tLOGIN\tservice=smtp") == .send(.continue(id(4), b64("Username:"))))
        #expect(machine.inFlightCount == 3)
        #expect(!machine.isInFlight(id(1)) && machine.isInFlight(id(2)) && machine.isInFlight(id(4)))
        #expect(machine.feed("CONT\t1\tAA==") == .send(.fail(id(1), AuthSocketFailure(reason: "Authentication request timed out"))))
        #expect(machine.feed("CONT\t2\t\(b64("alice"))") == .send(.continue(id(2), b64("Password:"))))
    }

    /// Stress: the default limit of 64 with every request being verified; the 65th fails temporarily.
    @Test func inFlightLimitFailsWhenEveryRequestIsBeingVerified() throws {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.configuration.maxInFlightRequests == 64)
        var requests: [AuthSocketVerification] = []
        for request in 1...64 {
            requests.append(try #require(verification(machine.feed("AUTH\t\(request)\tPLAIN\tservice=smtp\tresp=\(b64("\0u\(request)\0pw"))"))))
        }
        #expect(machine.feed("AUTH\t65\tPLAIN\tservice=smtp\tresp=\(b64("\0x\0pw"))") == .send(.fail(id(65), AuthSocketFailure(
            code: .temporaryFailure, reason: "Too many authentication requests in progress"
        ))))
        #expect(machine.inFlightCount == 64 && !machine.isInFlight(id(65)))
        // Once one is answered there is room again.
        _ = machine.verificationFinished(requests[0], result: .failure(.wrongPassword))
        #expect(verification(machine.feed("AUTH\t65\tPLAIN\tservice=smtp\tresp=\(b64("\0x\0pw"))")) != nil)
    }

    @Test func abandonedRequestsTimeOut() throws {
        var machine = AuthSocketStateMachine.ready()
        #expect(machine.nextTimeout == nil)
        #expect(machine.feed("AUTH\t1\tLOGIN\tservice=smtp", at: t0) != nil)
        #expect(machine.feed("AUTH\t2\tLOGIN\tservice=smtp", at: t0 + .seconds(10)) != nil)
        let verifying = try #require(verification(machine.feed("AUTH\t3\tPLAIN\tservice=smtp\tresp=\(b64("\0a\0b"))", at: t0)))
        #expect(machine.nextTimeout == t0 + .seconds(150))
        #expect(machine.expireRequests(now: t0 + .seconds(149)) == [])
        #expect(machine.expireRequests(now: t0 + .seconds(150)) == [id(1)])
        #expect(machine.nextTimeout == t0 + .seconds(160))
        #expect(machine.expireRequests(now: t0 + .seconds(1000)) == [id(2)])
        // A request being verified is not timed out.
        #expect(machine.nextTimeout == nil && machine.isInFlight(id(3)))
        #expect(machine.feed("CONT\t1\tAA==") == .send(.fail(id(1), AuthSocketFailure(reason: "Authentication request timed out"))))
        #expect(machine.verificationFinished(verifying, result: .success(user: "a")) == .ok(id(3), user: "a", parameters: []))
    }
}
