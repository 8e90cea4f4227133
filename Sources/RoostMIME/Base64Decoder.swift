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
public struct Base64Decoder: Sendable {
    private var quantum: UInt32 = 0
    private var quantumCount = 0
    private var lineOutput: [UInt8] = []
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
        var output = decoder.decode(bytes)
        output.append(contentsOf: decoder.finish())
        return output
    }

    /// Decodes the next chunk; returns the bytes of lines completed so far.
    public mutating func decode(_ chunk: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        for byte in chunk {
            if byte == ASCII.lf {
                endLine(into: &output)
                continue
            }
            if lineIsGarbage { continue }
            let value = Self.alphabet[Int(byte)]
            if value != 0xFF {
                if lineHasGap && dataEnded {
                    markGarbage()
                    continue
                }
                quantum = (quantum << 6) | UInt32(value)
                quantumCount += 1
                lineHasData = true
                if quantumCount == 4 {
                    lineOutput.append(UInt8(truncatingIfNeeded: quantum >> 16))
                    lineOutput.append(UInt8(truncatingIfNeeded: quantum >> 8))
                    lineOutput.append(UInt8(truncatingIfNeeded: quantum))
                    quantum = 0
                    quantumCount = 0
                }
            } else if byte == ASCII.equals {
                var padded: [UInt8] = []
                swap(&padded, &lineOutput)
                flushQuantum(into: &padded)
                swap(&padded, &lineOutput)
                linePadded = true
            } else if byte == ASCII.space || byte == ASCII.tab || byte == ASCII.cr {
                if lineHasData { lineHasGap = true }
            } else {
                markGarbage()
            }
            if !lineReleased && lineOutput.count >= Self.maxHeldLineOutput {
                lineReleased = true
            }
            if lineReleased && !lineOutput.isEmpty {
                output.append(contentsOf: lineOutput)
                lineOutput.removeAll(keepingCapacity: true)
            }
        }
        return output
    }

    /// Ends the input: the last line counts even without a line break; missing padding is implied.
    public mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        endLine(into: &output)
        flushQuantum(into: &output)
        return output
    }

    /// Emits the whole bytes a partial quantum holds (2 sextets: 1 byte, 3 sextets: 2 bytes).
    private mutating func flushQuantum(into output: inout [UInt8]) {
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

    /// Discards the current line's contribution, unless part of it was already released.
    private mutating func markGarbage() {
        lineIsGarbage = true
        guard !lineReleased else { return }
        lineOutput.removeAll(keepingCapacity: true)
        quantum = lineStartQuantum
        quantumCount = lineStartCount
        linePadded = false
    }

    private mutating func endLine(into output: inout [UInt8]) {
        if !lineIsGarbage {
            output.append(contentsOf: lineOutput)
            if linePadded { dataEnded = true }
        }
        lineOutput.removeAll(keepingCapacity: true)
        lineStartQuantum = quantum
        lineStartCount = quantumCount
        lineIsGarbage = false
        lineReleased = false
        lineHasData = false
        lineHasGap = false
        linePadded = false
    }
}
