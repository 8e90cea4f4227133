import Testing
@testable import RoostMIME

@Suite("TextMatcher")
struct TextMatcherTests {
    @Test(arguments: [
        ("Hello World", "world", true),
        ("Hello World", "WORLD", true),
        ("Hello World", "worlds", false),
        ("Straße", "STRASSE", true),
        ("STRASSE", "straße", true),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευς", true),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσεύς", false),
        ("Temperature: 5 \u{212A}", "5 k", true),
        ("café", "cafe\u{301}", true),
        ("cafe\u{301}", "CAFÉ", true),
        ("会议通知：明天下午三点", "明天下午", true),
        ("aaab", "aab", true),
        ("abababc", "ababc", true),
        ("anything", "", true),
        ("", "x", false),
        ("Ärger im Büro", "ÄRGER", true),
        ("ÄRGER", "ärger", true),
        ("ärger", "arger", false),
        ("ΣΊΣΥΦΟΣ", "σίσυφος", true),
        ("σίσυφος", "ΣΊΣΥΦΟΣ", true),
        ("a \u{37E} b", ";", true),
        ("a ; b", "\u{37E}", true),
        ("cafe\u{301}", "cafe", false),
        ("cafe\u{301}!", "e\u{301}!", true),
        ("İstanbul", "i", false),
        ("İstanbul", "STANBUL", true),
        ("line\r\nnext", "line\r", false),
        ("line\r\nnext", "\nnext", false),
        ("line\r\nnext", "E\r\nN", true),
        ("\u{600}1", "1", false),
        ("ﬃ", "FFI", true),
    ])
    func matches(_ haystack: String, _ needle: String, _ expected: Bool) {
        #expect(TextMatcher.matches(haystack, needle: needle) == expected)
    }

    @Test func matchesAcrossPieces() {
        let text = "The quick brown fox jumps over the lazy dog"
        for split in 0...text.count {
            var matcher = TextMatcher("FOX JUMPS")
            let index = text.index(text.startIndex, offsetBy: split)
            _ = matcher.feed(text[..<index])
            _ = matcher.feed(text[index...])
            let found = matcher.finish()
            #expect(found, "split at \(split)")
        }
    }

    @Test func combiningMarkArrivingInTheNextPieceJoinsItsBase() {
        var plain = TextMatcher("cafe")
        _ = plain.feed("un cafe")
        _ = plain.feed("\u{301} noir")
        let plainFound = plain.finish()
        #expect(!plainFound)
        var accented = TextMatcher("café")
        _ = accented.feed("un cafe")
        _ = accented.feed("\u{301} noir")
        let accentedFound = accented.finish()
        #expect(accentedFound)
    }

    @Test func finishSeparatesUnrelatedTextsAndResetForgets() {
        var matcher = TextMatcher("ab")
        _ = matcher.feed("xa")
        let afterFirst = matcher.finish()
        #expect(!afterFirst)
        _ = matcher.feed("b")
        let afterSecond = matcher.finish()
        #expect(!afterSecond)
        _ = matcher.feed("zab")
        let afterThird = matcher.finish()
        #expect(afterThird)
        #expect(matcher.hasMatched)
        matcher.reset()
        #expect(!matcher.hasMatched)
    }

    @Test func searchesExtractedBodyText() throws {
        let segments = TextExtractor.extract(try Fixture.bytes("chinese-gb2312-lf.eml"))
        var matcher = TextMatcher("三楼会议室")
        for segment in segments {
            switch segment {
            case .bodyText(let text): _ = text.withUnsafeBufferPointer { matcher.feed(utf8: $0) }
            case .bodyEnd: _ = matcher.finish()
            case .header: continue
            }
        }
        #expect(matcher.hasMatched)
    }

    @Test func matchesAcrossByteChunksAtEverySplit() {
        let text = Array("Sighted: one QUOKKA, two quokkas; ä quokka".utf8)
        for needle in ["quokka", "one quokka", "Ä QUOKKA", "kas;"] {
            for first in 0...text.count {
                for second in first...min(text.count, first + 9) {
                    var matcher = TextMatcher(needle)
                    for piece in [text[..<first], text[first..<second], text[second...]] {
                        _ = Array(piece).withUnsafeBufferPointer { matcher.feed(utf8: $0) }
                    }
                    let found = matcher.finish()
                    #expect(found, "\(needle) split at \(first), \(second)")
                }
            }
        }
    }

    @Test func matchEndingAtAPieceEndWaitsForTheNextCharacter() {
        var matcher = TextMatcher("cafe")
        _ = matcher.feed("un cafe")
        #expect(!matcher.hasMatched)
        _ = matcher.feed("\u{301}")
        let found = matcher.finish()
        #expect(!found)
        _ = matcher.feed("un cafe")
        _ = matcher.feed(" noir")
        #expect(matcher.hasMatched)
    }

    /// The matcher fed in random pieces (cut anywhere, even inside a character's bytes) agrees with
    /// the definition: `Character`s of both texts folded by uppercasing then lowercasing. Short texts
    /// in small pieces exercise the byte-by-byte paths, long ones in long pieces the eight-byte ASCII
    /// folding and `memchr` anchor search.
    @Test(arguments: [(12, 6, 7), (80, 48, 8)] as [(Int, Int, UInt64)])
    func agreesWithCharacterComparisonOnTrickyText(maxLength: Int, maxPiece: Int, seed: UInt64) {
        let alphabet = ["a", "b", "e", "k", "s", "K", "S", "i", "I", " ", ";", "`", "\r", "\n", "1", "é", "\u{301}",
                        "\u{308}", "ß", "Σ", "σ", "ς", "\u{212A}", "\u{37E}", "\u{1FEF}", "İ", "\u{600}", "\u{200D}",
                        "👍", "🇩", "🇪", "ΐ", "ﬃ", "각", "ᄀ", "ᅡ", "ä", "Ä", "\u{FFFD}"]
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<3000 {
            let haystack = (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            let needle: String
            let scalars = Array(haystack.unicodeScalars)
            if Bool.random(using: &generator) && !scalars.isEmpty {
                let start = Int.random(in: 0..<scalars.count, using: &generator)
                let end = Int.random(in: (start + 1)...min(scalars.count, start + 4), using: &generator)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[start..<end])
                needle = Bool.random(using: &generator) ? String(view).uppercased() : String(view)
            } else {
                needle = (0..<Int.random(in: 1...3, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            }
            let expected = Self.reference(haystack, needle)
            let bytes = Array(haystack.utf8)
            var matcher = TextMatcher(needle)
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...maxPiece, using: &generator))
                _ = Array(bytes[start..<end]).withUnsafeBufferPointer { matcher.feed(utf8: $0) }
                start = end
            }
            let found = matcher.finish()
            #expect(found == expected, "\(Array(haystack.unicodeScalars)) \(Array(needle.unicodeScalars))")
        }
    }

    /// The definition the matcher implements, on whole strings.
    static func reference(_ haystack: String, _ needle: String) -> Bool {
        let text = Array(haystack.uppercased().lowercased())
        let word = Array(needle.uppercased().lowercased())
        guard !word.isEmpty else { return true }
        guard text.count >= word.count else { return false }
        return (0...(text.count - word.count)).contains { Array(text[$0..<($0 + word.count)]) == word }
    }

    /// ASCII folded eight bytes at a time lowercases exactly A-Z, at every alignment and next to
    /// non-ASCII text.
    @Test func caseFoldLowercasesASCIIWordsAtEveryAlignment() {
        let ascii = (0..<128).map { UInt8($0) }
        for offset in 0..<16 {
            let input = Array("é".utf8) + Array(repeating: UInt8(ascii: "Q"), count: offset) + ascii + ascii.reversed() + Array("É".utf8)
            let expected = Array("é".utf8) + Array(repeating: UInt8(ascii: "q"), count: offset)
                + ascii.map(ASCII.lowercased) + ascii.reversed().map(ASCII.lowercased) + Array("é".utf8)
            #expect(input.withUnsafeBufferPointer { CaseFold.fold($0) } == expected, "offset \(offset)")
        }
    }

    /// Folding scalar by scalar gives, for every scalar, text canonically equivalent to uppercasing
    /// then lowercasing it, never more than `maxGrowth` times as long, and ASCII whenever that is
    /// canonically equivalent to ASCII (what the byte search relies on).
    @Test func caseFoldAgreesWithTheStandardLibraryForEveryScalar() {
        let asciiCharacters = Set((0..<128).map { Character(Unicode.Scalar(UInt8($0))) })
        for value in 0x80...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            let expected = text.uppercased().lowercased()
            let folded = CaseFold.fold(text)
            #expect(folded.count <= text.utf8.count * CaseFold.maxGrowth)
            if String(decoding: folded, as: UTF8.self) != expected {
                Issue.record("U+\(String(value, radix: 16)) folds to \(folded)")
            }
            if expected.count == 1, let character = expected.first, asciiCharacters.contains(character),
               folded.contains(where: { $0 >= 0x80 }) {
                Issue.record("U+\(String(value, radix: 16)) is ASCII but folds to \(folded)")
            }
        }
    }

    @Test(arguments: [
        // Quoted-printable soft line break inside the word.
        ("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nA qu=\nok=\r\nka=20sat.\n",
         "QUOKKA SAT", true),
        ("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n=C3=84RGER\n", "ärger", true),
        // Base64: "Ein Quokka und \u{00C4}rger" in UTF-8.
        ("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nRWluIFF1b2trYSB1bmQg\nw4RyZ2Vy\n",
         "quokka und ärger", true),
        ("Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n=C4rger im B=FCro\n",
         "ÄRGER IM BÜRO", true),
        ("Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n=C4rger\n", "arger", false),
        ("Content-Type: image/png\nContent-Transfer-Encoding: base64\n\ncXVva2th\n", "quokka", false),
    ])
    func searchesDecodedBodies(_ body: String, _ needle: String, _ expected: Bool) {
        let message = Array(("Subject: test\nMIME-Version: 1.0\n" + body).utf8)
        #expect(Self.bodyMatches(message, needle: needle, chunk: nil) == expected)
        for chunk in [1, 3, 7] {
            #expect(Self.bodyMatches(message, needle: needle, chunk: chunk) == expected, "chunks of \(chunk)")
        }
    }

    @Test(arguments: [("chinese-gb2312-lf.eml", "三楼会议室"), ("big5-lf.eml", "繁體中文郵件"), ("alternative-lf.eml", "10 € ONLY")])
    func searchesCharsetFixturesInEveryChunking(_ fixture: String, _ needle: String) throws {
        let message = try Fixture.bytes(fixture)
        #expect(Self.bodyMatches(message, needle: needle, chunk: nil))
        for chunk in [1, 2, 5] {
            #expect(Self.bodyMatches(message, needle: needle, chunk: chunk), "chunks of \(chunk)")
        }
    }

    /// Whether a body part of `message`, fed to `TextExtractor` whole or in chunks, contains `needle`.
    static func bodyMatches(_ message: [UInt8], needle: String, chunk: Int?) -> Bool {
        var extractor = TextExtractor()
        var segments: [TextSegment] = []
        if let chunk {
            var start = 0
            while start < message.count {
                segments += extractor.feed(chunk: message[start..<min(message.count, start + chunk)])
                start += chunk
            }
        } else {
            segments += extractor.feed(chunk: message)
        }
        segments += extractor.finish()
        var matcher = TextMatcher(needle)
        for segment in segments {
            switch segment {
            case .bodyText(let text): _ = text.withUnsafeBufferPointer { matcher.feed(utf8: $0) }
            case .bodyEnd: _ = matcher.finish()
            case .header: continue
            }
        }
        return matcher.hasMatched
    }
}
