import NIOCore
import Foundation
import RoostIMAP
import RoostIMAPGrammar
import RoostMIME
import RoostStorage

/// RoostMIMETests' .eml fixtures (the ones `DovecotReference` describes), read from the source tree
/// (this test target has no resources), and the byte transformations the FETCH tests compare with.
enum FetchFixtures {
    static let directory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RoostMIMETests/Fixtures").path

    /// The bytes of `Tests/RoostMIMETests/Fixtures/<name>`.
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
            throw FetchFixtureMissing(name: name)
        }
        return [UInt8](data)
    }

    /// Every fixture file name, sorted.
    static let allNames: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .filter { $0.hasSuffix(".eml") }.sorted()

    /// Every bare LF as CRLF (existing CRLFs left alone): the form IMAP sends.
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 16)
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A, index == 0 || bytes[index - 1] != 0x0D { output.append(0x0D) }
            output.append(byte)
        }
        return output
    }

    /// What a literal carries for `bytes`: CRLF line ends and NUL sent as 0x80.
    static func wireForm(_ bytes: [UInt8]) -> [UInt8] {
        crlf(bytes).map { $0 == 0 ? 0x80 : $0 }
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }
}

struct FetchFixtureMissing: Error {
    let name: String
}

/// INBOX of a Maildir in a temporary directory, removed when the value goes away.
final class FetchTestMaildir {
    let path: String
    let folder: MaildirFolder

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("roost-fetch-\(UUID().uuidString)").path
        let store = MailStore(root: path, options: StorageOptions(fsync: false, cacheRenderer: IMAPCachedRenderings.renderer))
        try store.createIfNeeded()
        folder = try store.folder(.inbox)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Saves `bytes` as a new message.
    func save(_ bytes: [UInt8]) throws -> RoostStorage.UID {
        try folder.save(bytes)
    }

    /// The octets of `section` of message `uid`, planned from its parsed structure and read in
    /// chunks of `chunkSize`; every chunk is checked against the limit and the total against `length`.
    func section(
        _ section: SectionSpecifier, partial: FetchAttribute.Partial? = nil, of uid: RoostStorage.UID, chunkSize: Int = 4096
    ) throws -> [UInt8] {
        let structure = try folder.parsedMessage(uid).structure
        let file = try folder.openMessage(uid)
        let content = try MessageSections.content(of: section, partial: partial, structure: structure, file: file)
        return try drain(content, chunkSize: chunkSize, file: file)
    }
}

struct ChunkingViolation: Error, CustomStringConvertible {
    let description: String
}

/// Reads `content` to the end in chunks of at most `chunkSize`, checking the promised length.
func drain(_ content: SectionContent, chunkSize: Int, file: borrowing MessageFile) throws -> [UInt8] {
    var content = content
    var output: [UInt8] = []
    while let chunk = try content.nextChunk(maxOctets: chunkSize, file: file) {
        guard !chunk.isEmpty, chunk.count <= chunkSize else {
            throw ChunkingViolation(description: "chunk of \(chunk.count) octets for a limit of \(chunkSize)")
        }
        output += chunk
    }
    guard output.count == content.length else {
        throw ChunkingViolation(description: "\(output.count) octets sent for a length of \(content.length)")
    }
    return output
}

/// Reads file-less `content` (from the message cache) to the end in chunks of at most `chunkSize`.
func drain(_ content: SectionContent, chunkSize: Int) throws -> [UInt8] {
    var content = content
    var output: [UInt8] = []
    var buffer = ByteBuffer()
    while let written = content.writeNextChunk(maxOctets: chunkSize, into: &buffer) {
        guard written > 0, written <= chunkSize, buffer.readableBytes == written else {
            throw ChunkingViolation(description: "chunk of \(written) octets (\(buffer.readableBytes) in the buffer) for a limit of \(chunkSize)")
        }
        output += buffer.readBytes(length: written) ?? []
    }
    guard output.count == content.length else {
        throw ChunkingViolation(description: "\(output.count) octets sent for a length of \(content.length)")
    }
    return output
}

/// A section as a client writes it between the brackets (`2.HEADER.FIELDS (Subject)`).
func fetchSection(_ text: String) throws -> SectionSpecifier {
    var parser = IMAPParser("[\(text)]")
    return try parser.parseSection()
}

/// A partial window `<origin.length>`.
func fetchPartial(_ origin: Int, _ length: Int) -> FetchAttribute.Partial? {
    FetchAttribute.Partial(origin: UInt32(origin), length: UInt32(length))
}
