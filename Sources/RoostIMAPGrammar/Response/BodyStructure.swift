/// The MIME structure of a message as FETCH BODY and BODYSTRUCTURE describe it (RFC 3501 section 7.4.2).
///
///     body            = "(" (body-type-1part / body-type-mpart) ")"
///     body-type-1part = (body-type-basic / body-type-msg / body-type-text)
///                       [SP body-ext-1part]
///     body-type-mpart = 1*body SP media-subtype
///                       [SP body-ext-mpart]
///
/// One value serves both items: BODY leaves out the extension data, BODYSTRUCTURE writes it
/// (`writeBody(_:extensions:)`). Strings are the header's octets, unfolded and unquoted but otherwise as
/// they are (encoded words and RFC 2231 forms left alone). Defaults are the caller's: the encoder invents
/// no parameter (no `CHARSET "US-ASCII"` for a bare text part); it only writes NIL for what is absent.
/// Filling it from a message is RoostMIME's and the session's work; this is the wire form.
public indirect enum BodyStructure: Hashable, Sendable {
    case singlepart(Singlepart)
    case multipart(Multipart)

    /// A non-multipart part: its basic fields, the fields its kind adds, and its extension data.
    public struct Singlepart: Hashable, Sendable {
        public var kind: Kind
        public var fields: Fields
        /// BODYSTRUCTURE's extension data (MD5, disposition, language, location); not written for BODY.
        public var extensionData: SinglepartExtension

        public init(kind: Kind, fields: Fields, extensionData: SinglepartExtension = SinglepartExtension()) {
            self.kind = kind
            self.fields = fields
            self.extensionData = extensionData
        }
    }

    /// Which of the three single-part forms of the grammar a part takes.
    ///
    /// A `text/*` part must be `.text` and a `message/rfc822` part `.message`: the grammar gives them extra
    /// fields, and a client reading `"TEXT"` expects a line count after the basic fields.
    public enum Kind: Hashable, Sendable {
        /// `body-type-basic = media-basic SP body-fields`: any type but `TEXT` and `MESSAGE/RFC822`.
        case basic(type: [UInt8], subtype: [UInt8])
        /// `body-type-text = media-text SP body-fields SP body-fld-lines`: lines in the encoded body.
        case text(subtype: [UInt8], lines: UInt32)
        /// `body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines`: the
        /// encapsulated message's envelope and structure, and its size in lines.
        case message(envelope: Envelope, body: BodyStructure, lines: UInt32)
    }

    /// The basic fields every single part has.
    ///
    ///     body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP
    ///                       body-fld-enc SP body-fld-octets
    public struct Fields: Hashable, Sendable {
        /// The Content-Type parameters in header order; empty is written NIL.
        public var parameters: [Parameter]
        /// Content-ID.
        public var id: [UInt8]?
        /// Content-Description.
        public var description: [UInt8]?
        /// Content-Transfer-Encoding, e.g. `7BIT` (the caller supplies the default when the header is absent).
        public var encoding: [UInt8]
        /// The size of the body in its transfer encoding.
        public var octets: UInt32

        public init(
            parameters: [Parameter] = [], id: [UInt8]? = nil, description: [UInt8]? = nil, encoding: [UInt8], octets: UInt32
        ) {
            self.parameters = parameters
            self.id = id
            self.description = description
            self.encoding = encoding
            self.octets = octets
        }
    }

    /// One `attribute=value` of a Content-Type or Content-Disposition header.
    public struct Parameter: Hashable, Sendable {
        public var attribute: [UInt8]
        public var value: [UInt8]

        public init(attribute: [UInt8], value: [UInt8]) {
            self.attribute = attribute
            self.value = value
        }
    }

    /// A Content-Disposition: its type (`inline`, `attachment`) and parameters (`filename`, …).
    ///
    ///     body-fld-dsp    = "(" string SP body-fld-param ")" / nil
    public struct Disposition: Hashable, Sendable {
        public var type: [UInt8]
        public var parameters: [Parameter]

        public init(type: [UInt8], parameters: [Parameter] = []) {
            self.type = type
            self.parameters = parameters
        }
    }

    /// BODYSTRUCTURE's extension data of a single part.
    ///
    ///     body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
    ///                       [SP body-fld-loc *(SP body-extension)]]]
    public struct SinglepartExtension: Hashable, Sendable {
        /// Content-MD5.
        public var md5: [UInt8]?
        public var disposition: Disposition?
        /// Content-Language tags; empty is NIL, one a string, more a list.
        public var languages: [[UInt8]]
        /// Content-Location.
        public var location: [UInt8]?

        public init(md5: [UInt8]? = nil, disposition: Disposition? = nil, languages: [[UInt8]] = [], location: [UInt8]? = nil) {
            self.md5 = md5
            self.disposition = disposition
            self.languages = languages
            self.location = location
        }
    }

    /// A multipart: at least one part, the subtype (`mixed`, `alternative`, …) and extension data.
    public struct Multipart: Hashable, Sendable {
        /// Never empty: the grammar has `1*body`.
        public private(set) var parts: [BodyStructure]
        public var subtype: [UInt8]
        /// BODYSTRUCTURE's extension data; not written for BODY.
        public var extensionData: MultipartExtension

        /// Nil when `parts` is empty, which the grammar cannot express; the caller decides what a
        /// multipart without parts becomes (Dovecot, for one, shows an empty `text/plain`).
        public init?(parts: [BodyStructure], subtype: [UInt8], extensionData: MultipartExtension = MultipartExtension()) {
            guard !parts.isEmpty else { return nil }
            self.parts = parts
            self.subtype = subtype
            self.extensionData = extensionData
        }
    }

    /// BODYSTRUCTURE's extension data of a multipart.
    ///
    ///     body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang
    ///                       [SP body-fld-loc *(SP body-extension)]]]
    public struct MultipartExtension: Hashable, Sendable {
        /// The Content-Type parameters (`boundary`, …); empty is written NIL.
        public var parameters: [Parameter]
        public var disposition: Disposition?
        public var languages: [[UInt8]]
        public var location: [UInt8]?

        public init(
            parameters: [Parameter] = [], disposition: Disposition? = nil, languages: [[UInt8]] = [], location: [UInt8]? = nil
        ) {
            self.parameters = parameters
            self.disposition = disposition
            self.languages = languages
            self.location = location
        }
    }
}
