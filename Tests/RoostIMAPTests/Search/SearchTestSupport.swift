import Foundation
import NIOCore
import RoostIMAP
import RoostIMAPGrammar
import RoostStorage
import Testing

/// A Maildir INBOX in a temporary directory, searched the way a session does: candidates from the
/// folder's snapshot, sequence numbers in UID order, `*` from the last message.
final class SearchMailbox {
    let directory: String
    let folder: MaildirFolder
    /// The UIDs the session would hold as `\Recent`.
    var recent: Set<RoostStorage.UID> = []

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("roost-search-\(UUID().uuidString)").path
        let store = MailStore(root: directory + "/mail", options: StorageOptions(fsync: false, indexWriteInterval: 0))
        try store.createIfNeeded()
        folder = try store.folder(.inbox)
        try folder.sync()
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Saves a message written with LF line ends.
    @discardableResult
    func add(_ text: String, flags: SystemFlags = [], keywords: [String] = [], arrived: String, recent isRecent: Bool = false) throws -> RoostStorage.UID {
        let uid = try folder.save(Array(text.utf8), flags: flags, keywords: keywords, internalDate: searchTime(arrived))
        if isRecent { recent.insert(uid) }
        return uid
    }

    var candidates: [SearchCandidate] {
        let snapshot = folder.snapshot
        return snapshot.messages.enumerated().map { index, info in
            SearchCandidate(sequenceNumber: UInt32(index + 1), info: info, keywords: snapshot.keywords(of: info),
                            isRecent: recent.contains(info.uid))
        }
    }

    /// The sequence numbers `SEARCH [CHARSET charset] criteria` answers.
    func search(_ criteria: String, charset: String? = nil, timeZone: SearchTimeZone = .utc) throws -> [UInt32] {
        try search(criteria, charset: charset, timeZone: timeZone, in: candidates)
    }

    /// The sequence numbers of `candidates` that match, `*` standing for the last of them.
    func search(_ criteria: String, charset: String? = nil, timeZone: SearchTimeZone = .utc,
                in candidates: [SearchCandidate]) throws -> [UInt32] {
        let program = try SearchProgram(keys: searchKeys(criteria), charset: charset, timeZone: timeZone)
        return try program.matches(candidates, largestSequenceNumber: candidates.last?.sequenceNumber ?? 0,
                                   largestUID: candidates.last?.uid ?? RoostStorage.UID(0), in: folder)
            .map(\.sequenceNumber)
    }

    /// The path of a message's file in `new/` or `cur/`.
    func filePath(of uid: RoostStorage.UID) throws -> String {
        let base = try #require(folder.snapshot.messages.first { $0.uid == uid }).base
        for sub in ["new", "cur"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/" + sub)
            if let name = names.first(where: { $0 == base || $0.hasPrefix(base + ":") }) {
                return folder.path + "/" + sub + "/" + name
            }
        }
        throw CocoaError(.fileNoSuchFile)
    }
}

/// Search keys as a client writes them after `SEARCH`.
func searchKeys(_ criteria: String) throws -> [SearchKey] {
    try IMAPParser.parse(criteria) { try $0.parseSearchKeys() }
}

/// Search keys with literals, as the framer cuts them: each text piece followed by its literal.
func searchKeys(_ pieces: [(String, String?)]) throws -> [SearchKey] {
    let frame = IMAPCommandFrame(pieces: pieces.map { .init(line: ByteBuffer(string: $0.0), literal: $0.1.map { ByteBuffer(string: $0) }) })
    var parser = IMAPParser(frame)
    let keys = try parser.parseSearchKeys()
    try parser.expectEnd()
    return keys
}

/// Seconds since the epoch of an ISO 8601 time such as `2026-03-01T16:30:00Z`.
func searchTime(_ iso: String) -> Int64 {
    guard let date = ISO8601DateFormatter().date(from: iso) else { preconditionFailure("bad test time \(iso)") }
    return Int64(date.timeIntervalSince1970)
}
