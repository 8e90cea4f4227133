import NIOCore
import RoostAuth

/// The handshake and the authentication requests of one auth-client connection, as a pure value:
/// client lines in, actions out. Time is passed in (`now`), never read.
///
/// Handshake (Dovecot 2.3, auth-client-connection.c): the server's lines (`handshake()`) go out at
/// connect without waiting. The client's first line must be VERSION with major 1, the next CPID; then
/// AUTH, CONT and CANCEL. Anything else, and any line that does not parse, closes the connection
/// (`AuthSocketCloseReason`): the protocol has no error reply.
///
/// Requests (auth-request-handler.c): many may be in flight, keyed by the client's id. Each holds a
/// `SASLServerExchange`; AUTH's `resp=` is its initial response and each CONT one more response. When an
/// exchange produces credentials the machine returns `.verify`; the handler checks them and calls
/// `verificationFinished`, which gives the OK or FAIL line. The request leaves the table when its final
/// reply is decided, so its id may be reused from then on.
///
/// Dovecot's answers, kept here:
/// - AUTH for an unannounced mechanism, or with an id in flight: disconnect.
/// - `resp=` or CONT data that is not base64: `FAIL <id> code=invalid_base64 reason=…`.
/// - CONT for an unknown id: `FAIL <id> reason=Authentication request timed out`; CONT while the
///   request is being verified: `FAIL <id> reason=Unexpected continuation`, and the request is gone.
/// - CANCEL: the request is forgotten without a reply.
/// - An empty `resp=` from a client below protocol 1.2 (Exim says 1.0) means no initial response.
/// - CRAM-MD5 ignores an initial response and sends its challenge.
public struct AuthSocketStateMachine {
    public enum State: Hashable, Sendable {
        /// The server handshake is out; the client's VERSION must come first.
        case awaitingVersion
        /// VERSION received; CPID must follow.
        case awaitingProcessID(clientVersion: AuthSocketVersion)
        /// The handshake is complete.
        case ready(clientVersion: AuthSocketVersion, clientProcessID: AuthSocketProcessID)
        /// The connection is being closed; input is ignored.
        case closed
    }

    public enum Action: Hashable, Sendable {
        /// Write this line.
        case send(AuthSocketServerLine)
        /// Check these credentials (`SASLAuthenticator.verify`, with `info.remoteIP` as the remote
        /// address), then call `verificationFinished`. Other lines may be fed meanwhile.
        case verify(AuthSocketVerification)
        /// Log the reason and close the connection without a reply.
        case closeConnection(AuthSocketCloseReason)
    }

    struct Request {
        enum Phase: Equatable {
            case awaitingResponse
            case verifying
        }

        var serial: UInt64
        var exchange: SASLServerExchange
        var info: AuthSocketRequestInfo
        var phase: Phase
        var startedAt: NIODeadline
    }

    public let configuration: AuthSocketConfiguration
    /// The mechanisms announced, in order; AUTH may name only these.
    public let mechanisms: [SASLMechanismName]
    public let serverProcessID: AuthSocketProcessID
    public let connectionID: AuthSocketConnectionID
    public let cookie: AuthSocketCookie
    public internal(set) var state: State = .awaitingVersion

    let saslConfiguration: SASLConfiguration
    var requests: [AuthSocketRequestID: Request] = [:]
    var nextSerial: UInt64 = 1

    public init(
        configuration: AuthSocketConfiguration, mechanisms: [SASLMechanismName], saslConfiguration: SASLConfiguration,
        serverProcessID: AuthSocketProcessID, connectionID: AuthSocketConnectionID, cookie: AuthSocketCookie
    ) {
        self.configuration = configuration
        self.mechanisms = mechanisms
        self.saslConfiguration = saslConfiguration
        self.serverProcessID = serverProcessID
        self.connectionID = connectionID
        self.cookie = cookie
    }

    /// The server's handshake, sent at connect: VERSION, one MECH per mechanism, SPID, CUID, COOKIE,
    /// DONE (Dovecot 2.3's order).
    public func handshake() -> [AuthSocketServerLine] {
        [.version(.server)] + mechanisms.map { .mechanism(AuthSocketMechanism($0)) }
            + [.processID(serverProcessID), .connectionID(connectionID), .cookie(cookie), .done]
    }

    /// Requests waiting for a CONT or being verified.
    public var inFlightCount: Int { requests.count }

    /// True while `id` is in flight.
    public func isInFlight(_ id: AuthSocketRequestID) -> Bool { requests[id] != nil }

    // MARK: Input

    /// One client line, without its LF.
    public mutating func receive(line: ByteBuffer, now: NIODeadline) -> Action? {
        receive(AuthSocketClientCommandParser.parse(line), now: now)
    }

    /// One parsed client line (or why it did not parse).
    public mutating func receive(_ parsed: Result<AuthSocketClientCommand, AuthSocketParseError>, now: NIODeadline) -> Action? {
        if state == .closed { return nil }
        let command: AuthSocketClientCommand
        switch parsed {
        case .success(let parsedCommand): command = parsedCommand
        case .failure(let error): return close(.malformedLine(error))
        }
        switch (state, command) {
        case (.awaitingVersion, .version(let version)):
            guard version.major == AuthSocketVersion.server.major else { return close(.versionMismatch(version)) }
            state = .awaitingProcessID(clientVersion: version)
            return nil
        case (.awaitingVersion, _):
            return close(.versionExpected(command: command.name))
        case (.awaitingProcessID(let version), .processID(let pid)):
            state = .ready(clientVersion: version, clientProcessID: pid)
            return nil
        case (.awaitingProcessID, _):
            return close(.processIDExpected(command: command.name))
        case (.ready(let version, _), .auth(let request)):
            return begin(request, clientVersion: version, now: now)
        case (.ready, .continue(let id, let data)):
            return proceed(id, data: data)
        case (.ready, .cancel(let id)):
            requests[id] = nil
            return nil
        case (.ready, .version), (.ready, .processID):
            return close(.unexpectedCommand(command.name))
        case (.closed, _):
            return nil
        }
    }

    /// The framer dropped a line longer than the limit: Dovecot disconnects such a client.
    public mutating func lineTooLong() -> Action? {
        if state == .closed { return nil }
        return close(.lineTooLong)
    }

    // MARK: Completions

    /// The result of a `.verify`; the line to send, or nil when the request is gone (cancelled, failed
    /// by an unexpected CONT, or the connection is closing) and nothing must be sent.
    ///
    /// Success is `OK <id> user=<canonical name>`. A wrong password, an unknown user, a disabled account,
    /// `allow_nets` and unusable stored passwords all give `FAIL <id> user=<name as sent>`, which is what
    /// Dovecot 2.3 sends for a wrong password: the client must not learn which it was. A passdb that
    /// could not answer gives `code=temp_fail`.
    public mutating func verificationFinished(_ verification: AuthSocketVerification, result: AuthResult) -> AuthSocketServerLine? {
        guard case .ready = state, let request = requests[verification.id], request.serial == verification.serial,
              request.phase == .verifying
        else { return nil }
        requests[verification.id] = nil
        switch result {
        case .success(let user):
            return .ok(verification.id, user: user, parameters: [])
        case .failure(.temporary):
            return .fail(verification.id, AuthSocketFailure(user: verification.credentials.user, code: .temporaryFailure))
        case .failure:
            return .fail(verification.id, AuthSocketFailure(user: verification.credentials.user))
        }
    }

    // MARK: Timeouts

    /// When the next request waiting for a CONT times out, nil when none waits.
    public var nextTimeout: NIODeadline? {
        let timeout = TimeAmount(configuration.requestTimeout)
        return requests.values.filter { $0.phase == .awaitingResponse }.map { $0.startedAt + timeout }.min()
    }

    /// Drops the requests that have waited `requestTimeout` or longer for a CONT, without a reply
    /// (Dovecot's `auth_request_timeout`); returns their ids in order.
    public mutating func expireRequests(now: NIODeadline) -> [AuthSocketRequestID] {
        let timeout = TimeAmount(configuration.requestTimeout)
        let expired = requests.filter { $0.value.phase == .awaitingResponse && $0.value.startedAt + timeout <= now }
            .map(\.key).sorted()
        for id in expired { requests[id] = nil }
        return expired
    }
}
