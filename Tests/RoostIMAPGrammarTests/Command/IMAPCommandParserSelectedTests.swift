import NIOCore
import Testing
@testable import RoostIMAPGrammar

private func set(_ s: String) -> SequenceSet { try! IMAPParser.parse(s) { try $0.parseSequenceSet() } }

@Suite("IMAPCommandParser: selected state")
struct IMAPCommandParserSelectedTests {
    static let headerFetch = FetchAttribute.bodySection(
        peek: true,
        section: SectionSpecifier(part: [], text: .headerFields([
            "From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "Priority", "X-Priority", "References", "Newsgroups",
            "In-Reply-To", "Content-Type", "Reply-To",
        ]))!,
        partial: nil)

    @Test(arguments: [
        ("a CHECK", tagged("a", .check)), ("a close", tagged("a", .close)), ("a UNSELECT", tagged("a", .unselect)),
        ("a EXPUNGE", tagged("a", .expunge)), ("a UID EXPUNGE 3:5,7", tagged("a", .uidExpunge(set("3:5,7")))),
        ("a SEARCH UNSEEN", tagged("a", .search(charset: nil, keys: [.unseen]))),
        ("a SEARCH CHARSET UTF-8 TEXT \"x\"", tagged("a", .search(charset: "UTF-8", keys: [.text(Array("x".utf8))]))),
        ("a uid search charset us-ascii 1:* NOT DELETED",
         tagged("a", .uidSearch(charset: "us-ascii", keys: [.sequenceNumbers(.all), .not(.deleted)]))),
        ("a FETCH 1:* ALL", tagged("a", .fetch(.all, .all))),
        ("a FETCH 2 BODY[]", tagged("a", .fetch(set("2"), .attributes([.bodySection(peek: false, section: .complete, partial: nil)])))),
        ("a UID FETCH 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])",
         tagged("a", .uidFetch(.all, .attributes([.uid, .rfc822Size, .flags, headerFetch])))),
        ("a STORE 1 +FLAGS (\\Deleted)", tagged("a", .store(set("1"), StoreOperation(.add, flags: [.deleted])))),
        ("a UID STORE 1:3 -FLAGS.SILENT \\Seen", tagged("a", .uidStore(set("1:3"), StoreOperation(.remove, silent: true, flags: [.seen])))),
        ("a COPY 2:4 MEETING", tagged("a", .copy(set("2:4"), MailboxName("MEETING")))),
        ("a UID COPY 5 Trash", tagged("a", .uidCopy(set("5"), MailboxName("Trash")))),
        ("a MOVE 1 Archive", tagged("a", .move(set("1"), MailboxName("Archive")))),
        ("a UID MOVE 42:69 foo", tagged("a", .uidMove(set("42:69"), MailboxName("foo")))),
    ])
    func parsesCommands(_ line: String, _ expected: TaggedCommand) {
        #expect(IMAPCommandParser.parse(line) == .success(expected))
    }

    @Test(arguments: [
        ("a UID", "Expected a space"), ("a UID NOOP", "Unknown UID command"), ("a UID EXPUNGE", "Expected a space"),
        ("a UID EXPUNGE x", "Expected a sequence set"), ("a UID SELECT INBOX", "Unknown UID command"),
        ("a EXPUNGE 1", "Unexpected characters at the end of the command"), ("a SEARCH", "Expected a space"),
        ("a SEARCH CHARSET UTF-8", "Expected a space"), ("a SEARCH CHARSET", "Expected a space"),
        ("a SEARCH FOO", "Expected a search key"), ("a FETCH 1", "Expected a space"), ("a FETCH 1 BODY[", "Expected a section"),
        ("a FETCH x FLAGS", "Expected a sequence set"), ("a FETCH 0 FLAGS", "Expected a non-zero number"),
        ("a STORE 1 FLAGS", "Expected a space"), ("a STORE 1 XFLAGS (\\Seen)", "Expected FLAGS or FLAGS.SILENT"),
        ("a COPY 1", "Expected a space"), ("a MOVE 1 ", "Expected a string"),
    ])
    func refusesWithTheTag(_ line: String, _ message: String) {
        #expect(IMAPCommandParser.parse(line) == .failure(IMAPParseError(message, tag: Tag("a"))))
    }

    @Test func recognisesDone() {
        #expect(IMAPCommandParser.isIdleDone(IMAPCommandFrame(line: "DONE")))
        #expect(IMAPCommandParser.isIdleDone(IMAPCommandFrame(line: "done")))
        #expect(!IMAPCommandParser.isIdleDone(IMAPCommandFrame(line: "DONE ")))
        #expect(!IMAPCommandParser.isIdleDone(IMAPCommandFrame(line: "a DONE")))
        #expect(!IMAPCommandParser.isIdleDone(frame([("DONE", "x"), ("", nil)])))
        // Through the framer, as the session will meet it.
        var framer = IMAPCommandFramer()
        framer.append(ByteBuffer(string: "DONE\r\n"))
        var sawDone = false
        while let output = framer.next() {
            if case .command(let frame) = output { sawDone = IMAPCommandParser.isIdleDone(frame) }
        }
        #expect(sawDone)
    }

    @Test(arguments: [
        Command.check, .close, .unselect, .expunge, .uidExpunge(set("1:*")), .uidExpunge(set("3,5:7")),
        .search(charset: nil, keys: [.all]), .search(charset: "UTF-8", keys: [.from(Array("张三".utf8)), .since(IMAPDate(year: 2026, month: 1, day: 1)!)]),
        .uidSearch(charset: nil, keys: [.or(.seen, .not(.and([.deleted, .uid(set("1:5"))]))), .header("X-Mailer", [])]),
        .fetch(.all, .fast), .fetch(set("1,3"), .full), .fetch(set("1"), .all), .uidFetch(.all, .attributes([.uid, .rfc822Size, .flags, headerFetch])),
        .fetch(set("2"), .attributes([.bodySection(peek: false, section: SectionSpecifier(part: [1, 2], text: .mime)!, partial: .init(origin: 0, length: 10))])),
        .store(set("1"), StoreOperation(.replace, flags: [])), .uidStore(set("1:*"), StoreOperation(.add, silent: true, flags: [.deleted])),
        .copy(set("1:2"), MailboxName("已发送")), .uidCopy(set("7"), MailboxName("Trash")), .move(set("*"), MailboxName("Archive 2026")),
        .uidMove(set("4294967295"), .inbox),
    ])
    func roundTrips(_ command: Command) {
        let value = tagged("t1", command)
        for form in [IMAPLiteralForm.nonSynchronizing, .synchronizing] {
            var buffer = ByteBuffer()
            buffer.writeCommand(value, literalForm: form)
            #expect(parseWire(buffer) == .success(value))
        }
    }
}
