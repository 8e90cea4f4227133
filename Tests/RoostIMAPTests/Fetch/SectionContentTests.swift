import RoostIMAP
import RoostIMAPGrammar
import RoostMIME
import RoostStorage
import Testing

/// A short LF message: every line end is a bare LF the stream turns into CRLF.
private let lfMessage = FetchFixtures.text("Subject: partial\nFrom: a@example.org\n\nline one\nline two\n\nend\n")

@Suite("Section content: partial windows, chunking and the message cache")
struct SectionContentTests {
    /// Every window of BODY[] and TEXT: each origin from 0 to past the end (so origins on the CR and
    /// on the LF of every converted bare LF), with lengths that end on and around line breaks.
    @Test(arguments: ["", "TEXT", "HEADER.FIELDS (From)"])
    func everyPartialWindowIsTheMatchingSlice(_ sectionText: String) throws {
        let maildir = try FetchTestMaildir()
        let lfUID = try maildir.save(lfMessage)
        let crlfUID = try maildir.save(FetchFixtures.crlf(lfMessage))
        let section = try fetchSection(sectionText)
        let full = try maildir.section(section, of: lfUID)
        #expect(full.contains(0x0D))
        for origin in 0...(full.count + 2) {
            for length in [1, 2, 3, 7, full.count, Int(UInt32.max)] {
                let partial = try #require(fetchPartial(origin, length))
                let expected = origin >= full.count ? [] : Array(full[origin..<min(full.count, origin + length)])
                for chunkSize in [1, 7] {
                    #expect(try maildir.section(section, partial: partial, of: lfUID, chunkSize: chunkSize) == expected,
                            "<\(origin).\(length)> in chunks of \(chunkSize)")
                }
                #expect(try maildir.section(section, partial: partial, of: crlfUID) == expected)
            }
        }
    }

    @Test func windowStartingBetweenTheCRAndLFOfABareLineFeedStartsWithTheLF() throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(lfMessage)
        // "Subject: partial" is 16 octets: the virtual CR is octet 16, the stored LF octet 17.
        #expect(try maildir.section(.complete, partial: fetchPartial(17, 5), of: uid) == FetchFixtures.text("\nFrom"))
        #expect(try maildir.section(.complete, partial: fetchPartial(16, 1), of: uid) == [0x0D])
        #expect(try maildir.section(.complete, partial: fetchPartial(0, 17), of: uid) == FetchFixtures.text("Subject: partial\r"))
    }

    @Test func originBeyondTheEndIsAnEmptyString() throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(lfMessage)
        let structure = try maildir.folder.parsedMessage(uid).structure
        let file = try maildir.folder.openMessage(uid)
        let size = FetchFixtures.crlf(lfMessage).count
        for origin in [size, size + 1, Int(UInt32.max)] {
            var content = try MessageSections.content(
                of: .complete, partial: fetchPartial(origin, 10), structure: structure, file: file)
            #expect(content.length == 0)
            #expect(try content.nextChunk(maxOctets: 100, file: file) == nil)
        }
        let last = try MessageSections.content(of: .complete, partial: fetchPartial(size - 1, 10), structure: structure, file: file)
        #expect(last.length == 1)
    }

    /// Chunks of 1, 7 and 64 KiB give the same octets for every section of every fixture, each
    /// chunk within its limit, and nil once everything was sent.
    @Test(arguments: FetchFixtures.allNames)
    func chunkSizeDoesNotChangeTheOctets(_ name: String) throws {
        let maildir = try FetchTestMaildir()
        let bytes = try FetchFixtures.bytes(name)
        let uid = try maildir.save(bytes)
        let parsed = try maildir.folder.parsedMessage(uid)
        let file = try maildir.folder.openMessage(uid)
        var sections = ["", "HEADER", "TEXT", "HEADER.FIELDS (Subject From)", "HEADER.FIELDS.NOT (Subject)"]
        for (path, _) in parsed.structure.allParts {
            let number = path.map(String.init).joined(separator: ".")
            sections += [number, "\(number).MIME", "\(number).TEXT"]
        }
        for text in sections {
            let section = try fetchSection(text)
            for partial in [nil, fetchPartial(3, 50)] {
                let content = try MessageSections.content(of: section, partial: partial, structure: parsed.structure, file: file)
                let whole = try drain(content, chunkSize: 64 * 1024, file: file)
                #expect(try drain(content, chunkSize: 1, file: file) == whole, "[\(text)]")
                #expect(try drain(content, chunkSize: 7, file: file) == whole, "[\(text)]")
                var finished = content
                _ = try finished.nextChunk(maxOctets: 64 * 1024, file: file)
                #expect(try finished.nextChunk(maxOctets: 64 * 1024, file: file) == nil)
            }
        }
    }

    @Test func largeBodyStreamsInBoundedChunks() throws {
        let line = String(repeating: "0123456789", count: 10) + "\n"
        let message = FetchFixtures.text("Subject: big\n\n" + String(repeating: line, count: 3000))
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(message)
        let structure = try maildir.folder.parsedMessage(uid).structure
        let file = try maildir.folder.openMessage(uid)
        var content = try MessageSections.content(of: try fetchSection("TEXT"), partial: nil, structure: structure, file: file)
        #expect(content.length == 3000 * 102)
        var chunks = 0
        var received: [UInt8] = []
        while let chunk = try content.nextChunk(maxOctets: 64 * 1024, file: file) {
            chunks += 1
            received += chunk
        }
        #expect(chunks == 5)
        #expect(received == FetchFixtures.crlf(FetchFixtures.text(String(repeating: line, count: 3000))))
    }

    @Test func fileShorterThanItsStructureIsAnError() throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(FetchFixtures.text("Subject: s\n\nshort\n"))
        let longer = MessageParser.parse(FetchFixtures.text("Subject: s\n\nmuch longer than the file\n")).structure
        let file = try maildir.folder.openMessage(uid)
        var content = try MessageSections.content(of: .complete, partial: nil, structure: longer, file: file)
        #expect(throws: StorageError.self) {
            while try content.nextChunk(maxOctets: 8, file: file) != nil {}
        }
    }

    // MARK: - The message cache

    /// HEADER.FIELDS from the cache equals HEADER.FIELDS from the file, with and without a window.
    @Test(arguments: FetchFixtures.allNames)
    func cachedHeaderFieldsEqualTheFilesOctets(_ name: String) throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(try FetchFixtures.bytes(name))
        let cached = try maildir.folder.parsedMessage(uid)
        let record = try maildir.folder.cachedRecord(uid)
        let file = try maildir.folder.openMessage(uid)
        let section = try fetchSection("HEADER.FIELDS (from TO Subject Date Message-ID Content-Type References)")
        for partial in [nil, fetchPartial(0, 10), fetchPartial(5, 3), fetchPartial(10_000, 3)] {
            let fromFile = try drain(
                try MessageSections.content(of: section, partial: partial, structure: cached.structure, file: file), chunkSize: 7, file: file)
            guard let fromCache = MessageSections.cachedContent(of: section, partial: partial, record: record) else {
                // Only a message without a body needs the file (to see whether a blank line ends its header).
                #expect(cached.structure.root.bodyRange.isEmpty, "\(name)")
                continue
            }
            #expect(try drain(fromCache, chunkSize: 7) == fromFile)
        }
    }

    @Test func cacheAnswersOnlyCoveredTopLevelHeaderFields() throws {
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(try FetchFixtures.bytes("nested-rfc822-lf.eml"))
        let record = try maildir.folder.cachedRecord(uid)
        func cachedOctets(_ text: String) throws -> [UInt8]? {
            try MessageSections.cachedContent(of: try fetchSection(text), partial: nil, record: record).map { try drain($0, chunkSize: 100) }
        }
        #expect(try cachedOctets("HEADER.FIELDS (SUBJECT)") == FetchFixtures.text("Subject: Fwd: Minutes\r\n\r\n"))
        #expect(try cachedOctets("HEADER.FIELDS (Subject X-Not-Cached)") == nil)
        #expect(try cachedOctets("HEADER.FIELDS.NOT (Subject)") == nil)
        #expect(try cachedOctets("2.HEADER.FIELDS (Subject)") == nil)
        #expect(try cachedOctets("HEADER") == nil)
        #expect(try cachedOctets("") == nil)
    }

    @Test func cacheAndFileAgreeOnAHeaderBeyondTheParserLimit() throws {
        let filler = String(repeating: "X-Filler: " + String(repeating: "f", count: 100) + "\n",
                            count: MessageSections.maxHeaderBytes / 111 + 1)
        let maildir = try FetchTestMaildir()
        let uid = try maildir.save(FetchFixtures.text("Subject: early\n" + filler + "Subject: late\n\nbody\n"))
        let cached = try maildir.folder.parsedMessage(uid)
        #expect(cached.headerTruncated)
        let section = try fetchSection("HEADER.FIELDS (Subject)")
        let fromCache = try #require(MessageSections.cachedContent(of: section, partial: nil, record: try maildir.folder.cachedRecord(uid)))
        #expect(try drain(fromCache, chunkSize: 64) == (try maildir.section(section, of: uid)))
    }
}
