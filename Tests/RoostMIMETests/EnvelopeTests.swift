import Testing
@testable import RoostMIME

@Suite("Envelope")
struct EnvelopeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let header: String
        let envelope: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "all fields",
             header: "Date: Mon, 6 Jan 2025 10:00:00 +0000\nSubject: =?UTF-8?Q?caf=C3=A9?=\nFrom: A <a@x>\n"
                 + "Sender: S <s@x>\nReply-To: R <r@x>\nTo: t@x\nCc: c@x\nBcc: b@x\n"
                 + "In-Reply-To: <parent@x>\nMessage-ID: <id@x>\n",
             envelope: #""Mon, 6 Jan 2025 10:00:00 +0000" "=?UTF-8?Q?caf=C3=A9?=" (("A" NIL "a" "x")) (("S" NIL "s" "x")) (("R" NIL "r" "x")) ((NIL NIL "t" "x")) ((NIL NIL "c" "x")) ((NIL NIL "b" "x")) "<parent@x>" "<id@x>""#),
        Case(name: "sender and reply-to default to from",
             header: "From: A <a@x>\nSubject: s\n",
             envelope: #"NIL "s" (("A" NIL "a" "x")) (("A" NIL "a" "x")) (("A" NIL "a" "x")) NIL NIL NIL NIL NIL"#),
        Case(name: "empty sender and reply-to default to from",
             header: "From: a@x\nSender:\nReply-To: \n",
             envelope: #"NIL NIL ((NIL NIL "a" "x")) ((NIL NIL "a" "x")) ((NIL NIL "a" "x")) NIL NIL NIL NIL NIL"#),
        Case(name: "nothing", header: "X-Other: 1\n", envelope: "NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL"),
        Case(name: "empty subject is an empty string", header: "Subject:\n",
             envelope: #"NIL "" NIL NIL NIL NIL NIL NIL NIL NIL"#),
        Case(name: "first of repeated fields, folded values unfolded",
             header: "Subject: first\n line\nSubject: second\nMESSAGE-ID:\n <m@x>\n",
             envelope: #"NIL "first line" NIL NIL NIL NIL NIL NIL NIL "<m@x>""#),
        Case(name: "group in To",
             header: "From: a@x\nTo: undisclosed-recipients:;\n",
             envelope: #"NIL NIL ((NIL NIL "a" "x")) ((NIL NIL "a" "x")) ((NIL NIL "a" "x")) ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL"#),
    ]

    @Test(arguments: cases)
    func buildsFromHeader(_ testCase: Case) {
        let envelope = Envelope(header: Header.parse(Fixture.message(testCase.header)))
        #expect(IMAPFormatter.envelope(envelope) == testCase.envelope)
    }

    @Test func gb2312EncodedWordsStayRawButDecode() throws {
        let parsed = MessageParser.parse(try Fixture.bytes("chinese-gb2312-lf.eml"))
        #expect(parsed.envelope.subject == "=?gb2312?B?u+HS6c2o1qqjug==?= =?gb2312?B?w/fM7M/CzufI/bXj?=")
        #expect(parsed.envelope.subject.map(EncodedWord.decode) == "会议通知：明天下午三点")
        #expect(parsed.envelope.from.first?.decodedName == "张伟")
        #expect(parsed.envelope.to.first?.decodedName == "全体员工")
    }
}
