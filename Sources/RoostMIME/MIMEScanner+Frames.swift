/// Opening, closing and nesting of parts: what happens at header ends, delimiters and the end.
extension MIMEScanner {
    /// Ends the innermost frame's header with its body starting at `bodyStart`.
    ///
    /// Decides what the body is: a multipart (without a usable boundary it is a container that
    /// never finds a child, as Dovecot treats it), an encapsulated message (any message/rfc822,
    /// whatever its transfer encoding, again as Dovecot does, since IMAP's BODYSTRUCTURE grammar
    /// requires an envelope and body for that type), or a leaf. A container beyond the nesting limit,
    /// or one that could hold no part because `MIMELimits.maxTotalParts` is reached, becomes an
    /// application/octet-stream leaf. With `nesting` false (the body is known to be empty) no
    /// encapsulated message frame is opened; closing synthesises an empty one.
    mutating func finishHeader(bodyStart: StreamPosition, nesting: Bool) {
        let last = stack.count - 1
        var frame = stack[last]
        frame.bodyStart = bodyStart
        let header = Header.parse(frame.headerBytes)
        var part = Sink.wantsFullStructure ? BodyPart(header: header, defaultType: frame.defaultType)
            : BodyPart(contentFieldsOf: header, defaultType: frame.defaultType)
        let roomToNest = stack.count < limits.maxNestingDepth && partCount < limits.maxTotalParts
        var kind = ScanFrame.Kind.leaf
        if part.contentType.isMultipart {
            let boundary = Array((part.contentType.boundary ?? "").utf8)
            if !roomToNest {
                part.contentType = .applicationOctetStream
            } else {
                let usable = !boundary.isEmpty && boundary.count <= limits.maxBoundaryLength
                kind = .multipart(boundary: usable ? boundary : [])
            }
        } else if part.contentType.isMessageRFC822 {
            if roomToNest {
                kind = .message
            } else {
                part.contentType = .applicationOctetStream
            }
        }
        frame.kind = kind
        frame.part = part
        if frame.isMessageRoot && Sink.wantsFullStructure { frame.envelope = Envelope(header: header) }
        if stack.count == 1 {
            topHeader = header
            topHeaderBytes = frame.headerBytes
            topHeaderTruncated = frame.headerTruncated
            topEnvelope = frame.envelope ?? Envelope()
            topBodyStart = bodyStart
        }
        frame.headerBytes = []
        stack[last] = frame
        recomputeBoundaries()

        sink.headerParsed(header, part: part, isMessageHeader: frame.isMessageRoot, isLeaf: kind == .leaf)
        if kind == .leaf {
            heldEnding = .none
            pendingCR = false
        }
        if kind == .message && nesting {
            openPart(ScanFrame(headerStart: bodyStart, defaultType: .textPlain, isMessageRoot: true))
        }
    }

    /// Acts on a delimiter line of the multipart at `frame`; the current line is that line.
    ///
    /// Everything nested inside the multipart ends before the line break preceding the line; a
    /// delimiter opens the next part after the line, a close delimiter starts the epilogue.
    mutating func handleBoundary(frame index: Int, isClose: Bool) {
        closeFrames(downTo: index + 1, at: lineStart.before(previousLineEnding), atEndOfInput: false)
        if isClose {
            stack[index].inEpilogue = true
            recomputeBoundaries()
            return
        }
        let isDigest = stack[index].part?.contentType.subtype == "digest"
        openPart(ScanFrame(
            headerStart: position, defaultType: isDigest ? .messageRFC822 : .textPlain, isMessageRoot: false))
    }

    /// Opens the frame of a new part, counted against `MIMELimits.maxTotalParts`.
    ///
    /// The last part allowed switches boundary recognition off (see `recomputeBoundaries`), so it
    /// keeps the rest of the message and no further part can be opened.
    private mutating func openPart(_ frame: ScanFrame) {
        stack.append(frame)
        partCount += 1
        if partCount >= limits.maxTotalParts { recomputeBoundaries() }
    }

    /// Closes frames until `count` remain, each ending at `end`, or later if its body starts later
    /// or the part just closed inside it ends later.
    ///
    /// The second case arises when a delimiter ends a header that had no blank line: the header
    /// keeps its last line break, so the enclosing bodies end after it too (Dovecot reports the
    /// same sizes), which keeps every part inside its parent. At the end of input a held line break
    /// is part of the innermost body and is released; at a delimiter it belongs to the delimiter
    /// and is dropped.
    mutating func closeFrames(downTo count: Int, at end: StreamPosition, atEndOfInput: Bool) {
        var innerEnd = end
        while stack.count > count {
            if stack[stack.count - 1].bodyStart == nil {
                finishHeader(bodyStart: end, nesting: false)
            }
            let frame = stack.removeLast()
            let bodyStart = frame.bodyStart ?? end
            var bodyEnd = end.offset < bodyStart.offset ? bodyStart : end
            if innerEnd.offset > bodyEnd.offset { bodyEnd = innerEnd }
            innerEnd = bodyEnd
            if frame.kind == .leaf {
                if Sink.wantsBodies && atEndOfInput {
                    releaseHeldEnding()
                    if pendingCR {
                        pendingCR = false
                        Self.carriageReturn.withUnsafeBufferPointer { sink.leafBody($0) }
                    }
                }
                heldEnding = .none
                pendingCR = false
                sink.leafEnded()
            }

            var part = frame.part ?? BodyPart(contentType: frame.defaultType)
            part.headerOffset = frame.headerStart.offset
            part.bodyOffset = bodyStart.offset
            part.endOffset = bodyEnd.offset
            part.headerSize = PartSize(from: frame.headerStart, to: bodyStart)
            part.bodySize = PartSize(from: bodyStart, to: bodyEnd)
            switch frame.kind {
            case .multipart:
                part.children = frame.children
            case .message:
                part.message = frame.embedded ?? Self.emptyMessage(at: bodyStart)
            case .leaf:
                break
            }
            attach(part, envelope: frame.envelope)
        }
        recomputeBoundaries()
    }

    /// Hands a closed part to its parent frame, or makes it the result's root.
    private mutating func attach(_ part: BodyPart, envelope: Envelope?) {
        guard !stack.isEmpty else {
            root = part
            return
        }
        let last = stack.count - 1
        switch stack[last].kind {
        case .multipart:
            stack[last].children.append(part)
        case .message:
            stack[last].embedded = EmbeddedMessage(envelope: envelope ?? Envelope(), root: part)
        case .leaf:
            break
        }
    }

    /// The encapsulated message of a message/rfc822 part with an empty body.
    private static func emptyMessage(at position: StreamPosition) -> EmbeddedMessage {
        let root = BodyPart(
            contentType: .textPlain, headerOffset: position.offset, bodyOffset: position.offset,
            endOffset: position.offset)
        return EmbeddedMessage(envelope: Envelope(), root: root)
    }

    /// Refreshes the summary of boundaries that lines are matched against; none once the part
    /// limit is reached.
    mutating func recomputeBoundaries() {
        var count = 0
        var longest = 0
        for frame in stack where partCount < limits.maxTotalParts {
            guard let boundary = frame.activeBoundary else { continue }
            count += 1
            longest = max(longest, boundary.count)
        }
        activeBoundaryCount = count
        longestActiveBoundary = longest
    }
}
