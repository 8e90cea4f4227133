import NIOCore

/// Writing `body` for FETCH BODY (no extension data) and BODYSTRUCTURE (with it).
///
/// The case-insensitive MIME tokens (type, subtype, transfer encoding, parameter attributes, disposition
/// type) are written in upper case, as in RFC 3501's own examples (`("TEXT" "PLAIN" ("CHARSET"
/// "US-ASCII") …)`), so the fixed words of the grammar (`"TEXT"`, `"MESSAGE" "RFC822"`, `"7BIT"`, …) come
/// out exactly as it spells them. Parameter values, IDs, descriptions, MD5, languages and locations are
/// written as given. Every string is a quoted string, or a literal when its octets need one (8-bit, CR,
/// LF or very long); never an atom, which `string` does not allow.
///
/// BODYSTRUCTURE always writes all four extension fields (NIL when absent), as Dovecot does; the grammar
/// lets them stop early, but a fixed shape is simpler for clients. A nested `message/rfc822` body gets
/// extension data too when the outer item is BODYSTRUCTURE. The encoder recurses once per nesting level;
/// the depth is bounded by whoever builds the value (RoostMIME's parser limits).
extension ByteBuffer {
    // body            = "(" (body-type-1part / body-type-mpart) ")"
    @discardableResult
    public mutating func writeBody(_ body: BodyStructure, extensions: Bool) -> Int {
        var written = writeString("(")
        switch body {
        case .singlepart(let part): written += writeBodyTypeSinglepart(part, extensions: extensions)
        case .multipart(let multipart): written += writeBodyTypeMultipart(multipart, extensions: extensions)
        }
        return written + writeString(")")
    }

    // body-type-1part = (body-type-basic / body-type-msg / body-type-text)
    //                   [SP body-ext-1part]
    private mutating func writeBodyTypeSinglepart(_ part: BodyStructure.Singlepart, extensions: Bool) -> Int {
        var written: Int
        switch part.kind {
        case .basic(let type, let subtype):
            // body-type-basic = media-basic SP body-fields
            written = writeMIMEToken(type) + writeString(" ") + writeMIMEToken(subtype) + writeString(" ")
                + writeBodyFields(part.fields)
        case .text(let subtype, let lines):
            // body-type-text  = media-text SP body-fields SP body-fld-lines
            written = writeString("\"TEXT\" ") + writeMIMEToken(subtype) + writeString(" ") + writeBodyFields(part.fields)
                + writeString(" \(lines)")
        case .message(let envelope, let body, let lines):
            // body-type-msg   = media-message SP body-fields SP envelope
            //                   SP body SP body-fld-lines
            written = writeString("\"MESSAGE\" \"RFC822\" ") + writeBodyFields(part.fields) + writeString(" ")
                + writeEnvelope(envelope) + writeString(" ") + writeBody(body, extensions: extensions) + writeString(" \(lines)")
        }
        guard extensions else { return written }
        // body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
        //                   [SP body-fld-loc *(SP body-extension)]]]
        let ext = part.extensionData
        return written + writeString(" ") + writeIMAPNstring(ext.md5)
            + writeBodyExtensionTail(disposition: ext.disposition, languages: ext.languages, location: ext.location)
    }

    // body-type-mpart = 1*body SP media-subtype
    //                   [SP body-ext-mpart]
    private mutating func writeBodyTypeMultipart(_ multipart: BodyStructure.Multipart, extensions: Bool) -> Int {
        var written = 0
        for part in multipart.parts { written += writeBody(part, extensions: extensions) }
        written += writeString(" ") + writeMIMEToken(multipart.subtype)
        guard extensions else { return written }
        // body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang
        //                   [SP body-fld-loc *(SP body-extension)]]]
        let ext = multipart.extensionData
        return written + writeString(" ") + writeBodyParameters(ext.parameters)
            + writeBodyExtensionTail(disposition: ext.disposition, languages: ext.languages, location: ext.location)
    }

    // body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP
    //                   body-fld-enc SP body-fld-octets
    private mutating func writeBodyFields(_ fields: BodyStructure.Fields) -> Int {
        // body-fld-enc    = (DQUOTE ("7BIT" / "8BIT" / "BINARY" / "BASE64"/
        //                   "QUOTED-PRINTABLE") DQUOTE) / string
        writeBodyParameters(fields.parameters) + writeString(" ") + writeIMAPNstring(fields.id) + writeString(" ")
            + writeIMAPNstring(fields.description) + writeString(" ") + writeMIMEToken(fields.encoding)
            + writeString(" \(fields.octets)")
    }

    // SP body-fld-dsp SP body-fld-lang SP body-fld-loc: the part of the extension data both kinds share.
    private mutating func writeBodyExtensionTail(
        disposition: BodyStructure.Disposition?, languages: [[UInt8]], location: [UInt8]?
    ) -> Int {
        var written = writeString(" ")
        // body-fld-dsp    = "(" string SP body-fld-param ")" / nil
        if let disposition {
            written += writeString("(") + writeMIMEToken(disposition.type) + writeString(" ")
                + writeBodyParameters(disposition.parameters) + writeString(")")
        } else {
            written += writeString("NIL")
        }
        // body-fld-lang   = nstring / "(" string *(SP string) ")"
        written += writeString(" ")
        switch languages.count {
        case 0: written += writeString("NIL")
        case 1: written += writeIMAPString(languages[0])
        default:
            written += writeString("(")
            for (i, language) in languages.enumerated() {
                if i > 0 { written += writeString(" ") }
                written += writeIMAPString(language)
            }
            written += writeString(")")
        }
        // body-fld-loc    = nstring
        return written + writeString(" ") + writeIMAPNstring(location)
    }

    // body-fld-param  = "(" string SP string *(SP string SP string) ")" / nil
    private mutating func writeBodyParameters(_ parameters: [BodyStructure.Parameter]) -> Int {
        guard !parameters.isEmpty else { return writeString("NIL") }
        var written = writeString("(")
        for (i, parameter) in parameters.enumerated() {
            if i > 0 { written += writeString(" ") }
            written += writeMIMEToken(parameter.attribute) + writeString(" ") + writeIMAPString(parameter.value)
        }
        return written + writeString(")")
    }

    // A case-insensitive MIME token as an upper-case `string`.
    private mutating func writeMIMEToken(_ token: [UInt8]) -> Int {
        writeIMAPString(token.map(IMAPASCII.uppercased))
    }
}
