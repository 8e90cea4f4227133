import Foundation
import NIOCore
import RoostIMAP
import RoostIMAPGrammar
import RoostStorage
import Testing

/// A folder in a temporary Maildir whose snapshots feed `MailboxView`, removed when dropped.
private final class ViewTestFolder {
    let directory: String
    let store: MailStore
    let name: RoostStorage.MailboxName
    /// The folder as the session opened it; stale once `recreate` ran.
    let folder: MaildirFolder

    /// A folder (INBOX unless named) holding `count` messages, with UIDs 1...count.
    init(messages count: Int = 0, name: RoostStorage.MailboxName = .inbox) throws {
        directory = FileManager.default.temporaryDirectory.path + "/roost-imap-view-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = MailStore(root: directory + "/Maildir", options: StorageOptions(fsync: false, indexWriteInterval: 0))
        try store.createIfNeeded()
        if !name.isInbox { try store.create(name) }
        self.name = name
        folder = try store.folder(name)
        try add(count)
    }

    /// Deletes the folder and creates it again with `count` messages, as another session might.
    func recreate(messages count: Int) throws {
        try store.delete(name)
        try store.create(name)
        let fresh = try store.folder(name)
        for _ in 0..<count { try fresh.save(Array("Subject: again\r\n\r\nbody\r\n".utf8)) }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Saves `count` more messages, as a delivery would; returns their UIDs.
    @discardableResult
    func add(_ count: Int, flags: SystemFlags = []) throws -> [RoostStorage.UID] {
        try (0..<count).map { _ in try folder.save(Array("Subject: m\r\n\r\nbody\r\n".utf8), flags: flags) }
    }

    /// The UIDs of the messages at these sequence numbers of `view`.
    func uids(at sequenceNumbers: [Int], in view: MailboxView) -> [RoostStorage.UID] {
        sequenceNumbers.map { view.messages[$0 - 1].uid }
    }

    func expunge(_ uids: [RoostStorage.UID]) throws { try folder.expunge(uids) }

    func snapshot() throws -> FolderSnapshot { try folder.sync().snapshot }

    func view(recent: Set<RoostStorage.UID> = []) throws -> MailboxView {
        MailboxView(snapshot: try snapshot(), recent: recent)
    }
}

private func sequenceSet(_ text: String) throws -> SequenceSet {
    try IMAPParser.parse(text) { try $0.parseSequenceSet() }
}

private func keyword(_ name: String) -> Flag { .keyword(Flag.Keyword(name)!) }

/// The flags FETCH reports for the message at `position`, read back from what the view writes.
private func fetchFlags(_ view: MailboxView, at position: Int) throws -> [Flag] {
    var buffer = ByteBuffer()
    view.writeFetchFlags(at: position, into: &buffer)
    let text = String(buffer: buffer)
    #expect(text.hasPrefix("FLAGS ("))
    return try IMAPParser.parse(String(text.dropFirst("FLAGS ".count))) { try $0.parseFlagList() }
}

/// `MailboxView` (RFC 3501 sections 2.3.1, 6.4.8 and 7.4.1) over snapshots of a real Maildir.
@Suite struct MailboxViewTests {
    // MARK: A fresh view

    @Test func freshViewNumbersMessagesInUIDOrder() throws {
        let folder = try ViewTestFolder(messages: 3)
        let view = try folder.view()
        #expect(view.count == 3)
        #expect(view.messages.map(\.uid.rawValue) == [1, 2, 3])
        #expect(view.messages.allSatisfy { !$0.isExpunged })
        #expect(view.largestSequenceNumber == 3)
        #expect(view.largestUID?.rawValue == 3)
        #expect(view.uidNext.rawValue == 4)
        #expect(view.sequenceNumber(of: RoostStorage.UID(2)) == 2)
        #expect(view.sequenceNumber(of: RoostStorage.UID(9)) == nil)
    }

    @Test func emptyViewHasNoLargestNumbers() throws {
        let view = try ViewTestFolder().view()
        #expect(view.count == 0)
        #expect(view.largestSequenceNumber == nil)
        #expect(view.largestUID == nil)
        #expect(view.firstUnseen == nil)
    }

    // MARK: update(to:): arrivals

    // RFC 3501 section 7.3.1 and 7.3.2: EXISTS is the new count, RECENT the number of \Recent messages.
    @Test(arguments: [
        (initial: 0, arriving: 1, recentBefore: 0, newlyRecent: 1, exists: 1, recent: 1),
        (initial: 2, arriving: 3, recentBefore: 2, newlyRecent: 3, exists: 5, recent: 5),
        (initial: 4, arriving: 1, recentBefore: 0, newlyRecent: 0, exists: 5, recent: 0),
        (initial: 1, arriving: 2, recentBefore: 1, newlyRecent: 1, exists: 3, recent: 2),
    ])
    func arrivalsAreAnnouncedWithExistsAndRecent(
        _ c: (initial: Int, arriving: Int, recentBefore: Int, newlyRecent: Int, exists: UInt32, recent: UInt32)
    ) throws {
        let folder = try ViewTestFolder(messages: c.initial)
        var view = try folder.view(recent: Set((1...max(1, c.initial)).prefix(c.recentBefore).map { RoostStorage.UID(UInt32($0)) }))
        let arrived = try folder.add(c.arriving)
        let changes = view.update(to: try folder.snapshot(), newlyRecent: Set(arrived.prefix(c.newlyRecent)), allowExpunge: true)
        #expect(changes.exists == c.exists)
        #expect(changes.recent == c.recent)
        #expect(changes.expunged.isEmpty && changes.flagsChanged.isEmpty)
        #expect(view.count == Int(c.exists))
        #expect(view.messages.suffix(c.arriving).map(\.uid) == arrived)
        #expect(view.uidNext.rawValue == UInt32(c.initial + c.arriving + 1))
    }

    @Test func nothingChangedIsEmpty() throws {
        let folder = try ViewTestFolder(messages: 3)
        var view = try folder.view()
        let changes = view.update(to: try folder.snapshot(), allowExpunge: true)
        #expect(changes.isEmpty)
        #expect(view.count == 3)
    }

    // MARK: update(to:): expunges

    // RFC 3501 section 7.4.1: each EXPUNGE renumbers the messages after it at once, so the numbers
    // sent are those the client knows at that moment.
    @Test(arguments: [
        (count: 5, gone: [2, 4], expunged: [UInt32(2), 3]),
        (count: 5, gone: [1, 2, 3], expunged: [1, 1, 1]),
        (count: 5, gone: [5], expunged: [5]),
        (count: 3, gone: [1, 2, 3], expunged: [1, 1, 1]),
        (count: 6, gone: [6, 1, 3], expunged: [1, 2, 4]),
        (count: 4, gone: [4, 3], expunged: [3, 3]),
    ])
    func expungesAreNumberedInSendOrder(_ c: (count: Int, gone: [Int], expunged: [UInt32])) throws {
        let folder = try ViewTestFolder(messages: c.count)
        var view = try folder.view()
        let gone = folder.uids(at: c.gone, in: view)
        try folder.expunge(gone)
        let changes = view.update(to: try folder.snapshot(), allowExpunge: true)
        #expect(changes.expunged == c.expunged)
        #expect(changes.exists == nil)
        #expect(view.count == c.count - c.gone.count)
        #expect(view.messages.allSatisfy { !gone.contains($0.uid) && !$0.isExpunged })
    }

    @Test func expungedRecentMessagesLeaveTheRecentCount() throws {
        let folder = try ViewTestFolder(messages: 2)
        var view = try folder.view(recent: [RoostStorage.UID(1), RoostStorage.UID(2)])
        try folder.expunge([RoostStorage.UID(1)])
        let arrived = try folder.add(1)
        let changes = view.update(to: try folder.snapshot(), newlyRecent: Set(arrived), allowExpunge: true)
        #expect(changes.expunged == [1])
        #expect(changes.exists == 2)
        #expect(changes.recent == 2)
        #expect(view.recent == [RoostStorage.UID(2), arrived[0]])
    }

    // MARK: update(to:): flags

    // RFC 3501 section 7.4.2: FETCH (FLAGS) for messages another session changed, numbered after the
    // EXPUNGEs sent before them.
    @Test(arguments: [
        (count: 3, gone: [Int](), flagged: [2], changed: [2]),
        (count: 5, gone: [], flagged: [5, 1, 3], changed: [1, 3, 5]),
        (count: 4, gone: [1], flagged: [3], changed: [2]),
        (count: 5, gone: [2, 3], flagged: [1, 5], changed: [1, 3]),
        (count: 3, gone: [2], flagged: [2], changed: []),
    ])
    func flagChangesAreReportedAtTheirNewPositions(_ c: (count: Int, gone: [Int], flagged: [Int], changed: [Int])) throws {
        let folder = try ViewTestFolder(messages: c.count)
        var view = try folder.view()
        let gone = folder.uids(at: c.gone, in: view)
        let flagged = folder.uids(at: c.flagged, in: view)
        try folder.folder.setFlags(flagged, .add, flags: .flagged)
        try folder.expunge(gone)
        let changes = view.update(to: try folder.snapshot(), allowExpunge: true)
        #expect(changes.flagsChanged == c.changed)
        #expect(!changes.keywordsChanged)
        for position in c.changed {
            #expect(view.messages[position - 1].flags == .flagged)
            #expect(try fetchFlags(view, at: position - 1) == [.flagged])
        }
    }

    @Test func flagsTheSessionRecordedItselfAreNotAnnouncedAgain() throws {
        let folder = try ViewTestFolder(messages: 2)
        var view = try folder.view()
        let updated = try folder.folder.setFlags([RoostStorage.UID(2)], .add, flags: [.seen, .answered], keywords: ["$Forwarded"])
        view.setFlags(updated[RoostStorage.UID(2)]!.system, keywords: ["$Forwarded"], at: 1)
        let changes = view.update(to: try folder.snapshot(), allowExpunge: true)
        #expect(changes.isEmpty)
        #expect(view.keywordNames == ["$Forwarded"])
    }

    // RFC 3501 section 7.2.6: a new keyword means a new FLAGS response.
    @Test func aNewKeywordIsReported() throws {
        let folder = try ViewTestFolder(messages: 2)
        var view = try folder.view()
        #expect(view.keywordNames.isEmpty)
        try folder.folder.setFlags([RoostStorage.UID(1)], .add, flags: [], keywords: ["$Forwarded", "Old"])
        let changes = view.update(to: try folder.snapshot(), allowExpunge: true)
        #expect(changes.keywordsChanged)
        #expect(changes.flagsChanged == [1])
        #expect(Set(view.keywordNames) == ["$Forwarded", "Old"])
        #expect(Set(view.messages[0].keywords) == ["$Forwarded", "Old"])
        #expect(Set(try fetchFlags(view, at: 0)) == [keyword("$Forwarded"), keyword("Old")])

        // A message taking up a keyword the mailbox already knows is a flag change only.
        try folder.folder.setFlags([RoostStorage.UID(2)], .add, flags: [], keywords: ["Old"])
        let again = view.update(to: try folder.snapshot(), allowExpunge: true)
        #expect(!again.keywordsChanged)
        #expect(again.flagsChanged == [2])
        #expect(try fetchFlags(view, at: 1) == [keyword("Old")])
    }

    // MARK: update(to:): deferred expunges

    // RFC 3501 section 7.4.1: no EXPUNGE during FETCH, STORE or SEARCH; the message keeps its number
    // until one may be sent, while arrivals are still announced.
    @Test func expungesWaitWhileNotAllowed() throws {
        let folder = try ViewTestFolder(messages: 5)
        var view = try folder.view()
        let survivor = view.messages[4].uid
        try folder.expunge(folder.uids(at: [2, 4], in: view))
        let arrived = try folder.add(1)
        try folder.folder.setFlags([survivor], .add, flags: .seen)

        let held = view.update(to: try folder.snapshot(), newlyRecent: Set(arrived), allowExpunge: false)
        #expect(held.expunged.isEmpty)
        #expect(held.exists == 6)
        #expect(held.recent == 1)
        #expect(held.flagsChanged == [5])
        #expect(view.count == 6)
        #expect(view.messages.map(\.isExpunged) == [false, true, false, true, false, false])
        #expect(view.sequenceNumber(of: survivor) == 5)
        #expect(view.sequenceNumber(of: arrived[0]) == 6)
        #expect(view.positions(ofSequenceSet: try sequenceSet("2")) == [1])

        // Still not allowed: nothing new to say.
        #expect(view.update(to: try folder.snapshot(), allowExpunge: false).isEmpty)

        let released = view.update(to: try folder.snapshot(), allowExpunge: true)
        #expect(released.expunged == [2, 3])
        #expect(released.exists == nil)
        #expect(released.flagsChanged.isEmpty)
        #expect(view.count == 4)
        #expect(view.messages.allSatisfy { !$0.isExpunged })
        #expect(view.sequenceNumber(of: survivor) == 3)
        #expect(view.sequenceNumber(of: arrived[0]) == 4)
    }

    // MARK: update(to:): a new UIDVALIDITY

    // RFC 3501 section 2.3.1.1: a folder deleted and created again numbers its messages afresh under
    // a new UIDVALIDITY. Its UID 1 is not the message the client knows as UID 1, so nothing may be
    // matched up: the change is reported and the view left alone.
    @Test func aNewUIDValidityIsReportedNotMerged() throws {
        let folder = try ViewTestFolder(messages: 2, name: try RoostStorage.MailboxName("Archive"))
        var view = try folder.view()
        try folder.folder.setFlags([RoostStorage.UID(2)], .add, flags: .seen)
        try folder.recreate(messages: 1)
        let snapshot = try folder.snapshot()
        #expect(snapshot.uidValidity != view.uidValidity)
        #expect(snapshot.messages.map(\.uid.rawValue) == [1])

        let changes = view.update(to: snapshot, newlyRecent: [RoostStorage.UID(1)], allowExpunge: true)
        #expect(changes.uidValidityChanged)
        #expect(!changes.isEmpty)
        #expect(changes.expunged.isEmpty && changes.exists == nil && changes.flagsChanged.isEmpty)
        #expect(view.messages.map(\.uid.rawValue) == [1, 2])
        #expect(view.messages.map(\.flags) == [[], []])
        #expect(view.recent.isEmpty)
    }

    // MARK: positions(ofSequenceSet:)

    // RFC 3501 section 9 (seq-number): `*` is the number of messages; a number beyond it is BAD.
    @Test(arguments: [
        ("1", [0] as [Int]?),
        ("*", [4]),
        ("2:4", [1, 2, 3]),
        ("4:2", [1, 2, 3]),
        ("1,3,5", [0, 2, 4]),
        ("5,1", [0, 4]),
        ("3:*", [2, 3, 4]),
        ("*:4", [3, 4]),
        ("1:*", [0, 1, 2, 3, 4]),
        ("1:3,2:4", [0, 1, 2, 3]),
        ("6", nil),
        ("5:6", nil),
        ("1,6", nil),
        ("7:*", nil),
    ])
    func sequenceSetsNamePositions(_ text: String, _ expected: [Int]?) throws {
        let view = try ViewTestFolder(messages: 5).view()
        #expect(view.positions(ofSequenceSet: try sequenceSet(text)) == expected)
    }

    // An empty mailbox: `*` alone names nothing; any number is beyond the mailbox.
    @Test(arguments: [("*", [] as [Int]?), ("1", nil), ("1:*", nil), ("*,1", nil)])
    func sequenceSetsInAnEmptyMailbox(_ text: String, _ expected: [Int]?) throws {
        let view = try ViewTestFolder().view()
        #expect(view.positions(ofSequenceSet: try sequenceSet(text)) == expected)
    }

    // MARK: positions(ofUIDSet:)

    // RFC 3501 section 6.4.8: UIDs not in the mailbox are ignored, and `n:*` names the last message
    // even when n is above its UID.
    @Test(arguments: [
        ("1:*", [0, 1, 2, 3]),
        ("*", [3]),
        ("2", []),
        ("5", []),
        ("2:4", [1, 2]),
        ("4:2", [1, 2]),
        ("1,6", [0, 3]),
        ("3,3:4", [1, 2]),
        ("5:5", []),
        ("7", []),
        ("7:*", [3]),
        ("100:*", [3]),
        ("*:2", [1, 2, 3]),
        ("1:4294967295", [0, 1, 2, 3]),
    ])
    func uidSetsNamePositionsSkippingGaps(_ text: String, _ expected: [Int]) throws {
        let folder = try ViewTestFolder(messages: 6)
        try folder.expunge([RoostStorage.UID(2), RoostStorage.UID(5)])
        let view = try folder.view()
        #expect(view.messages.map(\.uid.rawValue) == [1, 3, 4, 6])
        #expect(view.positions(ofUIDSet: try sequenceSet(text)) == expected)
    }

    @Test(arguments: ["1:*", "*", "1", "5:*"])
    func uidSetsInAnEmptyMailboxNameNothing(_ text: String) throws {
        let view = try ViewTestFolder().view()
        #expect(view.positions(ofUIDSet: try sequenceSet(text)) == [])
    }

    // MARK: firstUnseen, fetchFlags

    // SELECT's `[UNSEEN n]` (RFC 3501 section 6.3.1): the first message without \Seen.
    // Each message's flags as Maildir letters (S seen, F flagged, R answered).
    @Test(arguments: [
        (flags: ["S", "", ""], unseen: 2 as Int?),
        (flags: ["", "S"], unseen: 1),
        (flags: ["S", "FS", "R"], unseen: 3),
        (flags: ["S", "S"], unseen: nil),
        (flags: [], unseen: nil),
    ])
    func firstUnseenIsTheFirstMessageWithoutSeen(_ c: (flags: [String], unseen: Int?)) throws {
        let folder = try ViewTestFolder()
        let flag: [Character: SystemFlags] = ["S": .seen, "F": .flagged, "R": .answered]
        for letters in c.flags {
            try folder.add(1, flags: SystemFlags(letters.map { flag[$0]! }))
        }
        #expect(try folder.view().firstUnseen == c.unseen)
    }

    // RFC 3501 section 2.3.2: \Recent is session state, reported with the stored flags.
    @Test func fetchFlagsAddRecentForThisSessionsRecentMessages() throws {
        let folder = try ViewTestFolder()
        try folder.add(1, flags: [.seen, .answered, .draft])
        try folder.add(1)
        try folder.folder.setFlags([RoostStorage.UID(1)], .add, flags: [], keywords: ["$Junk"])
        var view = try folder.view(recent: [RoostStorage.UID(2)])
        #expect(try fetchFlags(view, at: 0) == [.answered, .seen, .draft, keyword("$Junk")])
        #expect(try fetchFlags(view, at: 1) == [.recent])
        var response = ByteBuffer()
        view.writeFlagsResponse(at: 1, withUID: true, into: &response)
        view.writeFlagsResponse(at: 0, withUID: false, into: &response)
        #expect(String(buffer: response) == "* 2 FETCH (FLAGS (\\Recent) UID 2)\r\n* 1 FETCH (FLAGS (\\Answered \\Seen \\Draft $Junk))\r\n")

        let arrived = try folder.add(1, flags: [.flagged, .deleted])
        _ = view.update(to: try folder.snapshot(), newlyRecent: Set(arrived), allowExpunge: true)
        #expect(try fetchFlags(view, at: 2) == [.flagged, .deleted, .recent])
    }
}
