/// Case-insensitive substring search over text that arrives in pieces (IMAP SEARCH, RFC 3501
/// section 6.4.4: "case-insensitive substring match").
///
/// Both needle and text are case-folded by mapping to uppercase and then lowercase, which folds
/// the cases simple lowercasing misses (ß and SS, final and medial sigma, the Kelvin sign, long s).
/// Comparison is by `Character`, so canonically equivalent spellings (precomposed é and e + U+0301)
/// match. Compatibility forms (ligatures, full-width letters) are not folded.
///
/// The search is Knuth-Morris-Pratt over characters, so its state carries across `feed` calls and
/// a match split between two pieces is found. The last character of each piece is held back
/// until the next piece, because the next piece may start with a combining mark that belongs to it.
public struct TextMatcher: Sendable {
    private let needle: [Character]
    private let failure: [Int]
    private var matchedLength = 0
    private var held = ""
    /// True once the needle has been found; further input does not change it until `reset()`.
    public private(set) var hasMatched: Bool

    /// A matcher for `needle`; an empty needle matches everything.
    public init(_ needle: String) {
        self.needle = Array(Self.fold(needle))
        self.failure = Self.failureTable(self.needle)
        self.hasMatched = self.needle.isEmpty
    }

    /// Whether `haystack` contains `needle`, ignoring case.
    public static func matches(_ haystack: String, needle: String) -> Bool {
        var matcher = TextMatcher(needle)
        _ = matcher.feed(haystack)
        return matcher.finish()
    }

    /// Searches the next piece of text; returns `hasMatched`.
    public mutating func feed(_ text: some StringProtocol) -> Bool {
        guard !hasMatched else { return true }
        let combined = held + Self.fold(String(text))
        guard let last = combined.last else { return false }
        held = String(last)
        search(combined.dropLast())
        return hasMatched
    }

    /// Searches what is still held; call at the end of one text (a header value, a body part).
    /// Returns `hasMatched`; the matcher is then ready for unrelated text (use `reset()` to also
    /// forget a match).
    public mutating func finish() -> Bool {
        if !hasMatched { search(Substring(held)) }
        held = ""
        matchedLength = 0
        return hasMatched
    }

    /// Forgets all input and any match.
    public mutating func reset() {
        held = ""
        matchedLength = 0
        hasMatched = needle.isEmpty
    }

    private mutating func search(_ text: Substring) {
        for character in text {
            while matchedLength > 0 && needle[matchedLength] != character {
                matchedLength = failure[matchedLength - 1]
            }
            if needle[matchedLength] == character { matchedLength += 1 }
            if matchedLength == needle.count {
                hasMatched = true
                return
            }
        }
    }

    /// Full case folding approximated with the standard library's full case mappings.
    static func fold(_ text: String) -> String {
        text.uppercased().lowercased()
    }

    /// KMP failure function: the length of the longest proper border of each needle prefix.
    private static func failureTable(_ needle: [Character]) -> [Int] {
        var table = [Int](repeating: 0, count: needle.count)
        var length = 0
        var index = 1
        while index < needle.count {
            if needle[index] == needle[length] {
                length += 1
                table[index] = length
                index += 1
            } else if length > 0 {
                length = table[length - 1]
            } else {
                index += 1
            }
        }
        return table
    }
}
