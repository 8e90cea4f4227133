/// Decoding of text labelled US-ASCII, unlabelled or in an unknown charset: UTF-8 where valid,
/// otherwise Windows-1252, decided line by line.
///
/// Such text is often really UTF-8 (clients that never label) and sometimes Windows-1252. Each
/// line starts as UTF-8; at the first byte that does not begin a valid UTF-8 sequence the line
/// turns out to be legacy text, and that byte and the rest of the line up to its LF decode as
/// Windows-1252. The next line starts as UTF-8 again. Text before the first such byte is emitted
/// as UTF-8, so nothing is buffered but a sequence cut by the end of a chunk.
///
/// Invariant: the output depends only on the bytes, never on how they were split into chunks, since
/// the rule looks only at the current line up to the current byte and an incomplete sequence at a
/// chunk end is held back until the next chunk decides it. At the end of input a held sequence is
/// invalid and decodes as Windows-1252.
struct ASCIICompatibleDecoder: Sendable {
    /// True from the first invalid byte of the current line to its end.
    private var lineIsLegacy = false

    /// Decodes `bytes` as the next piece of the text, appending UTF-8 to `output`.
    ///
    /// Returns how many bytes were consumed: all of them, except (unless `final`) a trailing UTF-8
    /// sequence that the next bytes may still complete.
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, into output: inout [UInt8]) -> Int {
        var index = 0
        while index < bytes.count {
            // Runs of ASCII, most of any text, are copied whole.
            let runStart = index
            index = ASCII.asciiRunEnd(bytes, from: index)
            if index > runStart {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
                output.append(contentsOf: run)
                if lineIsLegacy && run.contains(ASCII.lf) { lineIsLegacy = false }
                continue
            }
            if !lineIsLegacy {
                switch Self.sequence(in: bytes, at: index) {
                case .valid(let length):
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]))
                    index += length
                    continue
                case .incomplete where !final:
                    return index
                case .incomplete, .invalid:
                    lineIsLegacy = true
                }
            }
            UTF8.encode(Windows1252.scalar(for: bytes[index])) { output.append($0) }
            index += 1
        }
        return bytes.count
    }

    /// Decodes a whole text at once, with the same result as streaming it.
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var decoder = ASCIICompatibleDecoder()
        var output: [UInt8] = []
        _ = Array(bytes).withUnsafeBufferPointer { decoder.decode($0, final: true, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    enum Sequence: Equatable {
        case valid(Int)
        case incomplete
        case invalid
    }

    /// Classifies the multi-byte sequence starting at `start` (whose byte is 0x80 or above) by the
    /// well-formed UTF-8 table of Unicode section 3.9 (no overlongs, surrogates or values above
    /// U+10FFFF), the same rule `String(validating:as:)` applies.
    static func sequence(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Sequence {
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch bytes[start] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; second = 0x80...0x8F
        default: return .invalid
        }
        for offset in 1..<length {
            guard start + offset < bytes.count else { return .incomplete }
            let allowed = offset == 1 ? second : 0x80...0xBF
            guard allowed.contains(bytes[start + offset]) else { return .invalid }
        }
        return .valid(length)
    }
}
