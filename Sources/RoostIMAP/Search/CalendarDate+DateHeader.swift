import RoostIMAPGrammar

extension CalendarDate {
    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The day written in a `Date:` field, its time and zone disregarded (SENTBEFORE, SENTON, SENTSINCE:
    /// RFC 3501 section 6.4.4); `nil` when the value has no such day.
    ///
    ///     date-time       =   [ day-of-week "," ] date time [CFWS]
    ///     day-of-week     =   ([FWS] day-name) / obs-day-of-week
    ///     date            =   day month year
    ///     day             =   ([FWS] 1*2DIGIT FWS) / obs-day
    ///     month           =   "Jan" / "Feb" / "Mar" / "Apr" /
    ///                         "May" / "Jun" / "Jul" / "Aug" /
    ///                         "Sep" / "Oct" / "Nov" / "Dec"
    ///     year            =   (FWS 4*DIGIT FWS) / obs-year
    ///     obs-year        =   [CFWS] 2*DIGIT [CFWS]
    ///
    /// RFC 5322 sections 3.3 and 4.3. Comments are skipped anywhere, month names compare
    /// case-insensitively, any word stands for the day name (mailers misspell it), and whatever follows
    /// the year (time, zone) is not looked at. A two-digit year below 50 is 20xx, any other two- or
    /// three-digit year gets 1900 added (section 4.3). A day that does not exist (`31 Feb`) is no day.
    init?(dateHeader value: String) {
        let words = Self.words(Array(value.utf8))
        var index = 0
        if index < words.count, words[index].allSatisfy(Self.isLetter) { index += 1 }
        guard index + 3 <= words.count,
              let day = Self.number(words[index], digits: 1...2),
              let month = Self.monthNames.firstIndex(of: String(decoding: words[index + 1].map(Self.lowercased), as: UTF8.self)),
              let written = Self.number(words[index + 2], digits: 2...9)
        else { return nil }
        let year = switch words[index + 2].count {
        case 2: written < 50 ? written + 2000 : written + 1900
        case 3: written + 1900
        default: written
        }
        guard let date = IMAPDate(year: year, month: month + 1, day: day) else { return nil }
        self.init(date)
    }

    /// The words of a field value: comments (RFC 5322 section 3.2.2, nested, with quoted pairs) dropped,
    /// split at white space and commas.
    private static func words(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var words: [ArraySlice<UInt8>] = []
        var start: Int?
        var commentDepth = 0
        var index = 0
        func endWord(at end: Int) {
            if let s = start, s < end { words.append(bytes[s..<end]) }
            start = nil
        }
        while index < bytes.count {
            let byte = bytes[index]
            if commentDepth > 0 {
                switch byte {
                case UInt8(ascii: "\\"): index += 1
                case UInt8(ascii: "("): commentDepth += 1
                case UInt8(ascii: ")"): commentDepth -= 1
                default: break
                }
            } else if byte == UInt8(ascii: "(") {
                endWord(at: index)
                commentDepth = 1
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                        || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: ",") {
                endWord(at: index)
            } else if start == nil {
                start = index
            }
            index += 1
        }
        endWord(at: min(index, bytes.count))
        return words
    }

    /// The value of a word of only decimal digits, `nil` unless its length is in `digits`.
    private static func number(_ word: ArraySlice<UInt8>, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(word.count) else { return nil }
        var value = 0
        for byte in word {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
