import NIOCore
import Testing
@testable import RoostIMAPGrammar

@Suite("IMAPDate and IMAPDateTime")
struct IMAPDateTests {
    @Test(arguments: [
        ("4-Dec-2026", 2026, 12, 4, "4-Dec-2026"), ("04-dec-2026", 2026, 12, 4, "4-Dec-2026"),
        ("\"1-Feb-1994\"", 1994, 2, 1, "1-Feb-1994"), ("29-FEB-2024", 2024, 2, 29, "29-Feb-2024"),
        ("31-Jan-0999", 999, 1, 31, "31-Jan-0999"),
    ])
    func parsesAndEncodesDates(_ text: String, _ year: Int, _ month: Int, _ day: Int, _ encoded: String) throws {
        let date = try #require(IMAPDate(year: year, month: month, day: day))
        #expect(try IMAPParser.parse(text) { try $0.parseDate() } == date)
        #expect(date.description == encoded)
        #expect(try IMAPParser.parse(encoded) { try $0.parseDate() } == date)
    }

    @Test(arguments: [
        "", "4-Dec-26", "4-Dec", "123-Dec-2026", "0-Dec-2026", "31-Apr-2026", "29-Feb-2100", "4-Dez-2026",
        "4 Dec 2026", "\"4-Dec-2026", "4-Dec-20266", "4-December-2026",
    ])
    func refusesInvalidDates(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseDate() } }
    }

    @Test(arguments: [
        // RFC 3501's form, a space-padded day, and the one-digit day some clients send.
        ("\"17-Jul-1996 02:44:25 -0700\"", "17-Jul-1996 02:44:25 -0700", Int64(837_596_665)),
        ("\" 4-Dec-2026 09:05:00 +0100\"", "04-Dec-2026 09:05:00 +0100", Int64(1_796_371_500)),
        ("\"4-dec-2026 09:05:00 +0100\"", "04-Dec-2026 09:05:00 +0100", Int64(1_796_371_500)),
        ("\"01-Jan-1970 00:00:00 +0000\"", "01-Jan-1970 00:00:00 +0000", Int64(0)),
        ("\"01-Jan-1970 05:30:00 +0530\"", "01-Jan-1970 05:30:00 +0530", Int64(0)),
        ("\"31-Dec-1969 23:59:59 +0000\"", "31-Dec-1969 23:59:59 +0000", Int64(-1)),
    ])
    func parsesAndEncodesDateTimes(_ text: String, _ form: String, _ seconds: Int64) throws {
        let value = try IMAPParser.parse(text) { try $0.parseDateTime() }
        #expect(value.description == form)
        #expect(value.secondsSince1970 == seconds)
        #expect(encoded { $0.writeDateTime(value) } == "\"" + form + "\"")
        #expect(try IMAPParser.parse("\"" + form + "\"") { try $0.parseDateTime() } == value)
    }

    @Test(arguments: [
        "17-Jul-1996 02:44:25 -0700", "\"17-Jul-1996 02:44:25\"", "\"17-Jul-1996 2:44:25 -0700\"",
        "\"17-Jul-1996 24:00:00 -0700\"", "\"17-Jul-1996 02:60:00 -0700\"", "\"17-Jul-1996 02:44:60 -0700\"",
        "\"17-Jul-1996 02:44:25 0700\"", "\"17-Jul-1996 02:44:25 -070\"", "\"17-Jul-1996 02:44:25 -0760\"",
        "\"30-Feb-1996 02:44:25 -0700\"", "\"17-Jul-1996  02:44:25 -0700\"", "\"17-Jul-1996 02:44:25 -0700",
    ])
    func refusesInvalidDateTimes(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseDateTime() } }
    }

    @Test func datesOrder() {
        #expect(IMAPDate(year: 2025, month: 12, day: 31)! < IMAPDate(year: 2026, month: 1, day: 1)!)
        #expect(IMAPDate(year: 2026, month: 1, day: 2)! > IMAPDate(year: 2026, month: 1, day: 1)!)
    }
}
