import Logging
import NIOCore
import RoostIMAPGrammar
import RoostProtocolSupport
import RoostStorage

/// The NIO side of an IMAP connection: cuts the byte stream into commands with
/// `IMAPCommandFramer`, runs them one at a time on an `IMAPSession`, and handles what lies between
/// commands: literal continuation requests, STARTTLS, SASL response lines, IDLE, autologout and
/// shutdown.
///
/// Pipeline: `[TLS] → IdleStateHandler → IMAPServerHandler`.
///
/// Ordering and back-pressure: commands run strictly one after another. The framer is asked for the
/// next command only when none is running, and `read()` is held back while one runs, so a
/// pipelining client cannot queue more than one socket read. Responses are written by the running
/// command, which waits for each chunk to be written before producing more.
public final class IMAPServerHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = Never
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// How the next complete line is read.
    private enum Mode {
        case command
        /// A SASL response line for AUTHENTICATE.
        case saslResponse
        /// DONE ends IDLE.
        case idle
    }

    private let services: IMAPServices
    private let session: IMAPSession
    private let tlsUpgrade: TLSUpgrade?
    private var framer: IMAPCommandFramer
    private var mode = Mode.command
    private var writer: IMAPResponseWriter?
    /// Runs the session's command tasks on this channel's event loop (see `EventLoopTaskExecutor`).
    private var loopExecutor: EventLoopTaskExecutor?
    private var busy = true
    private var started = false
    private var closing = false
    private var readHeld = false
    private var shutdownRequested = false
    private var released = false
    private var watch: MaildirWatch?
    private var keepalive: RepeatedTask?
    private var idleChangePending = false

    /// - Parameter tlsUpgrade: how to start TLS for STARTTLS; nil when the connection already uses
    ///   TLS or no certificate is configured.
    public init(services: IMAPServices, connection: ConnectionInfo, tlsUpgrade: TLSUpgrade?) {
        self.services = services
        self.session = IMAPSession(services: services, connection: connection)
        self.tlsUpgrade = tlsUpgrade
        framer = IMAPCommandFramer(limits: services.configuration.limitsBeforeLogin)
    }

    // MARK: Channel events

    public func handlerAdded(context: ChannelHandlerContext) {
        writer = IMAPResponseWriter(channel: context.channel, chunkSize: services.configuration.writeChunkSize)
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        framer.append(unwrapInboundIn(data))
        processPending(context: context)
    }

    public func read(context: ChannelHandlerContext) {
        // Nothing is read while a command runs or the client is not reading its responses, so
        // neither queued input nor queued output can grow.
        if busy || closing || !context.channel.isWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent {
            switch idle {
            case .write:
                // Output has waited that long for a client that does not read it: cut it off, or
                // the connection and its login slot would be held for ever.
                guard busy || !context.channel.isWritable else { return }
                session.setLogoutReason("output stalled")
                closeNow(context: context)
            case .read, .all:
                // RFC 3501 section 5.4: the autologout timer is at least 30 minutes.
                guard !busy else { return }
                session.setLogoutReason("autologout")
                sayByeAndClose("Autologout; idle for too long", context: context)
            }
        } else if event is ServerShutdownEvent {
            shutdownRequested = true
            session.setLogoutReason("shutdown")
            if !busy { sayByeAndClose("Server shutting down", context: context) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        closing = true
        stopWatching()
        // A running command's completion releases the session.
        if !busy { releaseSession() }
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        services.logger.debug("connection error", metadata: ["error": "\(error)"])
        // After LOGOUT or a BYE the reason is set already and stays (`setLogoutReason`).
        session.setLogoutReason("connection error")
        closeNow(context: context)
    }

    // MARK: Commands

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let session = self.session
        run(context: context) { writer in
            try await writer.write(await session.greeting())
            return .done
        }
    }

    /// Takes complete commands from the framer while nothing runs.
    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { processPending(context: context) }
        context.fireChannelWritabilityChanged()
    }

    private func processPending(context: ChannelHandlerContext) {
        // The next command waits until the client has taken the responses so far.
        while !busy, !closing, context.channel.isWritable {
            if shutdownRequested {
                sayByeAndClose("Server shutting down", context: context)
                return
            }
            guard let output = framer.next() else { break }
            switch output {
            case .continuationRequest:
                var buffer = context.channel.allocator.buffer(capacity: 32)
                buffer.writeResponse(.continuation("Ready for literal data"))
                context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            case .error(let error):
                handle(error, context: context)
            case .command(let frame):
                handle(frame, context: context)
            }
        }
        if !busy, !closing, readHeld, context.channel.isWritable {
            readHeld = false
            context.read()
        }
    }

    private func handle(_ error: IMAPFramingError, context: ChannelHandlerContext) {
        let session = self.session
        switch mode {
        case .saslResponse:
            run(context: context) { writer in try await session.abortAuthentication(writer: writer) }
        case .idle:
            stopWatching()
            run(context: context) { writer in try await session.endIdle(done: false, writer: writer) }
        case .command:
            if case .literalTooLarge = error.kind {
                run(context: context) { writer in
                    let status = StatusResponse.no(error.message, code: .limit)
                    try await writer.write(error.tag.map { .tagged($0, status) } ?? .untagged(.condition(status)))
                    return .done
                }
            } else {
                run(context: context) { writer in
                    try await session.refuse(tag: error.tag, text: error.message, writer: writer)
                }
            }
        }
    }

    private func handle(_ frame: IMAPCommandFrame, context: ChannelHandlerContext) {
        let session = self.session
        switch mode {
        case .saslResponse:
            let line = String(decoding: frame.pieces.map { Array($0.line.readableBytesView) }.joined(), as: UTF8.self)
            run(context: context) { writer in try await session.continueAuthentication(line: line, writer: writer) }
        case .idle:
            stopWatching()
            let done = IMAPCommandParser.isIdleDone(frame)
            run(context: context) { writer in try await session.endIdle(done: done, writer: writer) }
        case .command:
            switch IMAPCommandParser.parse(frame, limits: services.configuration.limits) {
            case .success(let command):
                run(context: context) { writer in try await session.execute(command, writer: writer) }
            case .failure(let error):
                let tag = error.tag ?? frame.tag
                run(context: context) { writer in
                    try await session.refuse(tag: tag, text: error.message, writer: writer)
                }
            }
        }
    }

    /// Runs session work as a task and continues on the event loop with its outcome.
    private func run(
        context: ChannelHandlerContext, _ body: @escaping @Sendable (IMAPResponseWriter) async throws -> IMAPSession.Outcome
    ) {
        guard let writer else { return }
        busy = true
        let executor = EventLoopTaskExecutor.on(context.eventLoop, reusing: &loopExecutor)
        let promise = context.eventLoop.makePromise(of: IMAPSession.Outcome.self)
        Task(executorPreference: executor) {
            do {
                let outcome = try await body(writer)
                writer.send()
                promise.succeed(outcome)
            } catch {
                promise.fail(error)
            }
        }
        promise.futureResult.assumeIsolated().whenComplete { result in
            self.busy = false
            guard !self.closing else {
                self.releaseSession()
                return
            }
            switch result {
            case .success(let outcome):
                self.perform(outcome, context: context)
            case .failure(let error):
                if !(error is IMAPSessionAbort) && !(error is ChannelError) {
                    self.services.logger.debug("session ended by error", metadata: ["error": "\(error)"])
                }
                self.session.setLogoutReason("connection error")
                self.closeNow(context: context)
            }
        }
    }

    private func perform(_ outcome: IMAPSession.Outcome, context: ChannelHandlerContext) {
        if session.state != .notAuthenticated, framer.limits != services.configuration.limits {
            // Logged in: literals up to the configured size (APPEND) from now on.
            framer.limits = services.configuration.limits
        }
        switch outcome {
        case .done:
            mode = .command
        case .awaitingSASLResponse:
            mode = .saslResponse
        case .idling:
            let entering = mode != .idle
            mode = .idle
            // The watcher reports only changes after it started: look once more now.
            if startWatching(context: context) { idleChangePending = true }
            if entering {
                // `+ idling` once the watch and the keep-alive timer run (RFC 2177: from now on
                // the client may wait for news and send DONE).
                var buffer = context.channel.allocator.buffer(capacity: 16)
                buffer.writeResponse(.continuation("idling"))
                context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            }
            if idleChangePending {
                idleChangePending = false
                idleChanged(context: context)
                return
            }
        case .startTLS(let response):
            mode = .command
            startTLS(response, context: context)
        case .close:
            closeAfterFlush(context: context)
            return
        }
        processPending(context: context)
    }

    // MARK: STARTTLS

    /// RFC 3501 section 6.2.1 and RFC 2595 section 3.1: the OK goes out in plaintext, TLS starts at
    /// once, and whatever the client sent after STARTTLS (still in the framer) is thrown away.
    private func startTLS(_ response: Response, context: ChannelHandlerContext) {
        guard let tlsUpgrade else { return closeNow(context: context) }
        framer = IMAPCommandFramer(limits: services.configuration.limitsBeforeLogin)
        var buffer = context.channel.allocator.buffer(capacity: 64)
        buffer.writeResponse(response)
        do {
            try tlsUpgrade.start(context, buffer)
            session.tlsStarted()
        } catch {
            services.logger.warning("cannot start TLS", metadata: ["error": "\(error)"])
            closeNow(context: context)
        }
    }

    // MARK: IDLE

    /// Starts the watch and keep-alive timer unless running; true when the watch is new.
    private func startWatching(context: ChannelHandlerContext) -> Bool {
        var started = false
        if watch == nil, let path = session.idleFolderPath {
            started = true
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            watch = services.watcher.watch(folderPath: path) {
                eventLoop.execute { bound.value.0.idleChanged(context: bound.value.1) }
            }
        }
        if keepalive == nil {
            let interval = TimeAmount(services.configuration.idleKeepalive)
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            keepalive = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                bound.value.0.sendKeepalive(context: bound.value.1)
            }
        }
        return started
    }

    private func stopWatching() {
        watch?.cancel()
        watch = nil
        keepalive?.cancel()
        keepalive = nil
        idleChangePending = false
    }

    private func idleChanged(context: ChannelHandlerContext) {
        guard mode == .idle, !closing else { return }
        guard !busy else {
            idleChangePending = true
            return
        }
        let session = self.session
        run(context: context) { writer in
            try await session.idleChanged(writer: writer)
            return .idling
        }
    }

    private func sendKeepalive(context: ChannelHandlerContext) {
        guard mode == .idle, !busy, !closing else { return }
        let session = self.session
        run(context: context) { writer in
            try await session.idleKeepalive(writer: writer)
            return .idling
        }
    }

    // MARK: Closing

    private func sayByeAndClose(_ text: String, context: ChannelHandlerContext) {
        guard !closing else { return }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        buffer.writeResponse(.untagged(.bye(ResponseText(text))))
        closing = true
        stopWatching()
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func closeAfterFlush(context: ChannelHandlerContext) {
        closing = true
        stopWatching()
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func closeNow(context: ChannelHandlerContext) {
        closing = true
        stopWatching()
        context.close(promise: nil)
    }

    private func releaseSession() {
        guard !released else { return }
        released = true
        session.release()
    }
}

