import NIOCore

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns raw message bytes (as stored in Maildir: LF or CRLF line ends, maybe no final newline) into the
/// POP3 wire form of a RETR or TOP response body.
///
/// Every line end becomes CRLF, every line starting with "." gets another "." (RFC 1939 section 3), and
/// `finish(into:)` appends the terminating ".\r\n", adding a CRLF first if the message did not end with a
/// line end. Chunks may be split anywhere, inside a CRLF or right after a line end before a dot: the output
/// is the same bytes for every split. For TOP (RFC 1939 section 7): the headers, the blank line, then at
/// most `bodyLineLimit` body lines.
///
/// Line ends, as Dovecot treats them: LF gets a CR before it, CRLF stays CRLF, and a bare CR (one not
/// followed by LF) is kept as an ordinary byte of its line. The one exception is a CR that is the very last
/// byte of the message: it is taken as the start of the missing final line end and gets its LF, giving
/// "…\r\n" rather than Dovecot's "…\r\r\n". So the output is the stored size plus one octet per bare LF (as
/// RoostMIME's `virtualOctets` counts), plus two when the last line has no line end at all (one after a
/// final CR), plus the dots added.
///
/// The header/body boundary for TOP is the first empty line (LF alone or CRLF alone; a line holding only a
/// bare CR is not empty). A message with no empty line is all header, so TOP returns all of it whatever the
/// line count; TOP 0 returns the headers and the blank line.
///
/// Speed: each chunk is scanned for LF with memchr and copied straight into the output's storage in runs
/// between the points where a CR or a dot has to be inserted; a message already in CRLF form without leading
/// dots is one copy per chunk.
public struct POP3MessageEncoder: Sendable {
    /// The body lines TOP may still send, nil for RETR (no limit).
    private var bodyLinesLeft: Int?
    /// Still in the header, for TOP; the body starts after the first empty line.
    private var inHeader = true
    /// How many bytes of the current line came in earlier chunks, capped at 2 (all that matters is whether
    /// the line is empty, holds one CR, or holds more).
    private var carriedLineLength = 0
    /// Whether the last byte of the previous chunk was a CR in the current line.
    private var carriedCR = false
    private var isFinished = false

    /// True once no more input is needed (the TOP line limit is reached).
    public private(set) var isComplete = false

    /// An encoder for RETR (`bodyLineLimit` nil) or for "TOP msg n" (`bodyLineLimit` n, zero or more).
    public init(bodyLineLimit: Int? = nil) {
        precondition(bodyLineLimit.map { $0 >= 0 } ?? true, "a TOP line count is never negative")
        self.bodyLinesLeft = bodyLineLimit
    }

    /// Encodes one chunk, appending to `output`. Returns false once TOP's line limit is reached (the caller
    /// can stop reading); the rest of that chunk and any later chunk are ignored.
    @discardableResult
    public mutating func encode(_ chunk: ByteBuffer, into output: inout ByteBuffer) -> Bool {
        chunk.withUnsafeReadableBytes { bytes in
            encode(bytes, into: &output)
        }
    }

    /// Encodes one chunk of bytes, appending to `output` (see `encode(_:into:)` for a ByteBuffer).
    ///
    /// The bytes are copied straight into `output`'s storage, a line at a time: a ByteBuffer call
    /// per line cost more than the copying. When the room reserved runs out (many short lines),
    /// what was written is committed and more room is reserved.
    @discardableResult
    public mutating func encode(_ bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer) -> Bool {
        precondition(!isFinished, "encode(_:into:) after finish(into:)")
        if isComplete { return false }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        let count = bytes.count

        var runStart = 0  // The first byte not yet copied to the output.
        var lineStart = 0  // Where the current line starts in this chunk.
        // byte-stuffing of a line that starts this chunk.
        var stuffFirst = carriedLineLength == 0 && bytes[0] == POP3ASCII.dot
        var done = false
        while !done {
            let left = count - runStart
            // Room for the rest and a CR per 16 bytes; the loop comes back for more if needed.
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: left + left / 16 + 8) { out in
                let target = out.baseAddress!
                let room = out.count
                var written = 0
                func copy(_ from: Int, _ to: Int) {
                    if to > from { memcpy(target + written, base + from, to - from) }
                    written += to - from
                }
                func put(_ byte: UInt8) {
                    target.storeBytes(of: byte, toByteOffset: written, as: UInt8.self)
                    written += 1
                }
                if stuffFirst {
                    put(POP3ASCII.dot)
                    stuffFirst = false
                }
                while lineStart < count {
                    guard let found = memchr(base + lineStart, Int32(POP3ASCII.lf), count - lineStart) else { break }
                    let lf = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    // This line costs at most its bytes plus a CR and a dot; without that room,
                    // come back with more.
                    guard written + (lf + 1 - runStart) + 2 <= room else { return written }

                    // The line from lineStart (plus what earlier chunks carried) up to this LF.
                    let carried = lineStart == 0 ? carriedLineLength : 0
                    let endsInCR = lf > lineStart ? bytes[lf - 1] == POP3ASCII.cr : (lineStart == 0 && carriedCR)
                    let length = carried + (lf - lineStart)
                    let isEmpty = length == 0 || (length == 1 && endsInCR)

                    if !endsInCR {
                        copy(runStart, lf)
                        put(POP3ASCII.cr)
                        runStart = lf
                    }
                    lineStart = lf + 1

                    if bodyLinesLeft != nil && countLine(isEmpty: isEmpty) {
                        copy(runStart, lineStart)
                        runStart = lineStart
                        isComplete = true
                        done = true
                        return written
                    }

                    // byte-stuffing: "pre-pending the termination octet" (RFC 1939 section 3).
                    if lineStart < count && bytes[lineStart] == POP3ASCII.dot {
                        copy(runStart, lineStart)
                        put(POP3ASCII.dot)
                        runStart = lineStart
                    }
                }
                guard written + (count - runStart) <= room else { return written }
                copy(runStart, count)
                runStart = count
                done = true
                return written
            }
        }
        if isComplete { return false }

        if lineStart == count {
            carriedLineLength = 0
            carriedCR = false
        } else {
            let carried = lineStart == 0 ? carriedLineLength : 0
            carriedLineLength = min(2, carried + (count - lineStart))
            carriedCR = bytes[count - 1] == POP3ASCII.cr
        }
        return true
    }

    /// Counts one finished line for TOP; true when the limit is reached with it.
    private mutating func countLine(isEmpty: Bool) -> Bool {
        guard let left = bodyLinesLeft else { return false }
        if inHeader {
            guard isEmpty else { return false }
            inHeader = false
            return left == 0
        }
        bodyLinesLeft = left - 1
        return left - 1 == 0
    }

    /// Ends the response: a CRLF if the last line had none, then ".\r\n".
    public mutating func finish(into output: inout ByteBuffer) {
        precondition(!isFinished, "finish(into:) called twice")
        isFinished = true
        if !isComplete && carriedLineLength > 0 {
            if carriedCR {
                output.writeInteger(POP3ASCII.lf)
            } else {
                output.writeStaticString("\r\n")
            }
        }
        output.writeStaticString(".\r\n")
    }
}
