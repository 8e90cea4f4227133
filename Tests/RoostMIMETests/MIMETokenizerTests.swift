import Testing
@testable import RoostMIME

/// Values cut short or odd in every way the structured-header grammar allows: the tokenizer must
/// stay inside the value and give the lenient reading its doc comment promises.
@Suite("MIMETokenizer: truncated and odd values")
struct MIMETokenizerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let value: String
        /// `type/subtype` as Content-Type, nil when invalid.
        let mimeType: String?
        let parameters: [MIMEParameter]
        var testDescription: String { value.debugDescription }

        init(_ value: String, _ mimeType: String?, _ parameters: [(String, String)] = []) {
            self.value = value
            self.mimeType = mimeType
            self.parameters = parameters.map { MIMEParameter(name: $0.0, value: $0.1) }
        }
    }

    static let cases: [Case] = [
        // A trailing backslash inside a comment: the escape has nothing to escape.
        Case(#"text/plain; name= (\"#, "text/plain", [("name", "")]),
        Case(#"text/plain (\"#, "text/plain"),
        Case(#"text/plain; (\"#, "text/plain"),
        Case(#"text/plain; name=a (b\"#, "text/plain", [("name", "a")]),
        Case(#"text/plain (a(b\"#, "text/plain"),
        Case(#"(\"#, nil),
        Case(#"te(\"#, nil),
        // ... inside a quoted string: kept literally.
        Case(#"text/plain; name="abc\"#, "text/plain", [("name", #"abc\"#)]),
        Case(#"text/plain; name="\"#, "text/plain", [("name", #"\"#)]),
        Case(#"text/plain; a="\"; b=c"#, "text/plain", [("a", #""; b=c"#)]),
        // ... in an unquoted value, or where a token was expected.
        Case(#"text/plain; name=\"#, "text/plain", [("name", #"\"#)]),
        Case(#"text/plain; n\=x"#, "text/plain"),
        Case(#"\"#, nil),
        Case(#"text/\"#, nil),
        // Unterminated comments, quoted strings and angle brackets run to the end.
        Case("text/plain; name=(abc", "text/plain", [("name", "")]),
        Case("text/plain; name=((((", "text/plain", [("name", "")]),
        Case(#"text/plain; name="abc"#, "text/plain", [("name", "abc")]),
        Case(#"text/plain; name=""#, "text/plain", [("name", "")]),
        Case(#"text/plain; name= "x" (y"#, "text/plain", [("name", "x")]),
        Case("text/plain; name=<abc", "text/plain", [("name", "<abc")]),
        Case(#"""#, nil),
        Case("text/plain (", "text/plain"),
        Case("text/plain; name= (a\\)b) c", "text/plain", [("name", "c")]),
        // Nothing after a separator.
        Case("text/plain;", "text/plain"),
        Case("text/plain; =", "text/plain"),
        Case("text/plain; name", "text/plain"),
        Case("text/plain; name=", "text/plain", [("name", "")]),
        Case("text/", nil),
        Case("text", nil),
    ]

    @Test(arguments: cases)
    func contentTypeStaysInBounds(_ testCase: Case) {
        let parsed = ContentType.parse(testCase.value)
        #expect(parsed?.mimeType == testCase.mimeType)
        if testCase.mimeType != nil { #expect(parsed?.parameters == testCase.parameters) }
    }

    /// Content-Disposition shares the tokenizer: after its type (here `text`, the `/plain` skipped
    /// as junk before the first `;`) it reads the same parameters.
    @Test(arguments: cases)
    func contentDispositionStaysInBounds(_ testCase: Case) {
        let disposition = ContentDisposition.parse(testCase.value)
        if testCase.mimeType != nil { #expect(disposition?.parameters == testCase.parameters) }
    }

    /// The review's reproduction: a whole message whose Content-Type (or Content-Disposition) value
    /// ends in a comment with a trailing backslash, then a body.
    @Test(arguments: ["Content-Type", "Content-Disposition"])
    func messageWithTrailingBackslashInAComment(_ field: String) throws {
        let text = "Subject: x\n\(field): text/plain; name= (\\\n\nbody line\n"
        let parsed = MessageParser.parse(Fixture.message(text))
        #expect(parsed.structure.root.endOffset == text.utf8.count)
        #expect(parsed.structure.root.bodySize.octets == "body line\n".utf8.count)
        let bodies = TextExtractorTests.collect(TextExtractor.extract(Fixture.message(text))).bodies
        #expect(bodies == ["body line\n"])
    }

    /// Header values built from realistic ones, mutated at random (bytes inserted from the grammar's
    /// specials, deleted, truncated, ranges repeated): parsing a message carrying them must never
    /// trap, and the structure must still cover the message. Seeded, so a failure is reproducible.
    @Test func mutatedHeaderValuesNeverTrap() {
        let seeds = [
            "multipart/mixed; boundary=\"b\"; name*0*=utf-8''%E4%B8; name*1*=%AD.txt (comment \\) here)",
            "attachment; filename=\"=?UTF-8?B?5Lit5paH?=.pdf\"; size=790; creation-date=\"x\"",
            "\"Doe, John\" <john@example.com>, Team: a@b.c, <@r1,@r2:u@[192.0.2.1]>; (c) x@y",
            "=?utf-8?q?caf=C3=A9?= =?gb2312?B?1tA=?= =?UTF-8*en?Q?a_b?= plain",
            "text/plain; charset=iso-2022-jp; format=flowed; delsp=yes",
        ]
        let alphabet = Array(#"\()"<>@,;:=?*'%[]/. -_aZ09"#.utf8) + [0x09, 0x0D, 0x0A, 0x80, 0xC3, 0xFF, 0x00]
        var generator = SeededGenerator(seed: 20_200_512)
        for round in 0..<3000 {
            var value = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let position = Int.random(in: 0...value.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0:
                    value.insert(alphabet.randomElement(using: &generator) ?? 0x5C, at: position)
                case 1:
                    if position < value.count { value.remove(at: position) }
                case 2:
                    value.removeSubrange(position...)
                default:
                    let end = min(value.count, position + Int.random(in: 1...12, using: &generator))
                    value.insert(contentsOf: value[position..<end], at: position)
                }
            }
            let string = String(decoding: value, as: UTF8.self)
            _ = ContentType.parse(string)
            _ = ContentDisposition.parse(string)
            _ = Address.parseList(string)
            _ = EncodedWord.decode(bytes: value)
            var message: [UInt8] = []
            for name in ["Content-Type", "Content-Disposition", "From", "Subject"] {
                message += Array("\(name): ".utf8) + value + [0x0A]
            }
            message += Array("\n--b\nContent-Type: text/plain; charset=\"".utf8) + value + Array("\"\n\nx\n--b--\n".utf8)
            let parsed = MessageParser.parse(message)
            #expect(parsed.structure.root.endOffset == message.count, "round \(round)")
            _ = TextExtractor.extract(message)
        }
    }
}
