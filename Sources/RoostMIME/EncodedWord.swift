/// Decoding of RFC 2047 encoded words (`=?charset?B?...?=`, `=?charset?Q?...?=`) in header text.
///
/// Behaviour, with the RFC sections and the real-world deviations clients accept:
/// - Section 6.2: whitespace between two adjacent encoded words is dropped, so a long subject split
///   into several words reads as one; whitespace next to ordinary text is kept.
/// - Adjacent words in the same charset are joined before charset decoding, because encoders
///   routinely split a multi-byte character (UTF-8, GB2312) across two words.
/// - RFC 2231 section 5: a language suffix (`=?utf-8*en?Q?...?=`) is accepted and ignored.
/// - Words not separated from surrounding text by whitespace are decoded anyway (section 5 forbids
///   them, but Outlook and others emit them and every client decodes them).
/// - A malformed word (unknown charset, unknown encoding letter, missing `?=`, whitespace inside)
///   is left exactly as written, never dropped.
/// - Words longer than the 75 characters of section 2 are decoded: there is no length cap, as in
///   Dovecot. Decoding stays linear in the value's length all the same (see `TextEndCache`).
/// - Text outside encoded words is UTF-8 when valid (RFC 6532), otherwise ISO-8859-1.
public enum EncodedWord {
    /// Decodes every encoded word in an (unfolded) header value.
    public static func decode(_ value: String) -> String {
        guard value.utf8.contains(ASCII.equals) else { return value }
        return decode(bytes: Array(value.utf8))
    }

    /// Decodes every encoded word in raw header bytes.
    ///
    /// Linear in the length of the value, however many `=?` it holds: see `TextEndCache`.
    public static func decode(bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        // Most values hold no encoded word: they are the one text piece `render` would make.
        guard mayHoldWord(input) else { return ASCII.lenientString(input) }
        var pieces: [Piece] = []
        var textStart = 0
        var index = 0
        var cache = TextEndCache()
        while index + 1 < input.count {
            if input[index] == ASCII.equals, input[index + 1] == ASCII.question,
               let (word, end) = parseWord(input, at: index, cache: &cache) {
                if textStart < index { pieces.append(.text(input[textStart..<index])) }
                pieces.append(.word(word))
                index = end
                textStart = end
            } else {
                index += 1
            }
        }
        if textStart < input.count { pieces.append(.text(input[textStart...])) }
        return render(pieces)
    }

    /// Whether `=?`, the start of every encoded word, occurs in `input`.
    private static func mayHoldWord(_ input: [UInt8]) -> Bool {
        input.withUnsafeBufferPointer { bytes in
            guard bytes.count >= 2 else { return false }
            for index in 0..<(bytes.count - 1) where bytes[index] == ASCII.equals && bytes[index + 1] == ASCII.question {
                return true
            }
            return false
        }
    }

    /// A decoded word: its charset label and payload bytes before charset conversion.
    private struct Word {
        var charset: String
        var resolved: ResolvedCharset
        var bytes: [UInt8]
    }

    private enum Piece {
        case text(ArraySlice<UInt8>)
        case word(Word)
    }

    /// The last scan for the end of an encoded text, reused by later candidates.
    ///
    /// Where a text ends (at `?=`, at whitespace, or at the end of the value) depends only on the
    /// bytes there, not on where the scan started: a scan from `from` that stopped at `stop` also
    /// answers every start between the two. Candidates are tried left to right, so with this cache
    /// each byte is scanned once even in `=?x?q?a=?x?q?a…` with no terminator, which would otherwise
    /// rescan the rest of the value for every `=?`. (The charset scans need no cache: each stops at
    /// the next `=`, so they never overlap.)
    private struct TextEndCache {
        var from = Int.max
        var stop = Int.min

        /// The first position at or after `start` where the encoded text stops.
        mutating func stop(in input: [UInt8], from start: Int) -> Int {
            if from <= start && start <= stop { return stop }
            var index = start
            while index + 1 < input.count, !(input[index] == ASCII.question && input[index + 1] == ASCII.equals) {
                if ASCII.isWhitespace(input[index]) { break }
                index += 1
            }
            from = start
            stop = index
            return index
        }
    }

    /// Parses `=?charset?encoding?text?=` at `start`; returns the word and the index after it.
    ///
    /// The syntax is checked before the charset is resolved, so a candidate that is not a complete
    /// word never costs a charset lookup.
    private static func parseWord(_ input: [UInt8], at start: Int, cache: inout TextEndCache) -> (Word, Int)? {
        var index = start + 2
        let charsetStart = index
        while index < input.count, input[index] != ASCII.question {
            if ASCII.isWhitespace(input[index]) || input[index] == ASCII.equals { return nil }
            index += 1
        }
        guard index < input.count, index > charsetStart else { return nil }
        let charsetEnd = index
        index += 1
        guard index + 1 < input.count, input[index + 1] == ASCII.question else { return nil }
        let encoding = ASCII.lowercased(input[index])
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        let textStart = index + 2
        let textEnd = cache.stop(in: input, from: textStart)
        guard textEnd + 1 < input.count, input[textEnd] == ASCII.question, input[textEnd + 1] == ASCII.equals else {
            return nil
        }
        let label = String(decoding: input[charsetStart..<charsetEnd], as: UTF8.self)
        guard let resolved = Charset.resolve(label) else { return nil }
        let text = input[textStart..<textEnd]
        let bytes = encoding == UInt8(ascii: "b") ? Base64Decoder.decode(text) : decodeQ(text)
        return (Word(charset: Charset.normalize(label), resolved: resolved, bytes: bytes), textEnd + 2)
    }

    /// The "Q" encoding (section 4.2): quoted-printable where `_` is a space and there are no line
    /// breaks; a bad `=` escape is kept literally.
    static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == ASCII.underscore {
                output.append(ASCII.space)
            } else if byte == ASCII.equals, index + 2 < text.endIndex,
                      let high = ASCII.hexValue(text[index + 1]), let low = ASCII.hexValue(text[index + 2]) {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    /// Joins the pieces: drops whitespace between words, merges same-charset neighbours.
    private static func render(_ pieces: [Piece]) -> String {
        var result = ""
        var pendingWord: Word?
        var index = 0
        while index < pieces.count {
            switch pieces[index] {
            case .word(let word):
                if var current = pendingWord, current.charset == word.charset {
                    current.bytes.append(contentsOf: word.bytes)
                    pendingWord = current
                } else {
                    if let current = pendingWord { result += Charset.decode(current.bytes, resolved: current.resolved) }
                    pendingWord = word
                }
            case .text(let text):
                let isGap = text.allSatisfy(ASCII.isWhitespace)
                let nextIsWord: Bool
                if index + 1 < pieces.count, case .word = pieces[index + 1] { nextIsWord = true } else { nextIsWord = false }
                if isGap && pendingWord != nil && nextIsWord { break }
                if let current = pendingWord {
                    result += Charset.decode(current.bytes, resolved: current.resolved)
                    pendingWord = nil
                }
                result += ASCII.lenientString(text)
            }
            index += 1
        }
        if let current = pendingWord { result += Charset.decode(current.bytes, resolved: current.resolved) }
        return result
    }
}
