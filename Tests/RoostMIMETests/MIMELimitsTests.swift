import Foundation
import Testing
@testable import RoostMIME

/// One stress test per limit: input beyond it must degrade as documented, never fail.
@Suite("MIMELimits")
struct MIMELimitsTests {
    @Test func oversizedHeaderIsTruncatedAtALineButFullyCounted() throws {
        var text = ""
        for index in 0..<200 { text += "X-Filler-\(index): " + String(repeating: "a", count: 40) + "\n" }
        text += "Subject: late\n\nbody\n"
        let limits = MIMELimits(maxHeaderBytes: 1024)
        let parsed = MessageParser.parse(Fixture.message(text), limits: limits)
        #expect(parsed.headerTruncated)
        #expect(parsed.headerBytes.count <= 1024)
        #expect(parsed.headerBytes.last == 0x0A)
        #expect(parsed.header["X-Filler-0"] != nil)
        #expect(parsed.header["Subject"] == nil)
        #expect(parsed.structure.root.bodySize.octets == 5)
        #expect(parsed.structure.root.headerSize.octets == text.utf8.count - 5)
    }

    @Test func headerOfSeveralMebibytesStaysBounded() {
        let line = Array(("X-Long: " + String(repeating: "b", count: 1000) + "\n").utf8)
        var parser = MessageParser()
        for _ in 0..<3000 { parser.feed(chunk: line) }
        parser.feed(chunk: Fixture.message("\nbody"))
        let parsed = parser.finish()
        #expect(parsed.headerTruncated)
        #expect(parsed.headerBytes.count <= MIMELimits.default.maxHeaderBytes)
        #expect(parsed.structure.root.bodySize.octets == 4)
    }

    @Test(arguments: [5, 100])
    func nestingBeyondTheLimitBecomesOpaque(_ depth: Int) throws {
        let levels = depth + 20
        var text = ""
        for level in 0..<levels {
            text += "Content-Type: multipart/mixed; boundary=\"level\(level)\"\n\n--level\(level)\n"
        }
        text += "Content-Type: text/plain\n\ndeep\n"
        for level in (0..<levels).reversed() { text += "--level\(level)--\n" }
        let parsed = MessageParser.parse(Fixture.message(text), limits: MIMELimits(maxNestingDepth: depth))
        var part = parsed.structure.root
        var containers = 0
        while part.isMultipart, let child = part.children.first {
            containers += 1
            part = child
        }
        #expect(containers == depth - 1)
        #expect(part.contentType == .applicationOctetStream)
        #expect(parsed.structure.root.endOffset == text.utf8.count)
    }

    @Test func deeplyNestedMessagesStopAtTheLimit() {
        var text = ""
        for _ in 0..<150 { text += "Content-Type: message/rfc822\n\n" }
        text += "Subject: bottom\n\nbody\n"
        let parsed = MessageParser.parse(Fixture.message(text))
        var depth = 0
        var part = parsed.structure.root
        while let message = part.message {
            depth += 1
            part = message.root
        }
        #expect(depth == MIMELimits.default.maxNestingDepth - 1)
        #expect(part.message == nil)
        #expect(part.contentType == .applicationOctetStream)
    }

    @Test func boundaryLongerThanTheLimitIsNeverMatched() {
        let boundary = String(repeating: "x", count: 250)
        let text = "Content-Type: multipart/mixed; boundary=\(boundary)\n\n--\(boundary)\n\nbody\n--\(boundary)--\n"
        let root = MessageParser.parse(Fixture.message(text)).structure.root
        #expect(root.isMultipart)
        #expect(root.children.isEmpty)
        let relaxed = MessageParser.parse(Fixture.message(text), limits: MIMELimits(maxBoundaryLength: 300))
        #expect(relaxed.structure.root.children.count == 1)
    }

    @Test func hugeBodyWithoutLineBreaksStreams() {
        var parser = MessageParser()
        parser.feed(chunk: Fixture.message("Content-Type: multipart/mixed; boundary=b\n\n--b\n\n"))
        let chunk = [UInt8](repeating: 0x2D, count: 64 * 1024)
        for _ in 0..<80 { parser.feed(chunk: chunk) }
        parser.feed(chunk: Fixture.message("\n--b--\n"))
        let parsed = parser.finish()
        #expect(parsed.structure.part(at: [1])?.bodySize.octets == 80 * 64 * 1024)
        #expect(parsed.structure.root.children.count == 1)
    }

    /// CVE-2020-12100's shape: `--b` lines alone, one part per five bytes. The parts stop at the
    /// limit and the last one takes the rest of the message.
    @Test func partsStopAtTheTotalLimit() throws {
        let head = "Content-Type: multipart/mixed; boundary=b\n\n"
        let text = head + String(repeating: "--b\n\n", count: 100_000)
        let parsed = MessageParser.parse(Fixture.message(text))
        let root = parsed.structure.root
        #expect(root.children.count == MIMELimits.default.maxTotalParts - 1)
        let last = try #require(root.children.last)
        #expect(last.endOffset == text.utf8.count)
        #expect(last.bodySize.octets == (100_000 - root.children.count) * 5)
        #expect(Self.partCount(root) == MIMELimits.default.maxTotalParts)
    }

    @Test func delimitersPastThePartLimitAreBodyText() throws {
        let text = "Content-Type: multipart/mixed; boundary=outer\n\n--outer\n\none\n"
            + "--outer\nContent-Type: multipart/alternative; boundary=inner\n\n--inner\n\ntwo\n"
            + "--inner\n\nthree\n--inner--\n--outer\n\nfour\n--outer--\n"
        let limits = MIMELimits(maxTotalParts: 4)
        let parsed = MessageParser.parse(Fixture.message(text), limits: limits)
        #expect(Self.partCount(parsed.structure.root) == 4)
        let two = try #require(parsed.structure.part(at: [2, 1]))
        #expect(two.endOffset == text.utf8.count)
        let bodies = TextExtractorTests.collect(TextExtractor.extract(Fixture.message(text), limits: limits)).bodies
        #expect(bodies == ["one", "two\n--inner\n\nthree\n--inner--\n--outer\n\nfour\n--outer--\n"])
        // Streaming in any chunking finds the same structure.
        var streamed = MessageParser(limits: limits)
        for byte in Fixture.message(text) { streamed.feed(chunk: [byte]) }
        #expect(streamed.finish() == parsed)
    }

    /// A container that could hold no part becomes a leaf, as beyond the nesting limit.
    @Test(arguments: ["multipart/mixed; boundary=c", "message/rfc822"])
    func containerAtThePartLimitBecomesALeaf(_ type: String) throws {
        let text = "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: \(type)\n\n"
            + "--c\nSubject: inner\n\nbody\n--b--\n"
        let parsed = MessageParser.parse(Fixture.message(text), limits: MIMELimits(maxTotalParts: 2))
        let part = try #require(parsed.structure.part(at: [1]))
        #expect(part.contentType == .applicationOctetStream)
        #expect(part.children.isEmpty && part.message == nil)
        #expect(part.endOffset == text.utf8.count)
        let relaxed = MessageParser.parse(Fixture.message(text), limits: MIMELimits(maxTotalParts: 3))
        #expect(relaxed.structure.part(at: [1])?.contentType.mimeType == type.prefix { $0 != ";" }.description)
    }

    /// Every part of the tree: the root, children, and encapsulated messages' roots.
    static func partCount(_ part: BodyPart) -> Int {
        1 + part.children.map(partCount).reduce(0, +) + (part.message.map { partCount($0.root) } ?? 0)
    }

    @Test func defaults() throws {
        let limits = MIMELimits()
        #expect(limits == .default)
        #expect(limits.maxHeaderBytes == 1 << 20)
        #expect(limits.maxNestingDepth == 100)
        #expect(limits.maxBoundaryLength == 200)
        #expect(limits.maxTotalParts == 10_000)
        #expect(MIMELimits(maxHeaderBytes: -1, maxNestingDepth: 0, maxBoundaryLength: 0, maxTotalParts: 0)
            == MIMELimits(maxHeaderBytes: 0, maxNestingDepth: 1, maxBoundaryLength: 1, maxTotalParts: 1))
        // Limits encoded before `maxTotalParts` existed decode with its default.
        let old = #"{"maxHeaderBytes":1024,"maxNestingDepth":5,"maxBoundaryLength":70}"#
        let decoded = try JSONEncoderShim.decode(MIMELimits.self, from: Data(old.utf8))
        #expect(decoded == MIMELimits(maxHeaderBytes: 1024, maxNestingDepth: 5, maxBoundaryLength: 70))
        #expect(try JSONEncoderShim.decode(MIMELimits.self, from: JSONEncoderShim.encode(limits)) == limits)
    }
}
