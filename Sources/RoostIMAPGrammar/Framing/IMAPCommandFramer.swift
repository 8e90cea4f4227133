import NIOCore

/// Cuts the client's byte stream into whole commands with their literals: a pure struct, fed bytes,
/// returning what the caller must do next.
///
///     literal         = "{" number64 ["+"] "}" CRLF *CHAR8          (RFC 9051; "+" from RFC 7888)
///
/// RFC 3501 section 2.2 and 7.5, RFC 7888 section 3. A line ending in `{n}` or `{n+}` continues after
/// n octets of literal; a synchronizing `{n}` makes the framer return `.continuationRequest` (the
/// caller sends `+ Ready`) and only then does the client send the octets.
///
/// Why and edge cases:
/// - Limits are checked before buffering: a line is refused as soon as the buffered text passes
///   `IMAPLimits.maxCommandOctets`, and a literal from its header, so a client cannot make the server
///   hold more than the limits.
/// - After an error the framer resynchronises on its own: the rest of the offending line is skipped; if it
///   ended with a non-synchronizing literal, those octets (which the client sends regardless) and the
///   command's following lines are skipped too. After a refused synchronizing literal nothing is
///   skipped: the client waits for `+`, sees the tagged reply instead, and does not send the literal.
/// - Lines may end in CRLF or a bare LF (as Dovecot accepts); empty lines between commands are ignored.
/// - The framer looks at nothing but line ends and literal headers: 8-bit text and NUL pass through to the
///   parser, which decides.
/// - Output does not depend on how the input is split (tested byte by byte and at every split point).
public struct IMAPCommandFramer: Sendable {
    /// Which non-synchronizing literals the server advertises (RFC 7888: never both).
    public enum NonSynchronizingLiterals: Hashable, Sendable {
        /// LITERAL+: any size up to `IMAPLimits.maxLiteralOctets`.
        case literalPlus
        /// LITERAL-: at most `IMAPLimits.literalMinusMaxOctets` (4,096).
        case literalMinus
    }

    /// What the caller does next.
    public enum Output: Hashable, Sendable {
        /// A whole command: parse it and run it.
        case command(IMAPCommandFrame)
        /// A synchronizing literal was accepted: send `+ Ready` (a command continuation request).
        case continuationRequest
        /// The command was refused and skipped; answer it (with its tag if known).
        case error(IMAPFramingError)
    }

    /// The limits; a session may change them between commands (smaller literals before login).
    public var limits: IMAPLimits
    public let nonSynchronizingLiterals: NonSynchronizingLiterals

    private enum State: Sendable {
        /// Reading command text up to LF.
        case line
        /// Reading `count` literal octets that follow the command text `text`.
        case literal(count: Int, text: ByteBuffer)
        /// Skipping a refused command's text up to LF, remembering the last octets to spot a literal header.
        case discardLine(tail: [UInt8])
        /// Skipping a refused command's non-synchronizing literal.
        case discardLiteral(remaining: UInt64)
    }

    /// The most octets kept of a skipped line to find a `{n+}` header at its end.
    private static let discardTailOctets = 32

    private var buffer = ByteBuffer()
    private var state = State.line
    /// How many buffered octets are known to hold no LF (so byte-by-byte input is not rescanned).
    private var scanned = 0
    private var pieces: [IMAPCommandFrame.Piece] = []
    private var commandOctets = 0
    private var tag: Tag?

    public init(limits: IMAPLimits = IMAPLimits(), nonSynchronizingLiterals: NonSynchronizingLiterals = .literalPlus) {
        self.limits = limits
        self.nonSynchronizingLiterals = nonSynchronizingLiterals
    }

    /// Adds received bytes; call `next()` until it returns `nil`.
    public mutating func append(_ bytes: ByteBuffer) {
        var bytes = bytes
        buffer.writeBuffer(&bytes)
    }

    /// Adds received bytes; call `next()` until it returns `nil`.
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        buffer.writeBytes(bytes)
    }

    /// The next thing to do, or `nil` when more bytes are needed (not an error).
    public mutating func next() -> Output? {
        defer {
            if buffer.readerIndex > 65_536 { buffer.discardReadBytes() }
        }
        while true {
            switch state {
            case .line:
                switch readLine() {
                case .output(let output): return output
                case .needMoreBytes: return nil
                case .again: continue
                }
            case .literal(let count, let text):
                guard let literal = buffer.readSlice(length: count) else { return nil }
                pieces.append(IMAPCommandFrame.Piece(line: text, literal: literal))
                state = .line
                scanned = 0
            case .discardLine(let tail):
                let view = buffer.readableBytesView
                guard let lf = view.firstIndex(of: IMAPASCII.lf) else {
                    state = .discardLine(tail: Array((tail + view.suffix(Self.discardTailOctets)).suffix(Self.discardTailOctets)))
                    buffer.moveReaderIndex(forwardBy: view.count)
                    return nil
                }
                var end = Array((tail + view[..<lf].suffix(Self.discardTailOctets + 1)).suffix(Self.discardTailOctets + 1))
                if end.last == IMAPASCII.cr { end.removeLast() }
                buffer.moveReaderIndex(forwardBy: lf - view.startIndex + 1)
                resynchronise(after: Self.literalHeader(in: end))
            case .discardLiteral(let remaining):
                let skip = Int(min(remaining, UInt64(buffer.readableBytes)))
                buffer.moveReaderIndex(forwardBy: skip)
                let left = remaining - UInt64(skip)
                guard left == 0 else {
                    state = .discardLiteral(remaining: left)
                    return nil
                }
                state = .discardLine(tail: [])
            }
        }
    }

    private enum Step {
        case output(Output)
        case needMoreBytes
        case again
    }

    private mutating func readLine() -> Step {
        let view = buffer.readableBytesView
        let isFirstLine = pieces.isEmpty
        guard let lf = view[(view.startIndex + scanned)...].firstIndex(of: IMAPASCII.lf) else {
            scanned = view.count
            let text = view.count - (view.last == IMAPASCII.cr ? 1 : 0)
            guard commandOctets + text > limits.maxCommandOctets else { return .needMoreBytes }
            // Too long before its end: refuse now, keep only what finds a literal header at the end.
            if isFirstLine { tag = tagOfOverlongLine(view) }
            let error = IMAPFramingError(.lineTooLong(limit: limits.maxCommandOctets), tag: tag)
            state = .discardLine(tail: Array(view.suffix(Self.discardTailOctets)))
            buffer.moveReaderIndex(forwardBy: view.count)
            scanned = 0
            resetCommand()
            return .output(.error(error))
        }
        var length = lf - view.startIndex
        scanned = 0
        if length > 0, view[lf - 1] == IMAPASCII.cr { length -= 1 }
        let lineBytes = view[view.startIndex..<(view.startIndex + length)]
        buffer.moveReaderIndex(forwardBy: lf - view.startIndex + 1)
        let header = Self.literalHeader(in: lineBytes)
        commandOctets += length
        if isFirstLine {
            if lineBytes.isEmpty { return .again }
            let tagEnd = lineBytes.firstIndex(of: IMAPASCII.space) ?? lineBytes.endIndex
            tag = Tag(bytes: lineBytes[..<tagEnd])
            if commandOctets > limits.maxCommandOctets { tag = tagOfOverlongLine(lineBytes) }
        }
        if commandOctets > limits.maxCommandOctets {
            return refuse(.lineTooLong(limit: limits.maxCommandOctets), header: header)
        }
        guard let header else {
            let frame = IMAPCommandFrame(pieces: pieces + [.init(line: ByteBuffer(bytes: lineBytes))], tag: tag)
            resetCommand()
            return .output(.command(frame))
        }
        if pieces.count >= limits.maxLiteralsPerCommand {
            return refuse(.tooManyLiterals(limit: limits.maxLiteralsPerCommand), header: header)
        }
        // The limit holds for the command's literals together (MULTIAPPEND, a LOGIN of two), so
        // one command never makes the server hold more than it.
        let literalOctets = pieces.reduce(0) { $0 + ($1.literal?.readableBytes ?? 0) }
        var limit = limits.maxLiteralOctets - literalOctets
        if header.nonSynchronizing, nonSynchronizingLiterals == .literalMinus {
            limit = min(limit, IMAPLimits.literalMinusMaxOctets)
        }
        guard header.octets <= UInt64(limit) else {
            let kind = IMAPFramingError.Kind.literalTooLarge(
                octets: header.octets, limit: limit, synchronizing: !header.nonSynchronizing)
            return refuse(kind, header: header)
        }
        let text = ByteBuffer(bytes: lineBytes.prefix(header.start))
        state = .literal(count: Int(header.octets), text: text)
        return header.nonSynchronizing ? .again : .output(.continuationRequest)
    }

    /// Reports `kind` for the current command after its line was read whole, and resynchronises.
    private mutating func refuse(_ kind: IMAPFramingError.Kind, header: LiteralHeader?) -> Step {
        let error = IMAPFramingError(kind, tag: tag)
        resetCommand()
        resynchronise(after: header)
        return .output(.error(error))
    }

    /// After a skipped line: skip its non-synchronizing literal and the lines after it, else start afresh.
    private mutating func resynchronise(after header: LiteralHeader?) {
        if let header, header.nonSynchronizing {
            state = .discardLiteral(remaining: header.octets)
        } else {
            state = .line
        }
        scanned = 0
    }

    /// The tag of a first line that is too long: only if its SP is within the limit, so the answer does not
    /// depend on how much of the line had arrived when it was refused.
    private func tagOfOverlongLine(_ line: ByteBufferView) -> Tag? {
        let head = line.prefix(limits.maxCommandOctets)
        guard let space = head.firstIndex(of: IMAPASCII.space) else { return nil }
        return Tag(bytes: head[..<space])
    }

    private mutating func resetCommand() {
        pieces = []
        commandOctets = 0
        tag = nil
    }

    struct LiteralHeader: Hashable {
        /// Where `{` is in the line.
        var start: Int
        var octets: UInt64
        var nonSynchronizing: Bool
    }

    /// The literal header that ends `line` (without CRLF), if any: `{` 1*DIGIT [`+`] `}`.
    ///
    /// Octet counts beyond `UInt64` saturate: they are refused as too large either way.
    static func literalHeader<C: BidirectionalCollection<UInt8>>(in line: C) -> LiteralHeader? where C.Index == Int {
        guard !line.isEmpty else { return nil }
        var i = line.index(before: line.endIndex)
        guard line[i] == IMAPASCII.closeBrace, i > line.startIndex else { return nil }
        i -= 1
        var nonSynchronizing = false
        if line[i] == IMAPASCII.plus {
            nonSynchronizing = true
            guard i > line.startIndex else { return nil }
            i -= 1
        }
        let digitsEnd = i + 1
        while i >= line.startIndex, IMAPASCII.isDigit(line[i]) { i -= 1 }
        guard i >= line.startIndex, i + 1 < digitsEnd, line[i] == IMAPASCII.openBrace else { return nil }
        var octets: UInt64 = 0
        for digit in line[(i + 1)..<digitsEnd] {
            let (times10, o1) = octets.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit - IMAPASCII.zero))
            octets = o1 || o2 ? UInt64.max : sum
        }
        return LiteralHeader(start: i - line.startIndex, octets: octets, nonSynchronizing: nonSynchronizing)
    }
}

