import NIOCore

extension ByteBuffer {
    /// Writes `text` with every control character (C0 and DEL) replaced by a space, and at most `limit` bytes,
    /// cut at a UTF-8 character boundary.
    ///
    /// Only C0 and DEL are replaced: they are the bytes that can end or garble a line. C1 controls and
    /// Unicode line separators are multi-byte UTF-8 and cannot break POP3 framing.
    mutating func writePOP3Text(_ text: String.UTF8View, limit: Int?) {
        var end = text.endIndex
        if let limit, text.count > limit {
            end = text.index(text.startIndex, offsetBy: max(limit, 0))
            // Back off continuation bytes (10xxxxxx) so no character is cut in half.
            while end > text.startIndex, text[end] & 0xC0 == 0x80 {
                end = text.index(before: end)
            }
        }
        let part = text[..<end]
        if !part.contains(where: POP3ASCII.isControl) {
            writeBytes(part)
            return
        }
        writeBytes(part.lazy.map { POP3ASCII.isControl($0) ? POP3ASCII.space : $0 })
    }
}
