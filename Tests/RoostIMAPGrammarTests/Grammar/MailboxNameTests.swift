import NIOCore
import Testing
@testable import RoostIMAPGrammar

@Suite("MailboxName")
struct MailboxNameTests {
    @Test(arguments: [
        // (decoded, wire form): RFC 3501 section 5.1.3's example, Chinese names, & and control characters.
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("已发送", "&XfJT0ZAB-"), ("草稿箱", "&g0l6P3ux-"), ("A&B", "A&-B"), ("&", "&-"), ("Sent", "Sent"),
        ("tab\there", "tab&AAk-here"), ("😀", "&2D3eAA-"), ("é", "&AOk-"), ("Ab c", "Ab c"), ("", ""),
    ])
    func encodesAndDecodes(_ name: String, _ wire: String) throws {
        #expect(String(decoding: MailboxName(name).wireBytes, as: UTF8.self) == wire)
        #expect(try MailboxName(wire: Array(wire.utf8)).name == name)
    }

    @Test(arguments: [
        "&", "&U,BTFw", "&U,BTFw-&ZeVnLIqe-", "&AGE-", "&AAk", "&Jjo!-", "&U-", "&2D0-", "&3gA-", "ä", "a\u{7F}", "\u{1}",
        "&AOk=-", "&AOl-",
    ])
    func refusesInvalidModifiedUTF7(_ wire: String) {
        #expect(throws: IMAPParseError.self) { try MailboxName(wire: Array(wire.utf8)) }
    }

    @Test(arguments: ["INBOX", "inbox", "iNbOx", "\"InBox\""])
    func inboxIsCaseInsensitive(_ text: String) throws {
        let mailbox = try IMAPParser.parse(text) { try $0.parseMailbox() }
        #expect(mailbox == .inbox)
        #expect(mailbox.isInbox)
    }

    @Test func onlyTheWholeNameInboxIsCaseInsensitive() {
        #expect(MailboxName("inbox/Sub").name == "inbox/Sub")
        #expect(MailboxName("Inboxes").name == "Inboxes")
    }

    @Test(arguments: ["INBOX", "Sent Items", "已发送", "Work/Projects", "A&B", "NIL", "\"q\"", "*%"])
    func roundTripsThroughTheWire(_ name: String) throws {
        let text = encoded { $0.writeMailbox(MailboxName(name)) }
        #expect(try IMAPParser.parse(text) { try $0.parseMailbox() } == MailboxName(name))
    }
}
