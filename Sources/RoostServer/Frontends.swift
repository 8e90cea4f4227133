import NIOCore
import NIOSSL
import RoostConfig
import RoostIMAP
import RoostPOP3
import RoostProtocolSupport

/// Per-protocol pipeline set-up: the one place that knows which handlers each protocol needs.
enum Frontends {
    /// `LineFramingHandler → IdleStateHandler → POP3ServerHandler`, with STLS wired to `tls`.
    static func addPOP3Handlers(
        to pipeline: ChannelPipeline.SynchronousOperations, connection: ConnectionInfo, services: POP3Services,
        configuration: RoostConfiguration, tls: TLSContextStore?
    ) throws {
        try pipeline.addHandler(LineFramingHandler(maxLineLength: configuration.limits.maxLineLength))
        try pipeline.addHandler(IdleStateHandler(allTimeout: TimeAmount(configuration.pop3.autologout)))
        try pipeline.addHandler(POP3ServerHandler(
            services: services, connection: connection, tlsUpgrade: tls.map { startTLS(with: $0, lineFramer: true) }
        ))
    }

    /// `IdleStateHandler → IMAPServerHandler` (which frames commands itself), with STARTTLS wired to `tls`.
    /// The autologout counts from the client's last input, so IDLE's keep-alives do not extend it;
    /// output that no write could finish for as long ends the connection too.
    static func addIMAPHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, connection: ConnectionInfo, services: IMAPServices,
        configuration: RoostConfiguration, tls: TLSContextStore?
    ) throws {
        let autologout = TimeAmount(configuration.imap.autologout)
        try pipeline.addHandler(IdleStateHandler(readTimeout: autologout, writeTimeout: autologout))
        try pipeline.addHandler(IMAPServerHandler(
            services: services, connection: connection, tlsUpgrade: tls.map { startTLS(with: $0, lineFramer: false) }
        ))
    }

    /// STLS/STARTTLS done safely (see `TLSUpgrade`): discard what the framer holds (the
    /// `LineFramingHandler` of POP3; IMAP's handler resets its own framer), write the reply in
    /// plaintext, put TLS in front, all in this one event-loop turn.
    static func startTLS(with tls: TLSContextStore, lineFramer: Bool) -> TLSUpgrade {
        TLSUpgrade { context, reply in
            let pipeline = context.pipeline.syncOperations
            if lineFramer { try pipeline.handler(type: LineFramingHandler.self).discardBufferedInput() }
            context.writeAndFlush(NIOAny(reply), promise: nil)
            try pipeline.addHandler(NIOSSLServerHandler(context: tls.current), position: .first)
        }
    }

    /// The line sent to a client refused at connect time, before the connection closes.
    static func refusal(for served: ServedProtocol, _ refusal: ConnectionLimiter.Refusal) -> String {
        switch served {
        case .pop3: "-ERR [SYS/TEMP] Server busy: \(refusal)\r\n"
        case .imap: "* BYE [UNAVAILABLE] Server busy: \(refusal)\r\n"
        }
    }
}

/// Writes one line as soon as the connection is up (after the TLS handshake on implicit-TLS
/// ports), then closes it. For connections over the limits.
final class RefusingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let message: String
    private var refused = false

    init(message: String) { self.message = message }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    /// How long a refused client may take (a TLS handshake that never comes) before it is cut.
    static let deadline: TimeAmount = .seconds(10)

    private func refuse(context: ChannelHandlerContext) {
        guard !refused else { return }
        refused = true
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.deadline) { context.close(promise: nil) }
        let buffer = context.channel.allocator.buffer(string: message)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
