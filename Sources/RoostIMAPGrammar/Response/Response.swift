import NIOCore

/// A server response: what the session produces and the encoder writes (RFC 3501 section 7).
///
///     response        = *(continue-req / response-data) response-done
///
/// Untagged FETCH lines are written by `writeFetchResponse` (see `MessageAttribute`), so a body can be
/// streamed rather than held in a value; BODY and BODYSTRUCTURE are not modelled yet.
public enum Response: Hashable, Sendable {
    // response-tagged = tag SP resp-cond-state CRLF
    case tagged(Tag, StatusResponse)
    // response-data   = "*" SP (resp-cond-state / resp-cond-bye /
    //                   mailbox-data / message-data / capability-data) CRLF
    case untagged(UntaggedResponse)
    // continue-req    = "+" SP (resp-text / base64) CRLF
    /// A continuation request with its text (`+ idling`), or a SASL challenge already in base64.
    case continuation(String)
}

/// OK, NO or BAD with its text.
///
///     resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
public struct StatusResponse: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case ok = "OK"
        case no = "NO"
        case bad = "BAD"
    }

    public var kind: Kind
    public var text: ResponseText

    public init(_ kind: Kind, _ text: ResponseText) {
        self.kind = kind
        self.text = text
    }

    public static func ok(_ text: String, code: ResponseCode? = nil) -> Self { Self(.ok, ResponseText(code: code, text)) }
    public static func no(_ text: String, code: ResponseCode? = nil) -> Self { Self(.no, ResponseText(code: code, text)) }
    public static func bad(_ text: String, code: ResponseCode? = nil) -> Self { Self(.bad, ResponseText(code: code, text)) }
}

/// A count STATUS reports.
///
///     status-att-list =  status-att SP number *(SP status-att SP number)
public struct StatusValue: Hashable, Sendable {
    public var attribute: StatusAttribute
    public var value: UInt32

    public init(_ attribute: StatusAttribute, _ value: UInt32) {
        self.attribute = attribute
        self.value = value
    }
}

/// The untagged responses Roost sends.
public enum UntaggedResponse: Hashable, Sendable {
    /// `* OK/NO/BAD resp-text`.
    case condition(StatusResponse)
    // resp-cond-auth  = ("OK" / "PREAUTH") SP resp-text
    case preauth(ResponseText)
    // resp-cond-bye   = "BYE" SP resp-text
    case bye(ResponseText)
    // capability-data
    case capability([String])
    // mailbox-data    = "FLAGS" SP flag-list / "LIST" SP mailbox-list /
    //                   "LSUB" SP mailbox-list / "SEARCH" *(SP nz-number) /
    //                   "STATUS" SP mailbox SP "(" [status-att-list] ")" /
    //                   number SP "EXISTS" / number SP "RECENT"
    case flags([Flag])
    case list(MailboxListItem)
    case lsub(MailboxListItem)
    /// Sequence numbers or UIDs, as the SEARCH was.
    case search([UInt32])
    case status(MailboxName, [StatusValue])
    case exists(UInt32)
    case recent(UInt32)
    // message-data    = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))
    case expunge(SequenceNumber)
    // enable-data     = "ENABLED" *(SP capability)                  (RFC 5161 section 4)
    case enabled([String])
    // Namespace_Response (RFC 2342 section 5)
    case namespace(personal: [NamespaceDescription], otherUsers: [NamespaceDescription], shared: [NamespaceDescription])
    // id-response ::= "ID" SPACE id-params-list                     (RFC 2971 section 4)
    case id([IDField]?)
}

extension ByteBuffer {
    // response        = *(continue-req / response-data) response-done
    @discardableResult
    public mutating func writeResponse(_ response: Response) -> Int {
        let written: Int
        switch response {
        case .tagged(let tag, let status):
            written = writeTag(tag) + writeString(" ") + writeStatusResponse(status)
        case .untagged(let untagged):
            written = writeString("* ") + writeUntaggedResponse(untagged)
        case .continuation(let text):
            written = writeString("+ ") + writeResponseText(ResponseText(text))
        }
        return written + writeString("\r\n")
    }

    // resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
    @discardableResult
    public mutating func writeStatusResponse(_ status: StatusResponse) -> Int {
        writeString(status.kind.rawValue + " ") + writeResponseText(status.text)
    }

    @discardableResult
    mutating func writeUntaggedResponse(_ response: UntaggedResponse) -> Int {
        switch response {
        case .condition(let status): return writeStatusResponse(status)
        case .preauth(let text): return writeString("PREAUTH ") + writeResponseText(text)
        case .bye(let text): return writeString("BYE ") + writeResponseText(text)
        case .capability(let capabilities): return writeCapabilityData(capabilities)
        case .flags(let flags): return writeString("FLAGS ") + writeFlagList(flags)
        case .list(let item): return writeString("LIST ") + writeMailboxListItem(item)
        case .lsub(let item): return writeString("LSUB ") + writeMailboxListItem(item)
        case .search(let numbers): return writeString("SEARCH" + numbers.map { " \($0)" }.joined())
        case .status(let mailbox, let values):
            let list = values.map { "\($0.attribute.rawValue) \($0.value)" }.joined(separator: " ")
            return writeString("STATUS ") + writeMailbox(mailbox) + writeString(" (" + list + ")")
        case .exists(let count): return writeString("\(count) EXISTS")
        case .recent(let count): return writeString("\(count) RECENT")
        case .expunge(let number): return writeSequenceNumber(number) + writeString(" EXPUNGE")
        case .enabled(let capabilities): return writeString("ENABLED" + capabilities.map { " " + $0 }.joined())
        case .namespace(let personal, let otherUsers, let shared):
            return writeString("NAMESPACE ") + writeNamespaces(personal: personal, otherUsers: otherUsers, shared: shared)
        case .id(let fields): return writeString("ID ") + writeIDParameters(fields)
        }
    }
}
