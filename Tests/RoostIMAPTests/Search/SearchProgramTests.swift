import Foundation
import RoostIMAP
import RoostStorage
import Testing

/// What evaluation reads and when: the cost order, short-circuits, and messages whose file is gone.
@Suite("SearchProgram evaluation")
struct SearchProgramTests {
    @Test(arguments: [
        ("SEEN", false), ("UID 1:* 2:4", false), ("LARGER 10 SMALLER 99", false), ("SINCE 1-Jan-2026", false),
        ("OR KEYWORD x NOT RECENT", false),
        // The message cache answers these.
        ("FROM x", false), ("SUBJECT x", false), ("OR TO x CC x", false), ("BCC x", false), ("SENTON 1-Jan-2026", false),
        ("HEADER Message-ID x", false), ("HEADER list-id \"\"", false),
        // These need the file.
        ("HEADER X-Mailer x", true), ("HEADER Received \"\"", true), ("BODY x", true), ("TEXT x", true),
        ("NOT BODY x", true), ("OR SEEN TEXT x", true), ("SEEN (FLAGGED (NOT (BODY x)))", true),
    ])
    func readsMessagesWhenContentBeyondTheCacheIsNeeded(_ criteria: String, _ reads: Bool) throws {
        #expect(try SearchProgram(keys: searchKeys(criteria), charset: nil).readsMessages == reads)
    }

    /// Replaces a message's file by a directory: opening it then fails with `.noPermission`, so any
    /// attempt to read the message shows as a thrown error.
    private func makeUnreadable(_ uid: RoostStorage.UID, in mailbox: SearchMailbox) throws {
        let path = try mailbox.filePath(of: uid)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    @Test func cheapKeysDecideBeforeAFileIsOpened() throws {
        let mailbox = try SearchMailbox()
        try mailbox.add("Subject: read me\n\nhello\n", flags: [.seen], arrived: "2026-03-01T00:00:00Z")
        let unread = try mailbox.add("Subject: unread\n\nhello\n", arrived: "2026-03-01T00:00:00Z")
        try makeUnreadable(unread, in: mailbox)
        // Whatever order the client wrote them in, SEEN rules message 2 out before its file is read.
        for criteria in ["SEEN BODY hello", "BODY hello SEEN", "SEEN TEXT hello SUBJECT read", "SUBJECT read SEEN",
                         "NOT (OR UNSEEN NOT BODY hello)", "OR (BODY hello SEEN) (UNSEEN UID 1)", "NOT HEADER X-Any \"\" SEEN"] {
            #expect(try mailbox.search(criteria) == [1], "\(criteria)")
        }
        // OR: a cheap key that already matches saves the expensive one.
        #expect(try mailbox.search("OR BODY nothing UNSEEN") == [2])
        let noPermission = StorageError.Kind.noPermission
        for criteria in ["BODY hello", "SUBJECT read", "HEADER X-Any \"\"", "UNSEEN BODY hello", "OR SEEN BODY hello"] {
            #expect(throws: StorageError.self, "\(criteria)") { try mailbox.search(criteria) }
            do { _ = try mailbox.search(criteria) } catch let error as StorageError { #expect(error.kind == noPermission) }
        }
    }

    @Test func aMessageWhoseFileVanishedDoesNotMatch() throws {
        let mailbox = try SearchMailbox()
        let first = try mailbox.add("From: a@example.org\nSubject: hello one\n\nhello\n", arrived: "2026-03-01T00:00:00Z")
        try mailbox.add("From: b@example.org\nSubject: hello two\n\nhello\n", arrived: "2026-03-01T00:00:00Z")
        let candidates = mailbox.candidates
        // Another program deletes the first file; the session's view still has the message.
        try FileManager.default.removeItem(atPath: try mailbox.filePath(of: first))
        for criteria in ["BODY hello", "TEXT hello", "HEADER X-Any \"\"", "NOT BODY nothing", "SUBJECT hello", "FROM example"] {
            let expected: [UInt32] = criteria.hasPrefix("HEADER") ? [] : [2]
            #expect(try mailbox.search(criteria, in: candidates) == expected, "\(criteria)")
        }
        // Keys the candidate answers do not look at the file.
        #expect(try mailbox.search("ALL", in: candidates) == [1, 2])
    }

    @Test func aMessageExpungedByAnotherSessionDoesNotMatch() throws {
        let mailbox = try SearchMailbox()
        let first = try mailbox.add("Subject: one\n\nsame words\n", arrived: "2026-03-01T00:00:00Z")
        try mailbox.add("Subject: two\n\nsame words\n", arrived: "2026-03-01T00:00:00Z")
        let candidates = mailbox.candidates
        _ = try mailbox.folder.expunge([first])
        #expect(try mailbox.search("BODY \"same words\"", in: candidates) == [2])
        #expect(try mailbox.search("OR SUBJECT one SUBJECT two", in: candidates) == [2])
    }

    @Test func matchesKeepTheCandidatesOrderAndValues() throws {
        let mailbox = try SearchFixtures.mailbox()
        let candidates = Array(mailbox.candidates.reversed())
        let program = try SearchProgram(keys: searchKeys("OR SEEN RECENT"), charset: "UTF-8")
        let found = try program.matches(candidates, largestSequenceNumber: 6, largestUID: RoostStorage.UID(7), in: mailbox.folder)
        #expect(found == candidates.filter { [1, 4, 5, 6].contains($0.sequenceNumber) })
        #expect(found.map(\.sequenceNumber) == [6, 5, 4, 1])
    }
}
