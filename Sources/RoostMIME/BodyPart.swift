/// One node of a message's MIME tree with everything IMAP BODYSTRUCTURE and section fetches need
/// (RFC 3501 section 7.4.2; RFC 2045, 2046, 2183, 3066 for the fields).
///
/// Shape invariants:
/// - `contentType.isMultipart` exactly when the part is a multipart container; its `children` are
///   the parts found between boundaries and may be empty when no boundary line was found (an IMAP
///   encoder then writes a single empty text/plain part, as Dovecot does).
/// - `message` is set exactly for message/rfc822 parts (whatever their transfer encoding, as
///   Dovecot parses them); a message/rfc822 part beyond the nesting limit is reported as
///   application/octet-stream, so an encoder never meets a message/rfc822 without its envelope.
/// - Offsets are byte offsets in the stored message: the part's MIME header starts at
///   `headerOffset` (for the top-level part, the message header at 0), its body spans
///   `bodyOffset..<endOffset`. The line break before a boundary line is not part of the body
///   (RFC 2046 section 5.1.1).
///
/// Header-derived fields are raw unfolded values; the content type has Dovecot's defaults applied
/// (`withDefaultCharset`, digest children default to message/rfc822).
public struct BodyPart: Sendable, Hashable, Codable {
    public var contentType: ContentType
    /// Content-ID (RFC 2045 section 7), raw.
    public var contentID: String?
    /// Content-Description (RFC 2045 section 8), raw (may hold RFC 2047 words).
    public var contentDescription: String?
    public var transferEncoding: TransferEncoding
    /// Content-MD5 (RFC 1864), raw: BODYSTRUCTURE's body-fld-md5 is the header value.
    public var contentMD5: String?
    /// Content-Disposition (RFC 2183).
    public var disposition: ContentDisposition?
    /// Content-Language tags (RFC 3282); empty when absent.
    public var language: [String]
    /// Content-Location (RFC 2557), raw and unfolded as Dovecot reports it (a folded URL keeps the
    /// folding space; RFC 2557 section 4.4.2 leaves its removal to the reader).
    public var location: String?

    public var headerOffset: Int
    public var bodyOffset: Int
    public var endOffset: Int
    public var headerSize: PartSize
    public var bodySize: PartSize

    /// The sub-parts of a multipart, in order.
    public var children: [BodyPart]
    /// Boxed in an array so the recursive value type has a finite size.
    private var embedded: [EmbeddedMessage]

    public init(
        contentType: ContentType, contentID: String? = nil, contentDescription: String? = nil,
        transferEncoding: TransferEncoding = .sevenBit, contentMD5: String? = nil,
        disposition: ContentDisposition? = nil, language: [String] = [], location: String? = nil,
        headerOffset: Int = 0, bodyOffset: Int = 0, endOffset: Int = 0,
        headerSize: PartSize = PartSize(), bodySize: PartSize = PartSize(),
        children: [BodyPart] = [], message: EmbeddedMessage? = nil
    ) {
        self.contentType = contentType
        self.contentID = contentID
        self.contentDescription = contentDescription
        self.transferEncoding = transferEncoding
        self.contentMD5 = contentMD5
        self.disposition = disposition
        self.language = language
        self.location = location
        self.headerOffset = headerOffset
        self.bodyOffset = bodyOffset
        self.endOffset = endOffset
        self.headerSize = headerSize
        self.bodySize = bodySize
        self.children = children
        self.embedded = message.map { [$0] } ?? []
    }

    /// The encapsulated message of a parsed message/rfc822 part.
    public var message: EmbeddedMessage? {
        get { embedded.first }
        set { embedded = newValue.map { [$0] } ?? [] }
    }

    /// True for a multipart container.
    public var isMultipart: Bool { contentType.isMultipart }

    /// The body's line count (BODYSTRUCTURE body-fld-lines for text/* and message/rfc822).
    public var lines: Int { bodySize.lines }

    /// The byte range of the MIME header block (for `BODY[n.MIME]`), blank line included.
    public var headerRange: Range<Int> { headerOffset..<bodyOffset }

    /// The byte range of the body (for `BODY[n]`).
    public var bodyRange: Range<Int> { bodyOffset..<endOffset }

    /// The sub-parts a section number indexes into (RFC 3501 section 6.4.5): a multipart's
    /// children; for message/rfc822, the encapsulated message's children if it is multipart, or
    /// its single body otherwise; nothing for other leaves.
    public var sectionChildren: [BodyPart] {
        if isMultipart { return children }
        if let message { return message.sectionChildren }
        return []
    }
}

extension BodyPart {
    /// Builds the header-derived fields of a part from its header block.
    ///
    /// `defaultType` is used when Content-Type is absent; an invalid Content-Type yields
    /// text/plain (RFC 2045 section 5.2).
    init(header: Header, defaultType: ContentType) {
        let contentType = Self.contentType(in: header, defaultType: defaultType)
        let language = header["Content-Language"].map { value in
            value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
        } ?? []
        self.init(
            contentType: contentType,
            contentID: header["Content-ID"],
            contentDescription: header["Content-Description"],
            transferEncoding: TransferEncoding(headerValue: header["Content-Transfer-Encoding"]),
            contentMD5: header["Content-MD5"],
            disposition: header["Content-Disposition"].flatMap(ContentDisposition.parse),
            language: language,
            location: header["Content-Location"])
    }

    /// A part with only what decoding its body needs: the Content-Type and Content-Transfer-Encoding
    /// of `header`.
    init(contentFieldsOf header: Header, defaultType: ContentType) {
        self.init(contentType: Self.contentType(in: header, defaultType: defaultType),
                  transferEncoding: TransferEncoding(headerValue: header["Content-Transfer-Encoding"]))
    }

    /// The Content-Type `header` gives (text/plain when it cannot be parsed, `defaultType` when it
    /// has none), with its default charset filled in.
    private static func contentType(in header: Header, defaultType: ContentType) -> ContentType {
        guard let value = header["Content-Type"] else { return defaultType.withDefaultCharset() }
        return (ContentType.parse(value) ?? .textPlain).withDefaultCharset()
    }
}
