import NIOCore

/// One data item a FETCH asks for (RFC 3501 section 6.4.5).
///
///     fetch-att       = "ENVELOPE" / "FLAGS" / "INTERNALDATE" /
///                       "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
///                       "BODY" ["STRUCTURE"] / "UID" /
///                       "BODY" section ["<" number "." nz-number ">"] /
///                       "BODY.PEEK" section ["<" number "." nz-number ">"]
///
/// `BODY[…]` sets `\Seen`; `BODY.PEEK[…]`, `RFC822.HEADER` and `RFC822.SIZE` do not (RFC 3501 section
/// 6.4.5), which the session decides from `setsSeen`.
public enum FetchAttribute: Hashable, Sendable {
    case envelope
    case flags
    case internalDate
    /// `RFC822`: the whole message, like `BODY[]`.
    case rfc822
    /// `RFC822.HEADER`: like `BODY.PEEK[HEADER]`.
    case rfc822Header
    case rfc822Size
    /// `RFC822.TEXT`: like `BODY[TEXT]`.
    case rfc822Text
    /// `BODY`: the body structure without extension data.
    case body
    case bodyStructure
    case uid
    /// `BODY[section]<origin.length>` or, with `peek`, `BODY.PEEK[…]`.
    case bodySection(peek: Bool, section: SectionSpecifier, partial: Partial?)

    /// The `<origin.length>` of a partial fetch: `length` octets from `origin` (0-based).
    public struct Partial: Hashable, Sendable {
        public let origin: UInt32
        /// Never zero.
        public let length: UInt32

        public init?(origin: UInt32, length: UInt32) {
            guard length > 0 else { return nil }
            self.origin = origin
            self.length = length
        }
    }

    /// Whether fetching this sets `\Seen` on a read-write mailbox.
    public var setsSeen: Bool {
        switch self {
        case .rfc822, .rfc822Text: true
        case .bodySection(let peek, _, _): !peek
        default: false
        }
    }
}

/// What a FETCH asks for: a macro or a list of attributes.
///
///     fetch           = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" /
///                       fetch-att / "(" fetch-att *(SP fetch-att) ")")
///
/// A single attribute without parentheses parses to a one-element list; the encoder writes lists in
/// parentheses.
public enum FetchRequest: Hashable, Sendable {
    /// `ALL`: `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)`.
    case all
    /// `FAST`: `(FLAGS INTERNALDATE RFC822.SIZE)`.
    case fast
    /// `FULL`: `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY)`.
    case full
    case attributes([FetchAttribute])

    /// The attributes a macro stands for.
    public var attributes: [FetchAttribute] {
        switch self {
        case .all: [.flags, .internalDate, .rfc822Size, .envelope]
        case .fast: [.flags, .internalDate, .rfc822Size]
        case .full: [.flags, .internalDate, .rfc822Size, .envelope, .body]
        case .attributes(let attributes): attributes
        }
    }
}

extension IMAPParser {
    // ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")
    public mutating func parseFetchRequest() throws(IMAPParseError) -> FetchRequest {
        if skip(keyword: "ALL") { return .all }
        if skip(keyword: "FAST") { return .fast }
        if skip(keyword: "FULL") { return .full }
        guard skip(IMAPASCII.openParen) else { return .attributes([try parseFetchAttribute()]) }
        var attributes: [FetchAttribute] = []
        repeat {
            guard attributes.count < limits.maxListItems else {
                throw IMAPParseError("Too many fetch attributes (limit \(limits.maxListItems))")
            }
            attributes.append(try parseFetchAttribute())
        } while skip(IMAPASCII.space)
        try expect(IMAPASCII.closeParen, ")")
        return .attributes(attributes)
    }

    // fetch-att       = "ENVELOPE" / "FLAGS" / "INTERNALDATE" /
    //                   "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
    //                   "BODY" ["STRUCTURE"] / "UID" /
    //                   "BODY" section ["<" number "." nz-number ">"] /
    //                   "BODY.PEEK" section ["<" number "." nz-number ">"]
    public mutating func parseFetchAttribute() throws(IMAPParseError) -> FetchAttribute {
        let name = take { IMAPASCII.isAtomChar($0) && $0 != UInt8(ascii: "[") }
        switch String(decoding: name.map(IMAPASCII.uppercased), as: UTF8.self) {
        case "ENVELOPE": return .envelope
        case "FLAGS": return .flags
        case "INTERNALDATE": return .internalDate
        case "RFC822": return .rfc822
        case "RFC822.HEADER": return .rfc822Header
        case "RFC822.SIZE": return .rfc822Size
        case "RFC822.TEXT": return .rfc822Text
        case "BODYSTRUCTURE": return .bodyStructure
        case "UID": return .uid
        case "BODY" where !next(is: UInt8(ascii: "[")): return .body
        case "BODY": return .bodySection(peek: false, section: try parseSection(), partial: try parsePartial())
        case "BODY.PEEK": return .bodySection(peek: true, section: try parseSection(), partial: try parsePartial())
        default: throw IMAPParseError("Expected a fetch attribute")
        }
    }

    // ["<" number "." nz-number ">"]
    mutating func parsePartial() throws(IMAPParseError) -> FetchAttribute.Partial? {
        guard skip(UInt8(ascii: "<")) else { return nil }
        let origin = try parseNumber()
        try expect(UInt8(ascii: "."), ". in a partial range")
        let length = try parseNZNumber()
        try expect(UInt8(ascii: ">"), ">")
        return FetchAttribute.Partial(origin: origin, length: length)
    }
}

extension ByteBuffer {
    // fetch-att
    @discardableResult
    public mutating func writeFetchAttribute(_ attribute: FetchAttribute) -> Int {
        switch attribute {
        case .envelope: return writeString("ENVELOPE")
        case .flags: return writeString("FLAGS")
        case .internalDate: return writeString("INTERNALDATE")
        case .rfc822: return writeString("RFC822")
        case .rfc822Header: return writeString("RFC822.HEADER")
        case .rfc822Size: return writeString("RFC822.SIZE")
        case .rfc822Text: return writeString("RFC822.TEXT")
        case .body: return writeString("BODY")
        case .bodyStructure: return writeString("BODYSTRUCTURE")
        case .uid: return writeString("UID")
        case .bodySection(let peek, let section, let partial):
            var written = writeString(peek ? "BODY.PEEK[" : "BODY[") + writeSectionSpecifier(section) + writeString("]")
            if let partial { written += writeString("<\(partial.origin).\(partial.length)>") }
            return written
        }
    }

    // ("ALL" / "FULL" / "FAST" / "(" fetch-att *(SP fetch-att) ")")
    @discardableResult
    public mutating func writeFetchRequest(_ request: FetchRequest) -> Int {
        switch request {
        case .all: return writeString("ALL")
        case .fast: return writeString("FAST")
        case .full: return writeString("FULL")
        case .attributes(let attributes):
            var written = writeString("(")
            for (i, attribute) in attributes.enumerated() {
                if i > 0 { written += writeString(" ") }
                written += writeFetchAttribute(attribute)
            }
            return written + writeString(")")
        }
    }
}
