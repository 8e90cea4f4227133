/// A piece of searchable text produced by `TextExtractor`.
public enum TextSegment: Sendable, Hashable, Codable {
    /// A header field of the message or of an encapsulated message, RFC 2047-decoded and unfolded.
    case header(name: String, value: String)
    /// The next piece of a text body part, transfer-decoded and converted from its charset, as
    /// well-formed UTF-8 that never ends inside a scalar's bytes. Consecutive pieces up to the
    /// following `bodyEnd` form one part's text.
    case bodyText([UInt8])
    /// The end of one text body part: a match must not span this point.
    case bodyEnd
}
