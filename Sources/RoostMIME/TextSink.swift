/// The scanner sink that decodes text parts.
struct TextSink: MIMEScanSink {
    static var wantsBodies: Bool { true }

    private var output: [TextSegment] = []
    private var transfer: TransferDecoder?
    private var charset: CharsetDecoder?

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
        // Taken out and put back so the decoders' buffers stay uniquely referenced (no copy).
        guard var transfer = transfer.take() else { return }
        guard var charset = charset.take() else { return }
        let text = charset.decode(transfer.decode(bytes))
        self.transfer = transfer
        self.charset = charset
        if !text.isEmpty { output.append(.bodyText(text)) }
    }

    mutating func leafEnded() {
        guard var transfer = transfer.take() else { return }
        guard var charset = charset.take() else { return }
        var text = charset.decode(transfer.finish())
        text += charset.finish()
        if !text.isEmpty { output.append(.bodyText(text)) }
        output.append(.bodyEnd)
    }

    /// Hands over what was produced since the last call.
    mutating func drain() -> [TextSegment] {
        defer { output.removeAll() }
        return output
    }
}
