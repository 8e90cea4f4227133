/// A parsed Content-Type header (RFC 2045 section 5).
///
/// `type` and `subtype` are lowercased (they are case-insensitive, section 5.1). Parameters are
/// RFC 2231-decoded (see `MIMEParameter`) and keep their order.
public struct ContentType: Sendable, Hashable, Codable {
    public var type: String
    public var subtype: String
    public var parameters: [MIMEParameter]

    public init(type: String, subtype: String, parameters: [MIMEParameter] = []) {
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
        self.parameters = parameters
    }

    /// `text/plain; charset=us-ascii`: the default when the header is absent or invalid
    /// (RFC 2045 section 5.2).
    public static let textPlain = ContentType(
        type: "text", subtype: "plain", parameters: [MIMEParameter(name: "charset", value: "us-ascii")])

    /// `message/rfc822`: the default for parts of a multipart/digest (RFC 2046 section 5.1.5).
    public static let messageRFC822 = ContentType(type: "message", subtype: "rfc822")

    /// `application/octet-stream`: what a container nested beyond `MIMELimits.maxNestingDepth`, or
    /// opened when `MIMELimits.maxTotalParts` is reached, is treated as (RFC 2046 section 4.5.1
    /// recommends it for unrecognised content).
    public static let applicationOctetStream = ContentType(type: "application", subtype: "octet-stream")

    /// Parses a header value; nil when it is syntactically invalid (no `type/subtype`), in which
    /// case RFC 2045 section 5.2 says to assume `textPlain`.
    public static func parse(_ value: String) -> ContentType? {
        var tokenizer = MIMETokenizer(value)
        tokenizer.skipCFWS()
        guard let type = tokenizer.token() else { return nil }
        tokenizer.skipCFWS()
        guard tokenizer.consume(ASCII.slash) else { return nil }
        tokenizer.skipCFWS()
        guard let subtype = tokenizer.token() else { return nil }
        let parameters = MIMEParameter.decodeList(tokenizer.rawParameters())
        return ContentType(type: type, subtype: subtype, parameters: parameters)
    }

    /// `type/subtype`.
    public var mimeType: String { "\(type)/\(subtype)" }

    /// The first parameter named `name` (case-insensitive).
    public func parameter(_ name: String) -> String? {
        parameters.first { ASCII.caseInsensitiveEquals($0.name, name) }?.value
    }

    /// The `charset` parameter.
    public var charset: String? { parameter("charset") }

    /// The `boundary` parameter of a multipart type.
    public var boundary: String? { parameter("boundary") }

    /// True for `multipart/*`.
    public var isMultipart: Bool { type == "multipart" }

    /// True for `text/*`.
    public var isText: Bool { type == "text" }

    /// True for `message/rfc822`, the only type whose body IMAP describes as a nested message.
    public var isMessageRFC822: Bool { type == "message" && subtype == "rfc822" }

    /// Adds `charset=us-ascii` to a text type that lacks a charset, as Dovecot reports text parts
    /// (RFC 2046 section 4.1.2 makes US-ASCII the default charset of text/*).
    func withDefaultCharset() -> ContentType {
        guard isText, charset == nil else { return self }
        var copy = self
        copy.parameters.insert(MIMEParameter(name: "charset", value: "us-ascii"), at: 0)
        return copy
    }
}
