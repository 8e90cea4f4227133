/// The MIME tree of a message, addressable by IMAP section numbers.
///
/// `root` is the whole message as a part: header at offset 0, body after the blank line.
/// RFC 3501 section 6.4.5 numbering: the parts of a multipart message are 1, 2...; a message that
/// is not multipart has one part, 1, which is its body; inside a message/rfc822 part `n`, `n.1`...
/// are the parts of the encapsulated message by the same rule.
public struct MessageStructure: Sendable, Hashable, Codable {
    public var root: BodyPart

    public init(root: BodyPart) {
        self.root = root
    }

    /// The part at an IMAP section path (`[1, 2]` for `BODY[1.2]`); `[]` is the whole message.
    ///
    /// Returns nil for a path that names no part (number 0, beyond the last child, or into a leaf).
    /// For a non-multipart message `[1]` is `root` itself, and for a message/rfc822 part `[n, 1]`
    /// with a non-multipart encapsulated body is that message's root.
    public func part(at path: [Int]) -> BodyPart? {
        guard let first = path.first else { return root }
        let topLevel = root.isMultipart ? root.children : [root]
        guard first >= 1, first <= topLevel.count else { return nil }
        var current = topLevel[first - 1]
        for number in path.dropFirst() {
            let candidates = current.sectionChildren
            guard number >= 1, number <= candidates.count else { return nil }
            current = candidates[number - 1]
        }
        return current
    }

    /// Every part in depth-first order with its section path, encapsulated messages included.
    public var allParts: [(path: [Int], part: BodyPart)] {
        var result: [(path: [Int], part: BodyPart)] = []
        func visit(_ parts: [BodyPart], prefix: [Int]) {
            for (offset, part) in parts.enumerated() {
                let path = prefix + [offset + 1]
                result.append((path, part))
                visit(part.sectionChildren, prefix: path)
            }
        }
        visit(root.isMultipart ? root.children : [root], prefix: [])
        return result
    }
}
