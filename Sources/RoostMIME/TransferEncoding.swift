/// A Content-Transfer-Encoding (RFC 2045 section 6).
///
/// Only base64 and quoted-printable change the bytes; 7bit, 8bit and binary are identity
/// encodings. Unknown tokens (x-uuencode, x-token) are kept by name and passed through undecoded,
/// as RFC 2045 section 6.4 asks for data in an unrecognised encoding.
public enum TransferEncoding: Sendable, Hashable, Codable {
    case sevenBit
    case eightBit
    case binary
    case base64
    case quotedPrintable
    /// An encoding Roost cannot decode, by its lowercased token.
    case other(String)

    /// Parses a Content-Transfer-Encoding header value; absent or syntactically invalid values
    /// default to 7bit (RFC 2045 section 6.1), as Dovecot reports them.
    public init(headerValue: String?) {
        guard let headerValue else {
            self = .sevenBit
            return
        }
        let bytes = Array(ASCII.trimmed(Array(headerValue.utf8)))
        let tokenEnd = bytes.firstIndex { ASCII.isWhitespace($0) || $0 == ASCII.openParen || $0 == ASCII.semicolon } ?? bytes.count
        let token = bytes[..<tokenEnd]
        guard !token.isEmpty, token.allSatisfy(MIMETokenizer.isTokenByte) else {
            self = .sevenBit
            return
        }
        let name = String(decoding: token.map(ASCII.lowercased), as: UTF8.self)
        switch name {
        case "7bit": self = .sevenBit
        case "8bit": self = .eightBit
        case "binary": self = .binary
        case "base64": self = .base64
        case "quoted-printable": self = .quotedPrintable
        default: self = .other(name)
        }
    }

    /// The lowercase token, as sent in BODYSTRUCTURE's body-fld-enc.
    public var name: String {
        switch self {
        case .sevenBit: return "7bit"
        case .eightBit: return "8bit"
        case .binary: return "binary"
        case .base64: return "base64"
        case .quotedPrintable: return "quoted-printable"
        case .other(let name): return name
        }
    }

    /// True when the encoded bytes are the content itself (7bit, 8bit, binary).
    public var isIdentity: Bool {
        switch self {
        case .sevenBit, .eightBit, .binary: return true
        case .base64, .quotedPrintable, .other: return false
        }
    }

    /// A streaming decoder for this encoding; unknown encodings pass bytes through.
    public func makeDecoder() -> TransferDecoder {
        TransferDecoder(encoding: self)
    }

    /// Decodes a whole encoded body at once.
    public func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var decoder = makeDecoder()
        var output = decoder.decode(bytes)
        output.append(contentsOf: decoder.finish())
        return output
    }
}

/// A streaming Content-Transfer-Encoding decoder: feed encoded chunks split anywhere, then finish.
public struct TransferDecoder: Sendable {
    private enum State: Sendable {
        case identity
        case base64(Base64Decoder)
        case quotedPrintable(QuotedPrintableDecoder)
    }

    /// While a decoder runs, `state` is briefly `.identity` so the decoder's buffers are uniquely
    /// referenced and mutate in place instead of being copied.
    private var state: State

    /// A decoder for `encoding`.
    public init(encoding: TransferEncoding) {
        switch encoding {
        case .base64: state = .base64(Base64Decoder())
        case .quotedPrintable: state = .quotedPrintable(QuotedPrintableDecoder())
        case .sevenBit, .eightBit, .binary, .other: state = .identity
        }
    }

    /// Decodes the next chunk; returns the bytes that are final so far.
    public mutating func decode(_ chunk: some Collection<UInt8>) -> [UInt8] {
        switch state {
        case .identity:
            return Array(chunk)
        case .base64(var decoder):
            state = .identity
            let output = decoder.decode(chunk)
            state = .base64(decoder)
            return output
        case .quotedPrintable(var decoder):
            state = .identity
            let output = decoder.decode(chunk)
            state = .quotedPrintable(decoder)
            return output
        }
    }

    /// Returns whatever the decoder still holds at the end of the input.
    public mutating func finish() -> [UInt8] {
        switch state {
        case .identity:
            return []
        case .base64(var decoder):
            state = .identity
            let output = decoder.finish()
            state = .base64(decoder)
            return output
        case .quotedPrintable(var decoder):
            state = .identity
            let output = decoder.finish()
            state = .quotedPrintable(decoder)
            return output
        }
    }
}
