import NIOCore
import RoostIMAPGrammar
import RoostStorage
#if canImport(Glibc)
import Glibc
#endif

/// The octets a BODY[section]<partial>, RFC822, RFC822.HEADER or RFC822.TEXT item sends, produced in chunks.
///
/// The content is planned by `MessageSections` as a list of segments: byte ranges of the message
/// file, streamed only when asked for, and small blocks built in memory (a HEADER.FIELDS subset).
/// Its `length` is known before the first octet is read, so the session can write the literal's
/// `{length}` and then pass one chunk at a time to the socket.
///
/// What goes out is what IMAP requires of message text, produced on the fly from the file:
/// - every bare LF (an LF not preceded by CR, as Maildir files usually have) is sent as CRLF, and
///   sizes and partial origins count octets that way (RFC 3501 "virtual" octets: the same count as
///   RFC822.SIZE and BODYSTRUCTURE's body-fld-octets);
/// - a NUL octet is sent as 0x80, as Dovecot does: a `literal` may not carry NUL (RFC 3501 CHAR8),
///   and replacing it keeps every size unchanged.
///
/// A partial window (`<origin.count>`) is applied to that CRLF form, so it may start between the CR
/// and the LF that stand for one bare LF. An origin at or beyond the end gives an empty string
/// (RFC 3501 section 6.4.5: "If the starting octet is beyond the end of the text, an empty string
/// is returned").
public struct SectionContent: Sendable {
    /// One piece of the content, in order.
    enum Segment: Sendable, Hashable {
        /// The message file's bytes in `range`, sent with bare LFs as CRLF; `virtualLength` is their
        /// size so (from the parsed structure, which counts the same way).
        case file(range: Range<Int>, virtualLength: Int)
        /// Octets sent as they are, already in wire form.
        case bytes([UInt8])

        var virtualLength: Int {
            switch self {
            case .file(_, let virtualLength): virtualLength
            case .bytes(let bytes): bytes.count
            }
        }
    }

    /// Octets of the literal (after the partial window).
    public let length: Int

    private let segments: [Segment]
    /// The segment being sent.
    private var segmentIndex: Int
    /// The next byte to read in the current segment: a file offset for `.file`, an index for `.bytes`.
    private var position: Int
    /// Whether the file byte before `position` is a CR; nil when not yet read after a move.
    private var previousWasCR: Bool?
    /// The CR standing for a bare LF went out (or was skipped), its LF not yet.
    private var pendingLineFeed = false
    /// Octets still to drop before the partial window starts.
    private var skip: Int
    /// Octets of the window not yet produced.
    private var remaining: Int

    /// The largest read from the file while skipping to a partial origin.
    private static let skipReadSize = 64 * 1024

    /// Content made of `segments`, cut to `partial` when given.
    init(segments: [Segment], partial: FetchAttribute.Partial?) {
        let total = segments.reduce(0) { $0 + $1.virtualLength }
        let origin = partial.map { Int($0.origin) } ?? 0
        if origin >= total {
            length = 0
        } else if let partial {
            length = min(Int(partial.length), total - origin)
        } else {
            length = total
        }
        remaining = length
        // Whole segments before the origin are never read.
        var index = 0
        var skip = length > 0 ? origin : 0
        while index < segments.count, segments[index].virtualLength <= skip {
            skip -= segments[index].virtualLength
            index += 1
        }
        self.segments = segments
        self.skip = skip
        segmentIndex = index
        position = index < segments.count ? Self.start(of: segments[index]) : 0
    }

    /// The next chunk of at most `maxOctets`, reading the message file as needed; nil when done.
    ///
    /// Throws what reading the file throws, and `StorageError.Kind.temporary` when the file ends
    /// before its parsed structure said it would (the literal's length is already promised, so the
    /// session cannot send less and must give up on the connection).
    public mutating func nextChunk(maxOctets: Int, file: borrowing MessageFile) throws -> [UInt8]? {
        precondition(maxOctets > 0, "a chunk holds at least one octet")
        guard remaining > 0 else { return nil }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(min(maxOctets, remaining))
        while remaining > 0, chunk.count < maxOctets {
            guard segmentIndex < segments.count else { throw Self.fileTooShort }
            switch segments[segmentIndex] {
            case .bytes(let bytes):
                copy(bytes, into: &chunk, maxOctets: maxOctets)
            case .file(let range, let virtualLength):
                try stream(range, identity: virtualLength == range.count, from: file, into: &chunk, maxOctets: maxOctets)
            }
        }
        return chunk
    }

    /// Writes the next chunk of content that needs no file (such as `MessageSections.cachedContent`'s)
    /// straight into `buffer`, with no chunk array between; returns the octets written, nil when done.
    ///
    /// Calling it on content that reads the message file is a programming error.
    public mutating func writeNextChunk(maxOctets: Int, into buffer: inout ByteBuffer) -> Int? {
        precondition(maxOctets > 0, "a chunk holds at least one octet")
        guard remaining > 0 else { return nil }
        var written = 0
        while remaining > 0, written < maxOctets {
            guard case .bytes(let bytes) = segments[segmentIndex] else {
                preconditionFailure("this section content reads the message file")
            }
            let range = take(from: bytes, maxOctets: maxOctets - written)
            buffer.writeBytes(bytes[range])
            written += range.count
        }
        return written
    }

    // MARK: - Segments

    /// Sends from an in-memory segment.
    private mutating func copy(_ bytes: [UInt8], into chunk: inout [UInt8], maxOctets: Int) {
        chunk.append(contentsOf: bytes[take(from: bytes, maxOctets: maxOctets - chunk.count)])
    }

    /// The next octets of an in-memory segment for the window, at most `maxOctets`; moves past them.
    private mutating func take(from bytes: [UInt8], maxOctets: Int) -> Range<Int> {
        let skipped = min(skip, bytes.count - position)
        position += skipped
        skip -= skipped
        let taken = min(bytes.count - position, remaining, maxOctets)
        let range = position..<(position + taken)
        position += taken
        remaining -= taken
        if position == bytes.count { moveToNextSegment() }
        return range
    }

    /// Sends from a file segment, turning bare LFs into CRLF and NULs into 0x80.
    ///
    /// `identity` says the range holds no bare LF, so a partial origin inside it is a plain seek.
    private mutating func stream(
        _ range: Range<Int>, identity: Bool, from file: borrowing MessageFile, into chunk: inout [UInt8], maxOctets: Int
    ) throws {
        if identity, skip > 0 {
            let skipped = min(skip, range.upperBound - position)
            position += skipped
            skip -= skipped
            previousWasCR = nil
        }
        if pendingLineFeed {
            pendingLineFeed = false
            put(SectionOctet.lf, into: &chunk)
        }
        while position < range.upperBound, wantsMore(chunk, maxOctets) {
            if previousWasCR == nil {
                previousWasCR = position > 0 ? try file.read(at: Int64(position - 1), count: 1).first == SectionOctet.cr : false
            }
            let count = min(range.upperBound - position, Self.skipReadSize, skip + maxOctets - chunk.count)
            let bytes = try file.read(at: Int64(position), count: count)
            guard !bytes.isEmpty else { throw Self.fileTooShort }
            // Runs without LF or NUL go in whole; only those two octets and a window's skipped
            // start are handled one by one.
            let hasNUL = bytes.withUnsafeBytes { memchr($0.baseAddress!, 0, $0.count) != nil }
            var index = 0
            while index < bytes.count, wantsMore(chunk, maxOctets) {
                if skip == 0, !hasNUL {
                    let end = min(bytes.count, index + min(remaining, maxOctets - chunk.count))
                    let runEnd = bytes.withUnsafeBytes { raw -> Int in
                        guard let found = memchr(raw.baseAddress! + index, Int32(SectionOctet.lf), end - index) else { return end }
                        return UnsafeRawPointer(raw.baseAddress!).distance(to: UnsafeRawPointer(found))
                    }
                    if runEnd > index {
                        chunk.append(contentsOf: bytes[index..<runEnd])
                        remaining -= runEnd - index
                        position += runEnd - index
                        previousWasCR = bytes[runEnd - 1] == SectionOctet.cr
                        index = runEnd
                        continue
                    }
                }
                let byte = bytes[index]
                index += 1
                position += 1
                let isBareLineFeed = byte == SectionOctet.lf && previousWasCR != true
                previousWasCR = byte == SectionOctet.cr
                if isBareLineFeed {
                    put(SectionOctet.cr, into: &chunk)
                    if wantsMore(chunk, maxOctets) {
                        put(SectionOctet.lf, into: &chunk)
                    } else {
                        pendingLineFeed = true
                    }
                } else {
                    put(byte == 0 ? SectionOctet.nulReplacement : byte, into: &chunk)
                }
            }
        }
        if position == range.upperBound, !pendingLineFeed { moveToNextSegment() }
    }

    /// Whether another octet is wanted: one still to skip, or room in the chunk and the window.
    private func wantsMore(_ chunk: [UInt8], _ maxOctets: Int) -> Bool {
        skip > 0 || (remaining > 0 && chunk.count < maxOctets)
    }

    /// Skips one octet of the CRLF form, or adds it to the chunk once the window has started.
    private mutating func put(_ byte: UInt8, into chunk: inout [UInt8]) {
        if skip > 0 {
            skip -= 1
        } else {
            chunk.append(byte)
            remaining -= 1
        }
    }

    private mutating func moveToNextSegment() {
        segmentIndex += 1
        position = segmentIndex < segments.count ? Self.start(of: segments[segmentIndex]) : 0
        previousWasCR = nil
        pendingLineFeed = false
    }

    private static func start(of segment: Segment) -> Int {
        switch segment {
        case .file(let range, _): range.lowerBound
        case .bytes: 0
        }
    }

    private static let fileTooShort = StorageError(
        .temporary, "the message file is shorter than its parsed structure; the section cannot be sent")
}

/// The octets the section streams care about.
enum SectionOctet {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    /// What a NUL octet is sent as (Dovecot's choice: an 8-bit octet keeps sizes unchanged).
    static let nulReplacement: UInt8 = 0x80
}
