import Glibc

/// `TextMatcher`'s search for a needle that is ASCII once folded (almost every needle): the text
/// is case-folded to UTF-8 bytes (`CaseFold`) and searched for the needle's least common byte with
/// `memchr` (vectorised, so text without that byte is skipped many bytes per cycle), comparing the
/// whole needle only where that byte sits.
///
/// Equal bytes are equal characters here because `CaseFold` turns everything canonically
/// equivalent to an ASCII character into that character. What bytes cannot see is where a
/// `Character` (a grapheme cluster) ends, so each byte match is accepted only where both its ends
/// are grapheme boundaries of the folded text: "e" must not match the start of "e" + U+0301, nor
/// "\r" half of a CRLF. With ASCII at the match's edges both questions depend on the scalars on
/// either side of the edge alone (UAX #29: the rules that look further back all need a non-ASCII
/// scalar after the break), so they are answered by asking `String` about that pair.
///
/// Text arrives in pieces; the folded bytes live in `window`, and after each piece only its tail
/// is kept: the bytes of a match that may end in the next piece, and the scalar before them. A
/// match ending exactly at the end of a piece waits for the next piece (or `finish`) to show the
/// scalar that follows it.
struct FoldedByteSearch: Sendable {
    /// The folded needle, ASCII only, not empty.
    private let needle: [UInt8]
    /// The needle byte looked for first, and where it sits in the needle.
    private let anchor: UInt8
    private let anchorOffset: Int
    /// Folded text; `window[..<used]` is valid, the rest is room for the next piece.
    private var window: [UInt8] = []
    private var used = 0
    /// Matches starting before this offset have been looked at.
    private var searchFrom = 0
    /// The bytes of a UTF-8 sequence cut by the end of the last piece.
    private var cutSequence: [UInt8] = []

    /// Nil unless `foldedNeedle` is non-empty ASCII.
    init?(foldedNeedle: [UInt8]) {
        guard !foldedNeedle.isEmpty, foldedNeedle.allSatisfy({ $0 < 0x80 }) else { return nil }
        needle = foldedNeedle
        anchorOffset = foldedNeedle.indices.min { Self.commonness(foldedNeedle[$0]) < Self.commonness(foldedNeedle[$1]) }!
        anchor = foldedNeedle[anchorOffset]
    }

    /// Folded bytes of mail text from most to least common, roughly (English letter frequencies).
    private static let commonBytes = Array(" etaoinsrhldcumfpgwyb,.\n\rvk0123456789-x'jqz".utf8)

    /// How common `byte` is in text: higher is more common; bytes not listed count as rarest.
    private static func commonness(_ byte: UInt8) -> Int {
        commonBytes.firstIndex(of: byte).map { commonBytes.count - $0 } ?? 0
    }

    /// Searches the next piece of UTF-8 text; true once the needle was found.
    mutating func feed(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        if !cutSequence.isEmpty {
            let joined = cutSequence + input
            cutSequence.removeAll()
            return joined.withUnsafeBufferPointer { feed($0) }
        }
        let consumed = append(input, final: false)
        cutSequence = Array(input[consumed...])
        if scan(final: false) { return true }
        dropSearchedBytes()
        return false
    }

    /// Searches what is held as the end of the text; true when the needle was found. The search
    /// is then ready for an unrelated text.
    mutating func finish() -> Bool {
        if !cutSequence.isEmpty {
            let cut = cutSequence
            _ = cut.withUnsafeBufferPointer { append($0, final: true) }
        }
        let found = scan(final: true)
        reset()
        return found
    }

    /// Forgets the text so far.
    mutating func reset() {
        used = 0
        searchFrom = 0
        cutSequence.removeAll()
    }

    /// Folds `input` onto the end of the window; returns how many bytes were consumed.
    private mutating func append(_ input: UnsafeBufferPointer<UInt8>, final: Bool) -> Int {
        let needed = used + input.count * CaseFold.maxGrowth
        if window.count < needed { window.append(contentsOf: repeatElement(0, count: needed - window.count)) }
        let used = used
        let result = window.withUnsafeMutableBufferPointer { buffer in
            CaseFold.fold(input, final: final, into: buffer.baseAddress! + used)
        }
        self.used += result.written
        return result.consumed
    }

    /// Looks for a match starting at `searchFrom` or later; one that ends at the end of the
    /// window is only decided when `final` (the text ends there).
    private mutating func scan(final: Bool) -> Bool {
        let count = needle.count
        var position = searchFrom
        var found = false
        window.withUnsafeBufferPointer { window in
            needle.withUnsafeBufferPointer { needle in
                while position + count <= used {
                    // The next start from `position` on whose needle has the anchor byte in place.
                    let lastStart = used - count
                    let from = window.baseAddress! + position + anchorOffset
                    guard let hit = memchr(from, Int32(anchor), lastStart - position + 1) else {
                        position = lastStart + 1
                        return
                    }
                    position += UnsafeRawPointer(from).distance(to: UnsafeRawPointer(hit))
                    if Self.equal(window, at: position, needle, count: count) {
                        let end = position + count
                        if end == used && !final { return }
                        if isBoundary(window, before: position) && isBoundary(window, after: end) {
                            found = true
                            return
                        }
                    }
                    position += 1
                }
            }
        }
        searchFrom = position
        return found
    }

    @inline(__always)
    private static func equal(_ window: UnsafeBufferPointer<UInt8>, at position: Int,
                              _ needle: UnsafeBufferPointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index < count {
            if window[position + index] != needle[index] { return false }
            index += 1
        }
        return true
    }

    /// Whether a grapheme cluster starts at `position`, whose byte is ASCII. Position 0 is the start
    /// of the text: once bytes were dropped, `searchFrom` and so every match starts at least one
    /// whole scalar into the window.
    private func isBoundary(_ window: UnsafeBufferPointer<UInt8>, before position: Int) -> Bool {
        guard position > 0 else { return true }
        let first = window[position]
        let previousByte = window[position - 1]
        if previousByte < 0x80 { return !(previousByte == ASCII.cr && first == ASCII.lf) }
        var start = position - 1
        while start > 0 && window[start] & 0xC0 == 0x80 { start -= 1 }
        return Self.breaks(Self.scalar(in: window, at: start), Unicode.Scalar(first))
    }

    /// Whether a grapheme cluster ends at `end`, whose preceding byte is ASCII.
    private func isBoundary(_ window: UnsafeBufferPointer<UInt8>, after end: Int) -> Bool {
        guard end < used else { return true }
        let last = window[end - 1]
        let next = window[end]
        if next < 0x80 { return !(last == ASCII.cr && next == ASCII.lf) }
        return Self.breaks(Unicode.Scalar(last), Self.scalar(in: window, at: end))
    }

    /// The scalar whose well-formed UTF-8 starts at `index` (the window holds only such).
    private static func scalar(in window: UnsafeBufferPointer<UInt8>, at index: Int) -> Unicode.Scalar {
        let length = CaseFold.sequenceLength(window, at: index)
        guard length > 0 else { return "\u{FFFD}" }
        return Unicode.Scalar(CaseFold.decodeScalar(window, at: index, length: length)) ?? "\u{FFFD}"
    }

    /// Whether text segmentation puts a grapheme break between `first` and `second`.
    private static func breaks(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Bool {
        var pair = String.UnicodeScalarView()
        pair.append(first)
        pair.append(second)
        return String(pair).count == 2
    }

    /// Keeps only what a later match can involve: the bytes from `searchFrom` on and the scalar
    /// before them.
    private mutating func dropSearchedBytes() {
        var keepFrom = max(0, searchFrom - 4)
        while keepFrom > 0 && window[keepFrom] & 0xC0 == 0x80 { keepFrom -= 1 }
        guard keepFrom > 0 else { return }
        let kept = used - keepFrom
        for index in 0..<kept { window[index] = window[keepFrom + index] }
        used = kept
        searchFrom -= keepFrom
    }
}
