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

    @Test func defaults() {
        let limits = MIMELimits()
        #expect(limits == .default)
        #expect(limits.maxHeaderBytes == 1 << 20)
        #expect(limits.maxNestingDepth == 100)
        #expect(limits.maxBoundaryLength == 200)
        #expect(MIMELimits(maxHeaderBytes: -1, maxNestingDepth: 0, maxBoundaryLength: 0)
            == MIMELimits(maxHeaderBytes: 0, maxNestingDepth: 1, maxBoundaryLength: 1))
    }
}
