/// `TextMatcher`'s search for a needle that is not ASCII once folded: Knuth-Morris-Pratt over
/// `Character`s of the folded text, so canonically equivalent spellings (precomposed é and
/// e + U+0301) match.
///
/// The KMP state carries across `feed` calls, so a match split between two pieces is found. The
/// last character of each piece is held back until the next piece, because the next piece may start
/// with a combining mark that belongs to it.
struct CharacterTextSearch: Sendable {
    private let needle: [Character]
    private let failure: [Int]
    private var matchedLength = 0
    private var held = ""
    /// The bytes of a UTF-8 sequence cut by the end of the last piece given as bytes.
    private var cutSequence: [UInt8] = []

    /// `foldedNeedle` is not empty.
    init(foldedNeedle: [UInt8]) {
        needle = Array(String(decoding: foldedNeedle, as: UTF8.self))
        failure = Self.failureTable(needle)
    }

    /// Searches the next piece of UTF-8 text; true once the needle was found.
    mutating func feed(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        var bytes = cutSequence
        bytes.append(contentsOf: input)
        let cut = bytes.withUnsafeBufferPointer { CharsetDecoder.incompleteUTF8Suffix($0) }
        cutSequence = Array(bytes.suffix(cut))
        bytes.removeLast(cut)
        let folded = bytes.withUnsafeBufferPointer { CaseFold.fold($0) }
        let combined = held + String(decoding: folded, as: UTF8.self)
        guard let last = combined.last else { return false }
        held = String(last)
        return search(combined.dropLast())
    }

    /// Searches what is still held as the end of the text; true when the needle was found. The
    /// search is then ready for an unrelated text.
    mutating func finish() -> Bool {
        // An incomplete sequence at the end is U+FFFD, which folds to itself.
        held += String(decoding: cutSequence, as: UTF8.self)
        let found = search(Substring(held))
        reset()
        return found
    }

    /// Forgets the text so far.
    mutating func reset() {
        held = ""
        cutSequence.removeAll()
        matchedLength = 0
    }

    private mutating func search(_ text: Substring) -> Bool {
        for character in text {
            while matchedLength > 0 && needle[matchedLength] != character {
                matchedLength = failure[matchedLength - 1]
            }
            if needle[matchedLength] == character { matchedLength += 1 }
            if matchedLength == needle.count { return true }
        }
        return false
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
