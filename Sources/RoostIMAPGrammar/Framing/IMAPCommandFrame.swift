import NIOCore

/// One whole client command as the framer cut it from the stream: its text and its literals, in order.
///
/// A command `A1 LOGIN {5}CRLF alice {6+}CRLF secret CRLF` (spaces added) is the pieces
/// `("A1 LOGIN ", "alice")`, `(" ", "secret")`, `("", nil)`: each piece is the command text up to a
/// literal's `{n}` / `{n+}` header (header and CRLF removed) followed by that literal's octets; the last
/// piece is the text after the last literal, without its CRLF, and has no literal.
public struct IMAPCommandFrame: Hashable, Sendable {
    /// Command text followed by the literal that ended its line, if any.
    public struct Piece: Hashable, Sendable {
        /// Command text without CRLF and without the literal header.
        public var line: ByteBuffer
        /// The literal's octets, exactly as sent (8-bit and NUL included); `nil` on the last piece.
        public var literal: ByteBuffer?

        public init(line: ByteBuffer, literal: ByteBuffer? = nil) {
            self.line = line
            self.literal = literal
        }
    }

    /// The pieces in order; never empty, and only the last one has no literal.
    public var pieces: [Piece]

    /// The tag read from the start of the command, if it is a valid tag.
    public var tag: Tag?

    public init(pieces: [Piece], tag: Tag? = nil) {
        precondition(!pieces.isEmpty, "a command frame has at least one piece")
        self.pieces = pieces
        self.tag = tag
    }

    /// A single-line command without literals (for tests and callers that build frames by hand).
    public init(line: String) {
        let bytes = Array(line.utf8)
        let tagEnd = bytes.firstIndex(of: IMAPASCII.space) ?? bytes.endIndex
        self.init(pieces: [Piece(line: ByteBuffer(string: line))], tag: Tag(bytes: bytes[..<tagEnd]))
    }
}
