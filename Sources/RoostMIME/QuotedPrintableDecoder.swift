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
        var output = decoder.decode(bytes)
        output.append(contentsOf: decoder.finish())
        return output
    }

    /// Decodes the next chunk; returns the bytes that are final so far.
    public mutating func decode(_ chunk: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(chunk.count)
        for byte in chunk { step(byte, into: &output) }
        return output
    }

    /// Releases held state at the end of input: a trailing `=` is a final soft break, a trailing
    /// incomplete escape is literal, trailing whitespace is dropped.
    public mutating func finish() -> [UInt8] {
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
            } else if (ASCII.isWSP(byte) || byte == ASCII.cr) && pendingSpace.count < Self.maxPendingSpace {
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
            if pendingSpace.count >= Self.maxPendingSpace {
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
