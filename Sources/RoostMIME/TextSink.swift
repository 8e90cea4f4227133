/// The scanner sink that decodes text parts.
///
/// The scanner hands over a body line by line; the sink gathers the encoded bytes and decodes them
/// once per chunk (`drain`), per `batchSize` bytes and at the end of the part, which costs far
/// less than running both decoders once per line. Decoded text stays UTF-8 bytes throughout.
struct TextSink: MIMEScanSink {
    static var wantsBodies: Bool { true }

    /// Encoded bytes gathered before they are decoded even if the chunk goes on.
    static let batchSize = 64 * 1024

    private var output: [TextSegment] = []
    private var transfer: TransferDecoder?
    private var charset: CharsetDecoder?
    /// Encoded body bytes of the current text part not yet decoded.
    private var encoded: [UInt8] = []

    mutating func headerParsed(_ header: Header, part: BodyPart, isMessageHeader: Bool, isLeaf: Bool) {
        if isMessageHeader {
            for field in header.fields {
                output.append(.header(name: field.name, value: field.decodedValue))
            }
        }
        if isLeaf && part.contentType.isText {
            transfer = part.transferEncoding.makeDecoder()
            charset = CharsetDecoder(lenientCharset: part.contentType.charset)
        } else {
            transfer = nil
            charset = nil
        }
    }

    mutating func leafBody(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard transfer != nil else { return }
        encoded.append(contentsOf: bytes)
        if encoded.count >= Self.batchSize { decodeEncoded(final: false) }
    }

    mutating func leafEnded() {
        guard transfer != nil else { return }
        decodeEncoded(final: true)
        transfer = nil
        charset = nil
        output.append(.bodyEnd)
    }

    /// Hands over what was produced since the last call, decoding what was gathered.
    mutating func drain() -> [TextSegment] {
        if transfer != nil && !encoded.isEmpty { decodeEncoded(final: false) }
        defer { output.removeAll() }
        return output
    }

    /// Decodes the gathered bytes (and, when `final`, what the decoders hold) into a segment.
    private mutating func decodeEncoded(final: Bool) {
        // Taken out and put back so the decoders' buffers stay uniquely referenced (no copy).
        guard var transfer = transfer.take(), var charset = charset.take() else { return }
        var decoded = transfer.decode(encoded)
        encoded.removeAll(keepingCapacity: true)
        if final { decoded += transfer.finish() }
        var text: [UInt8] = []
        text.reserveCapacity(decoded.count + decoded.count / 2 + 16)
        decoded.withUnsafeBufferPointer { charset.decode($0, into: &text) }
        if final { charset.finish(into: &text) }
        self.transfer = transfer
        self.charset = charset
        if !text.isEmpty { output.append(.bodyText(text)) }
    }
}
