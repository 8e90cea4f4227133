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
            case .bodyText(let text): _ = matcher.feed(text)
            case .bodyEnd: _ = matcher.finish()
            case .header: continue
            }
        }
        #expect(matcher.hasMatched)
    }
}
