import Testing
import RoostIMAP
import RoostIMAPGrammar
import RoostStorage

@Suite("MailboxOperations")
struct MailboxOperationsTests {
    let maildir: MailboxesTestMaildir

    init() throws { maildir = try MailboxesTestMaildir() }

    /// The IMAP response a failed operation ends the command with.
    func response(_ operation: () throws -> Void) -> String? {
        do {
            try operation()
            return nil
        } catch {
            return wireText(IMAPCommandError(error).response)
        }
    }

    // RFC 3501 section 6.3.5: renaming INBOX moves its messages and leaves INBOX empty.
    @Test(arguments: ["Old Mail", "INBOX.Old", "Archive.2024.收件箱"])
    func renamingInboxMovesItsMessages(_ target: String) throws {
        try maildir.create("INBOX.Sub")
        try maildir.save(["one", "two", "three"], in: "INBOX")
        try maildir.save(["child"], in: "INBOX.Sub")
        try MailboxOperations.rename(.inbox, to: storageMailbox(target), in: maildir.store)
        #expect(try maildir.subjects(in: target) == ["one", "two", "three"])
        #expect(try maildir.subjects(in: "INBOX") == [])
        #expect(try maildir.subjects(in: "INBOX.Sub") == ["child"])
        #expect(try maildir.existing().contains("INBOX"))
        // INBOX keeps working for new mail.
        try maildir.save(["four"], in: "INBOX")
        #expect(try maildir.subjects(in: "INBOX") == ["four"])
    }

    @Test func renamingInboxIsRefusedOntoAnExistingName() throws {
        try maildir.create("Sent")
        try maildir.save(["one"], in: "INBOX")
        #expect(response { try MailboxOperations.rename(.inbox, to: storageMailbox("Sent"), in: maildir.store) }
            == "NO [ALREADYEXISTS] Mailbox already exists")
        #expect(response { try MailboxOperations.rename(.inbox, to: storageMailbox("inbox"), in: maildir.store) }
            == "NO [ALREADYEXISTS] Mailbox already exists")
        #expect(try maildir.subjects(in: "INBOX") == ["one"])
    }

    @Test func renameMovesChildrenMessagesAndSubscriptions() throws {
        try maildir.create("Work.Projects.2024", "Workshop")
        try maildir.save(["plan"], in: "Work")
        try maildir.save(["budget"], in: "Work.Projects.2024")
        try maildir.subscribe("Work.Projects", "Workshop")
        try MailboxOperations.rename(storageMailbox("Work"), to: storageMailbox("已归档.Work"), in: maildir.store)
        #expect(try maildir.existing() == ["INBOX", "Workshop", "已归档", "已归档.Work", "已归档.Work.Projects",
                                           "已归档.Work.Projects.2024"])
        #expect(try maildir.subjects(in: "已归档.Work") == ["plan"])
        #expect(try maildir.subjects(in: "已归档.Work.Projects.2024") == ["budget"])
        #expect(Set(try maildir.store.subscriptions().map { $0.joined(separator: ".") }) == ["已归档.Work.Projects", "Workshop"])
    }

    @Test func renameRefusals() throws {
        try maildir.create("Work.Projects", "Sent")
        #expect(response { try MailboxOperations.rename(storageMailbox("Nothing"), to: storageMailbox("Else"), in: maildir.store) }
            == "NO [NONEXISTENT] Mailbox does not exist")
        #expect(response { try MailboxOperations.rename(storageMailbox("Work"), to: storageMailbox("Sent"), in: maildir.store) }
            == "NO [ALREADYEXISTS] Mailbox already exists")
        #expect(response { try MailboxOperations.rename(storageMailbox("Work"), to: .inbox, in: maildir.store) }
            == "NO [ALREADYEXISTS] Mailbox already exists")
        #expect(response { try MailboxOperations.rename(storageMailbox("Work"), to: storageMailbox("Work.Projects.Work"), in: maildir.store) }
            == "NO [CANNOT] Name not acceptable")
        #expect(try maildir.existing() == ["INBOX", "Sent", "Work", "Work.Projects"])
    }

    @Test func deletingInboxIsRefused() throws {
        try maildir.save(["one"], in: "INBOX")
        #expect(throws: IMAPCommandError(.no("INBOX cannot be deleted", code: .cannot))) {
            try MailboxOperations.delete(.inbox, in: maildir.store)
        }
        #expect(response { try MailboxOperations.delete(storageMailbox("inbox"), in: maildir.store) }
            == "NO [CANNOT] INBOX cannot be deleted")
        #expect(try maildir.subjects(in: "INBOX") == ["one"])
    }

    // RFC 3501 section 6.3.4: a parent loses its messages and becomes \Noselect; its children stay.
    @Test func deletingAParentKeepsItsChildrenAndLeavesANoselectLevel() throws {
        try maildir.create("Work.Projects")
        try maildir.save(["plan"], in: "Work")
        try maildir.save(["budget"], in: "Work.Projects")
        try maildir.subscribe("Work")
        try MailboxOperations.delete(storageMailbox("Work"), in: maildir.store)
        #expect(try maildir.existing() == ["INBOX", "Work.Projects"])
        #expect(try maildir.subjects(in: "Work.Projects") == ["budget"])
        let listed = try MailboxLister.list(reference: RoostIMAPGrammar.MailboxName(""), pattern: MailboxPattern("Work*"),
                                            subscribedOnly: false, store: maildir.store, specialUse: SpecialUseFolders())
        #expect(listed.map(wireText) == [#"(\Noselect \HasChildren) "." Work"#, #"(\HasNoChildren) "." Work.Projects"#])
        // The subscription stays (RFC 3501 section 6.3.9).
        #expect(try maildir.store.subscriptions() == [storageMailbox("Work")])
        // The \Noselect level itself cannot be deleted; the name comes back with CREATE.
        #expect(response { try MailboxOperations.delete(storageMailbox("Work"), in: maildir.store) }
            == "NO [NONEXISTENT] Mailbox does not exist")
        try maildir.create("Work")
        #expect(try maildir.subjects(in: "Work") == [])
    }

    @Test func deletingALeafRemovesItAndItsMessages() throws {
        try maildir.create("Old", "Older")
        try maildir.save(["gone"], in: "Old")
        try MailboxOperations.delete(storageMailbox("Old"), in: maildir.store)
        #expect(try maildir.existing() == ["INBOX", "Older"])
        #expect(response { try MailboxOperations.delete(storageMailbox("Old"), in: maildir.store) }
            == "NO [NONEXISTENT] Mailbox does not exist")
        try maildir.create("Old")
        #expect(try maildir.subjects(in: "Old") == [])
    }
}
