import Foundation
import Testing
@testable import RoostStorage

/// Internal dates of files another program delivered: read from the file when first asked for,
/// then kept by the view and the index.
@Suite struct InternalDateTests: TemporaryMaildirSuite {
    let temp: TemporaryDirectory

    init() throws { temp = try Self.makeMaildir() }

    /// Delivers a file whose name carries its sizes (as Dovecot names them) with mtime `seconds`.
    func deliverSized(_ text: String, seconds: Int64) throws -> String {
        let bytes = message(text)
        let name = "1700000000.M\(Int.random(in: 0..<1_000_000))P1.mx,S=\(bytes.count),W=\(bytes.count + bytes.count { $0 == 0x0A })"
        try deliver(bytes, into: root, name: name)
        setMtime(root + "/new/" + name, nanoseconds: seconds * 1_000_000_000)
        return name
    }

    @Test func aFileWithSizesInItsNameIsNotStatedBySyncAndIsDatedWhenAsked() throws {
        _ = try deliverSized("one", seconds: 1_000_000_000)
        let folder = try inbox()
        let message = try #require(try folder.sync(moveNewToCur: false).snapshot.messages.first)
        #expect(message.internalDate == nil)
        #expect(try folder.internalDate(of: message.uid) == 1_000_000_000)
        // Kept: later snapshots have it, and so does the index another process reads.
        #expect(folder.snapshot.messages.first?.internalDate == 1_000_000_000)
        folder.flushIndex()
        #expect(try inbox().snapshot.messages.first?.internalDate == 1_000_000_000)
    }

    @Test func aFileWithoutSizesInItsNameIsDatedBySync() throws {
        try deliver(message("plain"), into: root, name: "1700000000.M1P1.mx")
        setMtime(root + "/new/1700000000.M1P1.mx", nanoseconds: 1_200_000_000 * 1_000_000_000)
        let folder = try inbox()
        #expect(try folder.sync().snapshot.messages.first?.internalDate == 1_200_000_000)
    }

    @Test func aFileRenamedByAnotherProgramIsStillDated() throws {
        let name = try deliverSized("moved", seconds: 1_100_000_000)
        let folder = try inbox()
        let message = try #require(try folder.sync(moveNewToCur: false).snapshot.messages.first)
        // Another reader moves it to cur/ with \Seen; rename keeps the mtime.
        try FileManager.default.moveItem(atPath: root + "/new/" + name, toPath: root + "/cur/" + name + ":2,S")
        #expect(try folder.internalDate(of: message.uid) == 1_100_000_000)
    }

    @Test func aMessageDeletedByAnotherProgramThrowsExpunged() throws {
        let name = try deliverSized("gone", seconds: 1_100_000_000)
        let folder = try inbox()
        let message = try #require(try folder.sync(moveNewToCur: false).snapshot.messages.first)
        try FileManager.default.removeItem(atPath: root + "/new/" + name)
        let error = #expect(throws: StorageError.self) { try folder.internalDate(of: message.uid) }
        #expect(error?.kind == .expunged)
    }

    /// A date not read yet is written as unknown, not as some date a client would be shown.
    @Test func theIndexKeepsAnUnknownDateAsUnknown() throws {
        _ = try deliverSized("unknown", seconds: 1_000_000_000)
        let folder = try inbox()
        try folder.sync(moveNewToCur: false)
        folder.flushIndex()
        let index = try #require(FolderIndex.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/roost.index")))))
        #expect(index.messages.first?.internalDate == nil)
    }
}
