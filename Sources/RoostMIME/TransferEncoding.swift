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
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        withContiguousBytes(of: bytes) { decoder.decode($0, into: &output) }
        decoder.finish(into: &output)
        return output
    }
}

/// A streaming Content-Transfer-Encoding decoder: feed encoded chunks split anywhere, then finish.
///
/// Both decoders are kept inline (an empty one allocates nothing) so the active one is mutated in
/// place, and `reset(encoding:)` lets one decoder serve part after part keeping its buffers.
public struct TransferDecoder: Sendable {
    private enum Kind: Sendable {
        case identity
        case base64
        case quotedPrintable
    }

    private var kind: Kind
    private var base64 = Base64Decoder()
    private var quotedPrintable = QuotedPrintableDecoder()

    /// A decoder for `encoding`.
    public init(encoding: TransferEncoding) {
        kind = Self.kind(of: encoding)
    }

    /// Starts over on a new body in `encoding`; buffers grown so far are kept.
    public mutating func reset(encoding: TransferEncoding) {
        switch kind {
        case .identity: break
        case .base64: base64.reset()
        case .quotedPrintable: quotedPrintable.reset()
        }
        kind = Self.kind(of: encoding)
    }

    private static func kind(of encoding: TransferEncoding) -> Kind {
        switch encoding {
        case .base64: .base64
        case .quotedPrintable: .quotedPrintable
        case .sevenBit, .eightBit, .binary, .other: .identity
        }
    }

    /// True when the bytes pass through unchanged (7bit, 8bit, binary, unknown encodings).
    public var isIdentity: Bool {
        if case .identity = kind { return true }
        return false
    }

    /// Decodes the next chunk, appending the bytes that are final so far to `output`.
    public mutating func decode(_ chunk: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        switch kind {
        case .identity: output.append(contentsOf: chunk)
        case .base64: base64.decode(chunk, into: &output)
        case .quotedPrintable: quotedPrintable.decode(chunk, into: &output)
        }
    }

    /// Appends whatever the decoder still holds at the end of the input to `output`.
    public mutating func finish(into output: inout [UInt8]) {
        switch kind {
        case .identity: break
        case .base64: base64.finish(into: &output)
        case .quotedPrintable: quotedPrintable.finish(into: &output)
        }
    }
}

/// Runs `body` on the bytes of `bytes` as one contiguous buffer, copying only when the collection
/// does not store them contiguously.
func withContiguousBytes<Result>(of bytes: some Collection<UInt8>,
                                 _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    if let result = try bytes.withContiguousStorageIfAvailable(body) { return result }
    return try Array(bytes).withUnsafeBufferPointer(body)
}
