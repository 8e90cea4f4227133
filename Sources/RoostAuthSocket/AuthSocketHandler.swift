import Logging
import NIOCore
import RoostAuth
import RoostProtocolSupport

/// The NIO side of one auth-client connection: feeds lines to `AuthSocketStateMachine` and carries out
/// its actions (lines out, password checks, disconnects), with the penalty delays and the request timer.
///
/// Pipeline: `LineFramingHandler(maxLineLength: configuration.maxLineLength) → AuthSocketHandler`, on
/// the UNIX socket the server module listens on.
///
/// Concurrency: unlike a POP3 session, lines are not held back while a password is checked. Postfix
/// keeps one connection per smtpd process and Dovecot answers its requests independently, so every
/// line is handled as it arrives, every check runs as its own task, and each reply goes out when it
/// is ready. A failure reply waits for its penalty delay on a timer of the event loop, so a guesser's
/// delayed FAIL never holds back another client's OK on the same connection.
///
/// Failures (one place, `verified`): every failed check writes one `AuthFailureLog` line (the
/// mechanism as method, `rip` as address). A wrong password, unknown user or refused account is
/// answered after `AuthPenalty.recordFailure(from: rip)`; a temporary failure at once, as in POP3. A
/// request without `rip=` (a local tool) or with `no-penalty` is not counted per address, but its
/// failure still waits the base delay, as Dovecot's `auth_failure_delay` applies to every failure. A
/// success forgets the address's penalty.
///
/// Back-pressure: reads are held back while the handshake is being prepared and while the channel is
/// not writable (a client that does not read its replies), as Dovecot stops reading when its output
/// buffer fills. In-flight requests are bounded by the state machine.
public final class AuthSocketHandler: ChannelDuplexHandler {
    public typealias InboundIn = LineFrame
    public typealias InboundOut = Never
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let services: AuthSocketServices
    private let connection: ConnectionInfo
    private var logger: Logger

    private var machine: AuthSocketStateMachine?
    /// Lines that arrived before the handshake was ready.
    private var pending = CircularBuffer<LineFrame>()
    private var started = false
    private var closing = false
    private var readHeld = false
    /// FAIL replies waiting for their penalty delay, by a token of their own.
    /// FAIL replies waiting for their penalty delay, by request id: the request itself is gone
    /// from the state machine, so a CANCEL or a new AUTH with the same id is matched here.
    private var delayedReplies: [AuthSocketRequestID: (line: AuthSocketServerLine, task: Scheduled<Void>)] = [:]
    /// The timer for the next request that may time out waiting for a CONT.
    private var timeoutTask: Scheduled<Void>?
    private var timeoutDeadline: NIODeadline?

    /// - Parameter connection: the accepted connection; on a UNIX socket only `id` matters (for logs).
    public init(services: AuthSocketServices, connection: ConnectionInfo) {
        self.services = services
        self.connection = connection
        var logger = services.logger
        logger[metadataKey: "session"] = "\(connection.id)"
        self.logger = logger
    }

    // MARK: Channel events

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard !closing else { return }
        guard machine != nil else {
            pending.append(frame)
            return
        }
        handle(frame, context: context)
    }

    public func read(context: ChannelHandlerContext) {
        if machine == nil || closing || !context.channel.isWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReadingIfHeld(context: context)
        context.fireChannelWritabilityChanged()
    }

    /// On graceful shutdown the connection closes at once: a client such as Postfix keeps an idle
    /// connection open indefinitely and reconnects when it needs one; requests in flight are
    /// answered by the client as temporary failures.
    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ServerShutdownEvent {
            closeNow(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        closing = true
        pending.removeAll()
        cancelTimers()
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("auth client connection error", metadata: ["error": "\(error)"])
        closeNow(context: context)
    }

    // MARK: Driving the state machine

    /// Works out the mechanisms (CRAM-MD5 depends on the passdb), then sends the whole handshake at
    /// once and handles whatever the client already sent.
    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let services = self.services
        context.eventLoop.makeFutureWithTask {
            // PLAIN and LOGIN whatever the connection: the socket is local, and the TLS rule is the
            // SMTP server's to apply.
            await services.login.servableMechanisms()
        }.assumeIsolated().whenSuccess { mechanisms in
            guard !self.closing, context.channel.isActive else { return }
            let machine = AuthSocketStateMachine(
                configuration: services.configuration, mechanisms: mechanisms,
                saslConfiguration: services.login.authenticator.authenticator.configuration.sasl,
                serverProcessID: services.serverProcessID, connectionID: services.connectionIDs.next(),
                cookie: services.makeCookie()
            )
            self.machine = machine
            self.logger[metadataKey: "cuid"] = "\(machine.connectionID)"
            self.send(machine.handshake(), context: context)
            while !self.closing, let frame = self.pending.popFirst() {
                self.handle(frame, context: context)
            }
            self.resumeReadingIfHeld(context: context)
        }
    }

    private func handle(_ frame: LineFrame, context: ChannelHandlerContext) {
        guard machine != nil else { return }
        let action: AuthSocketStateMachine.Action?
        switch frame {
        case .line(let line):
            let parsed = AuthSocketClientCommandParser.parse(line)
            settleDelayedReply(for: parsed, context: context)
            action = machine!.receive(parsed, now: context.eventLoop.now)
        case .tooLong:
            action = machine!.lineTooLong()
        }
        if let action { perform(action, context: context) }
        rescheduleTimeout(context: context)
    }

    private func perform(_ action: AuthSocketStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .send(let line):
            send([line], context: context)
        case .verify(let verification):
            verify(verification, context: context)
        case .closeConnection(let reason):
            let limit: Logger.Metadata = reason == .lineTooLong ? ["max_line_length": "\(services.configuration.maxLineLength)"] : [:]
            logger.error("\(reason.message)", metadata: limit)
            closeNow(context: context)
        }
    }

    // MARK: Verification

    private func verify(_ verification: AuthSocketVerification, context: ChannelHandlerContext) {
        let authenticator = services.login.authenticator
        let acceptsUser = services.acceptsUser
        context.eventLoop.makeFutureWithTask {
            let result = await authenticator.verify(verification.credentials, remoteAddress: verification.info.remoteIP)
            guard case .success(let user) = result else { return result }
            do {
                return try await acceptsUser(user) ? result : .failure(.unknownUser)
            } catch {
                return .failure(.temporary("userdb lookup failed"))
            }
        }.assumeIsolated().whenSuccess { result in
            self.verified(verification, result: result, context: context)
        }
    }

    /// Where a checked request's outcome is logged, counted and answered.
    private func verified(_ verification: AuthSocketVerification, result: AuthResult, context: ChannelHandlerContext) {
        let reply = machine?.verificationFinished(verification, result: result)
        let info = verification.info
        let penaltyAddress = info.noPenalty ? nil : info.remoteIP
        switch result {
        case .success(let user):
            if let penaltyAddress { services.login.penalty.recordSuccess(from: penaltyAddress) }
            logger.debug("auth client login", metadata: [
                "user": "\(user)", "method": "\(verification.mechanism)", "service": "\(info.service)",
                "remote_ip": "\(info.remoteIP ?? "-")", "secured": "\(info.secured)", "client_session": "\(info.session ?? "-")",
            ])
            if let reply { send([reply], context: context) }
        case .failure(let reason):
            services.login.failureLog.record(
                user: verification.credentials.user, mechanism: verification.mechanism, remoteAddress: info.remoteIP, reason: reason
            )
            if case .temporary = reason {
                if let reply { send([reply], context: context) }
                return
            }
            let delay = penaltyAddress.map { services.login.penalty.recordFailure(from: $0) } ?? services.login.penalty.configuration.baseDelay
            if let reply { send(reply, for: verification.id, after: min(delay, Self.maxFailureDelay), context: context) }
        }
    }

    // MARK: Output and timers

    private func send(_ lines: [AuthSocketServerLine], context: ChannelHandlerContext) {
        guard context.channel.isActive, !closing, !lines.isEmpty else { return }
        var buffer = context.channel.allocator.buffer(capacity: 64 * lines.count)
        for line in lines {
            line.encode(into: &buffer)
        }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    /// The longest a FAIL waits. Postfix gives the auth server about 10 s before it answers its
    /// client `454 ... Connection lost to authentication server`, which a guesser could tell from
    /// a real `535`; the penalty keeps counting beyond this, the reply just does not wait longer.
    static let maxFailureDelay: Duration = .seconds(5)

    /// Sends request `id`'s `line` after `delay` without holding back anything else.
    private func send(_ line: AuthSocketServerLine, for id: AuthSocketRequestID, after delay: Duration, context: ChannelHandlerContext) {
        guard delay > .zero, !closing else { return send([line], context: context) }
        let task = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            self.delayedReplies[id] = nil
            self.send([line], context: context)
        }
        delayedReplies[id] = (line, task)
    }

    /// A CANCEL withdraws a FAIL still waiting for its delay; an AUTH reusing the id gets the old
    /// FAIL sent first, so no reply can be taken for the new request's.
    private func settleDelayedReply(for parsed: Result<AuthSocketClientCommand, AuthSocketParseError>, context: ChannelHandlerContext) {
        guard case .success(let command) = parsed else { return }
        switch command {
        case .cancel(let id):
            delayedReplies.removeValue(forKey: id)?.task.cancel()
        case .auth(let request):
            if let pending = delayedReplies.removeValue(forKey: request.id) {
                pending.task.cancel()
                send([pending.line], context: context)
            }
        default:
            break
        }
    }

    /// Keeps one timer armed for the earliest request that may time out.
    private func rescheduleTimeout(context: ChannelHandlerContext) {
        guard !closing, let next = machine?.nextTimeout else {
            timeoutTask?.cancel()
            timeoutTask = nil
            timeoutDeadline = nil
            return
        }
        if timeoutTask != nil, let timeoutDeadline, timeoutDeadline <= next { return }
        timeoutTask?.cancel()
        timeoutDeadline = next
        timeoutTask = context.eventLoop.assumeIsolated().scheduleTask(deadline: next) {
            self.timeoutTask = nil
            self.timeoutDeadline = nil
            self.expireRequests(context: context)
        }
    }

    private func expireRequests(context: ChannelHandlerContext) {
        guard let expired = machine?.expireRequests(now: context.eventLoop.now) else { return }
        for id in expired {
            logger.debug("auth request timed out waiting for the client to continue", metadata: ["request": "\(id)"])
        }
        rescheduleTimeout(context: context)
    }

    private func resumeReadingIfHeld(context: ChannelHandlerContext) {
        guard readHeld, machine != nil, !closing, context.channel.isWritable else { return }
        readHeld = false
        context.read()
    }

    private func closeNow(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        pending.removeAll()
        cancelTimers()
        context.close(promise: nil)
    }

    private func cancelTimers() {
        timeoutTask?.cancel()
        timeoutTask = nil
        timeoutDeadline = nil
        for pending in delayedReplies.values {
            pending.task.cancel()
        }
        delayedReplies.removeAll()
    }
}
