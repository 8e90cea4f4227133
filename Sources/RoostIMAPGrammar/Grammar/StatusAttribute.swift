import NIOCore

/// A mailbox count STATUS can ask for (RFC 3501 section 6.3.10).
///
///     status-att      = "MESSAGES" / "RECENT" / "UIDNEXT" / "UIDVALIDITY" /
///                       "UNSEEN"
public enum StatusAttribute: String, Hashable, Sendable, CaseIterable {
    case messages = "MESSAGES"
    case recent = "RECENT"
    case uidNext = "UIDNEXT"
    case uidValidity = "UIDVALIDITY"
    case unseen = "UNSEEN"
}

extension IMAPParser {
    // status-att      = "MESSAGES" / "RECENT" / "UIDNEXT" / "UIDVALIDITY" /
    //                   "UNSEEN"
    public mutating func parseStatusAttribute() throws(IMAPParseError) -> StatusAttribute {
        for attribute in StatusAttribute.allCases where skip(keyword: attribute.rawValue) { return attribute }
        throw IMAPParseError("Expected a status attribute")
    }

    // "(" status-att *(SP status-att) ")"
    public mutating func parseStatusAttributeList() throws(IMAPParseError) -> [StatusAttribute] {
        try expect(IMAPASCII.openParen, "(")
        var attributes: [StatusAttribute] = []
        repeat {
            guard attributes.count < limits.maxListItems else {
                throw IMAPParseError("Too many status attributes (limit \(limits.maxListItems))")
            }
            attributes.append(try parseStatusAttribute())
        } while skip(IMAPASCII.space)
        try expect(IMAPASCII.closeParen, ")")
        return attributes
    }
}

extension ByteBuffer {
    @discardableResult
    public mutating func writeStatusAttribute(_ attribute: StatusAttribute) -> Int { writeString(attribute.rawValue) }

    // "(" status-att *(SP status-att) ")"
    @discardableResult
    public mutating func writeStatusAttributeList(_ attributes: [StatusAttribute]) -> Int {
        writeString("(" + attributes.map(\.rawValue).joined(separator: " ") + ")")
    }
}
