import NIOCore
import RoostIMAPGrammar

/// Where a running command writes its responses: gathers them into one buffer and hands it to the
/// connection when it passes `chunkSize`, waiting for that write to complete before more is
/// produced. A slow client therefore holds up the command, not the server's memory.
///
/// Used by one command at a time (the handler runs commands strictly one after another), hence
/// `@unchecked Sendable`.
public final class IMAPResponseWriter: @unchecked Sendable {
    private let channel: any Channel
    private let chunkSize: Int
    private var buffer: ByteBuffer
    /// Octets handed to the connection, for the logout line.
    public private(set) var bytesWritten = 0

    public init(channel: any Channel, chunkSize: Int) {
        self.channel = channel
        self.chunkSize = chunkSize
        buffer = channel.allocator.buffer(capacity: 1024)
    }

    /// Appends a response; flushes when the buffer is full.
    public func write(_ response: Response) async throws {
        buffer.writeResponse(response)
        try await flushIfFull()
    }

    /// Appends raw octets (a FETCH line being built, a literal's data).
    public func write(bytes: some Collection<UInt8>) async throws {
        buffer.writeBytes(bytes)
        try await flushIfFull()
    }

    /// Appends output built elsewhere (a piece of a FETCH), taking it over without a copy when
    /// nothing is gathered yet.
    public func write(buffer output: ByteBuffer) async throws {
        if buffer.readableBytes == 0 {
            buffer = output
        } else {
            var output = output
            buffer.writeBuffer(&output)
        }
        try await flushIfFull()
    }

    /// Appends encoded output built by `body`.
    public func write(_ body: (inout ByteBuffer) -> Void) async throws {
        body(&buffer)
        try await flushIfFull()
    }

    private func flushIfFull() async throws {
        if buffer.readableBytes >= chunkSize { try await flush() }
    }

    /// Hands everything gathered to the connection and waits until it is written.
    public func flush() async throws {
        guard let output = take() else { return }
        try await channel.writeAndFlush(output).get()
    }

    /// Hands everything gathered to the connection without waiting: the end of a command, whose
    /// output is small or was mostly flushed already. Not waiting matters while a TLS handshake
    /// is pending (the greeting on an implicit-TLS port): the write completes only once the
    /// handshake has read from the client, which the handler allows only between commands.
    public func send() {
        guard let output = take() else { return }
        channel.writeAndFlush(output, promise: nil)
    }

    private func take() -> ByteBuffer? {
        guard buffer.readableBytes > 0 else { return nil }
        let output = buffer
        bytesWritten += output.readableBytes
        buffer = channel.allocator.buffer(capacity: min(chunkSize, 64 * 1024))
        return output
    }
}
