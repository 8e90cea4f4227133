import RoostStorage

/// One message of the selected mailbox as the session sees it, offered to `SearchProgram.matches`.
///
/// The session builds candidates from its own view (its sequence numbers, its `\Recent` set), not from
/// the folder's current snapshot: SEARCH answers about the messages the client knows of (RFC 3501
/// section 7.4.1 forbids sequence numbers to change under the client's feet).
public struct SearchCandidate: Sendable, Hashable {
    /// The message's position in the session's view, 1 to the number of messages.
    public var sequenceNumber: UInt32
    /// UID, flags, sizes and internal date.
    public var info: MessageInfo
    /// The keyword names set on the message (`FolderSnapshot.keywords(of:)`).
    public var keywords: [String]
    /// Whether this session holds the message as `\Recent` (RFC 3501 section 2.3.2).
    public var isRecent: Bool

    public init(sequenceNumber: UInt32, info: MessageInfo, keywords: [String], isRecent: Bool) {
        self.sequenceNumber = sequenceNumber
        self.info = info
        self.keywords = keywords
        self.isRecent = isRecent
    }
}
