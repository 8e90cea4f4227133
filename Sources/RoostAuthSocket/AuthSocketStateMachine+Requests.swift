import NIOCore
import RoostAuth

extension AuthSocketStateMachine {
    /// The reason sent when the in-flight limit is reached and no request can make room.
    static let busyReason = "Too many authentication requests in progress"

    /// AUTH, in state `.ready` (spec "Authentication Request"; Dovecot's `auth_request_handler_auth_begin`).
    mutating func begin(_ request: AuthSocketAuthRequest, clientVersion: AuthSocketVersion, now: NIODeadline) -> Action {
        guard let mechanism = SASLMechanismName(name: request.mechanism), mechanisms.contains(mechanism) else {
            return close(.unsupportedMechanism(AuthSocketParseError.echo(request.mechanism.utf8)))
        }
        guard !isInFlight(request.id) else { return close(.duplicateRequestID(request.id)) }
        guard makeRoom() else {
            return .send(.fail(request.id, AuthSocketFailure(code: .temporaryFailure, reason: Self.busyReason)))
        }
        var initialResponse = request.initialResponse
        if initialResponse == "", clientVersion.minor < AuthSocketVersion.firstMinorWithEmptyInitialResponse {
            initialResponse = nil
        }
        if mechanism == .cramMD5 {
            initialResponse = nil
        }
        if let initialResponse, !AuthSocketBase64.isWellFormed(initialResponse) {
            return .send(.fail(request.id, AuthSocketFailure(
                code: .invalidBase64, reason: "Invalid base64 data in initial response"
            )))
        }
        var exchange = SASLServerExchange(mechanism: mechanism, initialResponse: initialResponse, configuration: saslConfiguration)
        let step = exchange.start()
        let serial = nextSerial
        nextSerial &+= 1
        let entry = Request(serial: serial, exchange: exchange, info: request.info, phase: .awaitingResponse, startedAt: now)
        return handle(step, id: request.id, request: entry)
    }

    /// CONT, in state `.ready` (Dovecot's `auth_request_handler_auth_continue`).
    mutating func proceed(_ id: AuthSocketRequestID, data: String) -> Action {
        guard var request = requests[id] else {
            return .send(.fail(id, AuthSocketFailure(reason: "Authentication request timed out")))
        }
        guard request.phase == .awaitingResponse else {
            requests[id] = nil
            return .send(.fail(id, AuthSocketFailure(reason: "Unexpected continuation")))
        }
        guard AuthSocketBase64.isWellFormed(data) else {
            requests[id] = nil
            return .send(.fail(id, AuthSocketFailure(code: .invalidBase64, reason: "Invalid base64 data in continued response")))
        }
        let step = request.exchange.receive(data)
        return handle(step, id: id, request: request)
    }

    /// Stores or drops the request according to the exchange's step, and says what to do.
    private mutating func handle(_ step: SASLStep, id: AuthSocketRequestID, request: Request) -> Action {
        var request = request
        switch step {
        case .challenge(let challenge):
            request.phase = .awaitingResponse
            requests[id] = request
            return .send(.continue(id, challenge))
        case .needsVerification(let credentials):
            request.phase = .verifying
            requests[id] = request
            return .verify(AuthSocketVerification(
                id: id, serial: request.serial, mechanism: request.exchange.mechanism, credentials: credentials,
                info: request.info
            ))
        case .failure(let failure):
            requests[id] = nil
            return .send(.fail(id, AuthSocketFailure(reason: Self.reason(for: failure))))
        }
    }

    /// Makes room for one more request: true when there is room now. At the limit, the request that
    /// has waited longest for a CONT is dropped (see `AuthSocketConfiguration.maxInFlightRequests`).
    private mutating func makeRoom() -> Bool {
        guard requests.count >= configuration.maxInFlightRequests else { return true }
        let oldest = requests.filter { $0.value.phase == .awaitingResponse }.min { $0.value.serial < $1.value.serial }
        guard let oldest, requests.count - 1 < configuration.maxInFlightRequests else { return false }
        requests[oldest.key] = nil
        return true
    }

    /// The `reason=` for an exchange that ended without credentials. These are the client's (or its
    /// user's) mistakes in the mechanism's syntax, not password guesses, so they are answered at once
    /// and do not count for the penalty, as in POP3 and IMAP.
    static func reason(for failure: SASLFailure) -> String {
        switch failure {
        case .malformed: "Invalid authentication data"
        case .tooLong: "Authentication data too long"
        case .authzidNotAllowed: "Authorization identity not allowed"
        case .unexpectedInitialResponse: "Unexpected initial response"
        case .cancelled: "Authentication cancelled"
        case .unexpectedResponse: "Unexpected continuation"
        }
    }

    mutating func close(_ reason: AuthSocketCloseReason) -> Action {
        state = .closed
        requests.removeAll()
        return .closeConnection(reason)
    }
}
