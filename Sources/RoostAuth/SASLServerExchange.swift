#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server side of one SASL exchange (RFC 4422), as a pure state machine shared by IMAP
/// AUTHENTICATE, POP3 AUTH and the Dovecot auth socket.
///
/// It speaks base64 text in both directions and knows no protocol framing: the caller sends each
/// `.challenge` in its own continuation syntax (`+ ` in IMAP and POP3, `CONT` on the auth socket)
/// and feeds every client line to `receive`.
///
/// Usage: `var exchange = SASLServerExchange(mechanism: .plain, initialResponse: ir)`, then
/// `exchange.start()`, then `receive(line)` while the step is `.challenge`.
///
/// Wire rules:
/// - Responses are canonical base64 (RFC 4648 section 4); anything else fails with `.malformed`.
/// - An empty line or `=` is an empty response (`=` is how RFC 4959/5034 write an empty initial
///   response; accepting it on continuation lines too costs nothing and helps sloppy clients).
/// - `*` cancels (RFC 4422 section 3.5).
/// - Sizes are checked on the encoded text before decoding, so an oversized line is not decoded.
/// - After `.needsVerification` or `.failure`, every further line fails with `.unexpectedResponse`.
public struct SASLServerExchange: Sendable {
    enum State: Sendable, Hashable {
        case notStarted(initialResponse: String?)
        case awaitingPlain
        case awaitingLoginUser
        case awaitingLoginPassword(user: String)
        case awaitingCRAMMD5(challenge: String)
        case finished
    }

    public let mechanism: SASLMechanismName
    public let configuration: SASLConfiguration
    private(set) var state: State
    private let cramMD5Challenge: String?

    /// The LOGIN prompts (base64 of "Username:" and "Password:"), which clients such as Outlook match.
    static let loginUserPrompt = Base64.encode(Array("Username:".utf8))
    static let loginPasswordPrompt = Base64.encode(Array("Password:".utf8))

    /// - Parameters:
    ///   - initialResponse: the SASL-IR / `AUTH mech ir` argument as sent (base64 or `=`), nil if none.
    ///   - cramMD5Challenge: the exact challenge to send for CRAM-MD5, for tests and replays;
    ///     nil makes a fresh `<random.timestamp@hostname>`.
    public init(
        mechanism: SASLMechanismName, initialResponse: String? = nil,
        configuration: SASLConfiguration = SASLConfiguration(), cramMD5Challenge: String? = nil
    ) {
        self.mechanism = mechanism
        self.configuration = configuration
        self.cramMD5Challenge = cramMD5Challenge
        state = .notStarted(initialResponse: initialResponse)
    }

    /// True once the exchange produced credentials or failed.
    public var isFinished: Bool {
        state == .finished
    }

    /// The first step: handles the initial response if there was one, else the first challenge.
    public mutating func start() -> SASLStep {
        guard case .notStarted(let initialResponse) = state else { return finish(.unexpectedResponse) }
        switch mechanism {
        case .plain:
            state = .awaitingPlain
            return initialResponse.map { receive($0) } ?? .challenge("")
        case .login:
            state = .awaitingLoginUser
            return initialResponse.map { receive($0) } ?? .challenge(Self.loginUserPrompt)
        case .cramMD5:
            if let initialResponse, initialResponse != "=", !initialResponse.isEmpty {
                return finish(.unexpectedInitialResponse)
            }
            let challenge = cramMD5Challenge ?? Self.makeCRAMMD5Challenge(hostname: configuration.hostname)
            state = .awaitingCRAMMD5(challenge: challenge)
            return .challenge(Base64.encode(Array(challenge.utf8)))
        }
    }

    /// Handles one client line (without CRLF).
    public mutating func receive(_ line: String) -> SASLStep {
        switch state {
        case .notStarted, .finished:
            return finish(.unexpectedResponse)
        default:
            break
        }
        if line == "*" { return finish(.cancelled) }
        let message: [UInt8]
        switch decode(line) {
        case .success(let bytes): message = bytes
        case .failure(let failure): return finish(failure)
        }
        switch state {
        case .awaitingPlain:
            return complete(SASLPlainMessage.parse(message, configuration: configuration))
        case .awaitingLoginUser:
            guard let user = Self.text(message), !user.isEmpty, !user.contains("\0") else { return finish(.malformed) }
            guard user.utf8.count <= configuration.maxUserNameLength else { return finish(.tooLong) }
            state = .awaitingLoginPassword(user: user)
            return .challenge(Self.loginPasswordPrompt)
        case .awaitingLoginPassword(let user):
            guard let password = Self.text(message), !password.contains("\0") else { return finish(.malformed) }
            guard password.utf8.count <= configuration.maxPasswordLength else { return finish(.tooLong) }
            return complete(.success(.password(user: user, password: password)))
        case .awaitingCRAMMD5(let challenge):
            return complete(Self.parseCRAMMD5Response(message, challenge: challenge, configuration: configuration))
        case .notStarted, .finished:
            return finish(.unexpectedResponse)
        }
    }

    // MARK: Helpers

    private mutating func finish(_ failure: SASLFailure) -> SASLStep {
        state = .finished
        return .failure(failure)
    }

    private mutating func complete(_ result: Result<SASLCredentials, SASLFailure>) -> SASLStep {
        state = .finished
        switch result {
        case .success(let credentials): return .needsVerification(credentials)
        case .failure(let failure): return .failure(failure)
        }
    }

    /// Decodes a response line, enforcing the size limit before decoding.
    private func decode(_ line: String) -> Result<[UInt8], SASLFailure> {
        if line.isEmpty || line == "=" { return .success([]) }
        let maxEncoded = (configuration.maxResponseBytes + 2) / 3 * 4
        guard line.utf8.count <= maxEncoded else { return .failure(.tooLong) }
        guard let bytes = Base64.decodeStrict(line) else { return .failure(.malformed) }
        guard bytes.count <= configuration.maxResponseBytes else { return .failure(.tooLong) }
        return .success(bytes)
    }

    /// The bytes as UTF-8 text, nil when they are not valid UTF-8 (decoding would have had to
    /// substitute U+FFFD, so the round trip differs).
    static func text<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// RFC 2195 section 2: the response is `user SP digest`, the digest 32 lowercase hex digits.
    /// The name may itself contain spaces, so the split is at the last space.
    static func parseCRAMMD5Response(
        _ message: [UInt8], challenge: String, configuration: SASLConfiguration
    ) -> Result<SASLCredentials, SASLFailure> {
        guard let text = text(message), let space = text.lastIndex(of: " ") else { return .failure(.malformed) }
        let user = String(text[..<space])
        let digest = String(text[text.index(after: space)...]).lowercased()
        guard !user.isEmpty, !user.contains("\0"), digest.utf8.count == 32, Hex.decode(digest) != nil else {
            return .failure(.malformed)
        }
        guard user.utf8.count <= configuration.maxUserNameLength else { return .failure(.tooLong) }
        return .success(.cramMD5(user: user, challenge: challenge, digest: digest))
    }

    /// A fresh RFC 2195 challenge `<random.timestamp@hostname>`: unique per exchange, so a recorded
    /// response cannot be replayed.
    static func makeCRAMMD5Challenge(hostname: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = UInt64.random(in: .min ... .max, using: &generator)
        let seconds = time(nil)
        let safeHost = hostname.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
        return "<\(random).\(seconds)@\(safeHost.isEmpty ? "localhost" : safeHost)>"
    }
}
