import RoostIMAPGrammar
import RoostMIME

/// BODY and BODYSTRUCTURE from RoostMIME's parsed tree (RFC 3501 section 7.4.2), with Dovecot's
/// conventions for what the header leaves open.
///
/// RoostMIME has already applied the defaults a header implies (no Content-Type: text/plain with
/// charset us-ascii; a text type without charset gets charset us-ascii; no Content-Transfer-Encoding:
/// 7bit; digest children: message/rfc822), so this mapping adds only what the wire form needs:
/// - body-fld-octets is the body's size with every bare LF counted as CRLF, the size `BODY[n]` sends;
/// - body-fld-lines (text/* and message/rfc822) is the body's LF count, as Dovecot counts it;
/// - a multipart in which no part was found (its boundary never occurs) is shown with one empty
///   text/plain part, as Dovecot does, because the grammar's `1*body` cannot express none;
/// - a message/rfc822 part without a parsed message (which RoostMIME never produces: it reports
///   such a part as application/octet-stream) is shown as application/octet-stream too, never as
///   a `body-type-msg` without its envelope.
///
/// Strings are the UTF-8 bytes of RoostMIME's values: header values as written, parameters RFC 2231
/// decoded (Dovecot leaves them encoded: `"filename*" "utf-8''..."`), which the encoder sends as
/// literals when they are not 7-bit.
extension RoostIMAPGrammar.BodyStructure {
    /// The structure of a whole message, for FETCH BODY and BODYSTRUCTURE.
    public init(_ structure: MessageStructure) {
        self.init(structure.root)
    }

    /// The structure of one part and everything below it.
    init(_ part: BodyPart) {
        guard part.isMultipart else {
            self = .singlepart(Singlepart(part))
            return
        }
        let parts = part.children.isEmpty ? [Self.emptyTextPart] : part.children.map { Self($0) }
        let extensionData = MultipartExtension(
            parameters: part.contentType.parameters.map(Parameter.init),
            disposition: part.disposition.map(Disposition.init),
            languages: part.language.map { wireOctets($0) },
            location: part.location.map { wireOctets($0) })
        // `parts` is never empty, so the initializer cannot fail.
        self = .multipart(Multipart(parts: parts, subtype: wireOctets(part.contentType.subtype), extensionData: extensionData)!)
    }

    /// What Dovecot shows for a multipart without parts: `("text" "plain" ("charset" "us-ascii") NIL
    /// NIL "7bit" 0 0)`, with empty extension data.
    static let emptyTextPart = Self.singlepart(Singlepart(
        kind: .text(subtype: Array("plain".utf8), lines: 0),
        fields: Fields(parameters: [Parameter(attribute: Array("charset".utf8), value: Array("us-ascii".utf8))],
                       encoding: Array(TransferEncoding.sevenBit.name.utf8), octets: 0)))
}

extension RoostIMAPGrammar.BodyStructure.Singlepart {
    // body-type-1part = (body-type-basic / body-type-msg / body-type-text)
    //                   [SP body-ext-1part]
    init(_ part: BodyPart) {
        var contentType = part.contentType
        let kind: RoostIMAPGrammar.BodyStructure.Kind
        if contentType.isMessageRFC822, let message = part.message {
            // body-type-msg   = media-message SP body-fields SP envelope
            //                   SP body SP body-fld-lines
            kind = .message(envelope: RoostIMAPGrammar.Envelope(message.envelope),
                            body: RoostIMAPGrammar.BodyStructure(message.root), lines: UInt32(clamping: part.lines))
        } else if contentType.isText {
            // body-type-text  = media-text SP body-fields SP body-fld-lines
            kind = .text(subtype: wireOctets(contentType.subtype), lines: UInt32(clamping: part.lines))
        } else {
            // body-type-basic = media-basic SP body-fields
            if contentType.isMessageRFC822 { contentType = .applicationOctetStream }
            kind = .basic(type: wireOctets(contentType.type), subtype: wireOctets(contentType.subtype))
        }
        // body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP
        //                   body-fld-enc SP body-fld-octets
        let fields = RoostIMAPGrammar.BodyStructure.Fields(
            parameters: contentType.parameters.map(RoostIMAPGrammar.BodyStructure.Parameter.init),
            id: part.contentID.map { wireOctets($0) },
            description: part.contentDescription.map { wireOctets($0) },
            encoding: wireOctets(part.transferEncoding.name),
            octets: UInt32(clamping: part.bodySize.virtualOctets))
        // body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
        //                   [SP body-fld-loc *(SP body-extension)]]]
        let extensionData = RoostIMAPGrammar.BodyStructure.SinglepartExtension(
            md5: part.contentMD5.map { wireOctets($0) },
            disposition: part.disposition.map(RoostIMAPGrammar.BodyStructure.Disposition.init),
            languages: part.language.map { wireOctets($0) },
            location: part.location.map { wireOctets($0) })
        self.init(kind: kind, fields: fields, extensionData: extensionData)
    }
}

extension RoostIMAPGrammar.BodyStructure.Parameter {
    // body-fld-param  = "(" string SP string *(SP string SP string) ")" / nil
    init(_ parameter: MIMEParameter) {
        self.init(attribute: wireOctets(parameter.name), value: wireOctets(parameter.value))
    }
}

extension RoostIMAPGrammar.BodyStructure.Disposition {
    // body-fld-dsp    = "(" string SP body-fld-param ")" / nil
    init(_ disposition: ContentDisposition) {
        self.init(type: wireOctets(disposition.type),
                  parameters: disposition.parameters.map(RoostIMAPGrammar.BodyStructure.Parameter.init))
    }
}
