import RoostMIME
import RoostStorage

/// The message under evaluation: what a key needs beyond the candidate is loaded on first use and
/// kept for the other keys of the same message.
///
/// Loading throws `StorageError` with kind `.expunged` when the file is gone (another session or
/// program expunged the message after the session's view was taken); `SearchProgram.matches` then
/// treats the message as not matching.
///
/// One value serves a whole SEARCH: setting `candidate` moves it on to the next message, keeping the
/// text search's buffers.
struct SearchMessage {
    /// The message under evaluation; setting it forgets what was loaded for the previous one.
    var candidate: SearchCandidate {
        didSet {
            record = nil
            fileHeader = nil
            textResults = nil
        }
    }
    let folder: MaildirFolder
    private var record: CachedRecord?
    private var fileHeader: Header?
    private var textResults: [Bool]?
    private var textSearch: MessageTextSearch

    /// Header blocks are read in pieces of this size.
    static let chunkSize = 256 * 1024

    init(candidate: SearchCandidate, folder: MaildirFolder, textSearches: [SearchProgram.TextSearch]) {
        self.candidate = candidate
        self.folder = folder
        textSearch = MessageTextSearch(textSearches)
    }

    /// The message's internal date (read from its file the first time anyone asks).
    func internalDate() throws -> Int64 {
        try candidate.internalDate ?? folder.internalDate(of: candidate.uid)
    }

    /// The message's record in the folder's message cache: at least a header record, which is all
    /// header keys need.
    private mutating func cachedRecord() throws -> CachedRecord {
        if let record { return record }
        let loaded = try folder.headerRecord(candidate.uid)
        record = loaded
        return loaded
    }

    /// Every field called `name` (lowercase) in the message's own header, in order: from the cache
    /// when it keeps that name (read from the record without decoding the rest), otherwise from
    /// the file's header block.
    mutating func headerFields(named name: String) throws -> [HeaderField] {
        if CachedMessage.covers([name]) {
            let wanted = Array(name.lowercased().utf8)
            var fields: [HeaderField] = []
            try cachedRecord().forEachHeaderField { fieldName, rawValue in
                if MessageSections.isName(fieldName, lowercased: wanted) {
                    fields.append(HeaderField(name: String(decoding: fieldName, as: UTF8.self), rawValue: Array(rawValue)))
                }
            }
            return fields
        }
        if let fileHeader { return fileHeader.all(name) }
        let file = try folder.openMessage(candidate.uid)
        let header = try Self.readHeader(of: file, limit: MIMELimits.default.maxHeaderBytes)
        fileHeader = header
        return header.all(name)
    }

    /// Whether the program's text search `index` matches; the first call searches for all of them in
    /// one pass over the file.
    mutating func textMatches(_ index: Int) throws -> Bool {
        if let textResults { return textResults[index] }
        let file = try folder.openMessage(candidate.uid)
        let results = try textSearch.search(file)
        textResults = results
        return results[index]
    }

    /// The top-level header block: read up to its empty line, at most `limit` bytes, cut at a line end
    /// (the limit `MessageParser` applies, so the answer agrees with the cached fields').
    static func readHeader(of file: borrowing MessageFile, limit: Int) throws -> Header {
        var bytes: [UInt8] = []
        var offset: Int64 = 0
        var scanned = 0
        while bytes.count <= limit {
            let chunk = try file.read(at: offset, count: chunkSize)
            offset += Int64(chunk.count)
            bytes += chunk
            if let end = emptyLine(in: bytes, from: scanned) { return Header.parse(bytes[..<end]) }
            scanned = max(0, bytes.count - 1)
            if chunk.count < chunkSize { return Header.parse(bytes) }
        }
        let lastLineEnd = bytes[..<limit].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return Header.parse(bytes[..<lastLineEnd])
    }

    /// Where the first empty line (LF or CRLF at a line start) begins, looking from `start` on.
    ///
    /// A CR in the last byte may be the start of a CRLF still unread: the caller scans again from
    /// the last byte once more bytes arrived.
    static func emptyLine(in bytes: [UInt8], from start: Int) -> Int? {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var index = start
        while index < bytes.count {
            if index == 0 || bytes[index - 1] == lf {
                if bytes[index] == lf { return index }
                if bytes[index] == cr, index + 1 < bytes.count, bytes[index + 1] == lf { return index }
            }
            index += 1
        }
        return nil
    }
}
