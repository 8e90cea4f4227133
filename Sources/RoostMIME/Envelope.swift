/// The IMAP ENVELOPE of a message (RFC 3501 section 7.4.2).
///
/// String fields are the raw, unfolded header values: RFC 2047 encoded words are kept, because
/// IMAP sends them undecoded and leaves decoding to the client. A nil field means the header is
/// absent; an empty address list is sent as NIL. When a header occurs more than once the first
/// occurrence is used.
///
/// RFC 3501: "If the Sender or Reply-To lines are absent in the [RFC-2822] header, or are present
/// but empty, the server sets the corresponding member of the envelope to be the same value as the
/// from member." `sender` and `replyTo` are stored with that default already applied.
public struct Envelope: Sendable, Hashable, Codable {
    public var date: String?
    public var subject: String?
    public var from: [Address]
    public var sender: [Address]
    public var replyTo: [Address]
    public var to: [Address]
    public var cc: [Address]
    public var bcc: [Address]
    public var inReplyTo: String?
    public var messageID: String?

    public init(
        date: String? = nil, subject: String? = nil, from: [Address] = [], sender: [Address] = [],
        replyTo: [Address] = [], to: [Address] = [], cc: [Address] = [], bcc: [Address] = [],
        inReplyTo: String? = nil, messageID: String? = nil
    ) {
        self.date = date
        self.subject = subject
        self.from = from
        self.sender = sender.isEmpty ? from : sender
        self.replyTo = replyTo.isEmpty ? from : replyTo
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.inReplyTo = inReplyTo
        self.messageID = messageID
    }

    /// Builds the envelope of a message from its header.
    public init(header: Header) {
        func addresses(_ name: String) -> [Address] {
            header[name].map(Address.parseList) ?? []
        }
        self.init(
            date: header["Date"], subject: header["Subject"], from: addresses("From"),
            sender: addresses("Sender"), replyTo: addresses("Reply-To"), to: addresses("To"),
            cc: addresses("Cc"), bcc: addresses("Bcc"), inReplyTo: header["In-Reply-To"],
            messageID: header["Message-ID"])
    }
}
