/// Receives the events of a `MIMEScanner` that go beyond the structure it builds.
///
/// The scanner is generic over its sink so that `MessageParser`, which needs no body bytes, pays
/// nothing for them (`wantsBodies` is false and the calls specialise away), while `TextExtractor`
/// receives each leaf's body as it streams past.
protocol MIMEScanSink: Sendable {
    /// Whether `leafBody` should be called at all.
    static var wantsBodies: Bool { get }

    /// Whether the scanner builds what only its result's structure shows: the envelope of each
    /// message header and the descriptive fields of each part (ID, description, MD5, disposition,
    /// language, location). Without, those stay empty and only a part's Content-Type and transfer
    /// encoding are read: parsing addresses and unused fields was most of the cost of extracting the
    /// text of small messages, whose structure is thrown away.
    static var wantsFullStructure: Bool { get }

    /// A part's header block is complete. `part` carries the header-derived fields (offsets not yet
    /// known); `isMessageHeader` is true for the top-level header and for the header of a message
    /// encapsulated in message/rfc822; `isLeaf` is false for multipart and parsed message parts.
    mutating func headerParsed(_ header: Header, part: BodyPart, isMessageHeader: Bool, isLeaf: Bool)

    /// The next bytes of the current leaf's body, still in its transfer encoding. The line break
    /// before a boundary is never delivered.
    mutating func leafBody(_ bytes: UnsafeBufferPointer<UInt8>)

    /// The current leaf's body is complete.
    mutating func leafEnded()
}

/// The sink of `MessageParser`: structure only.
struct DiscardingSink: MIMEScanSink {
    static var wantsBodies: Bool { false }
    static var wantsFullStructure: Bool { true }
    mutating func headerParsed(_ header: Header, part: BodyPart, isMessageHeader: Bool, isLeaf: Bool) {}
    mutating func leafBody(_ bytes: UnsafeBufferPointer<UInt8>) {}
    mutating func leafEnded() {}
}
