import Foundation
import Testing
@testable import RoostStorage

/// A Maildir written by real Dovecot 2.3 is served unchanged: same UIDs, UIDVALIDITY, flags, keywords,
/// folder names and subscriptions (see Fixtures/dovecot-maildir.README).
@Suite struct DovecotFixtureTests {
    let temp: TemporaryDirectory
    let store: MailStore

    init() throws {
        temp = try TemporaryDirectory()
        store = MailStore(root: try Fixtures.dovecotMaildir(in: temp), options: fastOptions())
    }

    func flagNames(_ folder: MaildirFolder, _ uid: UInt32) -> [String] {
        let snapshot = folder.snapshot
        guard let m = snapshot.messages.first(where: { $0.uid == UID(uid) }) else { return ["missing"] }
        var names: [String] = []
        if m.flags.contains(.answered) { names.append("\\Answered") }
        if m.flags.contains(.flagged) { names.append("\\Flagged") }
        if m.flags.contains(.seen) { names.append("\\Seen") }
        if m.flags.contains(.draft) { names.append("\\Draft") }
        return names + snapshot.keywords(of: m)
    }

    @Test func inboxKeepsDovecotsUIDsFlagsAndKeywords() throws {
        let inbox = try store.folder(.inbox)
        let result = try inbox.sync()
        let snapshot = result.snapshot
        #expect(snapshot.uidValidity == UIDValidity(1_795_462_463))
        // UID 2 was expunged in Dovecot; the MTA-delivered file in new/ gets the next UID, 8.
        #expect(snapshot.messages.map(\.uid.rawValue) == [1, 3, 4, 5, 6, 7, 8])
        #expect(snapshot.nextUID == UID(9))
        #expect(flagNames(inbox, 1) == ["\\Seen"])
        #expect(flagNames(inbox, 3) == [])
        #expect(flagNames(inbox, 6) == ["\\Flagged", "\\Seen", "$Forwarded"])
        #expect(flagNames(inbox, 7) == ["\\Answered", "Old", "$Junk"])
        #expect(snapshot.messages.map(\.virtualSize).prefix(6) == [168, 168, 168, 168, 174, 170])
        #expect(result.movedFromNew == [UID(8)])
        // The uidlist now records UID 8 for the delivered file, in Dovecot's format.
        let list = UIDList.parse(Array(try Data(contentsOf: URL(fileURLWithPath: store.root + "/dovecot-uidlist"))))
        #expect(list.uidValidity == UIDValidity(1_795_462_463))
        #expect(list.entries.last?.uid == UID(8))
        #expect(list.entries.last?.base == "1795470000.M1P999.mx")
        #expect(list.problems.isEmpty)
    }

    @Test func foldersKeepTheirNamesAndUIDValidity() throws {
        let names = try store.mailboxes().map(\.name.description)
        #expect(names == ["INBOX", "Sent", "Trash", "Work", "Work/Projects", "已发送"])
        let expected: [(String, UInt32, [UInt32], [String])] = [
            ("Sent", 1_795_462_461, [1], ["\\Seen"]),
            ("Work/Projects", 1_795_462_465, [1], []),
            ("已发送", 1_795_462_466, [1], ["\\Seen", "\\Draft"]),
        ]
        for (name, validity, uids, flags) in expected {
            let folder = try store.folder(try MailboxName(name))
            let snapshot = try folder.sync().snapshot
            #expect(snapshot.uidValidity == UIDValidity(validity), "\(name)")
            #expect(snapshot.messages.map(\.uid.rawValue) == uids, "\(name)")
            #expect(flagNames(folder, uids[0]) == flags, "\(name)")
        }
        #expect(try store.folder(try MailboxName("Trash")).sync().snapshot.messages.isEmpty)
    }

    @Test func subscriptionsAreRead() throws {
        #expect(try store.subscriptions().map(\.description) == ["Sent", "Trash", "Work", "Work/Projects", "已发送"])
    }

    @Test func aSecondInstanceSeesTheSameUIDs() throws {
        let first = try store.folder(.inbox).sync().snapshot
        let second = try store.makeFolder(.inbox).sync().snapshot
        #expect(first.messages.map(\.uid) == second.messages.map(\.uid))
        #expect(first.messages.map(\.base) == second.messages.map(\.base))
    }

    @Test func flagChangesAreWrittenAsDovecotReadsThem() throws {
        let inbox = try store.folder(.inbox)
        try inbox.sync()
        try inbox.setFlags([UID(3)], .add, flags: [.answered], keywords: ["$Junk", "NewWord"])
        let names = try FileManager.default.contentsOfDirectory(atPath: store.root + "/cur")
        #expect(names.contains("1795462461.M110770P7057.vm,S=161,W=168:2,Rcd"))
        let keywords = String(decoding: try Data(contentsOf: URL(fileURLWithPath: store.root + "/dovecot-keywords")), as: UTF8.self)
        #expect(keywords == "0 $Forwarded\n1 Old\n2 $Junk\n3 NewWord\n")
    }
}
