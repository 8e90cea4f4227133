import NIOCore

/// A command tag, chosen by the client and echoed on the command's completion response.
///
///     tag             = 1*<any ASTRING-CHAR except "+">
///
/// RFC 3501 section 2.2.1. The framer reads it from the start of a command before anything else, so a
/// command that fails framing or parsing still gets a tagged reply.
public struct Tag: Hashable, Sendable, CustomStringConvertible {
    /// The tag as the client spelled it (printable ASCII, never empty).
    public let rawValue: String

    /// A tag of valid characters; `nil` for an empty string or one with a character outside the rule.
    public init?(_ string: String) {
        guard Self.isValid(string.utf8) else { return nil }
        self.rawValue = string
    }

    init?(bytes: some Collection<UInt8>) {
        guard Self.isValid(bytes) else { return nil }
        self.rawValue = String(decoding: bytes, as: UTF8.self)
    }

    static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(IMAPASCII.isTagChar)
    }

    public var description: String { rawValue }
}

extension ByteBuffer {
    /// Writes a tag as it is (its characters are all valid on the wire).
    @discardableResult
    public mutating func writeTag(_ tag: Tag) -> Int {
        writeString(tag.rawValue)
    }
}
