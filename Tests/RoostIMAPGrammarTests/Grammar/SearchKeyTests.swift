import NIOCore
import Testing
@testable import RoostIMAPGrammar

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }
private func set(_ s: String) -> SequenceSet { try! IMAPParser.parse(s) { try $0.parseSequenceSet() } }
private let dec4 = IMAPDate(year: 2026, month: 12, day: 4)!

@Suite("SearchKey")
struct SearchKeyTests {
    @Test(arguments: [
        ("ALL", [SearchKey.all], "ALL"),
        ("answered deleted draft flagged new old recent seen", [.answered, .deleted, .draft, .flagged, .new, .old, .recent, .seen],
         "ANSWERED DELETED DRAFT FLAGGED NEW OLD RECENT SEEN"),
        ("UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN", [.unanswered, .undeleted, .undraft, .unflagged, .unseen],
         "UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN"),
        ("KEYWORD $Junk UNKEYWORD Old", [.keyword(Flag.Keyword("$Junk")!), .unkeyword(Flag.Keyword("Old")!)], "KEYWORD $Junk UNKEYWORD Old"),
        ("FROM alice TO \"Bob Smith\" CC c BCC d", [.from(b("alice")), .to(b("Bob Smith")), .cc(b("c")), .bcc(b("d"))],
         "FROM alice TO \"Bob Smith\" CC c BCC d"),
        ("SUBJECT \"\" BODY x TEXT \"a\\\"b\"", [.subject([]), .body(b("x")), .text(b("a\"b"))], "SUBJECT \"\" BODY x TEXT \"a\\\"b\""),
        ("HEADER Message-ID \"<a@b>\"", [.header("Message-ID", b("<a@b>"))], "HEADER Message-ID <a@b>"),
        ("HEADER X-Spam \"\"", [.header("X-Spam", [])], "HEADER X-Spam \"\""),
        ("BEFORE 4-Dec-2026 ON \"4-Dec-2026\" SINCE 04-dec-2026", [.before(dec4), .on(dec4), .since(dec4)],
         "BEFORE 4-Dec-2026 ON 4-Dec-2026 SINCE 4-Dec-2026"),
        ("SENTBEFORE 4-Dec-2026 SENTON 4-Dec-2026 SENTSINCE 4-Dec-2026", [.sentBefore(dec4), .sentOn(dec4), .sentSince(dec4)],
         "SENTBEFORE 4-Dec-2026 SENTON 4-Dec-2026 SENTSINCE 4-Dec-2026"),
        ("LARGER 1000 SMALLER 0", [.larger(1000), .smaller(0)], "LARGER 1000 SMALLER 0"),
        ("UID 1:*,5 1:3", [.uid(set("1:*,5")), .sequenceNumbers(set("1:3"))], "UID 1:*,5 1:3"),
        ("*", [.sequenceNumbers(set("*"))], "*"),
        ("NOT SEEN", [.not(.seen)], "NOT SEEN"),
        ("OR SEEN FLAGGED", [.or(.seen, .flagged)], "OR SEEN FLAGGED"),
        ("OR (FROM a SUBJECT b) NOT (DELETED)", [.or(.and([.from(b("a")), .subject(b("b"))]), .not(.and([.deleted])))],
         "OR (FROM a SUBJECT b) NOT (DELETED)"),
        // RFC 3501 section 6.4.4's examples.
        ("FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
         [.flagged, .since(IMAPDate(year: 1994, month: 2, day: 1)!), .not(.from(b("Smith")))], "FLAGGED SINCE 1-Feb-1994 NOT FROM Smith"),
        ("OR OR SEEN DRAFT (UNSEEN)", [.or(.or(.seen, .draft), .and([.unseen]))], "OR OR SEEN DRAFT (UNSEEN)"),
    ])
    func parsesAndEncodes(_ text: String, _ keys: [SearchKey], _ form: String) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseSearchKeys() } == keys)
        #expect(encoded { $0.writeSearchKeys(keys) } == form)
        #expect(try IMAPParser.parse(form) { try $0.parseSearchKeys() } == keys)
    }

    @Test func parsesLiteralStrings() throws {
        var parser = IMAPParser(frame([("TEXT ", "中文"), ("", nil)]))
        #expect(try parser.parseSearchKeys() == [.text(b("中文"))])
        #expect(encoded { $0.writeSearchKey(.text(b("中文"))) } == "TEXT {6}\r\n中文")
    }

    @Test(arguments: [
        "", "FOO", "SEEN ", " SEEN", "FROM", "FROM ", "NOT", "OR SEEN", "OR SEEN ", "()", "(SEEN", "(SEEN))", "LARGER x",
        "LARGER 99999999999", "BEFORE 31-Feb-2026", "KEYWORD \\Seen", "KEYWORD", "UID", "UID x", "0", "1:0", "SEEN  DRAFT",
        "HEADER Subject", "SENTON", "SINCE 2026-12-04",
    ])
    func refusesInvalidKeys(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseSearchKeys() } }
    }

    @Test func stressesTheNestingLimit() throws {
        let depth = IMAPLimits().maxNestingDepth
        func nest(_ n: Int) -> String { String(repeating: "NOT (", count: n) + "SEEN" + String(repeating: ")", count: n) }
        // Each "NOT (" is two levels.
        #expect(throws: Never.self) { try IMAPParser.parse(nest(depth / 2)) { try $0.parseSearchKeys() } }
        #expect(throws: IMAPParseError("Too deeply nested (limit \(depth))")) {
            try IMAPParser.parse(nest(depth / 2 + 1)) { try $0.parseSearchKeys() }
        }
        let ors = String(repeating: "OR SEEN ", count: depth + 1) + "SEEN"
        #expect(throws: IMAPParseError("Too deeply nested (limit \(depth))")) { try IMAPParser.parse(ors) { try $0.parseSearchKeys() } }
        // A deep input far beyond the limit is refused, not a stack overflow.
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(String(repeating: "(", count: 100_000)) { try $0.parseSearchKeys() } }
    }

    @Test func stressesTheKeyCountLimit() throws {
        let limits = IMAPLimits(maxListItems: 3)
        #expect(try IMAPParser.parse("SEEN SEEN SEEN", limits: limits) { try $0.parseSearchKeys() }.count == 3)
        #expect(throws: IMAPParseError("Too many search keys (limit 3)")) {
            try IMAPParser.parse("SEEN SEEN SEEN SEEN", limits: limits) { try $0.parseSearchKeys() }
        }
    }
}
