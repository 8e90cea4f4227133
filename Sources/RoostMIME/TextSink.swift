/// The scanner sink that decodes text parts.
///
/// The scanner hands over a body line by line; the sink gathers the encoded bytes and decodes them
/// once per chunk (`drain`), per `batchSize` bytes and at the end of the part, which costs far
/// less than running both decoders once per line. Decoded text stays UTF-8 bytes throughout.
///
/// The sink is reused part after part and, through `reset()`, message after message: its buffers
/// and transfer decoder keep their capacity, so a search over many messages allocates little.
struct TextSink: MIMEScanSink {
    static var wantsBodies: Bool { true }
    static var wantsFullStructure: Bool { false }

    /// Encoded bytes gathered before they are decoded even if the chunk goes on.
    static let batchSize = 64 * 1024

    private var output: [TextSegment] = []
    private var transfer = TransferDecoder(encoding: .sevenBit)
    /// The current text leaf's charset decoder; nil outside text leaves.
    private var charset: CharsetDecoder?
    /// Encoded body bytes of the current text part not yet decoded.
    private var encoded: [UInt8] = []
    /// Transfer-decoded bytes on their way to the charset decoder.
    private var decoded: [UInt8] = []
    /// UTF-8 text of the last batch; handed out in a `.bodyText` and reused once that is dropped.
    private var text: [UInt8] = []

    mutating func headerParsed(_ header: Header, part: BodyPart, isMessageHeader: Bool, isLeaf: Bool) {
        if isMessageHeader {
            for field in header.fields {
                output.append(.header(name: field.name, value: field.decodedValue))
            }
        }
        if isLeaf && part.contentType.isText {
            transfer.reset(encoding: part.transferEncoding)
            charset = CharsetDecoder(lenientCharset: part.contentType.charset)
        } else {
            charset = nil
        }
    }

    mutating func leafBody(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard charset != nil else { return }
        encoded.append(contentsOf: bytes)
        if encoded.count >= Self.batchSize { decodeEncoded(final: false) }
    }

    mutating func leafEnded() {
        guard charset != nil else { return }
        decodeEncoded(final: true)
        charset = nil
        output.append(.bodyEnd)
    }

    /// Hands what was produced since the last call to `body`, in order, decoding what was gathered.
    mutating func drain(each body: (TextSegment) -> Void) {
        if charset != nil && !encoded.isEmpty { decodeEncoded(final: false) }
        for segment in output { body(segment) }
        output.removeAll(keepingCapacity: true)
    }

    /// Forgets the message in progress, keeping buffer capacity, for the next message.
    mutating func reset() {
        output.removeAll(keepingCapacity: true)
        encoded.removeAll(keepingCapacity: true)
        charset = nil
    }

    /// Decodes the gathered bytes (and, when `final`, what the decoders hold) into a segment.
    private mutating func decodeEncoded(final: Bool) {
        // Taken out and put back so the charset decoder's buffer stays uniquely referenced.
        guard var charset = charset.take() else { return }
        text.removeAll(keepingCapacity: true)
        if transfer.isIdentity {
            encoded.withUnsafeBufferPointer { charset.decode($0, into: &text) }
        } else {
            decoded.removeAll(keepingCapacity: true)
            encoded.withUnsafeBufferPointer { transfer.decode($0, into: &decoded) }
            if final { transfer.finish(into: &decoded) }
            decoded.withUnsafeBufferPointer { charset.decode($0, into: &text) }
        }
        encoded.removeAll(keepingCapacity: true)
        if final { charset.finish(into: &text) }
        self.charset = charset
        if !text.isEmpty { output.append(.bodyText(text)) }
    }
}
