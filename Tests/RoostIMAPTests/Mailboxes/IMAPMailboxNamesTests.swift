import Testing
import RoostIMAP
import RoostIMAPGrammar
import RoostStorage

@Suite("IMAPMailboxNames")
struct IMAPMailboxNamesTests {
    @Test(arguments: [
        // (decoded IMAP name, storage levels, IMAP name back, wire bytes)
        ("INBOX", ["INBOX"], "INBOX", "INBOX"),
        ("inbox", ["INBOX"], "INBOX", "INBOX"),
        ("InBoX", ["INBOX"], "INBOX", "INBOX"),
        ("INBOX.Sub", ["INBOX", "Sub"], "INBOX.Sub", "INBOX.Sub"),
        ("inbox.Sub", ["INBOX", "Sub"], "INBOX.Sub", "INBOX.Sub"),
        ("Inboxes", ["Inboxes"], "Inboxes", "Inboxes"),
        ("Work.inbox", ["Work", "inbox"], "Work.inbox", "Work.inbox"),
        ("Work.Projects.2024", ["Work", "Projects", "2024"], "Work.Projects.2024", "Work.Projects.2024"),
        ("Sent Items", ["Sent Items"], "Sent Items", "Sent Items"),
        ("已发送", ["已发送"], "已发送", "&XfJT0ZAB-"),
        ("归档.已发送", ["归档", "已发送"], "归档.已发送", "&X1JoYw-.&XfJT0ZAB-"),
        ("Tom & Jerry", ["Tom & Jerry"], "Tom & Jerry", "Tom &- Jerry"),
        ("~backup", ["~backup"], "~backup", "~backup"),
    ])
    func convertsValidNames(_ imap: String, _ levels: [String], _ back: String, _ wire: String) throws {
        let name = try IMAPMailboxNames.storageName(RoostIMAPGrammar.MailboxName(imap))
        #expect(name.components == levels)
        let wireName = IMAPMailboxNames.wireName(name)
        #expect(wireName.name == back)
        #expect(String(decoding: wireName.wireBytes, as: UTF8.self) == wire)
        // Through the wire and back to the same folder.
        #expect(try IMAPMailboxNames.storageName(RoostIMAPGrammar.MailboxName(wire: wireName.wireBytes)) == name)
    }

    @Test func inboxIsTheMaildirRootAndItsChildrenAreFolders() throws {
        #expect(try IMAPMailboxNames.storageName(.inbox).isInbox)
        let child = try IMAPMailboxNames.storageName(RoostIMAPGrammar.MailboxName("inbox.Sub"))
        #expect(!child.isInbox)
        #expect(child.diskName == ".INBOX.Sub")
        #expect(child.parent == .inbox)
    }

    @Test(arguments: [
        "", ".", "..", "...", "A..B", ".A", "A.", "../etc", "A/B", "/etc/passwd", "..roost-deleted.x",
        "A\u{0}B", "A\u{1}", "Tab\there", "Line\nbreak", "Del\u{7F}", "C1\u{85}", "Star*", "Per%cent",
    ])
    func refusesNamesThatWouldEscapeTheMaildir(_ imap: String) {
        #expect {
            try IMAPMailboxNames.storageName(RoostIMAPGrammar.MailboxName(imap))
        } throws: { error in
            guard let error = error as? IMAPCommandError else { return false }
            return error.response.kind == .no && error.response.text.code == .cannot
                && error.response.text.text.hasPrefix("Invalid mailbox name: ")
        }
    }

    @Test func refusesANameTooLongForADirectory() {
        let long = RoostIMAPGrammar.MailboxName(String(repeating: "a", count: 200) + "." + String(repeating: "b", count: 60))
        #expect(throws: IMAPCommandError(.no("Mailbox name is too long", code: .limit))) {
            try IMAPMailboxNames.storageName(long)
        }
    }
}
