import RoostStorage

/// One message of the selected mailbox as the session sees it, offered to `SearchProgram.matches`.
///
/// The session builds candidates from its own view (its sequence numbers, its `\Recent` set), not from
/// the folder's current snapshot: SEARCH answers about the messages the client knows of (RFC 3501
/// section 7.4.1 forbids sequence numbers to change under the client's feet).
///
/// It holds only what keys read without the message's file or cache record, and nothing that is
/// counted by reference except the keyword names: a SEARCH of 100,000 messages copies each a few times.
public struct SearchCandidate: Sendable, Hashable {
    /// The message's position in the session's view, 1 to the number of messages.
    public var sequenceNumber: UInt32
    public var uid: RoostStorage.UID
    public var flags: SystemFlags
    /// RFC822.SIZE: the size with CRLF line ends.
    public var virtualSize: Int64
    /// The internal date when the folder's view has read it (`MaildirFolder.internalDate(of:)` reads it otherwise).
    public var internalDate: Int64?
    /// The keyword names set on the message (`FolderSnapshot.keywords(of:)`).
    public var keywords: [String]
    /// Whether this session holds the message as `\Recent` (RFC 3501 section 2.3.2).
    public var isRecent: Bool

    public init(sequenceNumber: UInt32, info: borrowing MessageInfo, keywords: [String], isRecent: Bool) {
        self.sequenceNumber = sequenceNumber
        uid = info.uid
        flags = info.flags
        virtualSize = info.virtualSize
        internalDate = info.internalDate
        self.keywords = keywords
        self.isRecent = isRecent
    }
}
