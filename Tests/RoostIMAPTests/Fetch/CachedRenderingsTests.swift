import Foundation
import RoostIMAPGrammar
@testable import RoostStorage
import Testing
@testable import RoostIMAP

/// ENVELOPE, BODY and BODYSTRUCTURE kept in roost.cache are the bytes FETCH would write from the
/// parsed message, for every fixture; and a cache record answers them without its structure.
@Suite struct CachedRenderingsTests {
    @Test(arguments: FetchFixtures.allNames)
    func renderingsEqualWhatFetchWritesFromTheStructure(_ name: String) throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(try FetchFixtures.bytes(name))
        let record = try maildir.folder.cachedRecord(uid)
        let message = try maildir.folder.parsedMessage(uid)
        for (attribute, prefix) in [(FetchAttribute.envelope, "ENVELOPE ("), (.body, "BODY ("), (.bodyStructure, "BODYSTRUCTURE (")] {
            let key = try #require(IMAPCachedRenderings.key(of: attribute))
            let rendered = try #require(record.rendering(key), "\(name): \(key)")
            #expect(Array(rendered) == IMAPCachedRenderings.write(attribute, of: message), "\(name): \(key)")
            #expect(rendered.starts(with: Array(prefix.utf8)), "\(name): \(key)")
        }
    }

    /// A header record's ENVELOPE is the complete record's, for every fixture.
    @Test(arguments: FetchFixtures.allNames)
    func aHeaderRecordsEnvelopeIsTheCompleteRecords(_ name: String) throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(try FetchFixtures.bytes(name))
        let header = try maildir.folder.headerRecord(uid)
        let key = try #require(IMAPCachedRenderings.key(of: .envelope))
        let envelope = try #require(header.rendering(key), "\(name)")
        #expect(Array(envelope) == IMAPCachedRenderings.write(.envelope, of: try maildir.folder.parsedMessage(uid)), "\(name)")
        if !header.isComplete { #expect(header.rendering("imap.bodystructure") == nil, "\(name)") }
    }

    @Test func aCacheMadeWithoutTheRendererIsRebuiltWithIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roost-render-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // mailboxctl of an older release, say: a cache without renderings.
        let plain = MailStore(root: path, options: StorageOptions(fsync: false))
        try plain.createIfNeeded()
        let saving = try plain.makeFolder(.inbox)
        let uid = try saving.save(try FetchFixtures.bytes("alternative-lf.eml"))
        saving.flushIndex() // as the last session to close the folder does
        #expect(try plain.makeFolder(.inbox).cachedRecord(uid).rendering("imap.envelope") == nil)

        let rendering = MailStore(root: path, options: StorageOptions(fsync: false, cacheRenderer: IMAPCachedRenderings.renderer))
        let record = try rendering.makeFolder(.inbox).cachedRecord(uid)
        #expect(record.rendering("imap.envelope") != nil)
        #expect(record.rendering("imap.bodystructure") != nil)
    }
}
