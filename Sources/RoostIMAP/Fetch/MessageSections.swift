import RoostIMAPGrammar
import RoostMIME
import RoostStorage

/// What each FETCH body section of a message consists of (RFC 3501 section 6.4.5).
///
///     section-spec    = section-msgtext / (section-part ["." section-text])
///     section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list /
///                       "TEXT"
///     section-part    = nz-number *("." nz-number)
///     section-text    = section-msgtext / "MIME"
///
/// Numbering follows `MessageStructure.part(at:)`: a non-multipart message has one part, 1, which
/// is its body; the parts of a message/rfc822 part `n` are `n.1`, `n.2`... (its body itself as
/// `n.1` when that body is not multipart).
///
/// - `BODY[]` is the whole message, `BODY[HEADER]` its header with the blank line, `BODY[TEXT]` the
///   rest. RFC822, RFC822.HEADER and RFC822.TEXT are these three.
/// - `BODY[n]` is the body of part `n` as stored, in its transfer encoding; for a message/rfc822
///   part that is the encapsulated message, header included.
/// - `BODY[n.MIME]` is part `n`'s MIME header with its blank line. For a message/rfc822 part it is
///   the part's own MIME header, not the encapsulated message's (Dovecot does the same).
/// - `BODY[n.HEADER]`, `n.HEADER.FIELDS[.NOT]` and `n.TEXT` refer to the message encapsulated in
///   part `n`, which must be message/rfc822.
///
/// A section that names no part (a number beyond the last part, a path into a leaf, or HEADER or
/// TEXT under a part that is not message/rfc822) is an empty string, not NIL and not an error.
/// Neither RFC 3501 nor RFC 9051 says what such a section gives; this is Dovecot's answer
/// (`imap_msgpart_open`: "MIME part not found. return an empty part"), which clients written
/// against it expect, and an empty literal is read without trouble by one that expected text.
public enum MessageSections {
    /// The most header octets HEADER.FIELDS and HEADER.FIELDS.NOT look at, cut after the last whole
    /// line that fits: the same cut the message parser makes (`MIMELimits.maxHeaderBytes`), so the
    /// subset from the file equals the one from the message cache. HEADER itself is streamed whole.
    public static let maxHeaderBytes = MIMELimits.default.maxHeaderBytes

    /// Plans `section` (with an optional partial) of a message whose parsed structure is `structure`.
    ///
    /// HEADER.FIELDS and HEADER.FIELDS.NOT read their header block through `file` right away, to
    /// subset it and know the length; every other section (HEADER and MIME included) is a range of
    /// the file that `SectionContent.nextChunk` streams later.
    public static func content(
        of section: SectionSpecifier, partial: FetchAttribute.Partial?, structure: MessageStructure,
        file: borrowing MessageFile
    ) throws -> SectionContent {
        guard let target = target(of: section, in: structure) else {
            return SectionContent(segments: [], partial: partial)
        }
        let segments: [SectionContent.Segment]
        switch target {
        case .whole(let part):
            segments = [.file(range: part.headerOffset..<part.endOffset,
                              virtualLength: part.headerSize.virtualOctets + part.bodySize.virtualOctets)]
        case .header(let part):
            segments = [.file(range: part.headerRange, virtualLength: part.headerSize.virtualOctets)]
        case .body(let part):
            segments = [.file(range: part.bodyRange, virtualLength: part.bodySize.virtualOctets)]
        case .headerFields(let part, let names, let matching):
            let block = try readHeaderBlock(part.headerRange, file: file)
            let fields = Header.parse(block.bytes).fields.filter { field in
                names.contains { field.hasName($0) } == matching
            }
            segments = [.bytes(HeaderFieldSubset.octets(fields, blankLine: block.endsWithBlankLine))]
        }
        return SectionContent(segments: segments, partial: partial)
    }

    /// The field names of a `HEADER.FIELDS` section that `roost.cache` can answer, in lowercase;
    /// nil for any other section (the cache keeps only the message's own header, and only the
    /// fields in `CachedMessage.headerFieldNames`).
    public static func cachedFieldNames(of section: SectionSpecifier) -> [[UInt8]]? {
        guard section.part.isEmpty, case .headerFields(let names) = section.text, CachedMessage.covers(names) else {
            return nil
        }
        return names.map { Array($0.lowercased().utf8) }
    }

    /// `BODY[HEADER.FIELDS (...)]` from the message's cache record, without its file; nil when the
    /// record cannot answer it (a message without a body: only the file tells whether a blank line
    /// ends its header).
    public static func cachedContent(
        fieldNames: [[UInt8]], partial: FetchAttribute.Partial?, record: CachedRecord
    ) -> SectionContent? {
        guard record.hasBody else { return nil }
        var octets: [UInt8] = []
        octets.reserveCapacity(1024)
        record.forEachHeaderField { name, rawValue in
            if fieldNames.contains(where: { Self.isName(name, lowercased: $0) }) {
                HeaderFieldSubset.append(name: name, rawValue: rawValue, to: &octets)
            }
        }
        octets.append(contentsOf: [SectionOctet.cr, SectionOctet.lf])
        return SectionContent(segments: [.bytes(octets)], partial: partial)
    }

    /// Whether a field name is `lowercased`, ignoring ASCII case.
    static func isName(_ name: UnsafeBufferPointer<UInt8>, lowercased: [UInt8]) -> Bool {
        guard name.count == lowercased.count else { return false }
        return lowercased.withUnsafeBufferPointer { lowercased in
            for index in name.indices {
                let byte = name[index]
                if (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) != lowercased[index] { return false }
            }
            return true
        }
    }

    /// `cachedContent(fieldNames:partial:record:)` for any section; nil when the cache cannot answer it.
    public static func cachedContent(
        of section: SectionSpecifier, partial: FetchAttribute.Partial?, record: CachedRecord
    ) -> SectionContent? {
        cachedFieldNames(of: section).flatMap { cachedContent(fieldNames: $0, partial: partial, record: record) }
    }

    // MARK: - Resolving a section

    /// Which bytes of which part a section names.
    enum Target {
        /// Header and body of the whole message.
        case whole(BodyPart)
        /// A header block (the message header, a part's MIME header) as stored.
        case header(BodyPart)
        /// A body as stored.
        case body(BodyPart)
        /// The fields of a header block whose names are (`matching`) or are not among `names`.
        case headerFields(BodyPart, names: [String], matching: Bool)
    }

    /// The bytes `section` names, or nil when it names no part.
    static func target(of section: SectionSpecifier, in structure: MessageStructure) -> Target? {
        // The message whose header and text HEADER, HEADER.FIELDS[.NOT] and TEXT refer to.
        let message: BodyPart?
        if section.part.isEmpty {
            message = structure.root
        } else {
            guard let part = structure.part(at: section.part.map(Int.init)) else { return nil }
            switch section.text {
            case nil: return .body(part)
            case .mime?: return .header(part)
            case .header?, .headerFields?, .headerFieldsNot?, .text?: message = part.message?.root
            }
        }
        guard let message else { return nil }
        switch section.text {
        case nil: return .whole(message)
        case .header?: return .header(message)
        case .text?: return .body(message)
        case .headerFields(let names)?: return .headerFields(message, names: names, matching: true)
        case .headerFieldsNot(let names)?: return .headerFields(message, names: names, matching: false)
        // A section without a part number never has MIME (`SectionSpecifier` refuses it).
        case .mime?: return nil
        }
    }

    // MARK: - Reading a header block

    /// Reads the header block in `range`, at most `maxHeaderBytes` of it, and tells whether the block
    /// ends with a blank line.
    static func readHeaderBlock(
        _ range: Range<Int>, file: borrowing MessageFile
    ) throws -> (bytes: [UInt8], endsWithBlankLine: Bool) {
        let kept = min(range.count, maxHeaderBytes)
        var bytes = try file.read(at: Int64(range.lowerBound), count: kept)
        if range.count > maxHeaderBytes {
            // The parser's cut: whole lines only, as many as fit.
            let lineEnd = bytes.lastIndex(of: SectionOctet.lf).map { $0 + 1 } ?? 0
            bytes.removeSubrange(lineEnd...)
        }
        let tailCount = min(range.count, 3)
        let tail = try file.read(at: Int64(range.upperBound - tailCount), count: tailCount)
        return (bytes, HeaderFieldSubset.endsWithBlankLine(tail: tail, isWholeBlock: tailCount == range.count))
    }
}
