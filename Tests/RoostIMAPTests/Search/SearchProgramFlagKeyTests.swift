import RoostIMAP
import RoostStorage
import Testing

/// Keys answered from the candidate alone: flags, keywords, \Recent, sizes, sequence and UID sets,
/// and the boolean structure around them. The mailbox is `SearchFixtures`' (sequence numbers 1 to 6,
/// UIDs 2 to 7).
@Suite("SEARCH flag, number and boolean keys")
struct SearchProgramFlagKeyTests {
    @Test(arguments: [
        ("ALL", [1, 2, 3, 4, 5, 6]),
        ("ANSWERED", [1]), ("UNANSWERED", [2, 3, 4, 5, 6]),
        ("DELETED", [3]), ("UNDELETED", [1, 2, 4, 5, 6]),
        ("DRAFT", [3]), ("UNDRAFT", [1, 2, 4, 5, 6]),
        ("FLAGGED", [2]), ("UNFLAGGED", [1, 3, 4, 5, 6]),
        ("SEEN", [1, 4, 6]), ("UNSEEN", [2, 3, 5]),
        ("RECENT", [5, 6]), ("OLD", [1, 2, 3, 4]),
        // NEW is (RECENT UNSEEN); OLD is NOT RECENT, not NOT NEW.
        ("NEW", [5]), ("NOT NEW", [1, 2, 3, 4, 6]),
        ("KEYWORD $Forwarded", [1]), ("KEYWORD $FORWARDED", [1]), ("KEYWORD work", [3]),
        ("UNKEYWORD Work", [1, 2, 4, 5, 6]), ("KEYWORD $Junk", []), ("UNKEYWORD $Junk", [1, 2, 3, 4, 5, 6]),
    ] as [(String, [UInt32])])
    func flagKeys(_ criteria: String, _ expected: [UInt32]) throws {
        #expect(try SearchFixtures.mailbox().search(criteria) == expected)
    }

    @Test(arguments: [
        ("1:3", [1, 2, 3]), ("3:1", [1, 2, 3]), ("2,4,9", [2, 4]), ("*", [6]), ("5:*", [5, 6]), ("*:5", [5, 6]),
        // 9:* with 6 messages is 6:9.
        ("9:*", [6]), ("7", []),
        ("UID 2", [1]), ("UID 1", []), ("UID 1:3", [1, 2]), ("UID *", [6]), ("UID 6:*", [5, 6]),
        ("UID 100:*", [6]), ("UID 3,5,7", [2, 4, 6]), ("UID 8:10", []),
        ("1:3 UID 3:*", [2, 3]), ("NOT UID 2:6", [6]),
    ] as [(String, [UInt32])])
    func numberSets(_ criteria: String, _ expected: [UInt32]) throws {
        #expect(try SearchFixtures.mailbox().search(criteria) == expected)
    }

    @Test func starIsTheLargestNumberGivenNotTheLastCandidate() throws {
        let mailbox = try SearchFixtures.mailbox()
        let program = try SearchProgram(keys: searchKeys("OR * UID *"), charset: nil)
        // A session whose view ends at message 4 (UID 5) while later messages are offered too.
        let found = try program.matches(mailbox.candidates, largestSequenceNumber: 4, largestUID: RoostStorage.UID(5), in: mailbox.folder)
        #expect(found.map(\.sequenceNumber) == [4])
    }

    @Test(arguments: ["*", "1:*", "UID *", "UID 1:*", "NOT UID *", "ALL"])
    func anEmptyMailboxMatchesNothing(_ criteria: String) throws {
        let mailbox = try SearchMailbox()
        #expect(try mailbox.search(criteria).isEmpty)
    }

    @Test(arguments: ["UID 1:*", "1:*", "*", "UID 3,*"])
    func starStandsForNothingWhenTheLargestIsZero(_ criteria: String) throws {
        let mailbox = try SearchFixtures.mailbox()
        let program = try SearchProgram(keys: searchKeys(criteria), charset: nil)
        let found = try program.matches(mailbox.candidates, largestSequenceNumber: 0, largestUID: RoostStorage.UID(0), in: mailbox.folder)
        #expect(found.map(\.sequenceNumber) == (criteria == "UID 3,*" ? [2] : []))
    }

    @Test func sizesAreRFC822Sizes() throws {
        let mailbox = try SearchFixtures.mailbox()
        let sizes = mailbox.candidates.map(\.virtualSize)
        // Stored with LF line ends: RFC822.SIZE counts CRLF, so it is larger than the file.
        for candidate in mailbox.candidates {
            #expect(candidate.virtualSize > Int64(try mailbox.folder.readMessage(candidate.uid).count))
        }
        let third = sizes[2]
        let larger = sizes.indices.filter { sizes[$0] > third }.map { UInt32($0 + 1) }
        let smaller = sizes.indices.filter { sizes[$0] < third }.map { UInt32($0 + 1) }
        #expect(try mailbox.search("LARGER \(third)") == larger)
        #expect(try mailbox.search("SMALLER \(third)") == smaller)
        #expect(try mailbox.search("LARGER \(third - 1) SMALLER \(third + 1)") == [3])
        #expect(try mailbox.search("LARGER 0") == [1, 2, 3, 4, 5, 6])
        #expect(try mailbox.search("SMALLER 0").isEmpty)
    }

    @Test(arguments: [
        ("OR SEEN FLAGGED", [1, 2, 4, 6]),
        ("NOT SEEN", [2, 3, 5]),
        ("SEEN NOT RECENT", [1, 4]),
        ("OR (SEEN ANSWERED) DELETED", [1, 3]),
        ("NOT (OR SEEN RECENT)", [2, 3]),
        ("OR OR SEEN DRAFT (UNSEEN)", [1, 2, 3, 4, 5, 6]),
        ("(SEEN) (NOT (NOT ANSWERED))", [1]),
        ("OR NOT SEEN NOT RECENT", [1, 2, 3, 4, 5]),
        ("NOT OR SEEN OR FLAGGED DRAFT", [5]),
        ("SEEN UNSEEN", []),
        ("OR SUBJECT report BODY \"café\"", [1, 4]),
        ("NOT BODY \"café\"", [1, 2, 3, 5, 6]),
        ("OR (FLAGGED BODY freiheit) (DELETED SUBJECT \"中文\")", [2, 3]),
        ("NOT (UNSEEN BODY automated)", [1, 2, 3, 4, 6]),
        // RFC 3501's example: all deleted messages from Smith placed in the mailbox since 1 Feb 1994.
        ("DELETED FROM \"SMITH\" SINCE 1-Feb-1994", []),
        ("ANSWERED FROM \"SMITH\" SINCE 1-Feb-1994", [1]),
    ] as [(String, [UInt32])])
    func booleanStructure(_ criteria: String, _ expected: [UInt32]) throws {
        #expect(try SearchFixtures.mailbox().search(criteria) == expected)
    }
}
