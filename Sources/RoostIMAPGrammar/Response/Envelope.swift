import NIOCore

/// The ENVELOPE of a message: its main header fields as the server parsed them (RFC 3501 section 7.4.2).
///
///     envelope        = "(" env-date SP env-subject SP env-from SP
///                       env-sender SP env-reply-to SP env-to SP env-cc SP
///                       env-bcc SP env-in-reply-to SP env-message-id ")"
///     env-from        = "(" 1*address ")" / nil        (and so the other address lists)
///
/// Strings are the raw header octets (encoded words left as they are, as RFC 3501 requires); `nil` is
/// NIL. An empty address list is written NIL. Filling it from a message is RoostMIME's and the session's
/// work; this is the wire form.
public struct Envelope: Hashable, Sendable {
    public var date: [UInt8]?
    public var subject: [UInt8]?
    public var from: [Address]
    public var sender: [Address]
    public var replyTo: [Address]
    public var to: [Address]
    public var cc: [Address]
    public var bcc: [Address]
    public var inReplyTo: [UInt8]?
    public var messageID: [UInt8]?

    public init(
        date: [UInt8]? = nil, subject: [UInt8]? = nil, from: [Address] = [], sender: [Address] = [],
        replyTo: [Address] = [], to: [Address] = [], cc: [Address] = [], bcc: [Address] = [],
        inReplyTo: [UInt8]? = nil, messageID: [UInt8]? = nil
    ) {
        self.date = date
        self.subject = subject
        self.from = from
        self.sender = sender
        self.replyTo = replyTo
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.inReplyTo = inReplyTo
        self.messageID = messageID
    }

    /// One address, or a group's start (`host` nil, `mailbox` the group name) or end (all nil).
    ///
    ///     address         = "(" addr-name SP addr-adl SP addr-mailbox SP
    ///                       addr-host ")"
    public struct Address: Hashable, Sendable {
        public var name: [UInt8]?
        /// The obsolete source route.
        public var adl: [UInt8]?
        public var mailbox: [UInt8]?
        public var host: [UInt8]?

        public init(name: [UInt8]? = nil, adl: [UInt8]? = nil, mailbox: [UInt8]?, host: [UInt8]?) {
            self.name = name
            self.adl = adl
            self.mailbox = mailbox
            self.host = host
        }
    }
}

extension ByteBuffer {
    // envelope        = "(" env-date SP env-subject SP env-from SP
    //                   env-sender SP env-reply-to SP env-to SP env-cc SP
    //                   env-bcc SP env-in-reply-to SP env-message-id ")"
    @discardableResult
    public mutating func writeEnvelope(_ envelope: Envelope) -> Int {
        var written = writeString("(") + writeIMAPNstring(envelope.date) + writeString(" ") + writeIMAPNstring(envelope.subject)
        for list in [envelope.from, envelope.sender, envelope.replyTo, envelope.to, envelope.cc, envelope.bcc] {
            written += writeString(" ") + writeAddressList(list)
        }
        written += writeString(" ") + writeIMAPNstring(envelope.inReplyTo) + writeString(" ") + writeIMAPNstring(envelope.messageID)
        return written + writeString(")")
    }

    // env-from        = "(" 1*address ")" / nil
    @discardableResult
    mutating func writeAddressList(_ addresses: [Envelope.Address]) -> Int {
        guard !addresses.isEmpty else { return writeString("NIL") }
        var written = writeString("(")
        for address in addresses {
            // address         = "(" addr-name SP addr-adl SP addr-mailbox SP
            //                   addr-host ")"
            written += writeString("(") + writeIMAPNstring(address.name) + writeString(" ") + writeIMAPNstring(address.adl)
            written += writeString(" ") + writeIMAPNstring(address.mailbox) + writeString(" ") + writeIMAPNstring(address.host)
            written += writeString(")")
        }
        return written + writeString(")")
    }
}
