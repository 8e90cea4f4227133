@testable import RoostMIME

// The byte-at-a-time transfer decoders Roost used before the run-copying ones, kept as oracles:
// the production decoders must produce exactly their output for any input split anywhere.

/// Reference quoted-printable decoder (one byte per step).
struct ReferenceQuotedPrintableDecoder: Sendable {
    private enum State: Sendable, Hashable {
        case text
        case afterEquals
        case afterEqualsDigit(UInt8)
        /// After `=` and whitespace: a soft break if a line break follows, literal otherwise.
        case afterEqualsSpace
    }

    private var state: State = .text
    /// Whitespace not yet known to be inside the line (kept) or at its end (dropped).
    private var pendingSpace: [UInt8] = []
    /// A CR in text not yet known to start a CRLF.
    private var pendingCR = false

    init() {}

    /// Decodes `bytes` in one call.
    static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var decoder = ReferenceQuotedPrintableDecoder()
        var output = decoder.decode(bytes)
        output.append(contentsOf: decoder.finish())
        return output
    }

    /// Decodes the next chunk; returns the bytes that are final so far.
    mutating func decode(_ chunk: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(chunk.count)
        for byte in chunk { step(byte, into: &output) }
        return output
    }

    /// Releases held state at the end of input: a trailing `=` is a final soft break, a trailing
    /// incomplete escape is literal, trailing whitespace is dropped.
    mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        switch state {
        case .afterEqualsDigit(let digit):
            output.append(ASCII.equals)
            output.append(digit)
        case .text, .afterEquals, .afterEqualsSpace:
            break
        }
        if pendingCR { output.append(ASCII.cr) }
        state = .text
        pendingSpace.removeAll()
        pendingCR = false
        return output
    }

    private mutating func step(_ byte: UInt8, into output: inout [UInt8]) {
        switch state {
        case .text:
            text(byte, into: &output)
        case .afterEquals:
            if ASCII.hexValue(byte) != nil {
                state = .afterEqualsDigit(byte)
            } else if byte == ASCII.lf {
                state = .text
            } else if ASCII.isWSP(byte) || byte == ASCII.cr {
                state = .afterEqualsSpace
                pendingSpace = [byte]
            } else {
                output.append(ASCII.equals)
                state = .text
                text(byte, into: &output)
            }
        case .afterEqualsDigit(let high):
            state = .text
            if let low = ASCII.hexValue(byte), let highValue = ASCII.hexValue(high) {
                output.append(highValue << 4 | low)
            } else {
                output.append(ASCII.equals)
                output.append(high)
                text(byte, into: &output)
            }
        case .afterEqualsSpace:
            if byte == ASCII.lf {
                pendingSpace.removeAll()
                state = .text
            } else if (ASCII.isWSP(byte) || byte == ASCII.cr) && pendingSpace.count < QuotedPrintableDecoder.maxPendingSpace {
                pendingSpace.append(byte)
            } else {
                output.append(ASCII.equals)
                output.append(contentsOf: pendingSpace)
                pendingSpace.removeAll()
                state = .text
                text(byte, into: &output)
            }
        }
    }

    /// Handles a byte in plain text state.
    private mutating func text(_ byte: UInt8, into output: inout [UInt8]) {
        if pendingCR {
            pendingCR = false
            if byte == ASCII.lf {
                pendingSpace.removeAll()
                output.append(ASCII.cr)
                output.append(ASCII.lf)
                return
            }
            output.append(contentsOf: pendingSpace)
            pendingSpace.removeAll()
            output.append(ASCII.cr)
        }
        switch byte {
        case ASCII.space, ASCII.tab:
            if pendingSpace.count >= QuotedPrintableDecoder.maxPendingSpace {
                output.append(contentsOf: pendingSpace)
                pendingSpace.removeAll()
            }
            pendingSpace.append(byte)
        case ASCII.cr:
            pendingCR = true
        case ASCII.lf:
            pendingSpace.removeAll()
            output.append(ASCII.lf)
        case ASCII.equals:
            output.append(contentsOf: pendingSpace)
            pendingSpace.removeAll()
            state = .afterEquals
        default:
            output.append(contentsOf: pendingSpace)
            pendingSpace.removeAll()
            output.append(byte)
        }
    }
}

/// Reference base64 decoder (one byte per step).
struct ReferenceBase64Decoder: Sendable {
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

    /// Sextet values of the base64 alphabet, 0xFF for other bytes.
    private static let alphabet: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    init() {}

    /// Decodes `bytes` in one call.
    static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var decoder = ReferenceBase64Decoder()
        var output = decoder.decode(bytes)
        output.append(contentsOf: decoder.finish())
        return output
    }

    /// Decodes the next chunk; returns the bytes of lines completed so far.
    mutating func decode(_ chunk: some Collection<UInt8>) -> [UInt8] {
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
            if !lineReleased && lineOutput.count >= Base64Decoder.maxHeldLineOutput {
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
    mutating func finish() -> [UInt8] {
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
