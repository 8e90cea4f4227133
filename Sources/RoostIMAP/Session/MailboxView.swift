import NIOCore
import RoostIMAPGrammar
import RoostStorage

/// The selected mailbox as one session has told its client about it (RFC 3501 sections 2.3.1.2,
/// 5.2 and 7.4.1): the messages in sequence-number order with the flags last reported, and which
/// are `\Recent` in this session.
///
/// The folder itself is shared by every session of the process and changed by other programs; a
/// view moves to a newer `FolderSnapshot` only through `update(to:allowExpunge:)`, which returns
/// the untagged responses that tell the client what changed, in an order that keeps sequence
/// numbers right:
/// - EXPUNGE for each message gone, numbered as the client knows them at that moment;
/// - EXISTS (and RECENT) when messages arrived;
/// - FETCH (FLAGS) for messages whose flags another session or program changed.
///
/// RFC 3501 section 7.4.1 forbids EXPUNGE during FETCH, STORE and SEARCH (the non-UID forms) and
/// when no command is in progress. With `allowExpunge` false, vanished messages stay in the view
/// (`isExpunged`) so sequence numbers keep their meaning, and new ones are still announced.
public struct MailboxView: Sendable {
    /// One message as the client knows it.
    public struct Message: Sendable, Equatable {
        public var uid: RoostStorage.UID
        public var flags: SystemFlags
        public var keywords: [String]
        /// Gone from the folder; still numbered until an EXPUNGE may be sent.
        public var isExpunged: Bool
    }

    public let uidValidity: RoostStorage.UIDValidity
    public private(set) var messages: [Message]
    /// The UIDs `\Recent` in this session (RFC 3501 section 2.3.2).
    public private(set) var recent: Set<RoostStorage.UID>
    /// Keywords the folder has defined, for the FLAGS response.
    public private(set) var keywordNames: [String]
    public private(set) var uidNext: RoostStorage.UID
    /// The `FolderSnapshot.version` the view was last brought to.
    private var snapshotVersion: UInt64
    /// Messages kept as `isExpunged` until an EXPUNGE may be sent.
    private var pendingExpunges = 0

    /// A view of `snapshot` as a fresh SELECT shows it; `recent` are the messages this session
    /// took out of `new/`.
    public init(snapshot: FolderSnapshot, recent: Set<RoostStorage.UID>) {
        uidValidity = snapshot.uidValidity
        // Field by field from the snapshot's storage: copying each MessageInfo (and retaining its
        // strings) was most of a SELECT of 100,000 messages.
        messages = snapshot.messages.withUnsafeBufferPointer { infos in
            infos.indices.map { index in
                let keywords = infos[index].info.keywords == 0 ? [] : snapshot.keywords(of: infos[index])
                return Message(uid: infos[index].uid, flags: infos[index].info.system, keywords: keywords, isExpunged: false)
            }
        }
        self.recent = recent
        keywordNames = snapshot.keywordNames.compactMap { $0 }
        uidNext = snapshot.nextUID
        snapshotVersion = snapshot.version
    }

    public var count: Int { messages.count }

    /// The last sequence number, nil when empty (resolves `*`).
    public var largestSequenceNumber: UInt32? { messages.isEmpty ? nil : UInt32(messages.count) }
    /// The highest UID (resolves `*` in UID sets), nil when empty.
    public var largestUID: RoostStorage.UID? { messages.last?.uid }

    /// The sequence number of `uid`, if it is in the view.
    public func sequenceNumber(of uid: RoostStorage.UID) -> Int? {
        var low = 0, high = messages.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if messages[mid].uid == uid { return mid + 1 }
            if messages[mid].uid < uid { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    /// The positions (0-based) a sequence set names; numbers beyond the view are an error the
    /// caller reports (RFC 9051 section 6.4.5: a bad sequence number is `BAD`).
    public func positions(ofSequenceSet set: SequenceSet) -> [Int]? {
        guard let largest = largestSequenceNumber else {
            // `*` in an empty mailbox names nothing; any number is out of range.
            return set.ranges.allSatisfy({ $0.lower == .last && $0.upper == .last }) ? [] : nil
        }
        var positions: [Int] = []
        for range in set.resolved(largest: largest).ranges {
            guard range.upperBound <= largest else { return nil }
            positions.append(contentsOf: (Int(range.lowerBound) - 1)...(Int(range.upperBound) - 1))
        }
        return positions
    }

    /// The positions a UID set names; UIDs not in the view are ignored (RFC 3501 section 6.4.8).
    public func positions(ofUIDSet set: SequenceSet) -> [Int] {
        guard let largestUID else { return [] }
        var positions: [Int] = []
        // `n:*` where n is above every UID still names the last message (RFC 3501 6.4.8).
        for range in set.resolved(largest: largestUID.rawValue).ranges {
            let start = lowerPosition(forUID: range.lowerBound)
            var index = start
            while index < messages.count, messages[index].uid.rawValue <= range.upperBound {
                positions.append(index)
                index += 1
            }
        }
        return Array(Set(positions)).sorted()
    }

    private func lowerPosition(forUID uid: UInt32) -> Int {
        var low = 0, high = messages.count
        while low < high {
            let mid = (low + high) / 2
            if messages[mid].uid.rawValue < uid { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Records flags this session set itself (after STORE), so `update` does not announce them again.
    /// Returns true when a keyword new to the mailbox appeared (a new FLAGS line is due).
    @discardableResult
    public mutating func setFlags(_ flags: SystemFlags, keywords: [String], at position: Int) -> Bool {
        messages[position].flags = flags
        messages[position].keywords = keywords
        var grew = false
        for keyword in keywords where !keywordNames.contains(keyword) {
            keywordNames.append(keyword)
            grew = true
        }
        return grew
    }

    /// What `update` found.
    public struct Changes: Sendable, Equatable {
        /// EXPUNGE sequence numbers, in the order to send them.
        public var expunged: [UInt32] = []
        /// The new message count when messages arrived.
        public var exists: UInt32?
        public var recent: UInt32?
        /// Sequence numbers (after the expunges) whose flags changed.
        public var flagsChanged: [Int] = []
        /// True when the set of keywords grew (a new FLAGS line is due).
        public var keywordsChanged = false
        /// The folder has a new UIDVALIDITY (it was deleted and created again, or its uidlist was
        /// replaced): its UIDs no longer name the messages the client knows, so the view was left as
        /// it was and the session cannot go on (RFC 3501 section 2.3.1.1).
        public var uidValidityChanged = false
        public var isEmpty: Bool { self == Changes() }
    }

    /// Moves the view to `snapshot`. `newlyRecent` are UIDs this session just took out of `new/`.
    public mutating func update(
        to snapshot: FolderSnapshot, newlyRecent: Set<RoostStorage.UID> = [], allowExpunge: Bool
    ) -> Changes {
        var changes = Changes()
        guard snapshot.uidValidity == uidValidity else {
            changes.uidValidityChanged = true
            return changes
        }
        // The folder as the view last saw it, nothing to add: nothing to walk.
        if snapshot.version == snapshotVersion && newlyRecent.isEmpty && !(allowExpunge && pendingExpunges > 0) {
            return changes
        }
        // Field by field from the snapshot's storage, never copying a MessageInfo: this runs after
        // every command on folders of 100,000 messages.
        var kept: [Message] = []
        var arrived = false
        snapshot.messages.withUnsafeBufferPointer { current in
            func keywords(_ index: Int) -> [String] {
                current[index].info.keywords == 0 ? [] : snapshot.keywords(of: current[index])
            }
            // Expunges: walk the view; a message missing from the snapshot is gone.
            var index = 0
            kept.reserveCapacity(messages.count)
            var snapshotIndex = 0
            for var message in messages {
                while snapshotIndex < current.count, current[snapshotIndex].uid < message.uid { snapshotIndex += 1 }
                let present = snapshotIndex < current.count && current[snapshotIndex].uid == message.uid
                if !present { message.isExpunged = true }
                if message.isExpunged && allowExpunge {
                    changes.expunged.append(UInt32(index + 1))
                    recent.remove(message.uid)
                    continue
                }
                if present {
                    let flags = current[snapshotIndex].info.system, names = keywords(snapshotIndex)
                    if flags != message.flags || names != message.keywords {
                        message.flags = flags
                        message.keywords = names
                        changes.flagsChanged.append(kept.count + 1)
                    }
                }
                kept.append(message)
                index += 1
            }
            // Arrivals: UIDs above the last one the view knows.
            let lastKnown = messages.last?.uid ?? RoostStorage.UID(0)
            var first = current.count
            while first > 0, current[first - 1].uid > lastKnown { first -= 1 }
            for position in first..<current.count {
                kept.append(Message(uid: current[position].uid, flags: current[position].info.system,
                                    keywords: keywords(position), isExpunged: false))
            }
            arrived = first < current.count
        }
        messages = kept
        pendingExpunges = allowExpunge ? 0 : kept.count { $0.isExpunged }
        snapshotVersion = snapshot.version
        // Only messages still in the view count (one appended and expunged at once does not).
        recent.formUnion(newlyRecent.filter { sequenceNumber(of: $0) != nil })
        if arrived {
            changes.exists = UInt32(kept.count)
            changes.recent = UInt32(recent.count)
        }
        let names = snapshot.keywordNames.compactMap { $0 }
        if Set(names) != Set(keywordNames) {
            changes.keywordsChanged = !Set(names).isSubset(of: Set(keywordNames))
            keywordNames = names
        }
        uidNext = max(uidNext, snapshot.nextUID)
        return changes
    }

    /// `* n FETCH (FLAGS (...))` of the message at `position`, with ` UID u` when `withUID`: what STORE
    /// and the updates after a command report of a message whose flags changed.
    public func writeFlagsResponse(at position: Int, withUID: Bool, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("* ")
        buffer.writeNumber(UInt(position + 1))
        buffer.writeStaticString(" FETCH (")
        writeFetchFlags(at: position, into: &buffer)
        if withUID {
            buffer.writeStaticString(" UID ")
            buffer.writeNumber(messages[position].uid.rawValue)
        }
        buffer.writeStaticString(")\r\n")
    }

    /// FETCH's `FLAGS (...)` of the message at `position`, `\Recent` included, written without
    /// building a flag list (a FETCH or STORE of every message writes one per message).
    public func writeFetchFlags(at position: Int, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("FLAGS (")
        var first = true
        forEachFetchFlag(at: position) { flag in
            if !first { buffer.writeStaticString(" ") }
            first = false
            buffer.writeFlag(flag)
        }
        buffer.writeStaticString(")")
    }

    private func forEachFetchFlag(at position: Int, _ body: (Flag) -> Void) {
        let message = messages[position]
        IMAPFlags.forEachFlag(message.flags, keywords: message.keywords, body)
        if !recent.isEmpty, recent.contains(message.uid) { body(.recent) }
    }

    /// Sequence number of the first message without `\Seen` (SELECT's `[UNSEEN n]`).
    public var firstUnseen: Int? {
        messages.firstIndex { !$0.flags.contains(.seen) }.map { $0 + 1 }
    }
}
