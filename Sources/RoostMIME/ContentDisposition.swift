/// A parsed Content-Disposition header (RFC 2183).
///
/// `type` is lowercased ("inline", "attachment" or an extension token); parameters are RFC 2231
/// decoded, which is where long and non-ASCII filenames live (RFC 2183 section 2.3).
public struct ContentDisposition: Sendable, Hashable, Codable {
    public var type: String
    public var parameters: [MIMEParameter]

    public init(type: String, parameters: [MIMEParameter] = []) {
        self.type = type.lowercased()
        self.parameters = parameters
    }

    /// Parses a header value; nil when no disposition type token is present.
    public static func parse(_ value: String) -> ContentDisposition? {
        var tokenizer = MIMETokenizer(value)
        tokenizer.skipCFWS()
        guard let type = tokenizer.token() else { return nil }
        return ContentDisposition(type: type, parameters: MIMEParameter.decodeList(tokenizer.rawParameters()))
    }

    /// The first parameter named `name` (case-insensitive).
    public func parameter(_ name: String) -> String? {
        parameters.first { ASCII.caseInsensitiveEquals($0.name, name) }?.value
    }

    /// The filename for display: RFC 2231-decoded, and RFC 2047-decoded too since many clients
    /// write `filename="=?UTF-8?B?...?="` despite RFC 2047 section 5 forbidding it.
    public var filename: String? {
        parameter("filename").map(EncodedWord.decode)
    }
}
