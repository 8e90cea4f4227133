import RoostMIME

/// The octets of `BODY[HEADER.FIELDS (...)]` and `BODY[HEADER.FIELDS.NOT (...)]` (RFC 3501 section 6.4.5).
///
/// RFC 3501: "The subset returned by HEADER.FIELDS contains only those header fields with a
/// field-name that matches one of the names in the list [...]. Subsetting does not exclude the
/// [RFC-2822] delimiting blank line between the header and the body; the blank line is included in
/// all header fetches, except in the case of a message which has no body and no blank line."
///
/// Each field is written as `name ":" value CRLF` in message order, the value exactly as stored
/// (folding kept, bare LFs of folding sent as CRLF, NUL as 0x80 like the rest of a literal). The
/// field comes from RoostMIME's header parser, both when read from the file and from the message
/// cache, so both give the same octets; the parser drops lines that are no header field (no colon,
/// a name with spaces, an mbox `From ` line) and the spaces of obsolete syntax before the colon
/// (RFC 5322 section 4.5.2), so neither appears in a subset.
enum HeaderFieldSubset {
    static func octets(_ fields: [HeaderField], blankLine: Bool) -> [UInt8] {
        var output: [UInt8] = []
        for field in fields {
            field.rawValue.withUnsafeBufferPointer { append(name: field.name.utf8, rawValue: $0, to: &output) }
        }
        if blankLine { output.append(contentsOf: [SectionOctet.cr, SectionOctet.lf]) }
        return output
    }

    /// Appends one field: `name ":" value CRLF`. Runs without LF or NUL are copied whole (a
    /// client's first sync asks for a dozen fields of every message).
    static func append(name: some Collection<UInt8>, rawValue raw: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(contentsOf: name)
        output.append(UInt8(ascii: ":"))
        var runStart = 0
        var index = lineFeedOrNUL(in: raw, from: 0)
        while index < raw.count {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart..<index]))
            if raw[index] == 0 {
                output.append(SectionOctet.nulReplacement)
            } else {
                if index == 0 || raw[index - 1] != SectionOctet.cr { output.append(SectionOctet.cr) }
                output.append(SectionOctet.lf)
            }
            runStart = index + 1
            index = lineFeedOrNUL(in: raw, from: runStart)
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart...]))
        output.append(SectionOctet.cr)
        output.append(SectionOctet.lf)
    }

    /// The index of the first LF or NUL at or after `start`, or `raw.count`: eight bytes at a time,
    /// since most values hold neither.
    static func lineFeedOrNUL(in raw: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = raw.baseAddress {
            let bytes = UnsafeRawPointer(base)
            while index + 8 <= raw.count {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if hasZeroByte(word) || hasZeroByte(word ^ 0x0A0A_0A0A_0A0A_0A0A) { break }
                index += 8
            }
        }
        while index < raw.count, raw[index] != SectionOctet.lf, raw[index] != 0 { index += 1 }
        return index
    }

    /// Whether any byte of `word` is zero (exact: a borrow only runs past a zero byte).
    private static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
    }

    /// Whether a header block whose last (up to three) octets are `tail` ends with the blank line
    /// that separates it from the body: `LF LF`, `LF CRLF`, or a block that is only the blank line.
    static func endsWithBlankLine(tail: [UInt8], isWholeBlock: Bool) -> Bool {
        var rest = tail[...]
        guard rest.last == SectionOctet.lf else { return false }
        rest.removeLast()
        if rest.last == SectionOctet.cr { rest.removeLast() }
        if rest.isEmpty { return isWholeBlock }
        return rest.last == SectionOctet.lf
    }
}
