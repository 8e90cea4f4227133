import NIOCore
import Testing
@testable import RoostIMAPGrammar

private func mbox(_ name: String) -> MailboxName { MailboxName(name) }
private func date(_ text: String) -> IMAPDateTime { try! IMAPParser.parse(text) { try $0.parseDateTime() } }

@Suite("IMAPCommandParser: authenticated state")
struct IMAPCommandParserAuthenticatedTests {
    @Test(arguments: [
        ("a ENABLE CONDSTORE", tagged("a", .enable(["CONDSTORE"]))),
        ("a enable UTF8=ACCEPT QRESYNC", tagged("a", .enable(["UTF8=ACCEPT", "QRESYNC"]))),
        ("a SELECT INBOX", tagged("a", .select(.inbox))), ("a select inbox", tagged("a", .select(.inbox))),
        ("a EXAMINE \"Sent Items\"", tagged("a", .examine(mbox("Sent Items")))),
        ("a CREATE &XfJT0ZAB-", tagged("a", .create(mbox("已发送")))), ("a DELETE Trash/Old", tagged("a", .delete(mbox("Trash/Old")))),
        ("a RENAME Drafts \"My Drafts\"", tagged("a", .rename(from: mbox("Drafts"), to: mbox("My Drafts")))),
        ("a SUBSCRIBE Junk", tagged("a", .subscribe(mbox("Junk")))), ("a UNSUBSCRIBE Junk", tagged("a", .unsubscribe(mbox("Junk")))),
        ("a LIST \"\" *", tagged("a", .list(reference: mbox(""), pattern: MailboxPattern("*")))),
        ("a LIST \"\" \"\"", tagged("a", .list(reference: mbox(""), pattern: MailboxPattern("")))),
        ("a list ~smith/Mail/ \"foo.*\"", tagged("a", .list(reference: mbox("~smith/Mail/"), pattern: MailboxPattern("foo.*")))),
        ("a LSUB \"\" %", tagged("a", .lsub(reference: mbox(""), pattern: MailboxPattern("%")))),
        ("a NAMESPACE", tagged("a", .namespace)),
        ("a STATUS INBOX (MESSAGES UNSEEN)", tagged("a", .status(.inbox, [.messages, .unseen]))),
        ("a IDLE", tagged("a", .idle)),
    ])
    func parsesCommands(_ line: String, _ expected: TaggedCommand) {
        #expect(IMAPCommandParser.parse(line) == .success(expected))
    }

    @Test(arguments: [
        ("a ENABLE", "Expected a space"), ("a ENABLE ", "Expected an atom"), ("a ENABLE X ", "Expected an atom"),
        ("a SELECT", "Expected a space"), ("a SELECT INBOX x", "Unexpected characters at the end of the command"),
        ("a SELECT &Jjo", "Mailbox name is not valid modified UTF-7"), ("a CREATE", "Expected a space"),
        ("a RENAME a", "Expected a space"), ("a LIST \"\"", "Expected a space"), ("a LIST \"\" ", "Expected a mailbox pattern"),
        ("a STATUS INBOX", "Expected a space"), ("a STATUS INBOX ()", "Expected a status attribute"),
        ("a STATUS INBOX MESSAGES", "Expected ("), ("a NAMESPACE x", "Unexpected characters at the end of the command"),
        ("a IDLE x", "Unexpected characters at the end of the command"), ("a APPEND INBOX", "Expected a space"),
        ("a APPEND INBOX \"x\"", "Expected a day"), ("a APPEND INBOX (\\Seen)", "Expected a space"),
        ("a APPEND INBOX (\\Seen) ", "Expected the message as a literal"),
    ])
    func refusesWithTheTag(_ line: String, _ message: String) {
        #expect(IMAPCommandParser.parse(line) == .failure(IMAPParseError(message, tag: Tag("a"))))
    }

    @Test func parsesAppendWithLiterals() {
        // RFC 3501 section 6.3.11's example, with LITERAL+.
        let message = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nSubject: afternoon meeting\r\n\r\nHello Joe\r\n"
        let bytes = ByteBuffer(string: "A003 APPEND saved-messages (\\Seen) {\(message.utf8.count)+}\r\n\(message)\r\n")
        #expect(parseWire(bytes) == .success(tagged("A003", .append(mbox("saved-messages"), [
            AppendMessage(flags: [.seen], data: ByteBuffer(string: message)),
        ]))))
        // Date without flags, and MULTIAPPEND (RFC 3502 section 6.3.11's form).
        let multi = ByteBuffer(string: "A1 APPEND INBOX \"17-Jul-1996 02:44:25 -0700\" {3+}\r\nabc (\\Draft) {2+}\r\nde {0+}\r\n\r\n")
        #expect(parseWire(multi) == .success(tagged("A1", .append(.inbox, [
            AppendMessage(internalDate: date("\"17-Jul-1996 02:44:25 -0700\""), data: ByteBuffer(string: "abc")),
            AppendMessage(flags: [.draft], data: ByteBuffer(string: "de")),
            AppendMessage(data: ByteBuffer()),
        ]))))
        // The mailbox name may be a literal too.
        let named = ByteBuffer(string: "A2 APPEND {5+}\r\nINBOX {1+}\r\nx\r\n")
        #expect(parseWire(named) == .success(tagged("A2", .append(.inbox, [AppendMessage(data: ByteBuffer(string: "x"))]))))
    }

    @Test(arguments: [
        Command.enable(["CONDSTORE"]), .enable(["UTF8=ACCEPT", "IMAP4rev2"]), .select(.inbox), .select(mbox("已发送")),
        .examine(mbox("Sent Items")), .create(mbox("a&b")), .create(mbox("NIL")), .delete(mbox("Trash/2026")),
        .rename(from: mbox("Drafts"), to: mbox("草稿")), .subscribe(mbox("Junk")), .unsubscribe(mbox("\"quoted\"")),
        .list(reference: mbox(""), pattern: MailboxPattern("*")), .list(reference: mbox("Work/"), pattern: MailboxPattern("已发送/%")),
        .list(reference: mbox(""), pattern: MailboxPattern("")), .lsub(reference: mbox(""), pattern: MailboxPattern("a b%")),
        .namespace, .idle, .status(.inbox, [.messages, .recent, .uidNext, .uidValidity, .unseen]),
        .append(.inbox, [AppendMessage(data: ByteBuffer(string: "Subject: x\r\n\r\nbody\r\n"))]),
        .append(mbox("Sent"), [AppendMessage(flags: [.seen, .keyword(Flag.Keyword("$Forwarded")!)],
                                             internalDate: date("\"04-Dec-2026 09:05:00 +0100\""), data: ByteBuffer(bytes: [0, 255, 13, 10]))]),
        .append(.inbox, [AppendMessage(data: ByteBuffer(string: "a")), AppendMessage(flags: [.draft], data: ByteBuffer())]),
    ])
    func roundTrips(_ command: Command) {
        let value = tagged("t1", command)
        for form in [IMAPLiteralForm.nonSynchronizing, .synchronizing] {
            var buffer = ByteBuffer()
            buffer.writeCommand(value, literalForm: form)
            #expect(parseWire(buffer) == .success(value))
        }
    }

    @Test func stressesTheEnableLimit() {
        let limits = IMAPLimits(maxListItems: 2)
        #expect(IMAPCommandParser.parse("a ENABLE A B", limits: limits) == .success(tagged("a", .enable(["A", "B"]))))
        #expect(IMAPCommandParser.parse("a ENABLE A B C", limits: limits)
            == .failure(IMAPParseError("Too many capabilities (limit 2)", tag: Tag("a"))))
    }
}
