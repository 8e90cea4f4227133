import Foundation
import RoostStorage
import Testing
@testable import RoostAdmin

@Suite("mailboxctl index")
struct IndexCommandTests {
    @Test func rebuildKeepsUIDsFlagsAndUIDValidity() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        _ = await environment.run("mailbox", "create", "bob", "Archive")
        let store = environment.store("bob")
        let inbox = try store.folder(.inbox)
        for index in 0..<5 { try inbox.save(Array(sampleMessage("m\(index)").utf8), flags: index == 2 ? [.seen] : []) }
        _ = try inbox.expunge([UID(2)])
        try store.folder(try MailboxName("Archive")).save(Array(sampleMessage("a").utf8))
        try inbox.sync(moveNewToCur: false)
        inbox.flushIndex()
        let before = inbox.snapshot

        // A damaged index must not matter: it is thrown away.
        let indexFile = environment.path("index/bob/INBOX/roost.index")
        #expect(FileManager.default.fileExists(atPath: indexFile))
        try environment.write("index/bob/INBOX/roost.index", "garbage")

        let result = await environment.run("index", "rebuild", "bob")
        #expect(result.code == 0, "\(result)")
        #expect(result.lines == ["INBOX: rebuilt, 4 messages", "Archive: rebuilt, 1 message"])

        let fresh = MailStore(root: environment.maildir("bob"),
                              options: StorageOptions(fsync: false, indexDirectory: environment.path("index/bob")))
        let after = try fresh.folder(.inbox).sync(moveNewToCur: false).snapshot
        #expect(after.uidValidity == before.uidValidity)
        #expect(after.nextUID == before.nextUID)
        #expect(after.messages.map(\.uid) == [UID(1), UID(3), UID(4), UID(5)])
        #expect(after.messages.map(\.uid) == before.messages.map(\.uid))
        #expect(after.messages.map(\.base) == before.messages.map(\.base))
        #expect(after.messages.map(\.flags) == before.messages.map(\.flags))
        #expect(try Data(contentsOf: URL(fileURLWithPath: indexFile)) != Data("garbage".utf8))
    }

    @Test func rebuildOneMailbox() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        _ = await environment.run("mailbox", "create", "bob", "Archive")
        let result = await environment.run("index", "rebuild", "bob", "Archive")
        #expect(result.lines == ["Archive: rebuilt, 0 messages"])
        let missing = await environment.run("index", "rebuild", "bob", "Nope")
        #expect(missing.code == AdminExitCode.noInput.rawValue)
    }
}
