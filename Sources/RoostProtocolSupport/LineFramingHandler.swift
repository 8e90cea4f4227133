import NIOCore

/// Splits the inbound byte stream into lines for line-oriented protocols (POP3, the auth socket).
///
/// Lines end in LF; a CR right before it is removed too, so clients that send bare LF (some
/// scripts and test tools do) work. A line longer than `maxLineLength` (without its line end) is
/// dropped as it arrives, never buffered whole, and reported once as `.tooLong`.
///
/// STARTTLS: the session calls `discardBufferedInput()` from inside its `channelRead` for the
/// STLS line, before it starts TLS. Everything the framer still holds (commands the client sent
/// in the same packet as STLS) is thrown away, and the framer delivers nothing more from the
/// bytes it was processing. Only bytes that arrive afterwards, through the TLS handler, are
/// framed again.
public final class LineFramingHandler: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = LineFrame

    /// Longest line handed on, in bytes, without the line end.
    public let maxLineLength: Int

    private var buffer: ByteBuffer?
    /// True while dropping the rest of an over-long line up to its LF.
    private var skippingLongLine = false
    /// Bumped by `discardBufferedInput()`, so a framing loop in progress notices and stops.
    private var discardGeneration = 0

    public init(maxLineLength: Int) {
        precondition(maxLineLength > 0, "maxLineLength must be positive")
        self.maxLineLength = maxLineLength
    }

    /// Drops every buffered byte and stops handing on lines from data already received.
    /// Call on the channel's event loop (from a handler's `channelRead`).
    public func discardBufferedInput() {
        buffer = nil
        skippingLongLine = false
        discardGeneration &+= 1
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        let generation = discardGeneration
        while let frame = nextFrame() {
            context.fireChannelRead(wrapInboundOut(frame))
            // A handler further on started TLS (or closed) while handling that line.
            guard generation == discardGeneration else { return }
        }
        if let current = buffer, current.readableBytes == 0 {
            buffer = nil
        } else if buffer != nil, buffer!.readerIndex > 4096 {
            buffer!.discardReadBytes()
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        buffer = nil
        context.fireChannelInactive()
    }

    /// The next complete frame in the buffer, or nil when more bytes are needed.
    private func nextFrame() -> LineFrame? {
        guard var current = buffer else { return nil }
        defer { buffer = current }
        let view = current.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            // No line end yet: drop what is already too long instead of holding it.
            if skippingLongLine || current.readableBytes > maxLineLength + 1 {
                skippingLongLine = true
                current.moveReaderIndex(forwardBy: current.readableBytes)
            }
            return nil
        }
        var length = newline - view.startIndex
        let line = current.readSlice(length: length)!
        current.moveReaderIndex(forwardBy: 1)
        if skippingLongLine {
            skippingLongLine = false
            return .tooLong
        }
        if length > 0, line.getInteger(at: line.readerIndex + length - 1, as: UInt8.self) == UInt8(ascii: "\r") {
            length -= 1
        }
        guard length <= maxLineLength else { return .tooLong }
        return .line(line.getSlice(at: line.readerIndex, length: length)!)
    }
}
