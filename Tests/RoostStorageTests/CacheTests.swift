import Foundation
import Testing
@testable import RoostStorage
import RoostMIME

/// The message cache (`roost.cache`) and `rebuildIndex`.
@Suite struct CacheTests: TemporaryMaildirSuite {
    let temp: TemporaryDirectory

    init() throws { temp = try Self.makeMaildir() }

    let multipart = Array("""
        From: =?UTF-8?B?5byg5LiJ?= <zhang@example.cn>\r
        To: Bob <bob@example.org>\r
        Subject: Report\r
        Message-ID: <m1@example.cn>\r
        X-Private: not cached\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="b1"\r
        \r
        --b1\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Hello\r
        --b1\r
        Content-Type: application/pdf; name="r.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERi0=\r
        --b1--\r

        """.utf8)

    @Test func parsedDataIsCachedAcrossInstances() throws {
        let folder = try inbox()
        let uid = try folder.save(multipart)
        let parsed = try folder.parsedMessage(uid)
        #expect(parsed.envelope.subject == "Report")
        #expect(parsed.envelope.messageID == "<m1@example.cn>")
        #expect(parsed.structure.root.contentType.mimeType == "multipart/mixed")
        #expect(parsed.structure.root.children.map(\.contentType.mimeType) == ["text/plain", "application/pdf"])
        #expect(parsed.headerFields.map(\.name) == ["From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type"])
        #expect(CachedMessage.covers(["FROM", "subject"]) && !CachedMessage.covers(["X-Private"]))

        // A second instance answers from the cache even when the message file is gone from view.
        let other = try inbox()
        try other.sync()
        let message = try #require(other.snapshot.messages.first)
        try FileManager.default.removeItem(atPath: root + "/" + message.relativePath)
        #expect(try other.parsedMessage(uid) == parsed)
    }

    @Test func aDamagedRecordIsParsedAgain() throws {
        let folder = try inbox()
        let a = try folder.save(multipart)
        let b = try folder.save(message("plain"))
        let parsedA = try folder.parsedMessage(a)
        _ = try folder.parsedMessage(b)
        // Flip a byte inside the first record's payload.
        let path = root + "/roost.cache"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[MessageCache.headerSize + MessageCache.recordHeaderSize + 10] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fresh = try inbox()
        try fresh.sync()
        #expect(try fresh.parsedMessage(a) == parsedA)
        #expect(try fresh.parsedMessage(b).envelope.subject == "plain")
    }

    @Test func aTornTailIsDroppedAndTheFileStaysUsable() throws {
        let folder = try inbox()
        let a = try folder.save(multipart)
        _ = try folder.parsedMessage(a)
        let path = root + "/roost.cache"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x52, 0x43, 0x52, 0x31, 2, 0, 0, 0, 0xFF, 0xFF]))  // half a record header
        try handle.close()
        let fresh = try inbox()
        try fresh.sync()
        let b = try fresh.save(message("after"))
        #expect(try fresh.parsedMessage(a).envelope.subject == "Report")
        #expect(try fresh.parsedMessage(b).envelope.subject == "after")
        let third = try inbox()
        try third.sync()
        #expect(try third.parsedMessage(b).envelope.subject == "after")
    }

    /// Opening the file reads its record headers in pieces (`MessageCache.loadChunk`): records of
    /// many sizes, some across the pieces' edges, are all found again, and none is written twice.
    @Test func aCacheOfManyLoadPiecesIsReadWhole() throws {
        let folder = try inbox()
        var uids: [UID] = []
        for index in 0..<80 {
            let references = (0..<(300 + index * 37)).map { "<r\($0)@example.org>" }.joined(separator: "\n ")
            uids.append(try folder.save(Array("Subject: m\(index)\nReferences: \(references)\n\nbody\n".utf8)))
        }
        let parsed = try uids.map { try folder.parsedMessage($0) }
        let path = root + "/roost.cache"
        let size = try #require(try POSIX.stat(path)).st_size
        #expect(size > 2 * MessageCache.loadChunk)
        let fresh = try inbox()
        try fresh.sync()
        #expect(try uids.map { try fresh.parsedMessage($0) } == parsed)
        #expect(try #require(try POSIX.stat(path)).st_size == size, "every record was found, none parsed again")
    }

    /// Another process (`mailboxctl index rebuild`) replaces the cache under a running one: the
    /// running one serves the new file's records from its next sync, not the old file it still has open.
    @Test(arguments: [true, false])
    func aCacheReplacedByAnotherProcessIsReadFromTheNextSync(renamedOver: Bool) throws {
        let folder = try inbox()
        let replaced = try folder.save(message("original"))
        let dropped = try folder.save(message("dropped"))
        #expect(try folder.parsedMessage(replaced).envelope.subject == "original")
        #expect(try folder.parsedMessage(dropped).envelope.subject == "dropped")

        // The other process's cache holds another record for `replaced` and none for `dropped`.
        let path = root + "/roost.cache"
        let other = MessageCache(path: renamedOver ? path + ".new" : path, folderPath: root,
                                 rendererVersion: UInt16(folder.cache.format >> 16), logger: folder.logger)
        if !renamedOver { other.discard() } // as `rebuildIndex` does: remove, then write a new file
        let uidValidity = folder.snapshot.uidValidity
        other.store(CachedMessage(MessageParser.parse(message("rebuilt"))).encodedPayload(), for: replaced, uidValidity: uidValidity)
        if renamedOver { try POSIX.rename(path + ".new", path) }

        try folder.sync()
        #expect(try folder.parsedMessage(replaced).envelope.subject == "rebuilt")
        // Parsed again and appended to the new file, where a third process finds it.
        #expect(try folder.parsedMessage(dropped).envelope.subject == "dropped")
        let third = try inbox()
        for m in try third.sync().snapshot.messages { try FileManager.default.removeItem(atPath: root + "/" + m.relativePath) }
        #expect(try third.parsedMessage(replaced).envelope.subject == "rebuilt")
        #expect(try third.parsedMessage(dropped).envelope.subject == "dropped")
    }

    /// A cache on the INBOX as another process opening it has, with `MessageCache`'s own API.
    private func processCache() -> MessageCache {
        MessageCache(path: root + "/roost.cache", folderPath: root, rendererVersion: 0, logger: fastOptions().logger)
    }

    /// Subjects of lengths that vary, so that records do too.
    private func subject(_ n: Int) -> String { "m\(n)" + String(repeating: "-", count: n % 97) }

    private func payload(_ n: Int) -> [UInt8] {
        CachedMessage(MessageParser.parse(message(subject(n)))).encodedPayload()
    }

    @Test func aRecordAnotherProcessAppendedBetweenTwoOfOursIsReadBackByBoth() throws {
        let validity = UIDValidity(7)
        let first = processCache(), second = processCache()
        first.store(payload(1), for: UID(1), uidValidity: validity)
        second.store(payload(2), for: UID(2), uidValidity: validity)
        first.store(payload(3), for: UID(3), uidValidity: validity)
        #expect(first.lookup(UID(1), uidValidity: validity)?.message()?.envelope.subject == subject(1))
        #expect(first.lookup(UID(3), uidValidity: validity)?.message()?.envelope.subject == subject(3))
        #expect(second.lookup(UID(2), uidValidity: validity)?.message()?.envelope.subject == subject(2))
        let third = processCache()
        for n in 1...3 { #expect(third.lookup(UID(UInt32(n)), uidValidity: validity)?.message()?.envelope.subject == subject(n)) }
    }

    /// Two processes appending at the same time: each trusts its own records without a checksum,
    /// so each must know where they really went (where its write ended, not the size it saw before).
    @Test func appendsByTwoProcessesAtOnceAreEachWhereTheirWriterThinks() throws {
        let validity = UIDValidity(7)
        let count = 600
        let payloads = (1...count).map(payload)
        let writers = [processCache(), processCache()]
        for writer in writers { _ = writer.lookup(UID(1), uidValidity: validity) } // both load the empty file first
        // One thread each, let go together, so that their appends interleave.
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), done = DispatchGroup()
        for w in writers.indices {
            done.enter()
            Thread {
                ready.signal()
                go.wait()
                for n in stride(from: w + 1, through: count, by: writers.count) {
                    writers[w].store(payloads[n - 1], for: UID(UInt32(n)), uidValidity: validity)
                }
                done.leave()
            }.start()
        }
        for _ in writers { ready.wait() }
        for _ in writers { go.signal() }
        done.wait()
        for (w, writer) in writers.enumerated() {
            for n in stride(from: w + 1, through: count, by: writers.count) {
                #expect(writer.lookup(UID(UInt32(n)), uidValidity: validity)?.message()?.envelope.subject == subject(n))
            }
        }
        let reader = processCache()
        for n in 1...count {
            #expect(reader.lookup(UID(UInt32(n)), uidValidity: validity)?.message()?.envelope.subject == subject(n))
        }
    }

    @Test func rebuildIndexKeepsUIDsAndRefreshesEverything() throws {
        let folder = try inbox()
        for i in 0..<5 { try folder.save(message("m\(i)"), flags: i == 2 ? [.flagged] : []) }
        try folder.expunge([UID(4)])
        _ = try folder.parsedMessage(UID(1))
        folder.flushIndex()
        let before = try folder.sync().snapshot
        try deliver(message("late"), into: root)
        let rebuilt = try inbox().rebuildIndex()
        #expect(rebuilt.uidValidity == before.uidValidity)
        #expect(rebuilt.messages.map(\.uid.rawValue) == [1, 2, 3, 5, 6])
        #expect(rebuilt.messages.first { $0.uid == UID(3) }?.flags == [.flagged])
        #expect(FolderIndex.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/roost.index"))))?.messages.count == 5)
        // Every message is in the cache now: readable from it with the files gone.
        let cached = try inbox()
        for m in try cached.sync().snapshot.messages { try FileManager.default.removeItem(atPath: root + "/" + m.relativePath) }
        #expect(try cached.parsedMessage(UID(6)).envelope.subject == "late")
    }

    @Test func expungedMessagesLeaveTheCacheWhenTheyAreMostOfIt() throws {
        let folder = try inbox()
        let uids = try (0..<150).map { try folder.save(message("m\($0)")) }
        for uid in uids { _ = try folder.parsedMessage(uid) }
        let path = root + "/roost.cache"
        let full = try #require(try POSIX.stat(path)).st_size
        try folder.expunge(Array(uids.dropFirst(10)))
        try folder.sync()
        let compacted = try #require(try POSIX.stat(path)).st_size
        #expect(compacted < full / 5)
        let fresh = try inbox()
        try fresh.sync()
        #expect(try fresh.parsedMessage(uids[3]).envelope.subject == "m3")
    }

    /// A header record, made from the header alone, says what the complete record says of the
    /// header; the complete record made later supersedes it.
    @Test(arguments: CachedMessagePayloadTests.mimeFixtures)
    func aHeaderRecordAgreesWithTheCompleteOne(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let folder = try inbox()
        let uid = try folder.save(bytes)
        let header = try folder.headerRecord(uid)
        let parsed = MessageParser.parse(bytes)
        // Only a message without a body is read whole, and then gets its complete record at once.
        #expect(header.isComplete == (parsed.structure.root.bodyOffset == bytes.count))
        if !header.isComplete { #expect(header.message() == nil) }
        let complete = try folder.cachedRecord(uid)
        #expect(complete.isComplete)
        #expect(fields(of: header) == fields(of: complete))
        #expect(header.hasBody == complete.hasBody)
        #expect(header.headerTruncated == complete.headerTruncated)
        #expect(try folder.headerRecord(uid).isComplete)
        #expect(try inbox().headerRecord(uid).isComplete, "another process reads the complete record")
    }

    /// A header longer than one read of the file, and a body after it.
    @Test func aLongHeaderIsReadUpToItsEnd() throws {
        let received = (0..<400).map { "Received: from relay\($0).example.org by mx.example.org; Thu, 3 Dec 2026 10:00:00 +0000\r\n" }
        let text = received.joined() + "Subject: far down\r\nFrom: a@example.org\r\n\r\n" + String(repeating: "body line\r\n", count: 5000)
        let folder = try inbox()
        let uid = try folder.save(Array(text.utf8))
        let header = try folder.headerRecord(uid)
        #expect(!header.isComplete)
        #expect(header.hasBody)
        #expect(fields(of: header).first { $0.name == "Subject" }?.rawValue == Array(" far down".utf8))
        #expect(fields(of: header) == fields(of: try folder.cachedRecord(uid)))
    }

    @Test func aHeaderRecordRoundTripsAndRejectsEveryTruncation() throws {
        let parsed = MessageParser.parse(multipart)
        let header = CachedHeader(
            headerFields: CachedMessage(parsed).headerFields, headerTruncated: false, hasBody: true, renderings: ["k": [7]])
        let payload = header.encodedPayload()
        let record = try #require(CachedRecord(payload: payload))
        #expect(!record.isComplete)
        #expect(record.message() == nil)
        #expect(fields(of: record) == header.headerFields)
        #expect(record.rendering("k").map(Array.init) == [7])
        for length in 0..<payload.count {
            #expect(CachedRecord(payload: Array(payload.prefix(length))) == nil)
        }
        #expect(CachedRecord(payload: payload + [0]) == nil)
    }

    private func fields(of record: CachedRecord) -> [HeaderField] {
        var fields: [HeaderField] = []
        record.forEachHeaderField { name, raw in fields.append(HeaderField(name: String(decoding: name, as: UTF8.self), rawValue: Array(raw))) }
        return fields
    }
}

/// The cache's binary payload round-trips every real-world message of the MIME fixtures.
@Suite struct CachedMessagePayloadTests {
    static let mimeFixtures: [String] = {
        let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("../RoostMIMETests/Fixtures").standardized.path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().map { directory + "/" + $0 }
    }()

    @Test func thereAreFixtures() {
        #expect(Self.mimeFixtures.count >= 20)
    }

    @Test(arguments: mimeFixtures)
    func roundTrips(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var message = CachedMessage(MessageParser.parse(bytes))
        message.renderings = ["b": [1, 2, 3], "a": []]
        let payload = message.encodedPayload()
        #expect(CachedMessage.decodePayload(payload) == message)

        // The record answers header fields and renderings from the bytes, as the message has them.
        let record = try #require(CachedRecord(payload: payload))
        var fields: [HeaderField] = []
        record.forEachHeaderField { name, raw in fields.append(HeaderField(name: String(decoding: name, as: UTF8.self), rawValue: Array(raw))) }
        #expect(fields == message.headerFields)
        #expect(record.hasBody == !message.structure.root.bodyRange.isEmpty)
        #expect(record.headerTruncated == message.headerTruncated)
        #expect(record.rendering("b").map(Array.init) == [1, 2, 3])
        #expect(record.rendering("a").map(Array.init) == [])
        #expect(record.rendering("c") == nil)
    }

    @Test func rejectsEveryTruncationAndTrailingBytes() throws {
        let path = try #require(Self.mimeFixtures.first { $0.contains("rfc822") } ?? Self.mimeFixtures.first)
        let message = CachedMessage(MessageParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))))
        let payload = message.encodedPayload()
        for length in 0..<payload.count {
            #expect(CachedMessage.decodePayload(Array(payload.prefix(length))) == nil)
        }
        #expect(CachedMessage.decodePayload(payload + [0]) == nil)
    }
}
