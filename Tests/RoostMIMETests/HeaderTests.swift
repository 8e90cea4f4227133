import Testing
@testable import RoostMIME

@Suite("Header")
struct HeaderTests {
    @Test func parsesFieldsInOrderWithFoldingKept() throws {
        let block = Fixture.message(
            "Received: from a\r\n\tby b\r\nSubject: Hello\r\n world\r\nX-Empty:\r\nsubject: second\r\n\r\nbody: not a header\r\n")
        let header = Header.parse(block)
        #expect(header.fields.map(\.name) == ["Received", "Subject", "X-Empty", "subject"])
        let received = try #require(header.first("received"))
        #expect(received.rawValue == Array(" from a\r\n\tby b".utf8))
        #expect(received.value == "from a\tby b")
        #expect(header["SUBJECT"] == "Hello world")
        #expect(header.all("Subject").map(\.value) == ["Hello world", "second"])
        #expect(header["X-Empty"] == "")
        #expect(header["body"] == nil)
    }

    @Test func bareLineFeedsAndMissingFinalBreak() {
        let header = Header.parse(Fixture.message("A: 1\nB: 2\n continued\nC: 3"))
        #expect(header.fields.map(\.value) == ["1", "2 continued", "3"])
        #expect(header.first("B")?.rawValue == Array(" 2\n continued".utf8))
    }

    @Test func skipsLinesWithoutColonAndInvalidNames() {
        let block = Fixture.message(
            " orphan continuation\nFrom sender@example.com Mon Jan  6 10:00:00 2025\n continuation of junk\n"
                + "no colon here\nBad Name: x\nSubject : obsolete spacing\n: empty name\nGood: yes\n")
        let header = Header.parse(block)
        #expect(header.fields.map(\.name) == ["Subject", "Good"])
        #expect(header["subject"] == "obsolete spacing")
    }

    @Test func eightBitValues() throws {
        var block = Array("Subject: ".utf8) + [0xD6, 0xD0, 0xCE, 0xC4] + [0x0A]
        block += Array("From: 李娜 <l@x>\n".utf8)
        block += Array("X-Nul: a".utf8) + [0x00] + Array("b\n".utf8)
        let header = Header.parse(block)
        let subject = try #require(header.first("Subject"))
        #expect(subject.rawValue == [0x20, 0xD6, 0xD0, 0xCE, 0xC4])
        #expect(subject.value == "\u{D6}\u{D0}\u{CE}\u{C4}")
        #expect(header["From"] == "李娜 <l@x>")
        #expect(header["X-Nul"] == "a\u{0}b")
    }

    @Test func decodedValueAppliesRFC2047() {
        let header = Header.parse(Fixture.message("Subject: =?UTF-8?Q?caf=C3=A9?=\n =?UTF-8?Q?_au_lait?=\n"))
        #expect(header.first("subject")?.decodedValue == "café au lait")
        #expect(header["subject"] == "=?UTF-8?Q?caf=C3=A9?= =?UTF-8?Q?_au_lait?=")
    }

    @Test func emptyInputAndBlankFirstLine() {
        #expect(Header.parse([UInt8]()).fields.isEmpty)
        #expect(Header.parse(Fixture.message("\r\nSubject: x\r\n")).fields.isEmpty)
    }
}
