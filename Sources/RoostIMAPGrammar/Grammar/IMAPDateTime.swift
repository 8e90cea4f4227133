import NIOCore

/// A moment with its zone: a message's internal date in APPEND and FETCH INTERNALDATE.
///
///     date-time       = DQUOTE date-day-fixed "-" date-month "-" date-year
///                       SP time SP zone DQUOTE
///     date-day-fixed  = (SP DIGIT) / 2DIGIT
///                         ; Fixed-format version of date-day
///     time            = 2DIGIT ":" 2DIGIT ":" 2DIGIT
///     zone            = ("+" / "-") 4DIGIT
///
/// RFC 3501 section 9. The parser also takes a one-digit day without the space (`"4-Dec-2026 …"`), as
/// several clients send it in APPEND; the encoder always writes two digits. Seconds go to 59 (a leap
/// second is refused); the zone is within ±99:59 with minutes below 60.
public struct IMAPDateTime: Hashable, Sendable, CustomStringConvertible {
    public let date: IMAPDate
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// The zone's offset from UTC in minutes (`+0530` is 330).
    public let zoneMinutes: Int

    /// `nil` unless the time and zone are in range.
    public init?(date: IMAPDate, hour: Int, minute: Int, second: Int, zoneMinutes: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
              (-(99 * 60 + 59)...(99 * 60 + 59)).contains(zoneMinutes)
        else { return nil }
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.zoneMinutes = zoneMinutes
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before it).
    public var secondsSince1970: Int64 {
        // Days from civil (Howard Hinnant's algorithm).
        let y = Int64(date.month <= 2 ? date.year - 1 : date.year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(date.month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(date.day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(zoneMinutes * 60)
    }

    /// The date-time without its quotes: `04-Dec-2026 09:05:00 +0100`.
    public var description: String {
        let sign = zoneMinutes < 0 ? "-" : "+"
        let zone = abs(zoneMinutes)
        return IMAPDate.pad(date.day, 2) + "-\(IMAPDate.monthNames[date.month - 1])-" + IMAPDate.pad(date.year, 4)
            + " " + IMAPDate.pad(hour, 2) + ":" + IMAPDate.pad(minute, 2) + ":" + IMAPDate.pad(second, 2)
            + " " + sign + IMAPDate.pad(zone / 60, 2) + IMAPDate.pad(zone % 60, 2)
    }
}

extension IMAPParser {
    // date-time       = DQUOTE date-day-fixed "-" date-month "-" date-year
    //                   SP time SP zone DQUOTE
    // date-day-fixed  = (SP DIGIT) / 2DIGIT
    public mutating func parseDateTime() throws(IMAPParseError) -> IMAPDateTime {
        try expect(IMAPASCII.quote, "a date-time")
        _ = skip(IMAPASCII.space)
        let day = try parseDigits(1...2, "a day")
        let (month, year) = try parseDateMonthAndYear()
        guard let date = IMAPDate(year: year, month: month, day: day) else { throw IMAPParseError("No such date") }
        try expectSpace()
        // time            = 2DIGIT ":" 2DIGIT ":" 2DIGIT
        let hour = try parseDigits(2...2, "an hour")
        try expect(IMAPASCII.colon, ": in a time")
        let minute = try parseDigits(2...2, "minutes")
        try expect(IMAPASCII.colon, ": in a time")
        let second = try parseDigits(2...2, "seconds")
        try expectSpace()
        // zone            = ("+" / "-") 4DIGIT
        let sign: Int
        if skip(IMAPASCII.plus) {
            sign = 1
        } else if skip(UInt8(ascii: "-")) {
            sign = -1
        } else {
            throw IMAPParseError("Expected a zone")
        }
        let zone = try parseDigits(4...4, "a zone")
        try expect(IMAPASCII.quote, "\" after a date-time")
        guard zone % 100 < 60,
              let value = IMAPDateTime(date: date, hour: hour, minute: minute, second: second,
                                       zoneMinutes: sign * (zone / 100 * 60 + zone % 100))
        else { throw IMAPParseError("Invalid time or zone") }
        return value
    }
}

extension ByteBuffer {
    // date-time       = DQUOTE date-day-fixed "-" date-month "-" date-year
    //                   SP time SP zone DQUOTE
    @discardableResult
    public mutating func writeDateTime(_ dateTime: IMAPDateTime) -> Int {
        writeString("\"" + dateTime.description + "\"")
    }
}
