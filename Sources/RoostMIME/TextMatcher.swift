/// Case-insensitive substring search over text that arrives in pieces (IMAP SEARCH, RFC 3501
/// section 6.4.4: "case-insensitive substring match").
///
/// Both needle and text are case-folded by mapping to uppercase and then lowercase (`CaseFold`),
/// which folds the cases simple lowercasing misses (ß and SS, final and medial sigma, the Kelvin
/// sign, long s). Comparison is by `Character`, so canonically equivalent spellings (precomposed é
/// and e + U+0301) match, and a match starts and ends at character boundaries ("cafe" is not found
/// in "cafe" + U+0301). Compatibility forms (ligatures, full-width letters) are not folded.
///
/// A needle that is ASCII once folded, as almost every one is, is searched as bytes in the folded
/// UTF-8 (`FoldedByteSearch`); any other needle character by character (`CharacterTextSearch`).
/// Both carry their state across `feed` calls, so a match split between two pieces is found.
public struct TextMatcher: Sendable {
    private var bytes: FoldedByteSearch?
    private var characters: CharacterTextSearch?
    private let isEmpty: Bool
    /// True once the needle has been found; further input does not change it until `reset()`.
    public private(set) var hasMatched: Bool

    /// A matcher for `needle`; an empty needle matches everything.
    public init(_ needle: String) {
        let folded = CaseFold.fold(needle)
        isEmpty = folded.isEmpty
        hasMatched = isEmpty
        if let bytes = FoldedByteSearch(foldedNeedle: folded) {
            self.bytes = bytes
        } else if !isEmpty {
            characters = CharacterTextSearch(foldedNeedle: folded)
        }
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
        let handled: Bool? = text.utf8.withContiguousStorageIfAvailable { feed(utf8: $0) }
        if let handled { return handled }
        return Array(text.utf8).withUnsafeBufferPointer { feed(utf8: $0) }
    }

    /// Searches the next piece of UTF-8 text, which may end inside a character's bytes; returns
    /// `hasMatched`. Bytes that are not UTF-8 count as U+FFFD, as in `String(decoding:as:)`.
    public mutating func feed(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !hasMatched else { return true }
        if bytes?.feed(text) == true || characters?.feed(text) == true { hasMatched = true }
        return hasMatched
    }

    /// Searches what is still held; call at the end of one text (a header value, a body part).
    /// Returns `hasMatched`; the matcher is then ready for unrelated text (use `reset()` to also
    /// forget a match).
    public mutating func finish() -> Bool {
        if hasMatched {
            forgetInput()
        } else if bytes?.finish() == true || characters?.finish() == true {
            hasMatched = true
        }
        return hasMatched
    }

    /// Forgets all input and any match.
    public mutating func reset() {
        forgetInput()
        hasMatched = isEmpty
    }

    private mutating func forgetInput() {
        bytes?.reset()
        characters?.reset()
    }
}
