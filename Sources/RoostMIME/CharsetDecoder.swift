/// Incremental charset decoding for text that arrives in chunks (a streamed body part).
///
/// A chunk may end inside a multi-byte character; the incomplete tail is kept and completed by the
/// next chunk. Stateful charsets (ISO-2022-JP, UTF-7) are converted one complete line at a time:
/// RFC 1468 requires ISO-2022-JP lines to end in ASCII state, so no shift state crosses a line.
/// UTF-16 and UTF-32 without an explicit byte order take it from a leading byte-order mark, once,
/// for the whole stream.
public struct CharsetDecoder: Sendable {
    private var resolved: ResolvedCharset
    private var pending: [UInt8] = []
    private var sawFirstChunk = false

    /// Bytes of a stateful charset kept while waiting for a line end before converting anyway.
    private static let maxPendingLine = 256 * 1024

    /// A decoder for `charset`, or nil when the charset is unknown (see `Charset.isKnown`).
    public init?(charset: String) {
        guard let resolved = Charset.resolve(charset) else { return nil }
        self.resolved = resolved
    }

    /// A decoder that never fails: unknown charsets decode as UTF-8 when valid, else Windows-1252.
    public init(lenientCharset charset: String?) {
        self.resolved = charset.flatMap(Charset.resolve) ?? .asciiCompatible
    }

    /// Decodes the next chunk; returns the text that is complete so far.
    public mutating func decode(_ chunk: some Collection<UInt8>) -> String {
        pending.append(contentsOf: chunk)
        if !sawFirstChunk { detectByteOrder() }
        let ready = readyPrefixLength()
        guard ready > 0 else { return "" }
        return convert(count: ready, final: false)
    }

    /// Decodes everything still held; an incomplete trailing sequence becomes U+FFFD.
    public mutating func finish() -> String {
        sawFirstChunk = sawFirstChunk || pending.isEmpty
        if !sawFirstChunk { detectByteOrder() }
        guard !pending.isEmpty else { return "" }
        return convert(count: pending.count, final: true)
    }

    /// How many pending bytes can be converted now without splitting a character or shift state.
    private func readyPrefixLength() -> Int {
        switch resolved {
        case .windows1252:
            return pending.count
        case .utf8, .asciiCompatible:
            return pending.count - Self.incompleteUTF8Suffix(pending)
        case .iconv:
            guard resolved.isStateful else { return pending.count }
            if let lastLF = pending.lastIndex(of: ASCII.lf) { return lastLF + 1 }
            return pending.count >= Self.maxPendingLine ? pending.count : 0
        }
    }

    /// Converts the first `count` pending bytes and keeps any unconsumed tail for later.
    private mutating func convert(count: Int, final: Bool) -> String {
        switch resolved {
        case .iconv(let name):
            let result = pending.withUnsafeBufferPointer { buffer in
                IconvConverter.convert(UnsafeBufferPointer(rebasing: buffer[..<count]), from: name, final: final)
            }
            guard let result else {
                let text = Windows1252.decode(pending[..<count])
                pending.removeFirst(count)
                return text
            }
            pending.removeFirst(count - result.unconsumed)
            return result.text
        case .utf8, .asciiCompatible, .windows1252:
            let text = Charset.decode(pending[..<count], resolved: resolved)
            pending.removeFirst(count)
            return text
        }
    }

    /// Resolves unmarked UTF-16/UTF-32 to a fixed byte order from the BOM (big-endian without one,
    /// per RFC 2781 section 4.3), so later chunks without the BOM decode the same way.
    private mutating func detectByteOrder() {
        guard case .iconv(let name) = resolved, name == "UTF-16" || name == "UTF-32" else {
            sawFirstChunk = true
            return
        }
        let width = name == "UTF-16" ? 2 : 4
        guard pending.count >= width else { return }
        sawFirstChunk = true
        let head = Array(pending.prefix(width))
        let littleBOM: [UInt8] = width == 2 ? [0xFF, 0xFE] : [0xFF, 0xFE, 0, 0]
        let bigBOM: [UInt8] = width == 2 ? [0xFE, 0xFF] : [0, 0, 0xFE, 0xFF]
        if head == littleBOM {
            pending.removeFirst(width)
            resolved = .iconv(name + "LE")
        } else {
            if head == bigBOM { pending.removeFirst(width) }
            resolved = .iconv(name + "BE")
        }
    }

    /// Length of a trailing UTF-8 sequence that is started but not yet complete (0...3).
    static func incompleteUTF8Suffix(_ bytes: [UInt8]) -> Int {
        var index = bytes.count - 1
        var continuation = 0
        while index >= 0, continuation < 3, bytes[index] & 0xC0 == 0x80 {
            continuation += 1
            index -= 1
        }
        guard index >= 0 else { return 0 }
        let lead = bytes[index]
        let expected: Int
        switch lead {
        case 0xC0...0xDF: expected = 2
        case 0xE0...0xEF: expected = 3
        case 0xF0...0xF7: expected = 4
        default: return 0
        }
        let have = continuation + 1
        return have < expected ? have : 0
    }
}
