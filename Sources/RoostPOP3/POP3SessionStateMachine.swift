import NIOCore
import RoostAuth

/// What each POP3 command does in each state, as a pure value: lines in, actions out.
///
/// States (RFC 1939 section 3): AUTHORIZATION (with a USER given, or a SASL exchange running),
/// TRANSACTION with the maildrop, UPDATE after QUIT. The handler feeds one line at a time and only
/// after the previous action is complete, carries out the returned action, and reports the
/// results of the asynchronous ones (`loginSucceeded`, `loginFailed`, `committed`).
///
/// Counting: every syntax error, unknown command and command not allowed in the state is a bad
/// command; at `maxBadCommands` the connection closes. Failed logins count separately and close
/// the connection at `maxAuthFailures`.
public struct POP3SessionStateMachine {
    public enum State {
        case authorization(user: String?)
        case sasl(SASLServerExchange)
        case authenticating
        case transaction(user: String, maildrop: POP3Maildrop)
        case update
        case closed
    }

    public enum Action {
        /// Write this response.
        case send(POP3Response)
        /// Write this response, then close the connection.
        case sendAndClose(POP3Response)
        /// STLS accepted: write this response in plaintext and start TLS right after it
        /// (`TLSUpgrade`), then call `tlsStarted()`.
        case startTLS(POP3Response)
        /// Verify these credentials and open the maildrop, then call `loginSucceeded` or
        /// `loginFailed`.
        case authenticate(POP3Login)
        /// Write `+OK`, then the message in wire form (all of it, or its header and `bodyLines`
        /// lines of body for TOP), terminated by `.`; then call `retrievalFinished`.
        case retrieve(POP3MessageNumber, POP3Maildrop.Message, bodyLines: Int?)
        /// QUIT in TRANSACTION: apply the deletions (`POP3Maildrop.commit`), then call `committed`.
        case commit(POP3Maildrop)
    }

    public let configuration: POP3Configuration
    public private(set) var state: State = .authorization(user: nil)
    /// True once TLS is running, from the start (POP3S) or after STLS.
    public private(set) var isTLS: Bool
    /// The APOP timestamp sent in the greeting (`<…>`), nil when APOP is not offered.
    public let apopTimestamp: String?
    public private(set) var badCommands = 0
    public private(set) var authFailures = 0

    private let plaintextAllowedWithoutTLS: Bool
    /// Mechanisms the passdb can serve, in preference order, before the plaintext rule.
    private let mechanisms: [SASLMechanismName]
    private let saslConfiguration: SASLConfiguration

    /// - Parameters:
    ///   - isTLS: TLS is already running (implicit TLS port).
    ///   - plaintextAllowedWithoutTLS: see `ConnectionInfo.allowsPlaintextWithoutTLS`.
    ///   - mechanisms: SASL mechanisms that may be offered (configured and servable by the
    ///     passdb); PLAIN and LOGIN are withheld while plaintext is not allowed.
    ///   - apopTimestamp: the `<…>` string for the greeting, nil when the passdb cannot serve APOP.
    public init(
        configuration: POP3Configuration, isTLS: Bool, plaintextAllowedWithoutTLS: Bool,
        mechanisms: [SASLMechanismName], saslConfiguration: SASLConfiguration, apopTimestamp: String?
    ) {
        self.configuration = configuration
        self.isTLS = isTLS
        self.plaintextAllowedWithoutTLS = plaintextAllowedWithoutTLS
        self.mechanisms = mechanisms
        self.saslConfiguration = saslConfiguration
        self.apopTimestamp = apopTimestamp
    }

    /// Plaintext passwords (USER/PASS, PLAIN, LOGIN) may be used now.
    public var plaintextAllowed: Bool { isTLS || plaintextAllowedWithoutTLS }

    /// The SASL mechanisms offered right now.
    public var offeredMechanisms: [SASLMechanismName] {
        mechanisms.filter { plaintextAllowed || !$0.sendsPlaintext }
    }

    /// The greeting (RFC 1939 section 4), with the APOP timestamp when APOP is offered.
    public func greeting() -> POP3Response {
        .ok(["Roost POP3 server ready", apopTimestamp].compactMap { $0 }.joined(separator: " "))
    }

    // MARK: Input

    /// One line from the client, without its line end.
    public mutating func receive(line: ByteBuffer) -> Action {
        if case .sasl(var exchange) = state {
            let step = exchange.receive(String(decoding: line.readableBytesView, as: UTF8.self))
            state = .sasl(exchange)
            return saslStep(step, mechanism: exchange.mechanism)
        }
        switch POP3CommandParser.parse(line) {
        case .success(let command):
            return execute(command)
        case .failure(let error):
            return badCommand(error.message)
        }
    }

    /// A line longer than `limits.max_line_length` arrived and was dropped.
    public mutating func lineTooLong() -> Action {
        if case .sasl = state {
            state = .authorization(user: nil)
            return loginFailedReply(.error(nil, "Authentication line too long"))
        }
        return badCommand("Line too long")
    }

    // MARK: Completions

    /// TLS is running after STLS. Everything learnt before it is forgotten (RFC 2595 section 4).
    public mutating func tlsStarted() {
        isTLS = true
        state = .authorization(user: nil)
    }

    public mutating func loginSucceeded(user: String, maildrop: POP3Maildrop) -> Action {
        state = .transaction(user: user, maildrop: maildrop)
        return .send(.ok("Logged in, \(maildrop.liveCount) messages (\(maildrop.liveSize) octets)"))
    }

    public mutating func loginFailed(_ failure: POP3LoginFailure) -> Action {
        state = .authorization(user: nil)
        switch failure {
        case .rejected:
            return loginFailedReply(.error(.auth, "Authentication failed"))
        case .temporary:
            return .send(.error(.sysTemp, "Temporary server failure, try again later"))
        case .permanent:
            return .send(.error(.sysPerm, "Your mailbox cannot be opened; contact the administrator"))
        case .inUse(let text):
            return .send(.error(.inUse, text))
        }
    }

    /// A RETR finished streaming: the message counts as retrieved for `\Seen` at QUIT.
    public mutating func retrievalFinished(_ number: POP3MessageNumber, bodyLines: Int?) {
        guard bodyLines == nil, case .transaction(let user, var maildrop) = state else { return }
        // The state lets go of its copy first, so the mark changes the message list in place
        // instead of copying all of it (on every RETR, which made a session quadratic).
        state = .authenticating
        maildrop.markRetrieved(number)
        state = .transaction(user: user, maildrop: maildrop)
    }

    public mutating func committed(_ result: Result<POP3Maildrop.CommitResult, any Error>) -> Action {
        state = .closed
        switch result {
        case .success(let outcome):
            return .sendAndClose(.ok(outcome.deleted == 0 ? "Logging out" : "Logging out, \(outcome.deleted) deleted"))
        case .failure:
            return .sendAndClose(.error(.sysTemp, "Some deleted messages were not removed"))
        }
    }

    // MARK: Commands

    private mutating func execute(_ command: POP3Command) -> Action {
        if case .transaction(let user, var maildrop) = state {
            switch command {
            case .capa:
                return .send(capabilities())
            case .quit:
                state = .update
                return .commit(maildrop)
            default:
                // As in `retrievalFinished`: the state lets go of its copy first, so DELE and
                // RSET change the message list in place.
                state = .authenticating
                let action = transaction(command, maildrop: &maildrop)
                if case .authenticating = state { state = .transaction(user: user, maildrop: maildrop) }
                return action
            }
        }
        switch (command, state) {
        case (.capa, .authorization):
            return .send(capabilities())
        case (.quit, .authorization):
            state = .closed
            return .sendAndClose(.ok("Bye"))
        case (_, .authorization(let pendingUser)):
            return authorization(command, pendingUser: pendingUser)
        case (_, .sasl), (_, .authenticating), (_, .transaction), (_, .update), (_, .closed):
            return badCommand("\(command.keyword) is not allowed now")
        }
    }

    /// AUTHORIZATION state (RFC 1939 section 4 and 7, RFC 2595 section 4, RFC 5034 section 4).
    private mutating func authorization(_ command: POP3Command, pendingUser: String?) -> Action {
        switch command {
        case .user(let name):
            guard plaintextAllowed else { return plaintextRefused() }
            state = .authorization(user: name)
            return .send(.ok("Send your password"))
        case .pass(let password):
            guard plaintextAllowed else { return plaintextRefused() }
            guard let pendingUser else { return badCommand("Send USER first") }
            state = .authenticating
            return .authenticate(.password(user: pendingUser, password: password))
        case .apop(let name, let digest):
            guard let apopTimestamp else { return badCommand("APOP is not available") }
            state = .authenticating
            return .authenticate(.apop(user: name, timestamp: apopTimestamp, digest: digest))
        case .auth(nil, _):
            return .send(.multiline("Supported mechanisms follow", lines: offeredMechanisms.map(\.rawValue)))
        case .auth(let name?, let initialResponse):
            guard let mechanism = SASLMechanismName(name: name), mechanisms.contains(mechanism) else {
                return badCommand("Unsupported authentication mechanism")
            }
            guard plaintextAllowed || !mechanism.sendsPlaintext else { return plaintextRefused() }
            var exchange = SASLServerExchange(
                mechanism: mechanism, initialResponse: initialResponse, configuration: saslConfiguration
            )
            let step = exchange.start()
            state = .sasl(exchange)
            return saslStep(step, mechanism: mechanism)
        case .stls:
            guard configuration.tlsAvailable else { return badCommand("STLS is not available") }
            guard !isTLS else { return badCommand("TLS is already active") }
            return .startTLS(.ok("Begin TLS negotiation now"))
        default:
            return badCommand("\(command.keyword) is not allowed before login")
        }
    }

    /// TRANSACTION state (RFC 1939 section 5, RFC 2449 for TOP and UIDL).
    private mutating func transaction(_ command: POP3Command, maildrop: inout POP3Maildrop) -> Action {
        switch command {
        case .stat:
            return .send(.ok("\(maildrop.liveCount) \(maildrop.liveSize)"))
        case .list(nil):
            let lines = maildrop.messages.enumerated().filter { !$0.element.deleted }.map { "\($0.offset + 1) \($0.element.size)" }
            return .send(.multiline("\(maildrop.liveCount) messages (\(maildrop.liveSize) octets)", lines: lines))
        case .list(let number?):
            guard let message = maildrop.message(number) else { return noSuchMessage(number) }
            return .send(.ok("\(number) \(message.size)"))
        case .uidl(nil):
            let lines = maildrop.messages.enumerated().filter { !$0.element.deleted }.map { "\($0.offset + 1) \($0.element.uniqueID)" }
            return .send(.multiline("Unique ids follow", lines: lines))
        case .uidl(let number?):
            guard let message = maildrop.message(number) else { return noSuchMessage(number) }
            return .send(.ok("\(number) \(message.uniqueID)"))
        case .retr(let number):
            guard let message = maildrop.message(number) else { return noSuchMessage(number) }
            return .retrieve(number, message, bodyLines: nil)
        case .top(let number, let lines):
            guard let message = maildrop.message(number) else { return noSuchMessage(number) }
            return .retrieve(number, message, bodyLines: lines)
        case .dele(let number):
            guard maildrop.markDeleted(number) else { return noSuchMessage(number) }
            return .send(.ok("Message \(number) marked for deletion"))
        case .rset:
            maildrop.unmarkAll()
            return .send(.ok("\(maildrop.liveCount) messages (\(maildrop.liveSize) octets)"))
        case .noop:
            return .send(.ok("Nothing happened"))
        default:
            return badCommand("\(command.keyword) is not allowed after login")
        }
    }

    // MARK: Helpers

    /// CAPA (RFC 2449 section 5): what works on this connection in this state.
    private func capabilities() -> POP3Response {
        var lines = ["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE"]
        if case .authorization = state {
            if plaintextAllowed { lines.append("USER") }
            let offered = offeredMechanisms
            if !offered.isEmpty { lines.append("SASL " + offered.map(\.rawValue).joined(separator: " ")) }
            if configuration.tlsAvailable && !isTLS { lines.append("STLS") }
        }
        lines.append("IMPLEMENTATION Roost")
        return .multiline("Capability list follows", lines: lines)
    }

    private mutating func saslStep(_ step: SASLStep, mechanism: SASLMechanismName) -> Action {
        switch step {
        case .challenge(let challenge):
            return .send(.continuation(challenge))
        case .needsVerification(let credentials):
            state = .authenticating
            return .authenticate(.sasl(mechanism, credentials))
        case .failure(let failure):
            state = .authorization(user: nil)
            if failure == .cancelled { return .send(.error(nil, "Authentication cancelled")) }
            return loginFailedReply(.error(.auth, Self.text(for: failure)))
        }
    }

    private static func text(for failure: SASLFailure) -> String {
        switch failure {
        case .malformed: "Invalid authentication data"
        case .tooLong: "Authentication data too long"
        case .authzidNotAllowed: "Authorization identity not allowed"
        case .unexpectedInitialResponse: "CRAM-MD5 takes no initial response"
        case .cancelled, .unexpectedResponse: "Authentication failed"
        }
    }

    private mutating func loginFailedReply(_ response: POP3Response) -> Action {
        authFailures += 1
        guard authFailures < configuration.maxAuthFailures else {
            state = .closed
            return .sendAndClose(response)
        }
        return .send(response)
    }

    private mutating func plaintextRefused() -> Action {
        state = .authorization(user: nil)
        return loginFailedReply(.error(.auth, "Plaintext authentication is not allowed without TLS; use STLS first"))
    }

    private mutating func noSuchMessage(_ number: POP3MessageNumber) -> Action {
        .send(.error(nil, "No message \(number)"))
    }

    private mutating func badCommand(_ text: String) -> Action {
        badCommands += 1
        guard badCommands < configuration.maxBadCommands else {
            state = .closed
            return .sendAndClose(.error(nil, "\(text); too many bad commands, closing"))
        }
        return .send(.error(nil, text))
    }
}
