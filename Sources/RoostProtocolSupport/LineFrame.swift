import NIOCore

/// One unit of input from `LineFramingHandler`.
public enum LineFrame: Sendable, Equatable {
    /// A complete line without its line end (CRLF or a bare LF).
    case line(ByteBuffer)
    /// A line longer than the limit arrived; its bytes were dropped. The session answers with a
    /// protocol error and goes on with the next line.
    case tooLong
}
