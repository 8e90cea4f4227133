import RoostIMAPGrammar
import RoostMIME

/// ENVELOPE from RoostMIME's parsed header (RFC 3501 section 7.4.2).
///
/// The strings are the raw header values, unfolded and trimmed but not decoded: RFC 2047 encoded
/// words go out as written and the client decodes them. Address parts are RoostMIME's, with quoting
/// removed from display names. Group syntax (RFC 5322 section 3.4) arrives already flattened into
/// the markers RFC 3501 asks for: a start marker with NIL host and the group name as mailbox, then
/// the members, then an end marker with NIL mailbox and host.
///
/// A header value whose bytes were not UTF-8 reaches this layer as ISO-8859-1 text (RoostMIME's
/// reading of such headers) and is sent as the UTF-8 form of that text.
extension RoostIMAPGrammar.Envelope {
    /// The wire form of a parsed envelope.
    ///
    /// RFC 3501: "If the Sender or Reply-To lines are absent in the [RFC-2822] header, or are present
    /// but empty, the server sets the corresponding member of the envelope to be the same value as
    /// the from member." RoostMIME applies that rule when it builds an envelope; it is applied here
    /// again so that a value assembled by hand cannot send NIL instead.
    public init(_ envelope: RoostMIME.Envelope) {
        let from = envelope.from.map(Address.init)
        self.init(
            date: envelope.date.map { wireOctets($0) },
            subject: envelope.subject.map { wireOctets($0) },
            from: from,
            sender: envelope.sender.isEmpty ? from : envelope.sender.map(Address.init),
            replyTo: envelope.replyTo.isEmpty ? from : envelope.replyTo.map(Address.init),
            to: envelope.to.map(Address.init),
            cc: envelope.cc.map(Address.init),
            bcc: envelope.bcc.map(Address.init),
            inReplyTo: envelope.inReplyTo.map { wireOctets($0) },
            messageID: envelope.messageID.map { wireOctets($0) })
    }
}

extension RoostIMAPGrammar.Envelope.Address {
    // address         = "(" addr-name SP addr-adl SP addr-mailbox SP
    //                   addr-host ")"
    init(_ address: RoostMIME.Address) {
        self.init(name: address.name.map { wireOctets($0) }, adl: address.route.map { wireOctets($0) },
                  mailbox: address.mailbox.map { wireOctets($0) }, host: address.host.map { wireOctets($0) })
    }
}
