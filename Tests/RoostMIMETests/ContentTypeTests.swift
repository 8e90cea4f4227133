import Testing
@testable import RoostMIME

@Suite("ContentType and ContentDisposition")
struct ContentTypeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let value: String
        let mimeType: String?
        let parameters: [String: String]
        var testDescription: String { value }
    }

    static let cases: [Case] = [
        Case(value: "text/plain", mimeType: "text/plain", parameters: [:]),
        Case(value: "TEXT/HTML; CHARSET=UTF-8", mimeType: "text/html", parameters: ["charset": "UTF-8"]),
        Case(value: "text/plain;charset=us-ascii (Plain text)", mimeType: "text/plain", parameters: ["charset": "us-ascii"]),
        Case(value: "text/plain; charset = \"utf-8\" ; format=flowed", mimeType: "text/plain",
             parameters: ["charset": "utf-8", "format": "flowed"]),
        Case(value: "multipart/mixed; boundary=----=_Part_0_1.2", mimeType: "multipart/mixed",
             parameters: ["boundary": "----=_Part_0_1.2"]),
        Case(value: "multipart/alternative; boundary=\"foo bar\"", mimeType: "multipart/alternative",
             parameters: ["boundary": "foo bar"]),
        Case(value: "application/pdf; name=My File (1).pdf", mimeType: "application/pdf",
             parameters: ["name": "My File"]),
        Case(value: "application/pdf; name=file(1).pdf", mimeType: "application/pdf", parameters: ["name": "file(1).pdf"]),
        Case(value: "text/plain; foo=\"quoted\\\"string\"", mimeType: "text/plain", parameters: ["foo": "quoted\"string"]),
        Case(value: "(comment) text / plain ; charset=x", mimeType: "text/plain", parameters: ["charset": "x"]),
        Case(value: "text/plain; junk; charset=utf-8; =novalue; name", mimeType: "text/plain", parameters: ["charset": "utf-8"]),
        Case(value: "text/plain; charset=\"unterminated", mimeType: "text/plain", parameters: ["charset": "unterminated"]),
        Case(value: "text/plain; charset=a; charset=b", mimeType: "text/plain", parameters: ["charset": "a"]),
        Case(value: "text", mimeType: nil, parameters: [:]),
        Case(value: "/plain", mimeType: nil, parameters: [:]),
        Case(value: "", mimeType: nil, parameters: [:]),
    ]

    @Test(arguments: cases)
    func parsesContentType(_ testCase: Case) {
        let parsed = ContentType.parse(testCase.value)
        #expect(parsed?.mimeType == testCase.mimeType)
        for (name, value) in testCase.parameters {
            #expect(parsed?.parameter(name) == value, "\(name)")
        }
        if let parsed { #expect(parsed.parameters.count == testCase.parameters.count) }
    }

    @Test(arguments: [
        // RFC 2231 section 3: continuations; section 4: charset and language.
        ("application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"",
         "This is even more ***fun*** isn't it!"),
        ("application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A", "This is ***fun***"),
        ("application/x-stuff; title*0=\"plain \"; title*1=\"continued\"", "plain continued"),
        ("application/pdf; title*=utf-8''%E4%B8%AD%E6%96%87.pdf", "中文.pdf"),
        ("application/pdf; title*=gb2312''%D6%D0%CE%C4.pdf", "中文.pdf"),
        ("application/pdf; title*0*=utf-8''%E4%B8; title*1*=%AD.pdf", "中.pdf"),
        ("application/pdf; title*0*=utf-8''R%; title*1*=C3%A9.pdf", "Ré.pdf"),
        ("application/pdf; title*1*=second; title*0*=''first-", "first-second"),
        ("application/pdf; title*0=a; title*2=c", "a"),
        ("application/pdf; title=\"fallback\"; title*=utf-8''preferred", "preferred"),
        ("application/pdf; title*=''100%25%zz", "100%%zz"),
        ("application/pdf; title*=x-bogus-charset''abc", "abc"),
    ])
    func decodesRFC2231(_ value: String, _ expected: String) {
        #expect(ContentType.parse(value)?.parameter("title") == expected)
    }

    @Test func rfc2231NamesKeepFirstAppearanceOrder() throws {
        let parsed = try #require(ContentType.parse("text/plain; b=1; a*0=x; a*1=y; c=3"))
        #expect(parsed.parameters == [
            MIMEParameter(name: "b", value: "1"), MIMEParameter(name: "a", value: "xy"), MIMEParameter(name: "c", value: "3"),
        ])
    }

    @Test func helpers() throws {
        let multipart = try #require(ContentType.parse("Multipart/Digest; Boundary=\"x\""))
        #expect(multipart.isMultipart && !multipart.isText && !multipart.isMessageRFC822)
        #expect(multipart.boundary == "x")
        #expect(ContentType.messageRFC822.isMessageRFC822)
        #expect(ContentType.textPlain.charset == "us-ascii")
        #expect(ContentType(type: "text", subtype: "html").withDefaultCharset().charset == "us-ascii")
        #expect(ContentType(type: "image", subtype: "png").withDefaultCharset().parameters.isEmpty)
    }

    @Test(arguments: [
        ("attachment; filename=\"report.pdf\"; size=790", "attachment", "report.pdf"),
        ("INLINE", "inline", nil),
        ("attachment; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf", "attachment", "Résumé.pdf"),
        ("attachment; filename=\"=?UTF-8?B?5Lit5paH?=.pdf\"", "attachment", "中文.pdf"),
        ("attachment;\r\n filename*0*=utf-8'en'%E4%B8%AD;\r\n filename*1*=%E6%96%87.txt", "attachment", "中文.txt"),
    ] as [(String, String, String?)])
    func parsesContentDisposition(_ value: String, _ type: String, _ filename: String?) throws {
        let disposition = try #require(ContentDisposition.parse(value))
        #expect(disposition.type == type)
        #expect(disposition.filename == filename)
    }

    @Test func invalidDisposition() {
        #expect(ContentDisposition.parse("") == nil)
        #expect(ContentDisposition.parse("; filename=x") == nil)
    }
}
