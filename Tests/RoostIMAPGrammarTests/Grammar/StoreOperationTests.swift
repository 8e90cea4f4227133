import NIOCore
import Testing
@testable import RoostIMAPGrammar

@Suite("StoreOperation and StatusAttribute")
struct StoreOperationTests {
    @Test(arguments: [
        ("FLAGS (\\Seen)", StoreOperation(.replace, flags: [.seen]), "FLAGS (\\Seen)"),
        ("+FLAGS (\\Deleted)", StoreOperation(.add, flags: [.deleted]), "+FLAGS (\\Deleted)"),
        ("-flags.silent (\\Seen Old)", StoreOperation(.remove, silent: true, flags: [.seen, .keyword(Flag.Keyword("Old")!)]),
         "-FLAGS.SILENT (\\Seen Old)"),
        ("+FLAGS.SILENT \\Deleted \\Seen", StoreOperation(.add, silent: true, flags: [.deleted, .seen]), "+FLAGS.SILENT (\\Deleted \\Seen)"),
        ("FLAGS ()", StoreOperation(.replace, flags: []), "FLAGS ()"),
        ("+FLAGS $Forwarded", StoreOperation(.add, flags: [.keyword(Flag.Keyword("$Forwarded")!)]), "+FLAGS ($Forwarded)"),
    ])
    func parsesAndEncodes(_ text: String, _ operation: StoreOperation, _ form: String) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseStoreOperation() } == operation)
        #expect(encoded { $0.writeStoreOperation(operation) } == form)
        #expect(try IMAPParser.parse(form) { try $0.parseStoreOperation() } == operation)
    }

    @Test(arguments: [
        "", "FLAGS", "FLAGS  (\\Seen)", "*FLAGS (\\Seen)", "+FLAGS.QUIET (\\Seen)", "FLAG (\\Seen)", "FLAGS (\\Seen",
        "FLAGS \\Seen ", "+-FLAGS (\\Seen)",
    ])
    func refusesInvalidOperations(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseStoreOperation() } }
    }

    @Test(arguments: [
        ("(MESSAGES)", [StatusAttribute.messages]),
        ("(messages recent uidnext uidvalidity unseen)", [.messages, .recent, .uidNext, .uidValidity, .unseen]),
        ("(UIDVALIDITY UIDNEXT)", [.uidValidity, .uidNext]),
    ])
    func parsesStatusAttributes(_ text: String, _ attributes: [StatusAttribute]) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseStatusAttributeList() } == attributes)
        let form = encoded { $0.writeStatusAttributeList(attributes) }
        #expect(try IMAPParser.parse(form) { try $0.parseStatusAttributeList() } == attributes)
        #expect(form == text.uppercased())
    }

    @Test(arguments: ["()", "MESSAGES", "(MESSAGES", "(SIZE)", "(UID)", "(MESSAGES  UNSEEN)", "(UIDNEXTX)"])
    func refusesInvalidStatusAttributes(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseStatusAttributeList() } }
    }
}
