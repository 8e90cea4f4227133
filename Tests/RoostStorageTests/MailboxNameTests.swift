import Testing
@testable import RoostStorage

@Suite struct MailboxNameTests {
    @Test(arguments: [
        ("INBOX", ""), ("inbox", ""), ("Sent", ".Sent"), ("Work/Projects", ".Work.Projects"),
        ("已发送", ".&XfJT0ZAB-"), ("inbox/Sub", ".INBOX.Sub"), ("A&B", ".A&-B"),
    ])
    func diskNames(name: String, disk: String) throws {
        let parsed = try MailboxName(name)
        #expect(parsed.diskName == disk)
        if !disk.isEmpty { #expect(MailboxName(diskName: disk) == parsed) }
    }

    @Test(arguments: ["", "a//b", "a.b", "../etc", "x\u{1}y", "a*", "b%", "/lead", "trail/", "a\u{7F}"])
    func rejects(name: String) {
        #expect(throws: StorageError.self) { try MailboxName(name) }
    }

    /// INBOX folds ASCII case only: the Turkish dotless ı does not make `ınbox` the INBOX.
    @Test func inboxFoldsASCIICaseOnly() throws {
        #expect(try MailboxName(components: ["iNbOx"]).isInbox)
        #expect(try MailboxName(components: ["ınbox"]).isInbox == false)
        #expect(try MailboxName(components: ["inbox", "Sub"]).components == ["INBOX", "Sub"])
    }

    @Test func rejectsTooLong() {
        #expect(throws: StorageError.self) { try MailboxName(String(repeating: "x", count: 300)) }
    }

    @Test(arguments: [".", "..", "..DOVECOT-TRASHED", "cur", ".&Jjo", ".a..b"])
    func ignoresNonFolderDirectories(disk: String) {
        #expect(MailboxName(diskName: disk) == nil)
    }

    @Test func inboxIsCaseInsensitiveAndSortsFirst() throws {
        #expect(try MailboxName("InBoX").isInbox)
        #expect(try MailboxName("Archive") > MailboxName.inbox)
        let child = try MailboxName("Work/Projects/2026")
        #expect(child.isDescendant(of: try MailboxName("Work")))
        #expect(child.replacingPrefix(try MailboxName("Work"), with: try MailboxName("Jobs")) == (try MailboxName("Jobs/Projects/2026")))
    }
}
