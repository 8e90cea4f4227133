import NIOCore

/// How a session asks the server to start TLS on its connection (POP3 STLS, IMAP STARTTLS).
///
/// The session decides when (protocol state, capability) and what to answer; the server knows the
/// TLS library and the current certificate. `start` runs on the event loop inside the session's
/// `channelRead` for the STLS line and must, in this order and synchronously: discard the
/// framer's buffered input, write and flush `reply` in plaintext, and put the TLS handler at the
/// front of the pipeline. Done in one event-loop task like this, no byte the client pipelined
/// behind the command can be read as if it had come over TLS.
public struct TLSUpgrade: Sendable {
    /// Starts TLS; throws when the TLS handler cannot be added (the session then closes).
    public let start: @Sendable (_ context: ChannelHandlerContext, _ reply: ByteBuffer) throws -> Void

    public init(start: @escaping @Sendable (_ context: ChannelHandlerContext, _ reply: ByteBuffer) throws -> Void) {
        self.start = start
    }
}
