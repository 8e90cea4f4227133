import Testing
@testable import RoostMIME

@Suite("TextExtractor")
struct TextExtractorTests {
    /// Body texts (one string per text part) and selected decoded header values per fixture.
    struct Case: Sendable, CustomTestStringConvertible {
        let fixture: String
        let headers: [String: String]
        let bodies: [String]
        var testDescription: String { fixture }
    }

    static let cases: [Case] = [
        Case(fixture: "plain-lf.eml", headers: ["Subject": "Lunch on Friday?"],
             bodies: ["Hi Bob,\n\nAre you free for lunch on Friday?\n\n-- \nAlice\n"]),
        Case(fixture: "alternative-lf.eml", headers: ["Subject": "Sale €10", "From": "\"Shop, The\" <news@shop.example>"],
             bodies: ["Price: 10 € only — today.\nSecond line is long enough to need a soft line break in quoted printable encoding, yes.\n",
                      "<html><body><p>Price: 10 € only</p></body></html>\n"]),
        Case(fixture: "chinese-gb2312-lf.eml",
             headers: ["Subject": "会议通知：明天下午三点", "From": "张伟 <zhang.wei@example.cn>", "To": "全体员工 <staff@example.cn>"],
             bodies: ["各位同事：\n明天下午三点在三楼会议室开会。\n谢谢！\n"]),
        Case(fixture: "chinese-utf8-raw-lf.eml", headers: ["Subject": "季度报告已发送", "From": "李娜 <li.na@example.cn>"],
             bodies: ["报告已发送，请查收。\n"]),
        Case(fixture: "big5-lf.eml", headers: ["Subject": "繁體中文測試", "From": "陳先生 <chen@example.tw>"],
             bodies: ["這是一封繁體中文郵件。\n"]),
        Case(fixture: "mixed-attachment-lf.eml", headers: ["Subject": "Report attached"],
             bodies: ["Please find the report attached.\n"]),
        Case(fixture: "nested-rfc822-lf.eml", headers: ["Subject": "Fwd: Minutes", "In-Reply-To": "<agenda@example.com>"],
             bodies: ["See the minutes below.\n", "<p>Minutes</p>\n", "Minutes as text\n"]),
        Case(fixture: "digest-lf.eml", headers: ["Subject": "List digest, Vol 1, Issue 2"],
             bodies: ["Hello list.\n", "Not a message, explicitly typed."]),
        Case(fixture: "empty.eml", headers: [:], bodies: [""]),
        Case(fixture: "nul-bytes-lf.eml", headers: ["Subject": "NUL"], bodies: []),
    ]

    @Test(arguments: cases)
    func extractsDecodedText(_ testCase: Case) throws {
        let segments = TextExtractor.extract(try Fixture.bytes(testCase.fixture))
        let (headers, bodies) = Self.collect(segments)
        for (name, value) in testCase.headers {
            #expect(headers.first { $0.name.lowercased() == name.lowercased() }?.value == value, "\(name)")
        }
        #expect(bodies == testCase.bodies)
    }

    @Test(arguments: Fixture.allNames)
    func streamingEqualsOneShot(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let expected = Self.collect(TextExtractor.extract(bytes))
        for seed in [3, 17] as [UInt64] {
            var extractor = TextExtractor()
            var segments: [TextSegment] = []
            for chunk in randomChunks(bytes, seed: seed, maxChunk: 7) { segments += extractor.feed(chunk: chunk) }
            segments += extractor.finish()
            let streamed = Self.collect(segments)
            #expect(streamed.headers.map(\.value) == expected.headers.map(\.value))
            #expect(streamed.bodies == expected.bodies)
        }
        var extractor = TextExtractor()
        var segments: [TextSegment] = []
        for byte in bytes { segments += extractor.feed(chunk: [byte]) }
        segments += extractor.finish()
        #expect(Self.collect(segments).bodies == expected.bodies, "byte by byte")
    }

    @Test func crlfBodiesDecodeToTheSameTextWithCRLF() throws {
        let lf = Self.collect(TextExtractor.extract(try Fixture.bytes("nested-rfc822-lf.eml"))).bodies
        let crlf = Self.collect(TextExtractor.extract(try Fixture.bytes("nested-rfc822-crlf.eml"))).bodies
        #expect(crlf.map { $0.replacingOccurrences(of: "\r\n", with: "\n") } == lf)
    }

    /// Joins `.bodyText` pieces per part and lists header segments.
    static func collect(_ segments: [TextSegment]) -> (headers: [(name: String, value: String)], bodies: [String]) {
        var headers: [(name: String, value: String)] = []
        var bodies: [String] = []
        var current: [UInt8] = []
        for segment in segments {
            switch segment {
            case .header(let name, let value): headers.append((name, value))
            case .bodyText(let text):
                #expect(String(validating: text, as: UTF8.self) != nil, "a piece is well-formed UTF-8")
                current += text
            case .bodyEnd:
                bodies.append(String(decoding: current, as: UTF8.self))
                current = []
            }
        }
        return (headers, bodies)
    }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
