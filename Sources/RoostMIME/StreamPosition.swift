/// A point in the message stream with the counters that sizes are derived from.
struct StreamPosition: Sendable, Hashable {
    /// Bytes before this point.
    var offset = 0
    /// LF bytes before this point.
    var lineFeeds = 0
    /// LF bytes not preceded by CR before this point.
    var bareLineFeeds = 0

    /// Offset in the CRLF-normalised message.
    var virtualOffset: Int { offset + bareLineFeeds }

    /// The position just before a line break of the given kind that ends here.
    func before(_ ending: LineEnding) -> StreamPosition {
        switch ending {
        case .none:
            return self
        case .lf:
            return StreamPosition(offset: offset - 1, lineFeeds: lineFeeds - 1, bareLineFeeds: bareLineFeeds - 1)
        case .crlf:
            return StreamPosition(offset: offset - 2, lineFeeds: lineFeeds - 1, bareLineFeeds: bareLineFeeds)
        }
    }
}
