import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A line-oriented test client over a real socket, optionally with TLS, for scripted
/// conversations with the in-process server: `send` a line, `readLine` the answer.
///
/// Reads wait (without blocking a thread) up to `timeout` and then fail, so a server that does
/// not answer fails the test instead of hanging it.
public final class ScriptedClient: Sendable {
    public let channel: any Channel
    private let inbox: Inbox
    public let timeout: Duration

    final class Inbox: Sendable {
        let received = NIOLockedValueBox(Received())
        let closed = NIOLockedValueBox(false)
    }

    /// Bytes received and not read yet, and when they came.
    struct Received {
        private(set) var bytes: [UInt8] = []
        /// How many bytes were read (taken) before `bytes[0]`.
        private var taken = 0
        /// For each piece not wholly read yet, when it came and its end as an offset in the stream.
        private var arrivals: [(end: Int, at: ContinuousClock.Instant)] = []
        /// When the last byte of the latest read came.
        private(set) var lastReadArrival: ContinuousClock.Instant?

        mutating func append(_ piece: ByteBufferView, at instant: ContinuousClock.Instant) {
            bytes.append(contentsOf: piece)
            arrivals.append((taken + bytes.count, instant))
        }

        /// Removes and returns the first `count` (at least 1) bytes.
        mutating func take(_ count: Int) -> [UInt8] {
            let result = Array(bytes[..<count])
            bytes.removeFirst(count)
            taken += count
            lastReadArrival = arrivals.first { $0.end >= taken }?.at
            arrivals.removeFirst(arrivals.prefix { $0.end <= taken }.count)
            return result
        }
    }

    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let inbox: Inbox
        init(inbox: Inbox) { self.inbox = inbox }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            let now = ContinuousClock.now
            inbox.received.withLockedValue { $0.append(buffer.readableBytesView, at: now) }
        }
        func channelInactive(context: ChannelHandlerContext) {
            inbox.closed.withLockedValue { $0 = true }
            context.fireChannelInactive()
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    private init(channel: any Channel, inbox: Inbox, timeout: Duration) {
        self.channel = channel
        self.inbox = inbox
        self.timeout = timeout
    }

    /// Connects to 127.0.0.1:`port`; with `tls`, the TLS handshake (trusting any certificate,
    /// checking the name `localhost`) happens first.
    public static func connect(
        port: Int, host: String = "127.0.0.1", tls: Bool = false, timeout: Duration = .seconds(15)
    ) async throws -> ScriptedClient {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if tls { try channel.pipeline.syncOperations.addHandler(try Self.makeTLSHandler()) }
                    try channel.pipeline.syncOperations.addHandler(Collector(inbox: inbox))
                }
            }
            .connect(host: host, port: port).get()
        return ScriptedClient(channel: channel, inbox: inbox, timeout: timeout)
    }

    /// Connects to a UNIX socket (the auth socket).
    public static func connect(unixSocket path: String, timeout: Duration = .seconds(15)) async throws -> ScriptedClient {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(inbox: inbox))
                }
            }
            .connect(unixDomainSocketPath: path).get()
        return ScriptedClient(channel: channel, inbox: inbox, timeout: timeout)
    }

    static func makeTLSHandler() throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try NIOSSLClientHandler(context: NIOSSLContext(configuration: configuration), serverHostname: "localhost")
    }

    /// The serial number of the server's certificate, once TLS is up (nil without TLS).
    public func peerCertificateSerial() async throws -> [UInt8]? {
        try await channel.nioSSL_peerCertificate().get()?.serialNumber
    }

    /// Sends `line` with CRLF, or with `ending`.
    public func send(_ line: String, ending: String = "\r\n") async throws {
        try await sendRaw(Array((line + ending).utf8))
    }

    /// Sends bytes as they are, in one write.
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Starts TLS on this connection (after the server accepted STLS/STARTTLS).
    public func startTLS() async throws {
        let channel = self.channel
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(try Self.makeTLSHandler(), position: .first)
        }.get()
    }

    /// The next line without CRLF.
    public func readLine() async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let line: [UInt8]? = inbox.received.withLockedValue { received in
                guard let end = received.bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                var line = received.take(end + 1)
                line.removeLast()
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            if let line { return String(decoding: line, as: UTF8.self) }
            if inbox.closed.withLockedValue({ $0 }) { throw ScriptedClientError.closed(pending: pendingText) }
            guard clock.now < deadline else { throw ScriptedClientError.timeout(pending: pendingText) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Sends `line` and returns the one-line reply.
    public func command(_ line: String) async throws -> String {
        try await send(line)
        return try await readLine()
    }

    /// Lines up to the terminating "." (not included), dot-unstuffed.
    public func readMultiline() async throws -> [String] {
        var lines: [String] = []
        while true {
            let line = try await readLine()
            if line == "." { return lines }
            lines.append(line.hasPrefix(".") ? String(line.dropFirst()) : line)
        }
    }

    /// Exact bytes up to and including the first occurrence of `terminator`.
    ///
    /// Each poll looks only at what came since the last one (and the `terminator.count - 1` bytes
    /// before it, where a terminator may have begun), so a read of megabytes stays linear.
    public func readRaw(through terminator: [UInt8]) async throws -> [UInt8] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var searchFrom = 0
        while true {
            let found: [UInt8]? = inbox.received.withLockedValue { received in
                guard let range = Self.find(terminator, in: received.bytes, from: searchFrom) else {
                    searchFrom = max(0, received.bytes.count - (terminator.count - 1))
                    return nil
                }
                return received.take(range.upperBound)
            }
            if let found { return found }
            if inbox.closed.withLockedValue({ $0 }) { throw ScriptedClientError.closed(pending: pendingText) }
            guard clock.now < deadline else { throw ScriptedClientError.timeout(pending: pendingText) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// True once the server closed the connection, waiting up to `timeout`.
    public func waitForClose() async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if inbox.closed.withLockedValue({ $0 }) { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    /// Stops reading from the socket: what the server writes stays in the kernel's buffers, and
    /// once they are full the server's writes wait. `readOnce` takes one socket read's worth;
    /// `resumeReading` goes back to reading everything as it comes.
    public func pauseReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: false).get()
    }

    /// One read from the socket while reading is paused.
    public func readOnce() {
        channel.read()
    }

    public func resumeReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: true).get()
    }

    /// Bytes received and not read yet.
    public var pendingText: String {
        String(decoding: inbox.received.withLockedValue { $0.bytes }, as: UTF8.self)
    }

    /// When the last byte of the latest `readLine` or `readRaw` arrived: noted on the channel's
    /// event loop as the bytes came, so it does not depend on when the reading task got to run.
    public var lastReadArrival: ContinuousClock.Instant? {
        inbox.received.withLockedValue { $0.lastReadArrival }
    }

    public func close() async {
        try? await channel.close()
    }

    /// Where `needle` first occurs in `haystack` at or after `from`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count - from >= needle.count else { return nil }
        for start in from...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start..<start + needle.count }
        }
        return nil
    }
}

public enum ScriptedClientError: Error, CustomStringConvertible {
    case timeout(pending: String)
    case closed(pending: String)

    public var description: String {
        switch self {
        case .timeout(let pending): "no complete line from the server in time; received so far: \(pending.debugDescription)"
        case .closed(let pending): "the server closed the connection; unread: \(pending.debugDescription)"
        }
    }
}
