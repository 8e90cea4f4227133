import Foundation
import Testing
@testable import RoostStorage

/// A message file must be a regular file: a user who owns the Maildir must not make the server
/// read another file through a symlink, or hang it on a FIFO.
@Suite struct MessageFileTypeTests {
    private func folderWithOneMessage() throws -> (MaildirFolder, String, UID) {
        let root = FileManager.default.temporaryDirectory.path + "/roost-filetype-\(UUID().uuidString)"
        let store = MailStore(root: root)
        try store.createIfNeeded()
        let folder = try store.makeFolder(.inbox)
        let uid = try folder.save(Array("Subject: x\r\n\r\nbody\r\n".utf8))
        let message = try #require(folder.snapshot.messages.first { $0.uid == uid })
        return (folder, root + "/" + message.relativePath, uid)
    }

    @Test func symlinkedMessageIsRefused() throws {
        let (folder, path, uid) = try folderWithOneMessage()
        let secret = path + ".secret"
        try Data("not mail".utf8).write(to: URL(fileURLWithPath: secret))
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: secret)
        #expect(throws: StorageError.self) { _ = try folder.openMessage(uid) }
        do {
            _ = try folder.openMessage(uid)
        } catch let error as StorageError {
            #expect(error.kind == .noPermission)
        }
    }

    @Test func fifoMessageIsRefusedWithoutBlocking() throws {
        let (folder, path, uid) = try folderWithOneMessage()
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o600) == 0)
        do {
            _ = try folder.openMessage(uid)
            Issue.record("a FIFO was opened as a message")
        } catch let error as StorageError {
            #expect(error.kind == .noPermission)
        }
    }

    /// DELETE of a folder that is a symlink (an admin's shared folder) removes the link only:
    /// the directory it points to keeps its files, now and at later cleanups.
    @Test func deletingASymlinkedFolderKeepsTheTarget() throws {
        let base = FileManager.default.temporaryDirectory.path + "/roost-shared-\(UUID().uuidString)"
        let store = MailStore(root: base + "/mail")
        try store.createIfNeeded()
        let shared = base + "/shared"
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: shared + "/" + sub, withIntermediateDirectories: true)
        }
        try Data("Subject: shared\r\n\r\nkeep me\r\n".utf8).write(to: URL(fileURLWithPath: shared + "/cur/1.M1P1.x:2,"))
        try FileManager.default.createSymbolicLink(atPath: base + "/mail/.Shared", withDestinationPath: shared)
        let name = try MailboxName("Shared")
        #expect(store.exists(name))
        try store.delete(name)
        #expect(!store.exists(name))
        _ = try store.mailboxes()
        #expect(FileManager.default.fileExists(atPath: shared + "/cur/1.M1P1.x:2,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: base + "/mail").allSatisfy { !$0.hasPrefix("..") })
        try? FileManager.default.removeItem(atPath: base)
    }
}
