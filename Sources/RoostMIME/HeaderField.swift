/// One header field (RFC 5322 section 2.2): a name, the raw value bytes, and the unfolded value.
///
/// `rawValue` is everything after the colon up to the end of the field, folding line breaks
/// included and the final line break excluded, so the field can be reproduced byte for byte.
/// `value` is the unfolded (section 2.2.3) text with surrounding whitespace removed; 8-bit bytes are
/// read as UTF-8 when valid (RFC 6532) and otherwise as ISO-8859-1, which is for display only: the
/// bytes themselves stay in `rawValue`.
public struct HeaderField: Sendable, Hashable, Codable {
    /// The field name as written (compare with `hasName(_:)`, names are case-insensitive).
    public var name: String
    public var rawValue: [UInt8]

    /// Creates a field from its name and raw value bytes.
    public init(name: String, rawValue: [UInt8]) {
        self.name = name
        self.rawValue = rawValue
    }

    /// The unfolded value; made on demand, since most fields (those read from the message cache
    /// to answer `BODY[HEADER.FIELDS]`) are only ever copied out raw.
    public var value: String {
        ASCII.lenientString(Self.unfold(rawValue))
    }

    /// The value with RFC 2047 encoded words decoded, for display and SEARCH.
    public var decodedValue: String {
        EncodedWord.decode(bytes: Self.unfold(rawValue))
    }

    /// Whether the field is called `name`, ignoring ASCII case.
    public func hasName(_ name: String) -> Bool {
        ASCII.caseInsensitiveEquals(self.name, name)
    }

    /// Removes the line breaks of folding (CRLF or bare LF, and stray CRs before them) and trims
    /// surrounding whitespace.
    static func unfold(_ raw: [UInt8]) -> ArraySlice<UInt8> {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        for (index, byte) in raw.enumerated() {
            if byte == ASCII.lf { continue }
            if byte == ASCII.cr, index + 1 < raw.count, raw[index + 1] == ASCII.lf { continue }
            output.append(byte)
        }
        return ASCII.trimmed(output)
    }
}
