import Logging
import NIOCore
import RoostAuth
import RoostProtocolSupport
import RoostStorage
#if canImport(Glibc)
import Glibc
#endif

/// The NIO side of a POP3 session: feeds lines to `POP3SessionStateMachine` and carries out its
/// actions (replies, STLS, password checks, streaming messages, the commit at QUIT).
///
/// Pipeline: `[TLS] → LineFramingHandler → IdleStateHandler → POP3ServerHandler`.
///
/// Ordering and back-pressure: lines are handled strictly one after another. While an action is in
/// progress (a password check, a RETR being streamed, QUIT's commit) further lines wait in a
/// queue and the handler holds back `read()`, so a pipelining client cannot make the queue grow
/// beyond what one socket read delivers. A message is read from disk one chunk at a time and the
/// next chunk is read only when the previous write has completed, so a slow client costs one chunk
/// of memory, not the message.
public final class POP3ServerHandler: ChannelDuplexHandler {
    public typealias InboundIn = LineFrame
    public typealias InboundOut = Never
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let services: POP3Services
    private let connection: ConnectionInfo
    private let tlsUpgrade: TLSUpgrade?
    private var logger: Logger

    private var machine: POP3SessionStateMachine?
    private var pending = CircularBuffer<LineFrame>()
    /// True while greeting is being prepared or an asynchronous action runs.
    private var busy = true
    private var started = false
    private var closing = false
    private var readHeld = false
    private var shutdownRequested = false
    private var loginToken: ConnectionLimiter.Token?
    private var heldLock: String?
    private var loggedInUser: String?
    /// The file identity of the logged-in user's mail (system users), nil for the server's own.
    private var mailIdentity: MailIdentity?
    private var statistics = POP3SessionStatistics()
    /// Runs storage tasks on this channel's event loop (`onStorage`); made on first use.
    private var loopExecutor: EventLoopTaskExecutor?
    /// The messages after the last RETR, being read ahead (see `retrieve`), and the batch after
    /// those, read while the client takes them.
    private var readAhead: ReadAhead?
    private var nextReadAhead: ReadAhead?

    /// - Parameter tlsUpgrade: how to start TLS for STLS; nil when the connection already uses
    ///   TLS or no certificate is configured.
    public init(services: POP3Services, connection: ConnectionInfo, tlsUpgrade: TLSUpgrade?) {
        self.services = services
        self.connection = connection
        self.tlsUpgrade = tlsUpgrade
        var logger = services.logger
        logger[metadataKey: "session"] = "\(connection.id)"
        logger[metadataKey: "remote_ip"] = "\(connection.remoteAddress ?? "-")"
        self.logger = logger
    }

    // MARK: Channel events

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard !closing else { return }
        pending.append(frame)
        processPending(context: context)
    }

    public func read(context: ChannelHandlerContext) {
        if busy || !pending.isEmpty || closing {
            readHeld = true
        } else {
            context.read()
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            // RFC 1939 section 3: on autologout the server closes the connection without a
            // response and without entering UPDATE.
            logoutReason = "autologout"
            closeNow(context: context)
        } else if event is ServerShutdownEvent {
            shutdownRequested = true
            logoutReason = "shutdown"
            if !busy { closeForShutdown(context: context) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        closing = true
        // While an action runs (a login being opened, QUIT's commit) its completion releases the
        // session, so the lock is not free while the maildrop is still being changed.
        if !busy { releaseSession() }
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        logoutReason = "connection error"
        closeNow(context: context)
    }

    // MARK: Driving the state machine

    private var logoutReason = "disconnected"

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let services = self.services
        context.eventLoop.makeFutureWithTask {
            (await services.login.servableMechanisms(), await services.apopTimestamp())
        }.assumeIsolated().whenSuccess { mechanisms, apopTimestamp in
            let machine = POP3SessionStateMachine(
                configuration: services.configuration, isTLS: self.connection.isTLS,
                plaintextAllowedWithoutTLS: self.connection.allowsPlaintextWithoutTLS, mechanisms: mechanisms,
                saslConfiguration: services.login.authenticator.authenticator.configuration.sasl, apopTimestamp: apopTimestamp
            )
            self.machine = machine
            guard !self.closing else { return }
            self.send(machine.greeting(), context: context)
            self.finishAction(context: context)
        }
    }

    private func processPending(context: ChannelHandlerContext) {
        // After a shutdown request no further queued command starts.
        while !busy, !closing, !shutdownRequested, machine != nil, let frame = pending.popFirst() {
            let action: POP3SessionStateMachine.Action
            switch frame {
            case .line(let line):
                statistics.bytesIn += line.readableBytes + 2
                action = machine!.receive(line: line)
            case .tooLong:
                action = machine!.lineTooLong()
            }
            perform(action, context: context)
        }
        if !busy, !closing {
            if shutdownRequested {
                closeForShutdown(context: context)
            } else if pending.isEmpty, readHeld {
                readHeld = false
                context.read()
            }
        }
    }

    private func perform(_ action: POP3SessionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .send(let response):
            send(response, context: context)
        case .sendAndClose(let response):
            send(response, closing: true, context: context)
        case .startTLS(let response):
            startTLS(response, context: context)
        case .authenticate(let login):
            busy = true
            authenticate(login, context: context)
        case .retrieve(let number, let message, let bodyLines):
            busy = true
            retrieve(number, message, bodyLines: bodyLines, context: context)
        case .commit(let maildrop):
            busy = true
            commit(maildrop, context: context)
        }
    }

    /// Ends an asynchronous action and goes on with queued lines; on a closed connection it
    /// releases the session instead (`channelInactive` leaves that to a running action).
    private func finishAction(context: ChannelHandlerContext) {
        busy = false
        if closing {
            releaseSession()
            return
        }
        processPending(context: context)
    }

    // MARK: Actions

    private func send(_ response: POP3Response, closing: Bool = false, context: ChannelHandlerContext) {
        guard context.channel.isActive, !self.closing else { return }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        response.encode(into: &buffer)
        statistics.bytesOut += buffer.readableBytes
        if closing {
            self.closing = true
            context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    private func closeNow(context: ChannelHandlerContext) {
        closing = true
        context.close(promise: nil)
    }

    private func closeForShutdown(context: ChannelHandlerContext) {
        send(.error(.sysTemp, "Server is shutting down, try again later"), closing: true, context: context)
    }

    /// STLS (RFC 2595 section 4): the reply goes out in plaintext, then TLS starts at once; queued
    /// lines that arrived before the handshake are dropped with the framer's buffer.
    private func startTLS(_ response: POP3Response, context: ChannelHandlerContext) {
        guard let tlsUpgrade else {
            send(.error(nil, "STLS is not available"), context: context)
            return
        }
        pending.removeAll()
        var buffer = context.channel.allocator.buffer(capacity: 64)
        response.encode(into: &buffer)
        do {
            try tlsUpgrade.start(context, buffer)
            machine?.tlsStarted()
        } catch {
            logger.warning("cannot start TLS", metadata: ["error": "\(error)"])
            closeNow(context: context)
        }
    }

    private func authenticate(_ login: POP3Login, context: ChannelHandlerContext) {
        let services = self.services
        let remote = connection.remoteAddress
        context.eventLoop.makeFutureWithTask {
            await services.verify(login, remoteAddress: remote)
        }.assumeIsolated().whenSuccess { result in
            switch result {
            case .success(let user):
                if let remote { services.login.penalty.recordSuccess(from: remote) }
                self.openMaildrop(user: user, method: login.method, context: context)
            case .failure(let reason):
                services.login.failureLog.record(
                    user: login.claimedUser, mechanism: login.method, remoteAddress: remote, reason: reason
                )
                if case .temporary = reason {
                    self.loginFinished(.failure(.temporary), context: context)
                    return
                }
                let delay = remote.map { services.login.penalty.recordFailure(from: $0) } ?? .zero
                context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
                    self.loginFinished(.failure(.rejected), context: context)
                }
            }
        }
    }

    /// After the password checked out: the per-user+IP limit, the session lock, then INBOX.
    private func openMaildrop(user: String, method: String, context: ChannelHandlerContext) {
        // The client left while its password was checked: take nothing that would need releasing.
        guard !closing else { return finishAction(context: context) }
        switch services.limiter.acquireLogin(user: user, from: connection.remoteAddress) {
        case .failure(let refusal):
            logger.notice("login refused: \(refusal)", metadata: ["user": "\(user)"])
            loginFinished(.failure(.inUse("Too many connections for this user from your address")), context: context)
            return
        case .success(let token):
            loginToken = token
        }
        if services.configuration.lockSession {
            let name = "pop3:" + user
            guard services.sessionLocks.tryLock(name) else {
                releaseSession()
                loginFinished(.failure(.inUse("Mailbox is in use by another POP3 session")), context: context)
                return
            }
            heldLock = name
        }
        let services = self.services
        context.eventLoop.makeFutureWithTask {
            let mailbox = try await services.openMailbox(user)
            let maildrop = try await services.storage.run(as: mailbox.identity) { try POP3Maildrop.open(store: mailbox.store) }
            return (maildrop, mailbox.identity)
        }.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let (maildrop, identity)):
                guard !self.closing else { return self.finishAction(context: context) }
                self.mailIdentity = identity
                self.loggedInUser = user
                self.statistics.messagesAtLogin = maildrop.messages.count
                self.statistics.sizeAtLogin = maildrop.liveSize
                self.logger[metadataKey: "user"] = "\(user)"
                self.logger.info(
                    "pop3 login: user=<\(user)>, method=\(method), rip=\(self.connection.remoteAddress ?? "-"), lip=\(self.connection.localAddress ?? "-"), tls=\(self.machine?.isTLS == true ? "yes" : "no"), session=<\(self.connection.id)>"
                )
                self.loginFinished(.success((user, maildrop)), context: context)
            case .failure(let reason as AuthFailureReason):
                // The userdb does not know (or refuses) a user the passdb accepted.
                services.login.failureLog.record(user: user, mechanism: method, remoteAddress: self.connection.remoteAddress, reason: reason)
                self.releaseSession()
                self.loginFinished(.failure(.rejected), context: context)
            case .failure(let error):
                self.logger.error("cannot open maildrop", metadata: ["user": "\(user)", "error": "\(error)"])
                self.releaseSession()
                self.loginFinished(.failure(.openingFailed(error)), context: context)
            }
        }
    }

    private func loginFinished(_ result: Result<(String, POP3Maildrop), POP3LoginFailureBox>, context: ChannelHandlerContext) {
        guard machine != nil else { return }
        switch result {
        case .success(let (user, maildrop)):
            perform(machine!.loginSucceeded(user: user, maildrop: maildrop), context: context)
        case .failure(let box):
            perform(machine!.loginFailed(box.failure), context: context)
        }
        finishAction(context: context)
    }

    /// RETR and TOP: `+OK`, then the message in chunks; the terminator rides with the last chunk.
    ///
    /// One storage job opens the file and reads the first chunk, so a message that fits in a chunk
    /// (most do) costs one trip to the storage threads and one write.
    ///
    /// Read-ahead: clients download with RETR 1, RETR 2, … (DELE in between or not), so messages
    /// after the one asked for are read in batches: one storage job reads as many as fit in one
    /// chunk's worth of memory (at least the next one's first chunk). While the client takes the
    /// messages of one batch, the next batch is being read, so a RETR finds its message in memory
    /// and answers at once instead of waiting for the storage threads to wake (which costs more
    /// than sending a small message). Only the first message of a batch may keep its file open
    /// (when it is larger than a chunk, and then it is alone in its batch). A session holds at
    /// most three chunks: the batch being taken or the message being streamed (two chunks, see
    /// `send`), and the reserve; a read that turns out wasted is let go at the next RETR that is
    /// not in them. Maildir files never change in place, so the bytes read ahead are the message's;
    /// one that another session expunges in between is still sent, as if the RETR had come a
    /// moment earlier. A message whose read-ahead failed is read again as usual.
    private func retrieve(
        _ number: POP3MessageNumber, _ message: POP3Maildrop.Message, bodyLines: Int?, context: ChannelHandlerContext
    ) {
        guard let folder = currentFolder() else { return finishAction(context: context) }
        let uid = message.uid
        if let nextReadAhead, nextReadAhead.uids.contains(uid) {
            // The client has moved on to the batch read in reserve.
            readAhead = nextReadAhead
            self.nextReadAhead = nil
        }
        let opened: EventLoopFuture<PreparedMessage>.Isolated
        if let readAhead, let index = readAhead.uids.firstIndex(of: uid) {
            let count = readAhead.uids.count
            opened = readAhead.messages.assumeIsolated().recover { _ in
                [PreparedMessage?](repeating: nil, count: count)
            }.flatMap { messages -> EventLoopFuture<PreparedMessage?> in
                if let prepared = messages[index] { return context.eventLoop.makeSucceededFuture(prepared) }
                return self.prepare([uid], in: folder, context: context).map { $0[0] }.nonisolated()
            }.flatMapThrowing { (prepared: PreparedMessage?) -> PreparedMessage in
                guard let prepared else { throw StorageError(.temporary, "message \(uid) could not be read") }
                return prepared
            }
            // Its last message taken, the batch is let go: only the reserve stays in memory.
            if index == count - 1 { self.readAhead = nil }
        } else {
            opened = prepare([uid], in: folder, context: context).flatMapThrowing { (messages: [PreparedMessage?]) -> PreparedMessage in
                guard let prepared = messages[0] else { throw StorageError(.temporary, "message \(uid) could not be read") }
                return prepared
            }
            readAhead = nil
            nextReadAhead = nil
        }
        // A download (RETR, not TOP) keeps one batch in reserve beyond the one being taken.
        if bodyLines == nil, nextReadAhead == nil {
            let batch = readAheadBatch(after: readAhead?.last ?? number, in: folder, context: context)
            if readAhead == nil { readAhead = batch } else { nextReadAhead = batch }
        }
        opened.whenComplete { result in
            switch result {
            case .success(let prepared):
                let status: POP3Response = bodyLines == nil ? .ok("\(message.size) octets") : .ok("Top of message follows")
                var first = context.channel.allocator.buffer(capacity: 64)
                status.encode(into: &first)
                var stream = MessageStream(
                    file: prepared.file, size: prepared.size, encoder: POP3MessageEncoder(bodyLineLimit: bodyLines), pending: first
                )
                self.send(prepared.first, of: &stream, number: number, bodyLines: bodyLines, context: context)
            case .failure(let error):
                if let storage = error as? StorageError, storage.kind == .notFound || storage.kind == .expunged {
                    self.send(.error(nil, "Message \(number) was removed by another session"), context: context)
                } else {
                    self.logger.error("cannot open message", metadata: ["uid": "\(uid)", "error": "\(error)"])
                    self.send(.error(.sysTemp, "Cannot read message \(number)"), context: context)
                }
                self.finishAction(context: context)
            }
        }
    }

    /// Messages read ahead of the client's RETRs: their UIDs, the number of the last, and what one
    /// storage job read of them, in the same order (nil where reading failed).
    private struct ReadAhead {
        var uids: [UID]
        var last: POP3MessageNumber
        var messages: EventLoopFuture<[PreparedMessage?]>
    }

    /// The maildrop's folder. Only the folder leaves: a copy of the maildrop still alive when the
    /// retrieval finishes would make `retrievalFinished` copy the whole message list.
    private func currentFolder() -> MaildirFolder? {
        guard case .transaction(_, let maildrop) = machine?.state else { return nil }
        return maildrop.folder
    }

    /// Starts reading the messages after `number` (not marked deleted): the next one, and those
    /// after it while their sizes fit in one chunk in all. Nil when there are none.
    private func readAheadBatch(after number: POP3MessageNumber, in folder: MaildirFolder, context: ChannelHandlerContext) -> ReadAhead? {
        guard case .transaction(_, let maildrop) = machine?.state else { return nil }
        var uids: [UID] = []
        var room = Int64(services.configuration.streamChunkSize)
        var index = number.rawValue
        var last = number
        while index < maildrop.messages.count, uids.count < Self.maxReadAhead {
            let next = maildrop.messages[index]
            index += 1
            if next.deleted { continue }
            if !uids.isEmpty && next.size > room { break }
            uids.append(next.uid)
            last = POP3MessageNumber(index)!
            room -= next.size
            if room <= 0 { break }
        }
        guard !uids.isEmpty else { return nil }
        return ReadAhead(uids: uids, last: last, messages: prepare(uids, in: folder, context: context).nonisolated())
    }

    /// Most messages one read-ahead takes.
    static let maxReadAhead = 16

    /// Opens messages and reads their first chunks in one storage job; nil for a message that
    /// could not be read (with the error, when it is the only one).
    private func prepare(_ uids: [UID], in folder: MaildirFolder, context: ChannelHandlerContext) -> EventLoopFuture<[PreparedMessage?]>.Isolated {
        let count = services.configuration.streamChunkSize
        let allocator = context.channel.allocator
        return onStorage(context: context) { () -> [PreparedMessage?] in
            if uids.count == 1 { return [try PreparedMessage(uid: uids[0], in: folder, chunk: count, allocator: allocator)] }
            return uids.map { try? PreparedMessage(uid: $0, in: folder, chunk: count, allocator: allocator) }
        }
    }

    /// Runs blocking storage work as the session's user and goes on with its result on this
    /// channel's event loop (see `EventLoopTaskExecutor` for why not `makeFutureWithTask`).
    private func onStorage<Value: Sendable>(
        context: ChannelHandlerContext, _ work: @escaping @Sendable () throws -> Value
    ) -> EventLoopFuture<Value>.Isolated {
        let executor = EventLoopTaskExecutor.on(context.eventLoop, reusing: &loopExecutor)
        return services.storage.submit(as: mailIdentity, on: executor, work).assumeIsolated()
    }

    private struct MessageStream {
        /// Nil when the first chunk held the whole message.
        let file: OpenMessageFile?
        let size: Int64
        var encoder: POP3MessageEncoder
        var pending: ByteBuffer
        var offset: Int64 = 0
        var sent: Int64 = 0
    }

    /// Starts reading the chunk at `stream.offset` on a storage thread; nil when the message has
    /// no open file (its first chunk held all of it).
    private func readChunk(of stream: MessageStream, context: ChannelHandlerContext) -> EventLoopFuture<ByteBuffer>.Isolated? {
        guard let file = stream.file else { return nil }
        let offset = stream.offset
        let count = services.configuration.streamChunkSize
        let allocator = context.channel.allocator
        return onStorage(context: context) {
            try file.read(at: offset, count: count, allocator: allocator)
        }
    }

    /// Encodes and writes one chunk read at `stream.offset`, and reads the next one meanwhile; when
    /// the write is done, sends that one or ends the retrieval. A message being sent holds at most
    /// two chunks in memory (the one being written and the next), not the whole message, and a fast
    /// client never waits for the storage threads between chunks.
    private func send(
        _ chunk: ByteBuffer, of stream: inout MessageStream, number: POP3MessageNumber, bodyLines: Int?,
        context: ChannelHandlerContext
    ) {
        guard !closing, context.channel.isActive else { return finishAction(context: context) }
        let count = services.configuration.streamChunkSize
        stream.offset += Int64(chunk.readableBytes)
        var output = stream.pending
        stream.pending = context.channel.allocator.buffer(capacity: 0)
        stream.encoder.encode(chunk, into: &output)
        let done = chunk.readableBytes < count || stream.offset >= stream.size || stream.encoder.isComplete
        if done { stream.encoder.finish(into: &output) }
        stream.sent += Int64(output.readableBytes)
        statistics.bytesOut += output.readableBytes
        var stream = stream
        let nextChunk = done ? nil : readChunk(of: stream, context: context)
        context.writeAndFlush(wrapOutboundOut(output)).assumeIsolated().whenComplete { writeResult in
            guard case .success = writeResult else { return self.finishAction(context: context) }
            guard let nextChunk else {
                return self.retrievalDone(number, bodyLines: bodyLines, bytes: stream.sent, context: context)
            }
            nextChunk.whenComplete { result in
                switch result {
                case .failure(let error):
                    guard !self.closing, context.channel.isActive else { return self.finishAction(context: context) }
                    // Part of the message is out already: the only safe end is to hang up.
                    self.logger.error("message read failed while streaming", metadata: ["error": "\(error)"])
                    self.closeNow(context: context)
                    self.finishAction(context: context)
                case .success(let chunk):
                    self.send(chunk, of: &stream, number: number, bodyLines: bodyLines, context: context)
                }
            }
        }
    }

    private func retrievalDone(_ number: POP3MessageNumber, bodyLines: Int?, bytes: Int64, context: ChannelHandlerContext) {
        if bodyLines == nil {
            statistics.retrCount += 1
            statistics.retrBytes += bytes
        } else {
            statistics.topCount += 1
            statistics.topBytes += bytes
        }
        machine?.retrievalFinished(number, bodyLines: bodyLines)
        finishAction(context: context)
    }

    /// QUIT in TRANSACTION: the UPDATE state (RFC 1939 section 6).
    private func commit(_ maildrop: POP3Maildrop, context: ChannelHandlerContext) {
        let storage = services.storage
        let identity = mailIdentity
        // Counted before the task exists, so a shutdown starting now waits for it.
        let ticket = services.criticalWork.begin()
        context.eventLoop.makeFutureWithTask {
            try await storage.run(as: identity) { try maildrop.commit() }
        }.assumeIsolated().whenComplete { result in
            ticket.end()
            switch result {
            case .success(let outcome):
                self.statistics.deleted = outcome.deleted
                self.logoutReason = "QUIT"
            case .failure(let error):
                self.logger.error("deleting messages failed", metadata: ["error": "\(error)"])
                self.logoutReason = "QUIT, deletions failed"
            }
            self.releaseSession()
            guard let action = self.machine?.committed(result) else { return }
            self.busy = false
            self.perform(action, context: context)
        }
    }

    /// Frees the session lock and the user+IP slot, and writes the logout line once.
    private func releaseSession() {
        readAhead = nil
        nextReadAhead = nil
        if let token = loginToken {
            services.limiter.release(token)
            loginToken = nil
        }
        if let heldLock {
            services.sessionLocks.unlock(heldLock)
            self.heldLock = nil
        }
        if let user = loggedInUser {
            loggedInUser = nil
            logger.info("pop3 logout: user=<\(user)>, rip=\(connection.remoteAddress ?? "-"), reason=\(logoutReason), \(statistics.logText)")
        }
    }
}

/// `Result` needs an `Error`; the login failure is a plain value.
struct POP3LoginFailureBox: Error {
    var failure: POP3LoginFailure
}

extension Result where Failure == POP3LoginFailureBox {
    static func failure(_ failure: POP3LoginFailure) -> Self { .failure(POP3LoginFailureBox(failure: failure)) }
}

/// A message opened on a storage thread: its first chunk, and the open file when there is more.
struct PreparedMessage: Sendable {
    let file: OpenMessageFile?
    let size: Int64
    let first: ByteBuffer

    /// Opens message `uid` and reads up to `chunk` bytes; the file is closed at once when that was
    /// all of it.
    init(uid: UID, in folder: MaildirFolder, chunk: Int, allocator: ByteBufferAllocator) throws {
        let file = try OpenMessageFile(folder.openMessage(uid))
        size = file.size
        first = try file.read(at: 0, count: Int(min(Int64(chunk), file.size)), allocator: allocator)
        self.file = Int64(first.readableBytes) >= size ? nil : file
    }
}

/// An open message file that can cross to the storage threads and back.
final class OpenMessageFile: Sendable {
    let file: MessageFile
    init(_ file: consuming MessageFile) { self.file = file }
    var size: Int64 { file.size }

    /// Reads up to `count` bytes at `offset` straight into a new buffer; fewer only at the end of
    /// the file.
    func read(at offset: Int64, count: Int, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        var buffer = allocator.buffer(capacity: count)
        let fd = file.fd
        while buffer.readableBytes < count {
            let done = buffer.readableBytes
            var n = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { target in
                n = Glibc.pread(fd, target.baseAddress!, count - done, off_t(offset) + off_t(done))
                return max(n, 0)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError(.temporary, "cannot read message file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
        }
        return buffer
    }
}
