import NIOCore

/// A mailbox name: Unicode in Roost, modified UTF-7 on the wire.
///
///     mailbox         = "INBOX" / astring
///                         ; INBOX is case-insensitive.  All case variants of
///                         ; INBOX (e.g., "iNbOx") MUST be interpreted as INBOX
///                         ; not as an astring.
///
/// RFC 3501 sections 5.1 and 5.1.3. The grammar knows no hierarchy: the session splits `name` at its
/// separator and RoostStorage refuses names that would escape the Maildir. Only the whole name `INBOX`
/// is case-insensitive (`inbox/Sub` is left as it is). RoostStorage has a `MailboxName` of the same
/// meaning as a path of components; the IMAP session converts.
public struct MailboxName: Hashable, Sendable, CustomStringConvertible {
    /// The decoded name; `INBOX` in upper case whatever the client wrote.
    public let name: String

    public static let inbox = MailboxName("INBOX")

    /// A name from Unicode text, with any case of `INBOX` made `INBOX`.
    public init(_ name: String) {
        self.name = name.isInboxIgnoringASCIICase ? "INBOX" : name
    }

    /// A name from its wire form; refuses invalid modified UTF-7.
    public init(wire bytes: some Collection<UInt8>) throws(IMAPParseError) {
        guard let decoded = IMAPModifiedUTF7.decode(bytes) else {
            throw IMAPParseError("Mailbox name is not valid modified UTF-7")
        }
        self.init(decoded)
    }

    public var isInbox: Bool { name == "INBOX" }

    /// The wire form: modified UTF-7.
    public var wireBytes: [UInt8] { IMAPModifiedUTF7.encode(name) }

    public var description: String { name }
}

extension IMAPParser {
    // mailbox         = "INBOX" / astring
    public mutating func parseMailbox() throws(IMAPParseError) -> MailboxName {
        try MailboxName(wire: try parseAstring())
    }
}

extension ByteBuffer {
    // mailbox         = "INBOX" / astring
    @discardableResult
    public mutating func writeMailbox(_ mailbox: MailboxName, literalForm: IMAPLiteralForm = .synchronizing) -> Int {
        writeIMAPAstring(mailbox.wireBytes, literalForm: literalForm)
    }
}

extension StringProtocol {
    /// `INBOX` in any ASCII case. Only ASCII letters fold (RFC 3501 section 5.1: INBOX is
    /// case-insensitive): Unicode case mapping would take the Turkish `ınbox` for INBOX.
    var isInboxIgnoringASCIICase: Bool {
        utf8.count == 5 && zip(utf8, "INBOX".utf8).allSatisfy { byte, letter in byte == letter || byte == letter | 0x20 }
    }
}
