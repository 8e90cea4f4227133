import Testing
@testable import RoostMIME

@Suite("MessageStructure section numbering")
struct MessageStructureTests {
    @Test func nonMultipartMessageHasItsBodyAsPartOne() throws {
        let structure = MessageParser.parse(try Fixture.bytes("plain-lf.eml")).structure
        #expect(structure.part(at: []) == structure.root)
        #expect(structure.part(at: [1]) == structure.root)
        #expect(structure.part(at: [2]) == nil)
        #expect(structure.part(at: [0]) == nil)
        #expect(structure.part(at: [1, 1]) == nil)
        #expect(structure.allParts.map(\.path) == [[1]])
    }

    @Test func multipartWithEncapsulatedMultipartMessage() throws {
        let structure = MessageParser.parse(try Fixture.bytes("nested-rfc822-lf.eml")).structure
        #expect(structure.part(at: [1])?.contentType.mimeType == "text/plain")
        let message = try #require(structure.part(at: [2]))
        #expect(message.contentType.isMessageRFC822)
        #expect(message.message?.envelope.subject == "Minutes")
        #expect(message.sectionChildren.map(\.contentType.mimeType) == ["text/html", "text/plain"])
        #expect(structure.part(at: [2, 1])?.contentType.mimeType == "text/html")
        #expect(structure.part(at: [2, 2])?.transferEncoding == .sevenBit)
        #expect(structure.part(at: [2, 3]) == nil)
        #expect(structure.part(at: [1, 1]) == nil)
        #expect(structure.part(at: [3]) == nil)
        #expect(structure.allParts.map(\.path) == [[1], [2], [2, 1], [2, 2]])
    }

    @Test func encapsulatedNonMultipartMessageIsItsOwnPartOne() throws {
        let structure = MessageParser.parse(try Fixture.bytes("digest-lf.eml")).structure
        let inner = try #require(structure.part(at: [1, 1]))
        #expect(inner == structure.part(at: [1])?.message?.root)
        #expect(inner.headerOffset == structure.part(at: [1])?.bodyOffset)
        #expect(structure.part(at: [1, 2]) == nil)
        #expect(structure.allParts.map(\.path) == [[1], [1, 1], [2]])
    }

    @Test func topLevelMessageRFC822() throws {
        let bytes = Fixture.message(
            "Subject: outer\nContent-Type: message/rfc822\n\nSubject: inner\nContent-Type: multipart/mixed; boundary=x\n\n"
                + "--x\n\none\n--x\n\ntwo\n--x--\n")
        let structure = MessageParser.parse(bytes).structure
        #expect(structure.part(at: [1]) == structure.root)
        #expect(structure.root.message?.envelope.subject == "inner")
        let two = try #require(structure.part(at: [1, 2]))
        #expect(String(decoding: bytes[two.bodyRange], as: UTF8.self) == "two")
    }

    @Test func multipartWithoutChildrenHasNoSections() throws {
        let structure = MessageParser.parse(try Fixture.bytes("boundary-never-found-lf.eml")).structure
        #expect(structure.root.isMultipart)
        #expect(structure.root.children.isEmpty)
        #expect(structure.part(at: [1]) == nil)
        #expect(structure.allParts.isEmpty)
    }
}
