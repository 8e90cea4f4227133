import RoostIMAP
import RoostStorage
import Testing

private let utc = SearchTimeZone.utc
private let tokyo = SearchTimeZone.secondsEastOfUTC(9 * 3600)
private let newYork = SearchTimeZone.secondsEastOfUTC(-5 * 3600)

/// BEFORE, ON and SINCE take the internal date's day in a time zone; SENTBEFORE, SENTON and SENTSINCE
/// the day written in `Date:`, whatever its time and zone. `SearchFixtures`' mailbox; times in UTC:
/// 1 arrived 2026-03-01 16:30 (sent 2 Mar 01:30 +0900), 2 arrived 03-11 08:00 (sent 10 Mar 23:59:59
/// -0800), 3 arrived 03-15 01:00 (sent 15 Mar 09:00 +0800), 4 arrived and sent 03-20 12:00, 5 arrived
/// 03-05 12:00 (no Date:), 6 arrived 03-25 00:00 (sent 25 Mar 26).
@Suite("SEARCH date keys")
struct SearchProgramDateKeyTests {

    @Test(arguments: [
        ("ON 1-Mar-2026", utc, [1]), ("ON 2-Mar-2026", utc, []),
        ("ON 2-Mar-2026", tokyo, [1]), ("ON 1-Mar-2026", tokyo, []),
        ("ON 15-Mar-2026", utc, [3]), ("ON 14-Mar-2026", newYork, [3]), ("ON 15-Mar-2026", newYork, []),
        ("ON 24-Mar-2026", newYork, [6]), ("ON 25-Mar-2026", tokyo, [6]),
        ("BEFORE 5-Mar-2026", utc, [1]), ("BEFORE 6-Mar-2026", utc, [1, 5]), ("BEFORE 1-Mar-2026", utc, []),
        ("BEFORE 2-Mar-2026", tokyo, []),
        ("SINCE 5-Mar-2026", utc, [2, 3, 4, 5, 6]), ("SINCE 15-Mar-2026", utc, [3, 4, 6]),
        ("SINCE 15-Mar-2026", newYork, [4, 6]), ("SINCE 1-Jan-2027", utc, []),
        ("SINCE 20-Mar-2026 BEFORE 25-Mar-2026", utc, [4]), ("NOT ON 1-Mar-2026", utc, [2, 3, 4, 5, 6]),
    ] as [(String, SearchTimeZone, [UInt32])])
    func internalDateKeys(_ criteria: String, _ zone: SearchTimeZone, _ expected: [UInt32]) throws {
        #expect(try SearchFixtures.mailbox().search(criteria, timeZone: zone) == expected)
    }

    @Test(arguments: [
        // The written day counts, not the day in UTC or in the server's zone.
        ("SENTON 2-Mar-2026", [1]), ("SENTON 1-Mar-2026", []),
        ("SENTON 10-Mar-2026", [2]), ("SENTON 11-Mar-2026", []),
        ("SENTON 15-Mar-2026", [3]), ("SENTON 20-Mar-2026", [4]),
        // Two-digit year 26 is 2026.
        ("SENTON 25-Mar-2026", [6]),
        // No Date: the day it arrived.
        ("SENTON 5-Mar-2026", [5]),
        ("SENTBEFORE 2-Mar-2026", []), ("SENTBEFORE 3-Mar-2026", [1]), ("SENTBEFORE 6-Mar-2026", [1, 5]),
        ("SENTSINCE 20-Mar-2026", [4, 6]), ("SENTSINCE 11-Mar-2026", [3, 4, 6]),
        ("SENTSINCE 2-Mar-2026 SENTBEFORE 15-Mar-2026", [1, 2, 5]),
        ("NOT SENTON 2-Mar-2026", [2, 3, 4, 5, 6]),
    ] as [(String, [UInt32])], [utc, tokyo, newYork])
    func sentDateKeys(_ example: (criteria: String, expected: [UInt32]), _ zone: SearchTimeZone) throws {
        // The server's zone only matters for message 5, whose internal date is midday in all three.
        #expect(try SearchFixtures.mailbox().search(example.criteria, timeZone: zone) == example.expected)
    }

    @Test func sentAndInternalDatesDiffer() throws {
        let mailbox = try SearchFixtures.mailbox()
        #expect(try mailbox.search("SENTON 2-Mar-2026") == [1])
        #expect(try mailbox.search("ON 2-Mar-2026").isEmpty)
        #expect(try mailbox.search("SENTON 10-Mar-2026") == [2])
        #expect(try mailbox.search("ON 11-Mar-2026") == [2])
    }

    @Test(arguments: ["Date: yesterday\n", "Date: 31 Feb 2026 10:00 +0000\n", "Date:\n", ""])
    func anUnreadableDateFieldIsTheInternalDate(_ dateField: String) throws {
        let mailbox = try SearchMailbox()
        try mailbox.add("From: a@example.org\n" + dateField + "Subject: s\n\nbody\n", arrived: "2026-04-07T23:00:00Z")
        #expect(try mailbox.search("SENTON 7-Apr-2026") == [1])
        #expect(try mailbox.search("SENTON 8-Apr-2026", timeZone: tokyo) == [1])
        #expect(try mailbox.search("SENTBEFORE 7-Apr-2026").isEmpty)
        #expect(try mailbox.search("SENTSINCE 8-Apr-2026").isEmpty)
    }

    /// The sent date comes from the header record: a folder searched by SENTON before any FETCH
    /// has its messages' headers read, not their bodies parsed.
    @Test func sentDateKeysReadOnlyTheHeader() throws {
        let mailbox = try SearchMailbox()
        let body = String(repeating: "A long body line that no sent-date key needs.\n", count: 200)
        let uid = try mailbox.add("Date: Mon, 6 Apr 2026 09:00:00 +0200\nSubject: s\n\n" + body, arrived: "2026-04-07T12:00:00Z")
        #expect(try mailbox.search("SENTON 6-Apr-2026") == [1])
        #expect(try mailbox.search("SENTBEFORE 6-Apr-2026").isEmpty)
        #expect(try !mailbox.folder.headerRecord(uid).isComplete)
    }

    @Test func theFirstDateFieldCounts() throws {
        let mailbox = try SearchMailbox()
        try mailbox.add("Date: Thu, 1 Jan 2026 00:00:00 +0000\nDate: Fri, 2 Jan 2026 00:00:00 +0000\n\nx\n",
                        arrived: "2026-04-07T12:00:00Z")
        #expect(try mailbox.search("SENTON 1-Jan-2026") == [1])
        #expect(try mailbox.search("SENTON 2-Jan-2026").isEmpty)
    }
}
