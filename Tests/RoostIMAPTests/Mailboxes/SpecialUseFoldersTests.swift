import Foundation
import Testing
import RoostIMAP
import RoostIMAPGrammar
import RoostStorage

@Suite("SpecialUseFolders")
struct SpecialUseFoldersTests {
    @Test(arguments: [
        // (mailbox, attribute with the default names)
        ("Drafts", MailboxAttribute.drafts), ("Sent", .sent), ("Trash", .trash), ("Junk", .junk), ("Archive", .archive),
        ("sent", nil), ("INBOX", nil), ("INBOX.Sent", nil), ("Work.Sent", nil), ("Sent.2024", nil), ("已发送", nil),
    ])
    func defaultNames(_ name: String, _ expected: MailboxAttribute?) throws {
        #expect(SpecialUseFolders().attribute(for: try storageMailbox(name)) == expected)
    }

    @Test(arguments: [
        ("草稿", MailboxAttribute.drafts), ("已发送", .sent), ("INBOX.Trash", .trash), ("inbox.Trash", .trash),
        ("Archive.2024", .archive), ("Drafts", nil), ("Sent", nil), ("Junk", nil), ("Archive", nil),
    ])
    func configuredNames(_ name: String, _ expected: MailboxAttribute?) throws {
        let folders = SpecialUseFolders(drafts: "草稿", sent: "已发送", trash: "inbox.Trash", junk: "", archive: "Archive.2024")
        #expect(folders.attribute(for: try storageMailbox(name)) == expected)
    }

    @Test func theFirstUseWinsWhereTwoShareAName() throws {
        let folders = SpecialUseFolders(trash: "Bin", junk: "Bin")
        #expect(folders.attribute(for: try storageMailbox("Bin")) == .trash)
    }

    @Test func provisioningCreatesAndSubscribesTheMissingFoldersOnce() throws {
        let maildir = try MailboxesTestMaildir(create: false)
        try SpecialUseFolders().provision(in: maildir.store)
        #expect(maildir.store.exists)
        #expect(try maildir.existing() == ["INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash"])
        #expect(Set(try maildir.store.subscriptions().map(\.description)) == ["Drafts", "Sent", "Trash", "Junk", "Archive"])

        // Idempotent, and it respects what the user did since: an unsubscribed folder stays
        // unsubscribed, messages stay, a deleted folder comes back.
        try maildir.save(["draft"], in: "Drafts")
        try maildir.store.setSubscribed(storageMailbox("Trash"), false)
        try maildir.store.delete(storageMailbox("Junk"))
        try SpecialUseFolders().provision(in: maildir.store)
        #expect(try maildir.existing() == ["INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash"])
        #expect(Set(try maildir.store.subscriptions().map(\.description)) == ["Drafts", "Sent", "Junk", "Archive"])
        #expect(try maildir.subjects(in: "Drafts") == ["draft"])
        try SpecialUseFolders().provision(in: maildir.store)
        #expect(Set(try maildir.store.subscriptions().map(\.description)) == ["Drafts", "Sent", "Junk", "Archive"])
    }

    @Test func provisioningLeavesExistingFoldersAloneAndMakesParents() throws {
        let maildir = try MailboxesTestMaildir()
        try maildir.create("Sent")
        try maildir.save(["kept"], in: "Sent")
        try SpecialUseFolders(drafts: "", trash: "Folders.Trash", junk: "", archive: "归档").provision(in: maildir.store)
        #expect(try maildir.existing() == ["INBOX", "Folders", "Folders.Trash", "Sent", "归档"])
        #expect(Set(try maildir.store.subscriptions().map(\.description)) == ["Folders/Trash", "归档"])
        #expect(try maildir.subjects(in: "Sent") == ["kept"])
        #expect(FileManager.default.fileExists(atPath: maildir.store.root + "/.&X1JoYw-/maildirfolder"))
    }

    @Test func provisioningRefusesAConfiguredNameTheMaildirCannotHold() throws {
        let maildir = try MailboxesTestMaildir()
        #expect {
            try SpecialUseFolders(junk: "Spam/Mail").provision(in: maildir.store)
        } throws: { error in
            (error as? StorageError)?.kind == .invalidName
        }
    }
}
