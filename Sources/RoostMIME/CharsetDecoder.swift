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
        var output: [UInt8] = []
        let handled: Void? = chunk.withContiguousStorageIfAvailable { decode($0, into: &output) }
        if handled == nil { Array(chunk).withUnsafeBufferPointer { decode($0, into: &output) } }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes everything still held; an incomplete trailing sequence becomes U+FFFD (Windows-1252
    /// text for the ASCII-compatible charsets) and a stateful converter's shift state is reset.
    public mutating func finish() -> String {
        var output: [UInt8] = []
        finish(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes the next chunk, appending the text that is complete so far to `output` as UTF-8.
    public mutating func decode(_ chunk: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        if pending.isEmpty && sawFirstChunk {
            // The common case: nothing held, so convert the chunk in place and keep only its tail.
            guard !chunk.isEmpty else { return }
            let consumed = convert(chunk, final: false, into: &output)
            pending.append(contentsOf: chunk[consumed...])
            return
        }
        pending.append(contentsOf: chunk)
        if !sawFirstChunk {
            detectByteOrder()
            guard sawFirstChunk else { return }
        }
        guard !pending.isEmpty else { return }
        convertPending(final: false, into: &output)
    }

    /// `finish()` appending the UTF-8 to `output`.
    public mutating func finish(into output: inout [UInt8]) {
        if !sawFirstChunk {
            detectByteOrder()
            sawFirstChunk = true
        }
        if pending.isEmpty && converter == nil { return }
        convertPending(final: true, into: &output)
    }

    /// How many bytes are held waiting for the rest of a character (for tests of boundedness).
    var heldByteCount: Int { pending.count }

    /// Converts what can be converted of `pending` now and keeps the unconsumed tail for later.
    private mutating func convertPending(final: Bool, into output: inout [UInt8]) {
        let held = pending
        let consumed = held.withUnsafeBufferPointer { convert($0, final: final, into: &output) }
        pending.removeFirst(consumed)
    }

    /// Converts `input`, appending UTF-8 to `output`; returns how many bytes were consumed.
    private mutating func convert(_ input: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8]) -> Int {
        switch resolved {
        case .iconv(let name):
            guard let converter = uniqueConverter(named: name) else {
                Windows1252.decode(input, into: &output)
                return input.count
            }
            return input.count - converter.convert(input, final: final, into: &output)
        case .asciiCompatible:
            return asciiCompatible.decode(input, final: final, into: &output)
        case .utf8:
            let consumed = final ? input.count : input.count - Self.incompleteUTF8Suffix(input)
            let complete = UnsafeBufferPointer(rebasing: input[..<consumed])
            if Self.isValidUTF8(complete) {
                output.append(contentsOf: complete)
            } else {
                output.append(contentsOf: String(decoding: complete, as: UTF8.self).utf8)
            }
            return consumed
        case .windows1252:
            Windows1252.decode(input, into: &output)
            return input.count
        }
    }

    /// Whether `bytes` are well-formed UTF-8 (so they can be passed on as they are).
    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            index = ASCII.asciiRunEnd(bytes, from: index)
            guard index < bytes.count else { return true }
            let length = CaseFold.sequenceLength(bytes, at: index)
            guard length > 0 else { return false }
            index += length
        }
        return true
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
    static func incompleteUTF8Suffix(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
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
