import Testing
@testable import RoostIMAP
#if canImport(Glibc)
import Glibc
#endif

private func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
    CalendarDate(year: year, month: month, day: day)
}

@Suite("CalendarDate and SearchTimeZone")
struct CalendarDateTests {
    @Test(arguments: [
        ("Mon, 2 Mar 2026 01:30:00 +0900", day(2026, 3, 2)),
        ("2 Mar 2026 01:30 +0900", day(2026, 3, 2)),
        ("Mon,02 mar 2026 01:30:00 +0900", day(2026, 3, 2)),
        ("  Mon ,  2   MAR   2026", day(2026, 3, 2)),
        ("Mon (Monday), 2 (the second) Mar (March (3)) 2026 01:30:00 +0900 (JST)", day(2026, 3, 2)),
        ("(comment \\) still comment) 2 Mar 2026", day(2026, 3, 2)),
        ("Tue, 10 Mar 2026 23:59:59 -0800", day(2026, 3, 10)),
        ("Thu, 1 Jan 1970 00:00:00 GMT", day(1970, 1, 1)),
        ("Tues, 29 Feb 2028 12:00 EST", day(2028, 2, 29)),
        // Obsolete years (RFC 5322 section 4.3).
        ("Thu, 1 Jan 70 00:00:00 GMT", day(1970, 1, 1)), ("1 Jan 49", day(2049, 1, 1)), ("1 Jan 50", day(1950, 1, 1)),
        ("1 Jan 00", day(2000, 1, 1)), ("1 Jan 101", day(2001, 1, 1)),
    ] as [(String, CalendarDate)])
    func readsTheDayOfADateField(_ value: String, _ expected: CalendarDate) {
        #expect(CalendarDate(dateHeader: value) == expected)
    }

    @Test(arguments: [
        "", "yesterday", "2026-03-02T01:30:00Z", "Mon, 2 March 2026", "Mon, 2 Mar", "Mon, 123 Mar 2026",
        "Mon, 29 Feb 2027", "31 Apr 2026", "0 Jan 2026", "Mon, Mar 2 2026", "Mon Mar  2 01:30:00 2026",
        "2 Mar 2026x", "2 Mar 10000", "2 Mar 7", "(2 Mar 2026)", "(unterminated 2 Mar 2026",
    ])
    func refusesValuesWithoutADay(_ value: String) {
        #expect(CalendarDate(dateHeader: value) == nil)
    }

    @Test(arguments: [
        (0, 0, day(1970, 1, 1)), (-1, 0, day(1969, 12, 31)), (86_399, 0, day(1970, 1, 1)), (86_400, 0, day(1970, 1, 2)),
        // 2026-03-01T16:30:00Z
        (1_772_382_600, 0, day(2026, 3, 1)), (1_772_382_600, 9 * 3600, day(2026, 3, 2)),
        (1_772_382_600, -16 * 3600 - 30 * 60, day(2026, 3, 1)), (1_772_382_600, -16 * 3600 - 31 * 60, day(2026, 2, 28)),
        // 2028-02-29T23:59:59Z, a leap day; 2100 is not a leap year.
        (1_835_481_599, 0, day(2028, 2, 29)), (1_835_481_599, 1, day(2028, 3, 1)),
        (4_107_542_400, 0, day(2100, 3, 1)), (4_107_542_399, 0, day(2100, 2, 28)),
        (-2_208_988_800, 0, day(1900, 1, 1)),
    ] as [(Int64, Int, CalendarDate)])
    func dayOfAnInstantInAFixedZone(_ seconds: Int64, _ offset: Int, _ expected: CalendarDate) {
        #expect(SearchTimeZone.secondsEastOfUTC(offset).calendarDate(of: seconds) == expected)
    }

    @Test(arguments: [0, 1_772_382_600, 1_782_000_000, 1_798_761_599, -31_536_000] as [Int64])
    func theLocalZoneIsTheServersZone(_ seconds: Int64) {
        var time = time_t(seconds)
        var parts = tm()
        _ = localtime_r(&time, &parts)
        let offset = Int(parts.tm_gmtoff)
        #expect(SearchTimeZone.local.calendarDate(of: seconds) == SearchTimeZone.secondsEastOfUTC(offset).calendarDate(of: seconds))
        #expect(SearchTimeZone.local.calendarDate(of: seconds)
                == CalendarDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)))
    }

    @Test(arguments: [
        (day(2026, 3, 1), day(2026, 3, 2), true), (day(2026, 2, 28), day(2026, 3, 1), true),
        (day(2025, 12, 31), day(2026, 1, 1), true), (day(2026, 3, 2), day(2026, 3, 2), false),
    ] as [(CalendarDate, CalendarDate, Bool)])
    func daysOrderByTime(_ a: CalendarDate, _ b: CalendarDate, _ earlier: Bool) {
        #expect((a < b) == earlier)
    }
}
