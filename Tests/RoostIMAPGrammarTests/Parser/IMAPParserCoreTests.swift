import NIOCore
import Testing
@testable import RoostIMAPGrammar

/// A frame with literals, as the framer would cut it: text pieces each followed by its literal.
func frame(_ parts: [(String, String?)]) -> IMAPCommandFrame {
    IMAPCommandFrame(pieces: parts.map { .init(line: ByteBuffer(string: $0.0), literal: $0.1.map { ByteBuffer(string: $0) }) })
}

func encoded(_ write: (inout ByteBuffer) -> Void) -> String {
    var buffer = ByteBuffer()
    write(&buffer)
    return String(buffer: buffer)
}

@Suite("IMAPParser core rules")
struct IMAPParserCoreTests {
    @Test(arguments: [
        ("0", UInt32(0)), ("1", 1), ("007", 7), ("4294967295", 4_294_967_295),
    ])
    func parsesNumbers(_ text: String, _ expected: UInt32) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseNumber() } == expected)
    }

    @Test(arguments: ["", "x", "4294967296", "99999999999999999999", "-1", "1 "])
    func refusesBadNumbers(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseNumber() } }
    }

    @Test(arguments: ["0", "01", "", "*"])
    func refusesBadNonZeroNumbers(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseNZNumber() } }
    }

    @Test(arguments: [
        ("alice", "alice"), ("a]b", "a]b"), ("\"\"", ""), ("\"two words\"", "two words"),
        ("\"q\\\"uote\\\\\"", "q\"uote\\"), ("\"pässwörd\"", "pässwörd"), ("NIL", "NIL"),
    ])
    func parsesAstrings(_ text: String, _ expected: String) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseAstring() } == Array(expected.utf8))
    }

    @Test(arguments: ["", "(a)", "a b", "\"open", "\"bad\\escape\"", "a*", "%", "{5}", "\"a\u{0}\""])
    func refusesBadAstrings(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseAstring() } }
    }

    @Test func parsesLiterals() throws {
        var parser = IMAPParser(frame([("", "a\r\nb\u{0}"), (" ", "x"), ("", nil)]))
        #expect(try parser.parseAstring() == Array("a\r\nb\u{0}".utf8))
        try parser.expectSpace()
        #expect(try parser.parseNstring() == Array("x".utf8))
        try parser.expectEnd()
    }

    @Test func parsesNstrings() throws {
        #expect(try IMAPParser.parse("NIL") { try $0.parseNstring() } == nil)
        #expect(try IMAPParser.parse("nil") { try $0.parseNstring() } == nil)
        #expect(try IMAPParser.parse("\"NIL\"") { try $0.parseNstring() } == Array("NIL".utf8))
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse("NILS") { try $0.parseNstring() } }
    }

    @Test(arguments: [
        // Atom where possible (not NIL), else quoted, else a literal.
        ("alice", "alice", "\"alice\""),
        ("a]b", "a]b", "\"a]b\""),
        ("NIL", "\"NIL\"", "\"NIL\""),
        ("", "\"\"", "\"\""),
        ("two words", "\"two words\"", "\"two words\""),
        ("q\"b\\", "\"q\\\"b\\\\\"", "\"q\\\"b\\\\\""),
        ("a*", "\"a*\"", "\"a*\""),
        ("line\r\nbreak", "{11}\r\nline\r\nbreak", "{11}\r\nline\r\nbreak"),
        ("已发送", "{9}\r\n已发送", "{9}\r\n已发送"),
    ])
    func encodesStrings(_ value: String, _ astring: String, _ string: String) throws {
        #expect(encoded { $0.writeIMAPAstring(Array(value.utf8)) } == astring)
        #expect(encoded { $0.writeIMAPString(Array(value.utf8)) } == string)
        #expect(encoded { $0.writeIMAPString(Array(value.utf8), literalForm: .nonSynchronizing) }
            == (string.hasPrefix("{") ? string.replacing("}\r\n", with: "+}\r\n", maxReplacements: 1) : string))
    }

    @Test func encodesLongStringsAsLiterals() {
        let long = String(repeating: "x", count: ByteBuffer.maxQuotedOctets + 1)
        #expect(encoded { $0.writeIMAPString(Array(long.utf8)) } == "{1025}\r\n" + long)
        #expect(encoded { $0.writeIMAPNstring(nil as [UInt8]?) } == "NIL")
    }

    /// Every encoded string is read back to the same bytes, through the framer.
    @Test(arguments: ["alice", "", "NIL", "a b", "\"\\", "x\r\ny", "日本", String(repeating: "z", count: 2000), "\u{0}"])
    func roundTripsStrings(_ value: String) throws {
        var buffer = ByteBuffer(string: "t X ")
        buffer.writeIMAPAstring(Array(value.utf8), literalForm: .nonSynchronizing)
        buffer.writeString("\r\n")
        var framer = IMAPCommandFramer()
        framer.append(buffer)
        guard case .command(let frame)? = framer.next() else {
            Issue.record("no frame")
            return
        }
        var parser = IMAPParser(frame)
        _ = try parser.parseAtom()
        try parser.expectSpace()
        _ = try parser.parseAtom()
        try parser.expectSpace()
        #expect(try parser.parseAstring() == Array(value.utf8))
        try parser.expectEnd()
    }
}
