import NIOCore

/// A calendar date without time or zone, as SEARCH's BEFORE, ON, SINCE and SENT* keys take it.
///
///     date            = date-text / DQUOTE date-text DQUOTE
///     date-text       = date-day "-" date-month "-" date-year
///     date-day        = 1*2DIGIT
///     date-month      = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun" /
///                       "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
///     date-year       = 4DIGIT
///
/// RFC 3501 section 9. Only dates that exist are values (`31-Feb-2026` is refused); month names compare
/// case-insensitively. The encoder writes `date-text` unquoted, day without a leading zero.
public struct IMAPDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    /// 1 to 12.
    public let month: Int
    /// 1 to the number of days of the month.
    public let day: Int

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `nil` unless the date exists in the proleptic Gregorian calendar (years 0 to 9999).
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Self.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// `date-text`: `4-Dec-2026`.
    public var description: String {
        "\(day)-\(Self.monthNames[month - 1])-" + IMAPDate.pad(year, 4)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension IMAPParser {
    // date            = date-text / DQUOTE date-text DQUOTE
    public mutating func parseDate() throws(IMAPParseError) -> IMAPDate {
        if skip(IMAPASCII.quote) {
            let date = try parseDateText()
            try expect(IMAPASCII.quote, "\" after a date")
            return date
        }
        return try parseDateText()
    }

    // date-text       = date-day "-" date-month "-" date-year
    // date-day        = 1*2DIGIT
    mutating func parseDateText() throws(IMAPParseError) -> IMAPDate {
        let day = try parseDigits(1...2, "a day")
        let (month, year) = try parseDateMonthAndYear()
        guard let date = IMAPDate(year: year, month: month, day: day) else { throw IMAPParseError("No such date") }
        return date
    }

    // "-" date-month "-" date-year
    // date-month      = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun" /
    //                   "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
    // date-year       = 4DIGIT
    mutating func parseDateMonthAndYear() throws(IMAPParseError) -> (month: Int, year: Int) {
        try expect(UInt8(ascii: "-"), "- in a date")
        let name = take { $0 != UInt8(ascii: "-") && IMAPASCII.isAtomChar($0) }
        guard let index = IMAPDate.monthNames.firstIndex(where: { IMAPASCII.equalsIgnoringCase(name, $0.uppercased()) }) else {
            throw IMAPParseError("Expected a month name")
        }
        try expect(UInt8(ascii: "-"), "- in a date")
        return (index + 1, try parseDigits(4...4, "a year"))
    }

    /// A run of `count` decimal digits (bounded, so it cannot overflow).
    mutating func parseDigits(_ count: ClosedRange<Int>, _ what: String) throws(IMAPParseError) -> Int {
        let line = pieces[piece].line
        var value = 0
        var n = 0
        while n < count.upperBound, offset < line.count, IMAPASCII.isDigit(line[offset]) {
            value = value * 10 + Int(line[offset] - IMAPASCII.zero)
            offset += 1
            n += 1
        }
        guard count.contains(n) else { throw IMAPParseError("Expected \(what)") }
        return value
    }
}

extension ByteBuffer {
    // date-text       = date-day "-" date-month "-" date-year
    @discardableResult
    public mutating func writeDate(_ date: IMAPDate) -> Int { writeString(date.description) }
}
