import NIOCore

/// Which part of a message a `BODY[…]` fetch names (RFC 3501 section 6.4.5).
///
///     section         = "[" [section-spec] "]"
///     section-spec    = section-msgtext / (section-part ["." section-text])
///     section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list /
///                       "TEXT"
///     section-part    = nz-number *("." nz-number)
///     section-text    = section-msgtext / "MIME"
///
/// `part` empty with `text` nil is `BODY[]`, the whole message. `MIME` needs a part number; the
/// initializer refuses it without one, as the grammar does.
public struct SectionSpecifier: Hashable, Sendable, CustomStringConvertible {
    public enum Text: Hashable, Sendable {
        case header
        /// `HEADER.FIELDS (…)`: field names as sent (they compare case-insensitively).
        case headerFields([String])
        /// `HEADER.FIELDS.NOT (…)`.
        case headerFieldsNot([String])
        case text
        case mime
    }

    /// The part numbers, outermost first (`1.2` is `[1, 2]`); each is non-zero.
    public let part: [UInt32]
    public let text: Text?

    /// `nil` for `MIME` without a part, an empty field list, or a zero part number.
    public init?(part: [UInt32] = [], text: Text? = nil) {
        guard !part.contains(0) else { return nil }
        switch text {
        case .mime?: guard !part.isEmpty else { return nil }
        case .headerFields(let names)?, .headerFieldsNot(let names)?: guard !names.isEmpty else { return nil }
        default: break
        }
        self.part = part
        self.text = text
    }

    /// `BODY[]`.
    public static let complete = SectionSpecifier()!

    /// The section between its brackets, as FETCH responses echo it (`1.2.HEADER.FIELDS (From To)`).
    public var description: String {
        var buffer = ByteBuffer()
        buffer.writeSectionSpecifier(self)
        return String(buffer: buffer)
    }
}

extension IMAPParser {
    // section         = "[" [section-spec] "]"
    public mutating func parseSection() throws(IMAPParseError) -> SectionSpecifier {
        try expect(UInt8(ascii: "["), "[")
        if skip(IMAPASCII.closeBracket) { return .complete }
        let section = try parseSectionSpec()
        try expect(IMAPASCII.closeBracket, "]")
        return section
    }

    // section-spec    = section-msgtext / (section-part ["." section-text])
    // section-part    = nz-number *("." nz-number)
    // section-text    = section-msgtext / "MIME"
    mutating func parseSectionSpec() throws(IMAPParseError) -> SectionSpecifier {
        var part: [UInt32] = []
        if peek().map(IMAPASCII.isDigit) == true {
            part.append(try parseNZNumber())
            var textFollows = false
            while skip(UInt8(ascii: ".")) {
                guard peek().map(IMAPASCII.isDigit) == true else {
                    textFollows = true
                    break
                }
                part.append(try parseNZNumber())
            }
            // A part without "." section-text ends here.
            if !textFollows { return SectionSpecifier(part: part)! }
        }
        let text: SectionSpecifier.Text
        if !part.isEmpty, skip(keyword: "MIME") {
            text = .mime
        } else {
            text = try parseSectionMessageText()
        }
        guard let section = SectionSpecifier(part: part, text: text) else { throw IMAPParseError("Invalid section") }
        return section
    }

    // section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list /
    //                   "TEXT"
    mutating func parseSectionMessageText() throws(IMAPParseError) -> SectionSpecifier.Text {
        if skip(keyword: "HEADER") { return .header }
        if skip(keyword: "TEXT") { return .text }
        if skip(keyword: "HEADER.FIELDS") {
            try expectSpace()
            return .headerFields(try parseHeaderList())
        }
        if skip(keyword: "HEADER.FIELDS.NOT") {
            try expectSpace()
            return .headerFieldsNot(try parseHeaderList())
        }
        throw IMAPParseError("Expected a section")
    }

    // header-list     = "(" header-fld-name *(SP header-fld-name) ")"
    // header-fld-name = astring
    mutating func parseHeaderList() throws(IMAPParseError) -> [String] {
        try expect(IMAPASCII.openParen, "(")
        var names: [String] = []
        repeat {
            guard names.count < limits.maxListItems else {
                throw IMAPParseError("Too many header fields (limit \(limits.maxListItems))")
            }
            names.append(String(decoding: try parseAstring(), as: UTF8.self))
        } while skip(IMAPASCII.space)
        try expect(IMAPASCII.closeParen, ")")
        return names
    }
}

extension ByteBuffer {
    // section-spec    = section-msgtext / (section-part ["." section-text])
    @discardableResult
    public mutating func writeSectionSpecifier(_ section: SectionSpecifier) -> Int {
        var written = writeString(section.part.map(String.init).joined(separator: "."))
        guard let text = section.text else { return written }
        if !section.part.isEmpty { written += writeString(".") }
        switch text {
        case .header: written += writeString("HEADER")
        case .text: written += writeString("TEXT")
        case .mime: written += writeString("MIME")
        case .headerFields(let names): written += writeString("HEADER.FIELDS ") + writeHeaderList(names)
        case .headerFieldsNot(let names): written += writeString("HEADER.FIELDS.NOT ") + writeHeaderList(names)
        }
        return written
    }

    // header-list     = "(" header-fld-name *(SP header-fld-name) ")"
    @discardableResult
    mutating func writeHeaderList(_ names: [String]) -> Int {
        var written = writeString("(")
        for (i, name) in names.enumerated() {
            if i > 0 { written += writeString(" ") }
            written += writeIMAPAstring(Array(name.utf8))
        }
        return written + writeString(")")
    }
}
