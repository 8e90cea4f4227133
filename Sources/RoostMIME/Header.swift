/// A parsed header block: the ordered list of fields (RFC 5322 section 2.2).
///
/// Parsing is tolerant the way mail servers must be:
/// - lines may end in CRLF or bare LF (Maildir files usually use LF);
/// - a line without a colon, or whose name is not printable ASCII without spaces (such as an mbox
///   `From ` line), is skipped, along with continuation lines that follow it;
/// - a continuation line before any field is skipped;
/// - whitespace before the colon (obsolete syntax, RFC 5322 section 4.5) is allowed;
/// - the block ends at the first empty line; anything after it is ignored.
public struct Header: Sendable, Hashable, Codable {
    public var fields: [HeaderField]

    public init(fields: [HeaderField] = []) {
        self.fields = fields
    }

    /// Parses a header block (with or without its terminating empty line).
    public static func parse(_ bytes: some Collection<UInt8>) -> Header {
        let block = Array(bytes)
        var fields: [HeaderField] = []
        var current: (name: String, raw: [UInt8])?
        var skipping = false
        var lineStart = 0

        func flush() {
            if let field = current { fields.append(HeaderField(name: field.name, rawValue: field.raw)) }
            current = nil
        }

        while lineStart < block.count {
            let lineFeed = block[lineStart...].firstIndex(of: ASCII.lf)
            let terminatorEnd = lineFeed.map { $0 + 1 } ?? block.count
            var contentEnd = lineFeed ?? block.count
            if contentEnd > lineStart, block[contentEnd - 1] == ASCII.cr, lineFeed != nil { contentEnd -= 1 }
            let line = block[lineStart..<contentEnd]
            defer { lineStart = terminatorEnd }

            if line.isEmpty { break }
            if let first = line.first, ASCII.isWSP(first) {
                if !skipping, current != nil {
                    let previousBreak = precedingLineBreak(block, lineStart: lineStart)
                    current?.raw.append(contentsOf: previousBreak)
                    current?.raw.append(contentsOf: line)
                }
                continue
            }
            flush()
            guard let colon = line.firstIndex(of: ASCII.colon) else {
                skipping = true
                continue
            }
            var nameEnd = colon
            while nameEnd > line.startIndex, ASCII.isWSP(block[nameEnd - 1]) { nameEnd -= 1 }
            let name = block[line.startIndex..<nameEnd]
            guard !name.isEmpty, name.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                skipping = true
                continue
            }
            skipping = false
            current = (String(decoding: name, as: UTF8.self), Array(block[(colon + 1)..<contentEnd]))
        }
        flush()
        return Header(fields: fields)
    }

    /// The line break bytes (LF or CRLF) that end the line before `lineStart`.
    private static func precedingLineBreak(_ block: [UInt8], lineStart: Int) -> ArraySlice<UInt8> {
        guard lineStart > 0 else { return [] }
        let start = lineStart >= 2 && block[lineStart - 2] == ASCII.cr ? lineStart - 2 : lineStart - 1
        return block[start..<lineStart]
    }

    /// The first field named `name` (case-insensitive).
    public func first(_ name: String) -> HeaderField? {
        fields.first { $0.hasName(name) }
    }

    /// Every field named `name` (case-insensitive), in order.
    public func all(_ name: String) -> [HeaderField] {
        fields.filter { $0.hasName(name) }
    }

    /// The unfolded value of the first field named `name`.
    public subscript(_ name: String) -> String? {
        first(name)?.value
    }
}
