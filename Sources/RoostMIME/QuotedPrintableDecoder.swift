/// A streaming quoted-printable decoder (RFC 2045 section 6.7).
///
/// Follows the robustness rules of section 6.7 as clients apply them:
/// - `=XX` with hex digits of either case decodes to the octet; any other `=` sequence (a bad
///   escape) is kept literally, as note (2) of the section suggests;
/// - `=` followed by optional whitespace and a line break is a soft line break and vanishes;
/// - whitespace at the end of a line was possibly added in transport (rule 3) and is removed;
/// - line breaks (CRLF or bare LF) are kept as they are.
/// A chunk may end anywhere, including between `=` and its digits or between CR and LF.
public struct QuotedPrintableDecoder: Sendable {
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

    /// Whitespace held before it is released as literal even without knowing what follows.
    static let maxPendingSpace = 4096

    public init() {}

    /// Decodes `bytes` in one call.
    public static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var decoder = QuotedPrintableDecoder()
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        withContiguousBytes(of: bytes) { decoder.decode($0, into: &output) }
        decoder.finish(into: &output)
        return output
    }

    /// Decodes the next chunk, appending the bytes that are final so far to `output`.
    ///
    /// In plain text state, a run of bytes up to the next `=`, CR or LF needs no decision except for
    /// its trailing whitespace: everything up to its last other byte is copied in one go, and only the
    /// special bytes and that whitespace go through the state machine one by one.
    public mutating func decode(_ chunk: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let count = chunk.count
        var index = 0
        while index < count {
            if case .text = state, !pendingCR {
                let runStart = index
                index = Self.runEnd(chunk, from: index)
                var keptEnd = index
                while keptEnd > runStart && ASCII.isWSP(chunk[keptEnd - 1]) { keptEnd -= 1 }
                if keptEnd > runStart {
                    releasePendingSpace(into: &output)
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[runStart..<keptEnd]))
                }
                for spaceIndex in keptEnd..<index { text(chunk[spaceIndex], into: &output) }
                guard index < count else { return }
            }
            step(chunk[index], into: &output)
            index += 1
        }
    }

    /// The index of the first `=`, CR or LF at or after `start`, or `chunk.count`; eight bytes at a
    /// time while none of them is one.
    @inline(__always)
    private static func runEnd(_ chunk: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = chunk.count
        if let base = chunk.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if hasByte(word, ASCII.equals) || hasByte(word, ASCII.lf) || hasByte(word, ASCII.cr) { break }
                index += 8
            }
        }
        while index < count {
            let byte = chunk[index]
            if byte == ASCII.equals || byte == ASCII.lf || byte == ASCII.cr { break }
            index += 1
        }
        return index
    }

    /// Whether some byte of `word` is `byte` (exact: the classic zero-byte test on `word ^ byte`s).
    @inline(__always)
    private static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let xored = word ^ (ones &* UInt64(byte))
        return (xored &- ones) & ~xored & ASCII.highBits != 0
    }

    /// Releases held state at the end of input, appending to `output`: a trailing `=` is a final soft
    /// break, a trailing incomplete escape is literal, trailing whitespace is dropped.
    public mutating func finish(into output: inout [UInt8]) {
        switch state {
        case .afterEqualsDigit(let digit):
            output.append(ASCII.equals)
            output.append(digit)
        case .text, .afterEquals, .afterEqualsSpace:
            break
        }
        if pendingCR { output.append(ASCII.cr) }
        reset()
    }

    /// Forgets held state, ready for a new body; the whitespace buffer keeps its capacity.
    public mutating func reset() {
        state = .text
        pendingSpace.removeAll(keepingCapacity: true)
        pendingCR = false
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
                pendingSpace.removeAll(keepingCapacity: true)
                pendingSpace.append(byte)
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
                pendingSpace.removeAll(keepingCapacity: true)
                state = .text
            } else if (ASCII.isWSP(byte) || byte == ASCII.cr) && pendingSpace.count < Self.maxPendingSpace {
                pendingSpace.append(byte)
            } else {
                output.append(ASCII.equals)
                releasePendingSpace(into: &output)
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
                pendingSpace.removeAll(keepingCapacity: true)
                output.append(ASCII.cr)
                output.append(ASCII.lf)
                return
            }
            releasePendingSpace(into: &output)
            output.append(ASCII.cr)
        }
        switch byte {
        case ASCII.space, ASCII.tab:
            if pendingSpace.count >= Self.maxPendingSpace { releasePendingSpace(into: &output) }
            pendingSpace.append(byte)
        case ASCII.cr:
            pendingCR = true
        case ASCII.lf:
            pendingSpace.removeAll(keepingCapacity: true)
            output.append(ASCII.lf)
        case ASCII.equals:
            releasePendingSpace(into: &output)
            state = .afterEquals
        default:
            releasePendingSpace(into: &output)
            output.append(byte)
        }
    }

    /// Whitespace turned out to be inside the line: it is kept.
    @inline(__always)
    private mutating func releasePendingSpace(into output: inout [UInt8]) {
        guard !pendingSpace.isEmpty else { return }
        output.append(contentsOf: pendingSpace)
        pendingSpace.removeAll(keepingCapacity: true)
    }
}
