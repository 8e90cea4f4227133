import Glibc

/// The streaming MIME state machine shared by `MessageParser` and `TextExtractor`.
///
/// Input is processed line by line without ever buffering a whole body line: `memchr` finds line
/// feeds, and of each line only a prefix long enough to recognise a boundary delimiter
/// (`--` + boundary + `--`) is kept. Header lines are appended to the open frame's header buffer.
///
/// Boundary recognition follows RFC 2046 section 5.1.1 as Dovecot applies it: a line is a
/// delimiter when it starts with `--` and the boundary of any enclosing multipart that has not seen
/// its close delimiter (the longest match wins, the innermost among equals); anything after the
/// boundary on the line is ignored; a trailing `--` makes it a close delimiter. A delimiter of an
/// outer multipart closes every part nested inside it, and one found in a part's header ends that
/// header. The line break before a delimiter line belongs to the delimiter, so a part's body ends
/// before it. Once `MIMELimits.maxTotalParts` parts are open or closed, no line is a delimiter
/// any more.
///
/// For the sink, body bytes of a leaf are released as soon as they are known not to belong to a
/// delimiter: a line's held-back prefix is released once it cannot be a delimiter, and each line
/// break is held until the next line shows it is not followed by a delimiter.
struct MIMEScanner<Sink: MIMEScanSink>: Sendable {
    enum LineMode: Sendable {
        case header
        case leafBody
        case containerBody
    }

    enum LineDecision: Sendable, Equatable {
        case undecided
        case content
        case boundary(frame: Int, isClose: Bool)
    }

    let limits: MIMELimits
    var sink: Sink

    var position = StreamPosition()
    var lastByteWasCR = false
    var lineStart = StreamPosition()
    var lineLength = 0
    var prefix: [UInt8] = []
    let prefixCapacity: Int
    var lineMode: LineMode = .header
    var decision: LineDecision = .undecided
    var previousLineEnding: LineEnding = .none
    /// Index in the innermost frame's header buffer where the current header line starts.
    var headerLineStart = 0

    var heldEnding: LineEnding = .none
    var pendingCR = false

    var stack: [ScanFrame]
    /// Parts opened so far, the message itself included (bounded by `MIMELimits.maxTotalParts`).
    var partCount = 1
    var activeBoundaryCount = 0
    var longestActiveBoundary = 0

    var topHeader = Header()
    var topHeaderBytes: [UInt8] = []
    var topHeaderTruncated = false
    var topEnvelope = Envelope()
    /// Where the message's body starts, once its header has ended.
    var topBodyStart: StreamPosition?
    var root: BodyPart?
    var result: ParsedMessage?

    init(limits: MIMELimits, sink: Sink) {
        self.limits = limits
        self.sink = sink
        self.prefixCapacity = limits.maxBoundaryLength + 4
        self.stack = [ScanFrame(headerStart: StreamPosition(), defaultType: .textPlain, isMessageRoot: true)]
        prefix.reserveCapacity(prefixCapacity)
    }

    /// Consumes a chunk of the message; chunks may split the input anywhere.
    mutating func feed(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard result == nil, let base = buffer.baseAddress else { return }
        var index = 0
        while index < buffer.count {
            let found = memchr(base + index, Int32(ASCII.lf), buffer.count - index)
            let lineFeed = found.map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) }
            let segmentEnd = lineFeed ?? buffer.count
            if segmentEnd > index {
                consume(UnsafeBufferPointer(rebasing: buffer[index..<segmentEnd]))
            }
            if let lineFeed {
                endLine()
                index = lineFeed + 1
            } else {
                index = buffer.count
            }
        }
    }

    /// Ends the input and returns the result; later calls return the same result.
    mutating func finish() -> ParsedMessage {
        if let result { return result }
        if lineLength > 0 { completeLine(.none) }
        closeFrames(downTo: 0, at: position, atEndOfInput: true)
        let parsed = ParsedMessage(
            structure: MessageStructure(root: root ?? BodyPart(contentType: .textPlain)),
            envelope: topEnvelope, header: topHeader, headerBytes: topHeaderBytes,
            headerTruncated: topHeaderTruncated, size: PartSize(from: StreamPosition(), to: position))
        result = parsed
        return parsed
    }

    /// Bytes of the current line up to (not including) a line feed.
    private mutating func consume(_ segment: UnsafeBufferPointer<UInt8>) {
        position.offset += segment.count
        lineLength += segment.count
        lastByteWasCR = segment.last == ASCII.cr
        switch lineMode {
        case .header:
            appendHeaderBytes(segment)
            collectPrefix(segment)
        case .containerBody:
            collectPrefix(segment)
        case .leafBody:
            guard Sink.wantsBodies else {
                collectPrefix(segment)
                return
            }
            switch decision {
            case .content:
                emitContent(segment)
            case .boundary:
                break
            case .undecided:
                // A line not starting with "-" is content: no need to gather its prefix first.
                if prefix.isEmpty, let first = segment.first, first != ASCII.hyphen {
                    decision = .content
                    emitContent(segment)
                    return
                }
                let taken = collectPrefix(segment)
                decideEarly()
                if decision == .content {
                    releaseHeldEnding()
                    prefix.withUnsafeBufferPointer { emitContent($0) }
                    emitContent(UnsafeBufferPointer(rebasing: segment[taken...]))
                }
            }
        }
    }

    /// A line feed: completes the line and starts the next one.
    private mutating func endLine() {
        let ending: LineEnding = lastByteWasCR ? .crlf : .lf
        position.offset += 1
        position.lineFeeds += 1
        if ending == .lf { position.bareLineFeeds += 1 }
        lastByteWasCR = false
        lineLength += 1
        if lineMode == .header {
            Self.lineFeed.withUnsafeBufferPointer { appendHeaderBytes($0) }
        }
        completeLine(ending)
        beginLine(after: ending)
    }

    private mutating func beginLine(after ending: LineEnding) {
        previousLineEnding = ending
        lineStart = position
        lineLength = 0
        // Content lines mostly gather no prefix, and emptying an empty array still calls replaceSubrange.
        if !prefix.isEmpty { prefix.removeAll(keepingCapacity: true) }
        decision = .undecided
        // The frame's fields are read in place: copying the frame out retained all its arrays.
        guard !stack.isEmpty else {
            lineMode = .containerBody
            return
        }
        let last = stack.count - 1
        if stack[last].bodyStart == nil {
            lineMode = .header
            headerLineStart = stack[last].headerBytes.count
        } else if case .leaf = stack[last].kind {
            lineMode = .leafBody
            if activeBoundaryCount == 0 { decision = .content }
        } else {
            lineMode = .containerBody
        }
    }

    /// Acts on a complete line; `ending` is `.none` for a last line without a line break.
    private mutating func completeLine(_ ending: LineEnding) {
        switch lineMode {
        case .header:
            completeHeaderLine(ending)
        case .leafBody, .containerBody:
            completeBodyLine(ending)
        }
    }

    private mutating func completeHeaderLine(_ ending: LineEnding) {
        if lineLength == ending.byteCount && ending != .none {
            finishHeader(bodyStart: position, nesting: true)
            return
        }
        guard let match = matchBoundary() else { return }
        let last = stack.count - 1
        if !stack[last].headerTruncated {
            stack[last].headerBytes.removeSubrange(min(headerLineStart, stack[last].headerBytes.count)...)
        }
        finishHeader(bodyStart: lineStart, nesting: false)
        handleBoundary(frame: match.frame, isClose: match.isClose)
    }

    private mutating func completeBodyLine(_ ending: LineEnding) {
        let wasUndecided = decision == .undecided
        if wasUndecided {
            decision = matchBoundary().map { .boundary(frame: $0.frame, isClose: $0.isClose) } ?? .content
        }
        switch decision {
        case .boundary(let frame, let isClose):
            handleBoundary(frame: frame, isClose: isClose)
        case .content, .undecided:
            guard Sink.wantsBodies, lineMode == .leafBody else { return }
            releaseHeldEnding()
            if wasUndecided {
                let contentLength = prefix.count - (ending == .crlf && prefix.last == ASCII.cr ? 1 : 0)
                prefix.withUnsafeBufferPointer { emitContent(UnsafeBufferPointer(rebasing: $0[..<contentLength])) }
            }
            if ending != .none { pendingCR = false }
            heldEnding = ending
        }
    }

    /// Keeps the start of the line for boundary matching; returns how many bytes were taken.
    /// Stops early once the line cannot start with `--`.
    @discardableResult
    private mutating func collectPrefix(_ segment: UnsafeBufferPointer<UInt8>) -> Int {
        if let first = prefix.first, first != ASCII.hyphen { return 0 }
        if prefix.count >= 2, prefix[1] != ASCII.hyphen { return 0 }
        let taken = min(prefixCapacity - prefix.count, segment.count)
        prefix.append(contentsOf: UnsafeBufferPointer(rebasing: segment[..<taken]))
        return taken
    }

    /// Decides before the line ends whether it is content, once the prefix allows it.
    private mutating func decideEarly() {
        if activeBoundaryCount == 0 { decision = .content; return }
        if let first = prefix.first, first != ASCII.hyphen { decision = .content; return }
        if prefix.count >= 2, prefix[1] != ASCII.hyphen { decision = .content; return }
        guard prefix.count >= longestActiveBoundary + 4 else { return }
        decision = matchBoundary().map { .boundary(frame: $0.frame, isClose: $0.isClose) } ?? .content
    }

    /// The enclosing multipart whose boundary the current line's prefix starts with.
    private func matchBoundary() -> (frame: Int, isClose: Bool)? {
        guard activeBoundaryCount > 0, prefix.count >= 3, prefix[0] == ASCII.hyphen, prefix[1] == ASCII.hyphen else {
            return nil
        }
        var best: (frame: Int, length: Int)?
        for index in stack.indices.reversed() {
            guard let boundary = stack[index].activeBoundary, boundary.count > (best?.length ?? 0),
                  prefix.count >= boundary.count + 2,
                  prefix[2..<(boundary.count + 2)].elementsEqual(boundary) else { continue }
            best = (index, boundary.count)
        }
        guard let best else { return nil }
        let closeAt = best.length + 2
        let isClose = prefix.count >= closeAt + 2 && prefix[closeAt] == ASCII.hyphen && prefix[closeAt + 1] == ASCII.hyphen
        return (best.frame, isClose)
    }

    private mutating func appendHeaderBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        let last = stack.count - 1
        guard !stack[last].headerTruncated else { return }
        if stack[last].headerBytes.count + bytes.count > limits.maxHeaderBytes {
            stack[last].headerBytes.removeSubrange(min(headerLineStart, stack[last].headerBytes.count)...)
            stack[last].headerTruncated = true
        } else {
            stack[last].headerBytes.append(contentsOf: bytes)
        }
    }

    /// Sends content bytes to the sink, holding back a trailing CR that may start a line break.
    mutating func emitContent(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        releaseHeldEnding()
        if pendingCR {
            pendingCR = false
            Self.carriageReturn.withUnsafeBufferPointer { sink.leafBody($0) }
        }
        if bytes.last == ASCII.cr {
            pendingCR = true
            if bytes.count > 1 { sink.leafBody(UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 1)])) }
        } else {
            sink.leafBody(bytes)
        }
    }

    /// Sends the line break held from the previous line: it turned out to be content.
    mutating func releaseHeldEnding() {
        guard heldEnding != .none else { return }
        let bytes = heldEnding.bytes
        heldEnding = .none
        bytes.withUnsafeBufferPointer { sink.leafBody($0) }
    }

    static var carriageReturn: [UInt8] { [ASCII.cr] }
    static var lineFeed: [UInt8] { [ASCII.lf] }
}
