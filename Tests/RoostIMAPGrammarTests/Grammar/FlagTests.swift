import NIOCore
import Testing
@testable import RoostIMAPGrammar

@Suite("Flag")
struct FlagTests {
    @Test(arguments: [
        ("\\Seen", Flag.seen, "\\Seen"), ("\\SEEN", .seen, "\\Seen"), ("\\answered", .answered, "\\Answered"),
        ("\\Flagged", .flagged, "\\Flagged"), ("\\Deleted", .deleted, "\\Deleted"), ("\\Draft", .draft, "\\Draft"),
        ("\\Recent", .recent, "\\Recent"), ("$Forwarded", .keyword(Flag.Keyword("$Forwarded")!), "$Forwarded"),
        ("Old", .keyword(Flag.Keyword("Old")!), "Old"), ("\\Important", .extension(Flag.Keyword("Important")!), "\\Important"),
    ])
    func parsesAndEncodes(_ text: String, _ flag: Flag, _ encoded: String) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseFlag() } == flag)
        #expect(flag.description == encoded)
        #expect(try IMAPParser.parse(encoded) { try $0.parseFlag() } == flag)
    }

    @Test func keywordsCompareCaseInsensitively() {
        #expect(Flag.keyword(Flag.Keyword("$junk")!) == .keyword(Flag.Keyword("$Junk")!))
        #expect(Set([Flag.keyword(Flag.Keyword("old")!), .keyword(Flag.Keyword("OLD")!)]).count == 1)
        #expect(Flag.Keyword("a b") == nil)
        #expect(Flag.Keyword("") == nil)
        #expect(Flag.Keyword("a]") == nil)
    }

    @Test(arguments: ["", "\\", "\\*", "a*", "(", "\"Seen\"", "\\\\Seen", "a]"])
    func refusesInvalidFlags(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseFlag() } }
    }

    @Test func parsesPermanentFlags() throws {
        #expect(try IMAPParser.parse("\\*") { try $0.parsePermanentFlag() } == .wildcard)
        #expect(try IMAPParser.parse("\\Seen") { try $0.parsePermanentFlag() } == .flag(.seen))
        #expect(PermanentFlag.wildcard.description == "\\*")
    }

    @Test(arguments: [
        ("()", [Flag]()), ("(\\Seen)", [.seen]), ("(\\Seen \\Deleted Old)", [.seen, .deleted, .keyword(Flag.Keyword("Old")!)]),
    ])
    func parsesFlagLists(_ text: String, _ flags: [Flag]) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseFlagList() } == flags)
        #expect(encoded { $0.writeFlagList(flags) } == text)
    }

    @Test(arguments: ["", "(", "(\\Seen", "( \\Seen)", "(\\Seen )", "(\\Seen  \\Draft)", "\\Seen"])
    func refusesInvalidFlagLists(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseFlagList() } }
    }

    @Test func stressesTheListItemLimit() throws {
        let limit = IMAPLimits().maxListItems
        let atLimit = "(" + Array(repeating: "k", count: limit).joined(separator: " ") + ")"
        #expect(try IMAPParser.parse(atLimit) { try $0.parseFlagList() }.count == limit)
        let over = "(" + Array(repeating: "k", count: limit + 1).joined(separator: " ") + ")"
        #expect(throws: IMAPParseError("Too many flags (limit \(limit))")) { try IMAPParser.parse(over) { try $0.parseFlagList() } }
    }
}
