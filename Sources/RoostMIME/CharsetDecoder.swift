/// Incremental charset decoding for text that arrives in chunks (a streamed body part).
///
/// A chunk may end inside a multi-byte character; the incomplete tail is kept and completed by the
/// next chunk, so only a few bytes are ever held. Charsets converted by iconv use one converter for
/// the whole stream: the shift state of a stateful charset (ISO-2022-JP, UTF-7) carries across
/// chunks and lines, however long a line is, and an escape sequence cut by a chunk end is held like
/// any incomplete character. UTF-16 and UTF-32 without an explicit byte order take it from a
/// leading byte-order mark, once, for the whole stream. US-ASCII and unknown charsets are decided
/// line by line (`ASCIICompatibleDecoder`). In every case the text produced does not depend on how
/// the input was chunked.
///
/// The decoder is a value, but its iconv converter is a reference: a copy that decodes further
/// opens a converter of its own (losing the shift state reached so far) rather than share one.
public struct CharsetDecoder: Sendable {
    private var resolved: ResolvedCharset
    /// Bytes received but not yet converted: an incomplete sequence, or the first bytes of an
    /// unmarked UTF-16/UTF-32 stream while the byte-order mark is awaited.
    private var pending: [UInt8] = []
    private var sawFirstChunk = false
    private var converter: IconvConverter?
    private var asciiCompatible = ASCIICompatibleDecoder()

    /// A decoder for `charset`, or nil when the charset is unknown (see `Charset.isKnown`).
    public init?(charset: String) {
        guard let resolved = Charset.resolve(charset) else { return nil }
        self.resolved = resolved
    }

    /// A decoder that never fails: unknown charsets decode like US-ASCII, as UTF-8 where valid and
    /// Windows-1252 elsewhere, line by line.
    public init(lenientCharset charset: String?) {
        self.resolved = charset.flatMap(Charset.resolve) ?? .asciiCompatible
    }

    /// Decodes the next chunk; returns the text that is complete so far.
    public mutating func decode(_ chunk: some Collection<UInt8>) -> String {
        pending.append(contentsOf: chunk)
        if !sawFirstChunk {
            detectByteOrder()
            guard sawFirstChunk else { return "" }
        }
        guard !pending.isEmpty else { return "" }
        return convertPending(final: false)
    }

    /// Decodes everything still held; an incomplete trailing sequence becomes U+FFFD (Windows-1252
    /// text for the ASCII-compatible charsets) and a stateful converter's shift state is reset.
    public mutating func finish() -> String {
        if !sawFirstChunk {
            detectByteOrder()
            sawFirstChunk = true
        }
        if pending.isEmpty && converter == nil { return "" }
        return convertPending(final: true)
    }

    /// How many bytes are held waiting for the rest of a character (for tests of boundedness).
    var heldByteCount: Int { pending.count }

    /// Converts what can be converted now and keeps the unconsumed tail for later.
    private mutating func convertPending(final: Bool) -> String {
        let consumed: Int
        let text: String
        switch resolved {
        case .iconv(let name):
            guard let converter = uniqueConverter(named: name) else {
                text = Windows1252.decode(pending)
                consumed = pending.count
                break
            }
            let result = pending.withUnsafeBufferPointer { converter.convert($0, final: final) }
            text = result.text
            consumed = pending.count - result.unconsumed
        case .asciiCompatible:
            let result = pending.withUnsafeBufferPointer { asciiCompatible.decode($0, final: final) }
            text = result.text
            consumed = result.consumed
        case .utf8:
            consumed = final ? pending.count : pending.count - Self.incompleteUTF8Suffix(pending)
            text = String(decoding: pending[..<consumed], as: UTF8.self)
        case .windows1252:
            consumed = pending.count
            text = Windows1252.decode(pending)
        }
        pending.removeFirst(consumed)
        return text
    }

    /// The converter for `name`, opened on first use, and again when the current one is shared
    /// with a copy of this decoder or was opened for another name (before a byte-order mark fixed
    /// it); nil when iconv cannot open `name`.
    private mutating func uniqueConverter(named name: String) -> IconvConverter? {
        if converter?.name != name || !isKnownUniquelyReferenced(&converter) {
            converter = IconvConverter(from: name)
        }
        return converter
    }

    /// Resolves unmarked UTF-16/UTF-32 to a fixed byte order from the BOM (big-endian without one,
    /// per RFC 2781 section 4.3), so later chunks without the BOM decode the same way. Until enough
    /// bytes for a BOM have arrived, `sawFirstChunk` stays false and nothing is converted.
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
