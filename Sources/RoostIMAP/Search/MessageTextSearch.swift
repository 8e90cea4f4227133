import RoostMIME
import RoostStorage

/// The BODY and TEXT strings of one SEARCH, searched for in one pass over a message's file.
///
/// Made once per SEARCH and reused message after message: the matchers (folded needles, shift
/// tables, windows) and the extractor's scanner and decoder buffers keep their storage, so a search
/// of many small messages does not allocate them again for each.
///
/// BODY searches see the decoded text of the text parts (RFC 3501 allows leaving out other media
/// types); TEXT searches see those and every header field of the message and of the messages it
/// encapsulates, as `Name: value` with encoded words decoded, but not the header fields of MIME parts
/// (Content-Type and the like, which Dovecot's TEXT also searches). No match spans two header fields
/// or two body parts.
struct MessageTextSearch {
    private let includesHeader: [Bool]
    private var matchers: [TextMatcher]
    private var extractor = TextExtractor()

    /// Message files are read in pieces of at most this size, so a 50 MB message never sits in memory.
    static let chunkSize = 256 * 1024

    init(_ searches: [SearchProgram.TextSearch]) {
        includesHeader = searches.map(\.includesHeader)
        matchers = searches.map { TextMatcher($0.needle) }
    }

    /// Whether each search matches the message in `file`; stops reading once every one has matched.
    mutating func search(_ file: borrowing MessageFile) throws -> [Bool] {
        // Taken out while the extractor runs, which hands its text to a closure that feeds them.
        var matchers: [TextMatcher] = []
        swap(&matchers, &self.matchers)
        defer { swap(&matchers, &self.matchers) }
        for index in matchers.indices { matchers[index].reset() }
        extractor.reset()

        let includesHeader = includesHeader
        func consume(_ segment: TextSegment) {
            switch segment {
            case .header(let name, let value):
                for index in matchers.indices where includesHeader[index] && !matchers[index].hasMatched {
                    _ = matchers[index].feed(name)
                    _ = matchers[index].feed(": ")
                    _ = matchers[index].feed(value)
                    _ = matchers[index].finish()
                }
            case .bodyText(let text):
                text.withUnsafeBufferPointer { text in
                    for index in matchers.indices { _ = matchers[index].feed(utf8: text) }
                }
            case .bodyEnd:
                for index in matchers.indices { _ = matchers[index].finish() }
            }
        }
        var offset: Int64 = 0
        while !matchers.allSatisfy(\.hasMatched) {
            // One byte past the size the file had when opened, so its end is seen without another read.
            let wanted = Int(min(Int64(Self.chunkSize), max(file.size - offset, 0) + 1))
            let chunk = try file.read(at: offset, count: wanted)
            offset += Int64(chunk.count)
            chunk.withUnsafeBufferPointer { extractor.feed(chunk: $0, each: consume) }
            if chunk.count < wanted {
                extractor.finish(each: consume)
                break
            }
        }
        for index in matchers.indices { _ = matchers[index].finish() }
        return matchers.map(\.hasMatched)
    }
}
