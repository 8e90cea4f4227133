import RoostIMAPGrammar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The time zone in which an internal date becomes a calendar day for BEFORE, ON and SINCE.
///
/// RFC 3501 section 6.4.4 compares "internal date (disregarding time and timezone)" but an internal
/// date is a moment, not a day: some zone has to be chosen. Like Dovecot, Roost takes the server's local
/// time zone (`TZ`, else `/etc/localtime`), so `SINCE` means the same day as in the server's logs. A
/// fixed offset serves tests and anyone who wants a search day that does not move with daylight saving.
public struct SearchTimeZone: Sendable, Hashable {
    private enum Kind: Hashable {
        case local
        case fixed(secondsEastOfUTC: Int64)
    }

    private let kind: Kind

    /// The server's local time zone, with its daylight-saving rules, as `localtime_r(3)` applies them.
    public static let local = SearchTimeZone(kind: .local)

    /// A zone `seconds` east of UTC (`-18000` is UTC-05:00), without daylight saving.
    public static func secondsEastOfUTC(_ seconds: Int) -> SearchTimeZone {
        SearchTimeZone(kind: .fixed(secondsEastOfUTC: Int64(seconds)))
    }

    /// UTC.
    public static let utc = secondsEastOfUTC(0)

    /// The calendar day on which `secondsSince1970` falls in this zone.
    func calendarDate(of secondsSince1970: Int64) -> CalendarDate {
        switch kind {
        case .fixed(let offset):
            return CalendarDate(daysSince1970: Self.floorDivide(secondsSince1970 + offset, 86_400))
        case .local:
            var time = time_t(truncatingIfNeeded: secondsSince1970)
            var parts = tm()
            guard localtime_r(&time, &parts) != nil else {
                return CalendarDate(daysSince1970: Self.floorDivide(secondsSince1970, 86_400))
            }
            return CalendarDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
        }
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}

/// A day of the proleptic Gregorian calendar, ordered by time; unlike `IMAPDate` it takes any year, so
/// an absurd file time still has a day to compare.
struct CalendarDate: Hashable, Comparable, Sendable {
    var year: Int
    var month: Int
    var day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(_ date: IMAPDate) {
        self.init(year: date.year, month: date.month, day: date.day)
    }

    /// The day `days` after 1970-01-01 (Howard Hinnant's civil-from-days).
    init(daysSince1970 days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: Int(year), month: Int(month), day: Int(day))
    }

    static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
