import RoostMIME

/// What the protocols ask of a message most often, parsed once and kept in the folder's `roost.cache`:
/// the envelope and MIME structure (IMAP ENVELOPE, BODYSTRUCTURE, section offsets) and the header
/// fields mail clients list in their message lists.
///
/// A message file's content never changes in a Maildir (only its name does), so a message parsed once
/// is valid for as long as its UID is.
public struct CachedMessage: Sendable, Hashable {
    public var envelope: Envelope
    public var structure: MessageStructure
    /// The message's header fields named in `CachedMessage.headerFieldNames`, in message order, with
    /// their raw values; enough to answer `BODY[HEADER.FIELDS (...)]` for those names.
    public var headerFields: [HeaderField]
    /// Whether the header was longer than the parser's limit (then `headerFields` may be incomplete).
    public var headerTruncated: Bool
    /// What `StorageOptions.cacheRenderer` made of the message when it was parsed, by key (for IMAP
    /// its ENVELOPE and BODYSTRUCTURE as sent); opaque to the storage.
    public var renderings: [String: [UInt8]]

    /// Header fields (lowercase) kept in the cache: those Thunderbird, Outlook, K-9/FairEmail, Apple
    /// Mail and mutt fetch for their message lists, plus threading and list fields.
    public static let headerFieldNames: Set<String> = [
        "from", "to", "cc", "bcc", "subject", "date", "message-id", "in-reply-to", "references",
        "reply-to", "sender", "content-type", "mime-version", "priority", "x-priority", "importance",
        "list-id", "list-post", "list-unsubscribe", "newsgroups", "disposition-notification-to",
        "return-receipt-to", "x-mozilla-draft-info", "content-class", "x-spam-status", "x-spam-flag",
        "delivered-to", "return-path", "autocrypt",
    ]

    public init(envelope: Envelope, structure: MessageStructure, headerFields: [HeaderField], headerTruncated: Bool,
                renderings: [String: [UInt8]] = [:]) {
        self.envelope = envelope
        self.structure = structure
        self.headerFields = headerFields
        self.headerTruncated = headerTruncated
        self.renderings = renderings
    }

    /// Keeps what the cache holds of a freshly parsed message.
    public init(_ parsed: ParsedMessage) {
        self.init(envelope: parsed.envelope, structure: parsed.structure, headerFields: Self.cachedFields(of: parsed.header),
                  headerTruncated: parsed.headerTruncated)
    }

    /// The fields of `header` the cache keeps (`headerFieldNames`), in message order.
    static func cachedFields(of header: Header) -> [HeaderField] {
        header.fields.filter { headerFieldNames.contains($0.name.lowercased()) }
    }

    /// Whether every one of `names` can be answered from `headerFields`.
    public static func covers(_ names: some Sequence<String>) -> Bool {
        names.allSatisfy { headerFieldNames.contains($0.lowercased()) }
    }
}
