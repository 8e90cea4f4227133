import Testing
@testable import RoostAuth

@Suite("SASL mechanisms as state machines")
struct SASLServerExchangeTests {
    static let rfcChallenge = "<1896.697170952@postoffice.reston.mci.net>"
    static let configuration = SASLConfiguration(maxResponseBytes: 4096, maxPasswordLength: 1024, hostname: "mail.example.org")

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var mechanism: SASLMechanismName
        var initialResponse: String?
        /// Client lines after `start()`.
        var lines: [String]
        /// `start()`'s step, then one step per line.
        var steps: [SASLStep]
        var description: String { name }
    }

    static func b64(_ text: String) -> String { Base64.encode(Array(text.utf8)) }
    static func b64(_ bytes: [UInt8]) -> String { Base64.encode(bytes) }
    static let bobSecret = SASLStep.needsVerification(.password(user: "bob", password: "secret"))
    static let username = SASLStep.challenge("VXNlcm5hbWU6")
    static let password = SASLStep.challenge("UGFzc3dvcmQ6")

    static let cases: [Case] = [
        // PLAIN (RFC 4616)
        Case(name: "PLAIN initial response", mechanism: .plain, initialResponse: "AGJvYgBzZWNyZXQ=", lines: [], steps: [bobSecret]),
        Case(name: "PLAIN after empty challenge", mechanism: .plain, lines: ["AGJvYgBzZWNyZXQ="], steps: [.challenge(""), bobSecret]),
        Case(name: "PLAIN authzid equal to authcid", mechanism: .plain, initialResponse: b64("bob\0bob\0secret"), lines: [], steps: [bobSecret]),
        Case(name: "PLAIN other authzid", mechanism: .plain, initialResponse: b64("admin\0bob\0secret"), lines: [],
             steps: [.failure(.authzidNotAllowed)]),
        Case(name: "PLAIN empty initial response =", mechanism: .plain, initialResponse: "=", lines: [], steps: [.failure(.malformed)]),
        Case(name: "PLAIN empty line", mechanism: .plain, lines: [""], steps: [.challenge(""), .failure(.malformed)]),
        Case(name: "PLAIN bad base64", mechanism: .plain, lines: ["not base64!"], steps: [.challenge(""), .failure(.malformed)]),
        Case(name: "PLAIN unpadded base64", mechanism: .plain, lines: ["AGJvYgBzZWNyZXQ"], steps: [.challenge(""), .failure(.malformed)]),
        Case(name: "PLAIN cancel", mechanism: .plain, lines: ["*"], steps: [.challenge(""), .failure(.cancelled)]),
        Case(name: "PLAIN one NUL", mechanism: .plain, initialResponse: b64("bob\0secret"), lines: [], steps: [.failure(.malformed)]),
        Case(name: "PLAIN three NULs", mechanism: .plain, initialResponse: b64("\0bob\0sec\0ret"), lines: [], steps: [.failure(.malformed)]),
        Case(name: "PLAIN empty password", mechanism: .plain, initialResponse: b64("\0bob\0"), lines: [], steps: [.failure(.malformed)]),
        Case(name: "PLAIN empty authcid", mechanism: .plain, initialResponse: b64("\0\0secret"), lines: [], steps: [.failure(.malformed)]),
        Case(name: "PLAIN invalid UTF-8", mechanism: .plain, initialResponse: b64([0, 0x62, 0, 0xFF, 0xFE]), lines: [],
             steps: [.failure(.malformed)]),
        Case(name: "PLAIN UTF-8 password", mechanism: .plain, initialResponse: b64("\0bob\0pässwörd"), lines: [],
             steps: [.needsVerification(.password(user: "bob", password: "pässwörd"))]),
        Case(name: "PLAIN password too long", mechanism: .plain, initialResponse: b64("\0bob\0" + String(repeating: "p", count: 1025)),
             lines: [], steps: [.failure(.tooLong)]),
        Case(name: "PLAIN user too long", mechanism: .plain, initialResponse: b64("\0" + String(repeating: "u", count: 256) + "\0p"),
             lines: [], steps: [.failure(.tooLong)]),
        Case(name: "PLAIN response too long", mechanism: .plain, lines: [String(repeating: "QUFB", count: 1366)],
             steps: [.challenge(""), .failure(.tooLong)]),
        Case(name: "PLAIN line after completion", mechanism: .plain, initialResponse: "AGJvYgBzZWNyZXQ=", lines: ["AGJvYgBzZWNyZXQ="],
             steps: [bobSecret, .failure(.unexpectedResponse)]),
        // LOGIN
        Case(name: "LOGIN both prompts", mechanism: .login, lines: [b64("bob"), b64("secret")], steps: [username, password, bobSecret]),
        Case(name: "LOGIN initial response is the user", mechanism: .login, initialResponse: b64("bob"), lines: [b64("secret")],
             steps: [password, bobSecret]),
        Case(name: "LOGIN empty user", mechanism: .login, lines: ["="], steps: [username, .failure(.malformed)]),
        Case(name: "LOGIN empty password", mechanism: .login, lines: [b64("bob"), "="],
             steps: [username, password, .needsVerification(.password(user: "bob", password: ""))]),
        Case(name: "LOGIN NUL in user", mechanism: .login, lines: [b64("b\0b")], steps: [username, .failure(.malformed)]),
        Case(name: "LOGIN cancel at password", mechanism: .login, lines: [b64("bob"), "*"], steps: [username, password, .failure(.cancelled)]),
        Case(name: "LOGIN bad base64", mechanism: .login, lines: ["Ym9i="], steps: [username, .failure(.malformed)]),
        // CRAM-MD5 (RFC 2195 section 2 example)
        Case(name: "CRAM-MD5 RFC 2195 example", mechanism: .cramMD5, lines: ["dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"],
             steps: [.challenge("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"),
                     .needsVerification(.cramMD5(user: "tim", challenge: rfcChallenge, digest: "b913a602c7eda7a495b4e6e7334d3890"))]),
        Case(name: "CRAM-MD5 user with spaces, upper-case digest", mechanism: .cramMD5,
             lines: [b64("John Doe B913A602C7EDA7A495B4E6E7334D3890")],
             steps: [.challenge(b64(rfcChallenge)),
                     .needsVerification(.cramMD5(user: "John Doe", challenge: rfcChallenge, digest: "b913a602c7eda7a495b4e6e7334d3890"))]),
        Case(name: "CRAM-MD5 initial response", mechanism: .cramMD5, initialResponse: b64("tim x"), lines: [],
             steps: [.failure(.unexpectedInitialResponse)]),
        Case(name: "CRAM-MD5 empty initial response is no response", mechanism: .cramMD5, initialResponse: "=", lines: ["*"],
             steps: [.challenge(b64(rfcChallenge)), .failure(.cancelled)]),
        Case(name: "CRAM-MD5 no space", mechanism: .cramMD5, lines: [b64("timb913a602c7eda7a495b4e6e7334d3890")],
             steps: [.challenge(b64(rfcChallenge)), .failure(.malformed)]),
        Case(name: "CRAM-MD5 short digest", mechanism: .cramMD5, lines: [b64("tim b913")], steps: [.challenge(b64(rfcChallenge)), .failure(.malformed)]),
        Case(name: "CRAM-MD5 non-hex digest", mechanism: .cramMD5, lines: [b64("tim zz13a602c7eda7a495b4e6e7334d3890")],
             steps: [.challenge(b64(rfcChallenge)), .failure(.malformed)]),
        Case(name: "CRAM-MD5 empty user", mechanism: .cramMD5, lines: [b64(" b913a602c7eda7a495b4e6e7334d3890")],
             steps: [.challenge(b64(rfcChallenge)), .failure(.malformed)]),
    ]

    @Test(arguments: SASLServerExchangeTests.cases)
    func steps(_ testCase: Case) {
        var exchange = SASLServerExchange(
            mechanism: testCase.mechanism, initialResponse: testCase.initialResponse,
            configuration: Self.configuration, cramMD5Challenge: Self.rfcChallenge
        )
        var steps = [exchange.start()]
        for line in testCase.lines {
            steps.append(exchange.receive(line))
        }
        #expect(steps == testCase.steps)
        #expect(exchange.isFinished)
    }

    @Test func receiveBeforeStartFails() {
        var exchange = SASLServerExchange(mechanism: .plain)
        #expect(exchange.receive("AGJvYgBzZWNyZXQ=") == .failure(.unexpectedResponse))
        #expect(exchange.start() == .failure(.unexpectedResponse))
    }

    @Test func generatedCRAMMD5ChallengesAreUniqueMessageIDs() throws {
        var first = SASLServerExchange(mechanism: .cramMD5, configuration: Self.configuration)
        var second = SASLServerExchange(mechanism: .cramMD5, configuration: Self.configuration)
        guard case .challenge(let a) = first.start(), case .challenge(let b) = second.start() else {
            Issue.record("CRAM-MD5 must start with a challenge")
            return
        }
        #expect(a != b)
        let text = String(decoding: try #require(Base64.decodeStrict(a)), as: UTF8.self)
        #expect(text.wholeMatch(of: /<[0-9]+\.[0-9]+@mail\.example\.org>/) != nil, "\(text)")
    }

    @Test func mechanismNames() {
        #expect(SASLMechanismName(name: "cram-md5") == .cramMD5)
        #expect(SASLMechanismName(name: "Plain") == .plain)
        #expect(SASLMechanismName(name: "DIGEST-MD5") == nil)
        #expect(SASLMechanismName.login.sendsPlaintext && !SASLMechanismName.cramMD5.sendsPlaintext)
    }
}
