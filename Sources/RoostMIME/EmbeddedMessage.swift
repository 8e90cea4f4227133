/// The message inside a message/rfc822 part (RFC 2046 section 5.2.1): its ENVELOPE and its own
/// top-level part.
///
/// `root` describes the encapsulated message as a part: its header is the message header (starting
/// at the enclosing part's body offset) and its body is the message body, mirroring
/// `MessageStructure.root` for a top-level message.
public struct EmbeddedMessage: Sendable, Hashable, Codable {
    public var envelope: Envelope
    public var root: BodyPart

    public init(envelope: Envelope, root: BodyPart) {
        self.envelope = envelope
        self.root = root
    }

    /// The parts section numbers index into: the children of a multipart body, or the body itself
    /// as part 1 (RFC 3501 section 6.4.5).
    public var sectionChildren: [BodyPart] {
        root.isMultipart ? root.children : [root]
    }
}
