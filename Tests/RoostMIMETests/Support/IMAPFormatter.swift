import Foundation
@testable import RoostMIME

/// Formats parsed values the way Dovecot's `doveadm fetch imap.bodystructure imap.envelope` prints
/// them, so fixtures can be compared with what Dovecot 2.3 reports for the same files.
/// Test-only: the real encoder belongs to the IMAP module. Strings are always quoted (Dovecot uses
/// literals for 8-bit strings; the expectations were rewritten as quoted strings).
enum IMAPFormatter {
    static func bodyStructure(_ structure: MessageStructure) -> String {
        part(structure.root, topLevel: true)
    }

    static func envelope(_ envelope: Envelope) -> String {
        [
            string(envelope.date), string(envelope.subject), addresses(envelope.from),
            addresses(envelope.sender), addresses(envelope.replyTo), addresses(envelope.to),
            addresses(envelope.cc), addresses(envelope.bcc), string(envelope.inReplyTo),
            string(envelope.messageID),
        ].joined(separator: " ")
    }

    static func part(_ part: BodyPart, topLevel: Bool = false) -> String {
        let body: String
        if part.isMultipart {
            let children = part.children.isEmpty
                ? "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL)"
                : part.children.map { "(" + self.part($0) + ")" }.joined()
            body = children + " " + [
                string(part.contentType.subtype), parameters(part.contentType.parameters),
                disposition(part.disposition), language(part.language), string(part.location),
            ].joined(separator: " ")
        } else {
            var fields = [
                string(part.contentType.type), string(part.contentType.subtype),
                parameters(part.contentType.parameters), string(part.contentID),
                string(part.contentDescription), string(part.transferEncoding.name),
                String(part.bodySize.virtualOctets),
            ]
            if let message = part.message {
                fields.append("(" + envelope(message.envelope) + ")")
                fields.append("(" + self.part(message.root) + ")")
                fields.append(String(part.lines))
            } else if part.contentType.isText {
                fields.append(String(part.lines))
            }
            fields += [string(part.contentMD5), disposition(part.disposition), language(part.language), string(part.location)]
            body = fields.joined(separator: " ")
        }
        return body
    }

    static func string(_ value: String?) -> String {
        guard let value else { return "NIL" }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func parameters(_ parameters: [MIMEParameter]) -> String {
        guard !parameters.isEmpty else { return "NIL" }
        return "(" + parameters.map { string($0.name) + " " + string($0.value) }.joined(separator: " ") + ")"
    }

    static func disposition(_ disposition: ContentDisposition?) -> String {
        guard let disposition else { return "NIL" }
        return "(" + string(disposition.type) + " " + parameters(disposition.parameters) + ")"
    }

    static func language(_ tags: [String]) -> String {
        tags.isEmpty ? "NIL" : "(" + tags.map { string($0) }.joined(separator: " ") + ")"
    }

    static func addresses(_ list: [Address]) -> String {
        guard !list.isEmpty else { return "NIL" }
        return "(" + list.map { address in
            "(" + [string(address.name), string(address.route), string(address.mailbox), string(address.host)]
                .joined(separator: " ") + ")"
        }.joined() + ")"
    }
}
