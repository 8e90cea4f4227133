import Testing
import RoostIMAP
import RoostIMAPGrammar
import RoostStorage

@Suite("MailboxLister")
struct MailboxListerTests {
    let maildir: MailboxesTestMaildir

    /// INBOX with a child, the special-use folders, a hierarchy three levels deep, a Chinese name, and
    /// `Lists`, which exists only as the parent of `Lists.swift` (its own folder was deleted).
    init() throws {
        maildir = try MailboxesTestMaildir()
        try maildir.create("Drafts", "Sent", "Trash", "Work.Projects.2024", "Lists.swift", "已发送", "INBOX.Old")
        try maildir.store.delete(storageMailbox("Lists"))
    }

    func list(_ reference: String, _ pattern: String, specialUse: SpecialUseFolders = SpecialUseFolders()) throws -> [String] {
        try MailboxLister.list(reference: RoostIMAPGrammar.MailboxName(reference), pattern: MailboxPattern(pattern), subscribedOnly: false,
                               store: maildir.store, specialUse: specialUse).map(wireText)
    }

    func lsub(_ reference: String, _ pattern: String) throws -> [String] {
        try MailboxLister.list(reference: RoostIMAPGrammar.MailboxName(reference), pattern: MailboxPattern(pattern), subscribedOnly: true,
                               store: maildir.store, specialUse: SpecialUseFolders()).map(wireText)
    }

    static let everything = [
        #"(\HasChildren) "." INBOX"#,
        #"(\HasNoChildren \Drafts) "." Drafts"#,
        #"(\HasNoChildren) "." INBOX.Old"#,
        #"(\Noselect \HasChildren) "." Lists"#,
        #"(\HasNoChildren) "." Lists.swift"#,
        #"(\HasNoChildren \Sent) "." Sent"#,
        #"(\HasNoChildren \Trash) "." Trash"#,
        #"(\HasChildren) "." Work"#,
        #"(\HasChildren) "." Work.Projects"#,
        #"(\HasNoChildren) "." Work.Projects.2024"#,
        #"(\HasNoChildren) "." &XfJT0ZAB-"#,
    ]

    @Test(arguments: [
        // (reference, pattern, LIST lines after "* LIST ")
        ("", "*", everything),
        ("", "%", [#"(\HasChildren) "." INBOX"#, #"(\HasNoChildren \Drafts) "." Drafts"#,
                   #"(\Noselect \HasChildren) "." Lists"#, #"(\HasNoChildren \Sent) "." Sent"#,
                   #"(\HasNoChildren \Trash) "." Trash"#, #"(\HasChildren) "." Work"#, #"(\HasNoChildren) "." &XfJT0ZAB-"#]),
        ("Work.", "%", [#"(\HasChildren) "." Work.Projects"#]),
        ("Work.", "*", [#"(\HasChildren) "." Work.Projects"#, #"(\HasNoChildren) "." Work.Projects.2024"#]),
        ("Work", ".%", [#"(\HasChildren) "." Work.Projects"#]),
        ("", "Work.%.%", [#"(\HasNoChildren) "." Work.Projects.2024"#]),
        ("", "%.%", [#"(\HasNoChildren) "." INBOX.Old"#, #"(\HasNoChildren) "." Lists.swift"#, #"(\HasChildren) "." Work.Projects"#]),
        ("", "inbox", [#"(\HasChildren) "." INBOX"#]),
        ("", "Inbox*", [#"(\HasChildren) "." INBOX"#, #"(\HasNoChildren) "." INBOX.Old"#]),
        ("inbox.", "%", [#"(\HasNoChildren) "." INBOX.Old"#]),
        ("", "INBOX.%", [#"(\HasNoChildren) "." INBOX.Old"#]),
        ("", "Li%", [#"(\Noselect \HasChildren) "." Lists"#]),
        ("", "Lists", [#"(\Noselect \HasChildren) "." Lists"#]),
        ("", "已发送", [#"(\HasNoChildren) "." &XfJT0ZAB-"#]),
        ("", "已*", [#"(\HasNoChildren) "." &XfJT0ZAB-"#]),
        ("", "work", []),
        ("", "Work.Projects.2024.%", []),
        ("", "Nothing*", []),
        ("Nothing.", "*", []),
    ])
    func listsMatchingMailboxes(_ reference: String, _ pattern: String, _ expected: [String]) throws {
        #expect(try list(reference, pattern) == expected)
    }

    // RFC 3501 section 6.3.8: LIST "" "" asks for the delimiter and the root of the reference.
    @Test(arguments: [
        ("", #"(\Noselect) "." """#),
        ("Work", #"(\Noselect) "." """#),
        ("Work.Projects", #"(\Noselect) "." Work."#),
        ("#news.comp.mail.misc", #"(\Noselect) "." #news."#),
        ("已发送.Sub", #"(\Noselect) "." &XfJT0ZAB-."#),
    ])
    func emptyPatternGivesTheHierarchyDelimiterAndRoot(_ reference: String, _ expected: String) throws {
        #expect(try list(reference, "") == [expected])
    }

    @Test func specialUseAttributesFollowTheConfiguredNames() throws {
        try maildir.create("INBOX.Sent", "Spam")
        let custom = SpecialUseFolders(drafts: "", sent: "INBOX.Sent", trash: "Trash", junk: "Spam", archive: "已发送")
        #expect(try list("", "*", specialUse: custom) == [
            #"(\HasChildren) "." INBOX"#,
            #"(\HasNoChildren) "." Drafts"#,
            #"(\HasNoChildren) "." INBOX.Old"#,
            #"(\HasNoChildren \Sent) "." INBOX.Sent"#,
            #"(\Noselect \HasChildren) "." Lists"#,
            #"(\HasNoChildren) "." Lists.swift"#,
            #"(\HasNoChildren) "." Sent"#,
            #"(\HasNoChildren \Junk) "." Spam"#,
            #"(\HasNoChildren \Trash) "." Trash"#,
            #"(\HasChildren) "." Work"#,
            #"(\HasChildren) "." Work.Projects"#,
            #"(\HasNoChildren) "." Work.Projects.2024"#,
            #"(\HasNoChildren \Archive) "." &XfJT0ZAB-"#,
        ])
    }

    @Test func aSpecialUseNameThatIsOnlyAHierarchyLevelGetsNoAttribute() throws {
        let lists = SpecialUseFolders(archive: "Lists")
        #expect(try list("", "Lists", specialUse: lists) == [#"(\Noselect \HasChildren) "." Lists"#])
    }

    @Test func listSeesAMaildirRootNotCreatedYetAsAnEmptyInbox() throws {
        let fresh = try MailboxesTestMaildir(create: false)
        let items = try MailboxLister.list(reference: RoostIMAPGrammar.MailboxName(""), pattern: MailboxPattern("*"), subscribedOnly: false,
                                           store: fresh.store, specialUse: SpecialUseFolders())
        #expect(items.map(wireText) == [#"(\HasNoChildren) "." INBOX"#])
    }

    // RFC 3501 section 6.3.9, with `Gone` subscribed but deleted and `Work`, `Lists` not subscribed.
    @Test(arguments: [
        // (reference, pattern, LSUB lines after "* LSUB ")
        ("", "*", [#"() "." INBOX"#, #"() "." Gone"#, #"() "." Lists.swift"#, #"() "." Sent"#,
                   #"() "." Work.Projects"#, #"() "." &XfJT0ZAB-"#]),
        ("", "%", [#"() "." INBOX"#, #"() "." Gone"#, #"(\Noselect) "." Lists"#, #"() "." Sent"#,
                   #"(\Noselect) "." Work"#, #"() "." &XfJT0ZAB-"#]),
        ("Work.", "%", [#"() "." Work.Projects"#]),
        ("", "Work.%", [#"() "." Work.Projects"#]),
        ("", "Work.Projects.%", []),
        ("", "Work*", [#"() "." Work.Projects"#]),
        ("", "W%", [#"(\Noselect) "." Work"#]),
        ("", "inbox", [#"() "." INBOX"#]),
        ("", "Gone", [#"() "." Gone"#]),
        ("", "Drafts", []),
        ("", "", []),
    ])
    func lsubListsSubscribedNames(_ reference: String, _ pattern: String, _ expected: [String]) throws {
        try maildir.subscribe("Work.Projects", "Gone", "Lists.swift", "INBOX", "Sent", "已发送")
        #expect(try lsub(reference, pattern) == expected)
    }

    @Test func lsubShowsASubscribedParentAsItself() throws {
        try maildir.subscribe("Work.Projects", "Work")
        #expect(try lsub("", "%") == [#"() "." Work"#])
        #expect(try lsub("", "*") == [#"() "." Work"#, #"() "." Work.Projects"#])
    }

    @Test func lsubKeepsANameWhoseMailboxWasDeleted() throws {
        try maildir.subscribe("Sent")
        try MailboxOperations.delete(storageMailbox("Sent"), in: maildir.store)
        #expect(try lsub("", "*") == [#"() "." Sent"#])
        #expect(try list("", "Sent") == [])
    }
}
