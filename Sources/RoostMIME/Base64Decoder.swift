/// A streaming, mail-tolerant base64 decoder (RFC 2045 section 6.8, RFC 4648 section 4).
///
/// Mail bodies are not clean base64: lines are wrapped at any length, carry trailing spaces, are
/// sometimes concatenated blocks each with its own padding, and list servers append plain-text
/// footers after the data. The decoder therefore works line by line:
/// - whitespace (SP, HT, CR) is ignored;
/// - `=` ends the current quantum, emitting any whole bytes it holds, and decoding resumes after it
///   (so concatenated padded blocks decode fully);
/// - a line containing any other non-alphabet byte is a garbage line and contributes nothing, nor
///   does a line with internal whitespace once padding has ended the data (a footer sentence);
/// - a missing final padding is tolerated; a lone leftover sextet is dropped.
/// Output of a line is held until its end so a garbage line can be discarded whole; a line longer
/// than `maxHeldLineOutput` decoded bytes is data by any measure and is released early.
///
/// Whole quanta of four alphabet bytes, almost all of any body, are decoded four bytes at a time
/// straight into the held line; only padding, whitespace, other bytes and quanta cut by a line or
/// chunk end take the byte-by-byte path.
public struct Base64Decoder: Sendable {
    private var quantum: UInt32 = 0
    private var quantumCount = 0
    /// The current line's decoded bytes not yet released: `line[..<lineUsed]`; the rest is room.
    private var line: [UInt8] = []
    private var lineUsed = 0
    private var lineStartQuantum: UInt32 = 0
    private var lineStartCount = 0
    private var lineIsGarbage = false
    private var lineReleased = false
    private var lineHasData = false
    private var lineHasGap = false
    private var linePadded = false
    private var dataEnded = false

    /// Decoded bytes of one line held back before a line is trusted as data.
    static let maxHeldLineOutput = 8 * 1024

    /// Sextet values of the base64 alphabet, 0xFF for other bytes.
    private static let alphabet: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    public init() {}

    /// Decodes `bytes` in one call.
    public static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var decoder = Base64Decoder()
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3 + 2)
        withContiguousBytes(of: bytes) { decoder.decode($0, into: &output) }
        decoder.finish(into: &output)
        return output
    }

    /// Decodes the next chunk, appending the bytes of lines completed so far to `output`.
    public mutating func decode(_ chunk: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        Self.alphabet.withUnsafeBufferPointer { alphabet in
            var index = 0
            while index < chunk.count {
                let byte = chunk[index]
                if byte == ASCII.lf {
                    endLine(into: &output)
                    index += 1
                    continue
                }
                if lineIsGarbage {
                    index += 1
                    continue
                }
                if quantumCount == 0 && !(lineHasGap && dataEnded) {
                    let consumed = decodeQuanta(chunk, from: index, alphabet: alphabet)
                    if consumed > 0 {
                        index += consumed
                        lineHasData = true
                        releaseLongLine(into: &output)
                        continue
                    }
                }
                let value = alphabet[Int(byte)]
                if value != 0xFF {
                    if lineHasGap && dataEnded {
                        markGarbage()
                        index += 1
                        continue
                    }
                    quantum = (quantum << 6) | UInt32(value)
                    quantumCount += 1
                    lineHasData = true
                    if quantumCount == 4 {
                        appendToLine(quantum >> 16, quantum >> 8, quantum, count: 3)
                        quantum = 0
                        quantumCount = 0
                    }
                } else if byte == ASCII.equals {
                    switch quantumCount {
                    case 2: appendToLine(quantum >> 4, 0, 0, count: 1)
                    case 3: appendToLine(quantum >> 10, quantum >> 2, 0, count: 2)
                    default: break
                    }
                    quantum = 0
                    quantumCount = 0
                    linePadded = true
                } else if byte == ASCII.space || byte == ASCII.tab || byte == ASCII.cr {
                    if lineHasData { lineHasGap = true }
                } else {
                    markGarbage()
                }
                index += 1
                releaseLongLine(into: &output)
            }
        }
    }

    /// Ends the input, appending to `output`: the last line counts even without a line break;
    /// missing padding is implied.
    public mutating func finish(into output: inout [UInt8]) {
        endLine(into: &output)
        switch quantumCount {
        case 2:
            output.append(UInt8(truncatingIfNeeded: quantum >> 4))
        case 3:
            output.append(UInt8(truncatingIfNeeded: quantum >> 10))
            output.append(UInt8(truncatingIfNeeded: quantum >> 2))
        default:
            break
        }
        quantum = 0
        quantumCount = 0
    }

    /// Forgets all input, ready for a new body; the line buffer keeps its capacity.
    public mutating func reset() {
        quantum = 0
        quantumCount = 0
        lineUsed = 0
        lineStartQuantum = 0
        lineStartCount = 0
        lineIsGarbage = false
        lineReleased = false
        lineHasData = false
        lineHasGap = false
        linePadded = false
        dataEnded = false
    }

    /// Decodes the whole quanta of four alphabet bytes starting at `start` into the line; returns
    /// how many input bytes they took (0 when the first four bytes are not all alphabet bytes).
    @inline(__always)
    private mutating func decodeQuanta(_ chunk: UnsafeBufferPointer<UInt8>, from start: Int,
                                       alphabet: UnsafeBufferPointer<UInt8>) -> Int {
        let quanta = (chunk.count - start) / 4
        guard quanta > 0 else { return 0 }
        reserveLine(quanta * 3)
        var index = start
        var written = lineUsed
        line.withUnsafeMutableBufferPointer { line in
            while index + 4 <= chunk.count {
                let a = alphabet[Int(chunk[index])], b = alphabet[Int(chunk[index + 1])]
                let c = alphabet[Int(chunk[index + 2])], d = alphabet[Int(chunk[index + 3])]
                // Sextets are below 64; 0xFF (not in the alphabet) has the top bits set.
                guard (a | b | c | d) & 0xC0 == 0 else { break }
                let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                line[written] = UInt8(truncatingIfNeeded: value >> 16)
                line[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                line[written + 2] = UInt8(truncatingIfNeeded: value)
                written += 3
                index += 4
            }
        }
        lineUsed = written
        return index - start
    }

    /// Makes room in the line for `count` more bytes.
    @inline(__always)
    private mutating func reserveLine(_ count: Int) {
        let needed = lineUsed + count
        if line.count < needed { line.append(contentsOf: repeatElement(0, count: max(needed, 2 * line.count) - line.count)) }
    }

    /// Appends the low bytes of the first `count` of `first`, `second`, `third` to the line.
    @inline(__always)
    private mutating func appendToLine(_ first: UInt32, _ second: UInt32, _ third: UInt32, count: Int) {
        reserveLine(3)
        line[lineUsed] = UInt8(truncatingIfNeeded: first)
        line[lineUsed + 1] = UInt8(truncatingIfNeeded: second)
        line[lineUsed + 2] = UInt8(truncatingIfNeeded: third)
        lineUsed += count
    }

    /// Releases the held line once it is too long to be anything but data, and from then on every
    /// byte it decodes.
    @inline(__always)
    private mutating func releaseLongLine(into output: inout [UInt8]) {
        if !lineReleased && lineUsed >= Self.maxHeldLineOutput { lineReleased = true }
        if lineReleased && lineUsed > 0 { releaseLine(into: &output) }
    }

    private mutating func releaseLine(into output: inout [UInt8]) {
        let used = lineUsed
        line.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<used])) }
        lineUsed = 0
    }

    /// Discards the current line's contribution, unless part of it was already released.
    private mutating func markGarbage() {
        lineIsGarbage = true
        guard !lineReleased else { return }
        lineUsed = 0
        quantum = lineStartQuantum
        quantumCount = lineStartCount
        linePadded = false
    }

    private mutating func endLine(into output: inout [UInt8]) {
        if !lineIsGarbage {
            if lineUsed > 0 { releaseLine(into: &output) }
            if linePadded { dataEnded = true }
        }
        lineUsed = 0
        lineStartQuantum = quantum
        lineStartCount = quantumCount
        lineIsGarbage = false
        lineReleased = false
        lineHasData = false
        lineHasGap = false
        linePadded = false
    }
}
