import NIOCore
import Testing
@testable import RoostIMAPGrammar

private func set(_ s: String) -> SequenceSet { try! IMAPParser.parse(s) { try $0.parseSequenceSet() } }
private let a1 = Tag("A1")!

private func bytes(_ response: Response) -> String {
    var buffer = ByteBuffer()
    let written = buffer.writeResponse(response)
    #expect(written == buffer.readableBytes)
    return String(buffer: buffer)
}

@Suite("Response encoding")
struct ResponseTests {
    @Test(arguments: [
        (Response.tagged(a1, .ok("LOGIN completed")), "A1 OK LOGIN completed\r\n"),
        (.tagged(a1, .no("Mailbox does not exist", code: .nonExistent)), "A1 NO [NONEXISTENT] Mailbox does not exist\r\n"),
        (.tagged(a1, .bad("Unknown command")), "A1 BAD Unknown command\r\n"),
        (.tagged(a1, .ok("", code: .readWrite)), "A1 OK [READ-WRITE] completed\r\n"),
        (.tagged(a1, .ok("done\r\n* OK injected")), "A1 OK done??* OK injected\r\n"),
        (.tagged(a1, .ok("APPEND completed", code: .appendUID(UIDValidity(rawValue: 38505)!, set("3955")))),
         "A1 OK [APPENDUID 38505 3955] APPEND completed\r\n"),
        (.tagged(a1, .ok("Done", code: .copyUID(UIDValidity(rawValue: 38505)!, set("304,319:320"), set("3956:3958")))),
         "A1 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"),
        (.tagged(a1, .ok("Logged in", code: .capability(["IMAP4rev1", "IDLE", "UIDPLUS", "MOVE"]))),
         "A1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE] Logged in\r\n"),
        (.tagged(a1, .no("Unsupported charset", code: .badCharset(["UTF-8", "US-ASCII"]))),
         "A1 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n"),
        (.tagged(a1, .no("No", code: .badCharset([]))), "A1 NO [BADCHARSET] No\r\n"),
        (.tagged(a1, .no("[TRYCREATE]", code: .tryCreate)), "A1 NO [TRYCREATE] [TRYCREATE]\r\n"),
        (.untagged(.condition(.ok("Flags permitted.", code: .permanentFlags([.flag(.deleted), .flag(.seen), .wildcard])))),
         "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Flags permitted.\r\n"),
        (.untagged(.condition(.ok("Message 17 is first unseen", code: .unseen(SequenceNumber(rawValue: 17)!)))),
         "* OK [UNSEEN 17] Message 17 is first unseen\r\n"),
        (.untagged(.condition(.ok("UIDs valid", code: .uidValidity(UIDValidity(rawValue: 3857529045)!)))),
         "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"),
        (.untagged(.condition(.ok("Predicted next UID", code: .uidNext(UID(rawValue: 4392)!)))), "* OK [UIDNEXT 4392] Predicted next UID\r\n"),
        (.untagged(.condition(.ok("Roost ready", code: .capability(["IMAP4rev1", "STARTTLS", "LOGINDISABLED"])))),
         "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Roost ready\r\n"),
        (.untagged(.preauth(ResponseText("Welcome"))), "* PREAUTH Welcome\r\n"),
        (.untagged(.bye(ResponseText(code: .unavailable, "Shutting down"))), "* BYE [UNAVAILABLE] Shutting down\r\n"),
        (.untagged(.capability(["IMAP4rev1", "LITERAL+", "AUTH=PLAIN"])), "* CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN\r\n"),
        (.untagged(.flags([.answered, .flagged, .deleted, .seen, .draft])), "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"),
        (.untagged(.exists(172)), "* 172 EXISTS\r\n"), (.untagged(.recent(0)), "* 0 RECENT\r\n"),
        (.untagged(.expunge(SequenceNumber(rawValue: 3)!)), "* 3 EXPUNGE\r\n"),
        (.untagged(.search([])), "* SEARCH\r\n"), (.untagged(.search([2, 84, 882])), "* SEARCH 2 84 882\r\n"),
        (.untagged(.status(MailboxName("blurdybloop"), [StatusValue(.messages, 231), StatusValue(.uidNext, 44292)])),
         "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n"),
        (.untagged(.status(MailboxName("Sent Items"), [])), "* STATUS \"Sent Items\" ()\r\n"),
        (.untagged(.list(MailboxListItem(attributes: [.hasNoChildren, .sent], delimiter: "/", name: MailboxName("已发送")))),
         "* LIST (\\HasNoChildren \\Sent) \"/\" &XfJT0ZAB-\r\n"),
        (.untagged(.list(MailboxListItem(attributes: [.noSelect], delimiter: "/", name: MailboxName("")))),
         "* LIST (\\Noselect) \"/\" \"\"\r\n"),
        (.untagged(.lsub(MailboxListItem(attributes: [], delimiter: nil, name: .inbox))), "* LSUB () NIL INBOX\r\n"),
        (.untagged(.list(MailboxListItem(attributes: [], delimiter: "\\", name: MailboxName("a b")))), "* LIST () \"\\\\\" \"a b\"\r\n"),
        (.untagged(.list(MailboxListItem(attributes: [], delimiter: "/", name: MailboxName("NIL")))), "* LIST () \"/\" \"NIL\"\r\n"),
        (.untagged(.enabled(["CONDSTORE"])), "* ENABLED CONDSTORE\r\n"), (.untagged(.enabled([])), "* ENABLED\r\n"),
        (.untagged(.namespace(personal: [NamespaceDescription(prefix: MailboxName(""), delimiter: "/")], otherUsers: [], shared: [])),
         "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n"),
        (.untagged(.id([IDField("name", "Roost")])), "* ID (\"name\" \"Roost\")\r\n"), (.untagged(.id(nil)), "* ID NIL\r\n"),
        (.continuation("idling"), "+ idling\r\n"), (.continuation(""), "+ completed\r\n"),
    ])
    func encodesExactBytes(_ response: Response, _ expected: String) {
        #expect(bytes(response) == expected)
    }

    @Test(arguments: [
        (ResponseCode.unavailable, "UNAVAILABLE"), (.authenticationFailed, "AUTHENTICATIONFAILED"),
        (.authorizationFailed, "AUTHORIZATIONFAILED"), (.expired, "EXPIRED"), (.privacyRequired, "PRIVACYREQUIRED"),
        (.contactAdmin, "CONTACTADMIN"), (.noPermission, "NOPERM"), (.inUse, "INUSE"), (.expungeIssued, "EXPUNGEISSUED"),
        (.corruption, "CORRUPTION"), (.serverBug, "SERVERBUG"), (.clientBug, "CLIENTBUG"), (.cannot, "CANNOT"), (.limit, "LIMIT"),
        (.overQuota, "OVERQUOTA"), (.alreadyExists, "ALREADYEXISTS"), (.nonExistent, "NONEXISTENT"), (.alert, "ALERT"),
        (.parse, "PARSE"), (.readOnly, "READ-ONLY"), (.tryCreate, "TRYCREATE"), (.uidNotSticky, "UIDNOTSTICKY"),
    ])
    func encodesEveryAtomCode(_ code: ResponseCode, _ atom: String) {
        #expect(bytes(.tagged(a1, .no("x", code: code))) == "A1 NO [\(atom)] x\r\n")
    }

    @Test func specialUseAttributesAreSpelledAsRFC6154() {
        let all: [MailboxAttribute] = [.all, .archive, .drafts, .flagged, .junk, .sent, .trash, .noInferiors, .marked, .unmarked,
                                       .hasChildren, .nonExistent, .subscribed]
        #expect(all.map(\.description) == ["\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash", "\\Noinferiors",
                                           "\\Marked", "\\Unmarked", "\\HasChildren", "\\NonExistent", "\\Subscribed"])
        #expect(MailboxAttribute("hasnochildren") == .hasNoChildren)
        #expect(MailboxAttribute("a b") == nil)
    }
}
