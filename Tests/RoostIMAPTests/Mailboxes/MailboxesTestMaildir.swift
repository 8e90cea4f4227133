import Foundation
import NIOCore
import RoostIMAP
import RoostIMAPGrammar
import RoostStorage

/// A user's Maildir++ in a temporary directory, removed when the value is dropped, for the mailbox
/// tests of RoostIMAP.
final class MailboxesTestMaildir {
    let directory: String
    let store: MailStore

    /// A Maildir root that exists (`createIfNeeded`), or, with `create` false, only its path.
    init(create: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("roost-imap-mailboxes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = MailStore(root: directory + "/Maildir", options: StorageOptions(fsync: false, indexWriteInterval: 0))
        if create { try store.createIfNeeded() }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Creates mailboxes given by their IMAP names (with their parents, as CREATE does).
    func create(_ names: String...) throws {
        for name in names { try store.create(storageMailbox(name)) }
    }

    func subscribe(_ names: String...) throws {
        for name in names { try store.setSubscribed(storageMailbox(name), true) }
    }

    /// Saves messages with these subjects into a mailbox.
    func save(_ subjects: [String], in name: String) throws {
        let folder = try store.folder(storageMailbox(name))
        for subject in subjects { try folder.save(Array("From: a@example.org\r\nSubject: \(subject)\r\n\r\nHello.\r\n".utf8)) }
    }

    /// The subjects of a mailbox's messages, in UID order.
    func subjects(in name: String) throws -> [String] {
        let folder = try store.folder(storageMailbox(name))
        let snapshot = try folder.sync().snapshot
        return try snapshot.messages.map { message in
            let text = String(decoding: try folder.readMessage(message.uid), as: UTF8.self)
            return text.split(separator: "\r\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
        }
    }

    /// The selectable mailboxes, by IMAP name.
    func existing() throws -> [String] {
        try store.mailboxes().filter(\.selectable).map { $0.name.joined(separator: ".") }
    }
}

/// A storage name from an IMAP name, for test set-up.
func storageMailbox(_ name: String) throws -> RoostStorage.MailboxName {
    try RoostStorage.MailboxName(name, separator: ".")
}

/// The bytes a LIST or LSUB line carries after `* LIST `.
func wireText(_ item: MailboxListItem) -> String {
    var buffer = ByteBuffer()
    buffer.writeMailboxListItem(item)
    return String(buffer: buffer)
}

/// A status response as it goes on the wire, without tag and CRLF.
func wireText(_ status: StatusResponse) -> String {
    var buffer = ByteBuffer()
    buffer.writeStatusResponse(status)
    return String(buffer: buffer)
}
