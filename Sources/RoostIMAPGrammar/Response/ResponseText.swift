import NIOCore

/// The human-readable part of a status response, with its optional code.
///
///     resp-text       = ["[" resp-text-code "]" SP] text
///     text            = 1*TEXT-CHAR
///
/// RFC 3501 section 9. The text is the server's own (never client input); the encoder still replaces any
/// octet that is not a 7-bit TEXT-CHAR with `?`, so a response line can never be ended or corrupted by
/// it, and writes `completed` for an empty text, since `text` needs at least one character.
public struct ResponseText: Hashable, Sendable {
    public var code: ResponseCode?
    public var text: String

    public init(code: ResponseCode? = nil, _ text: String) {
        self.code = code
        self.text = text
    }
}

extension ByteBuffer {
    // resp-text       = ["[" resp-text-code "]" SP] text
    @discardableResult
    public mutating func writeResponseText(_ text: ResponseText) -> Int {
        var written = 0
        if let code = text.code { written += writeString("[") + writeResponseCode(code) + writeString("] ") }
        let bytes = text.text.isEmpty ? Array("completed".utf8) : text.text.utf8.map { IMAPASCII.isTextChar($0) ? $0 : UInt8(ascii: "?") }
        return written + writeBytes(bytes)
    }
}
