import NIOCore
import Testing
@testable import RoostIMAPGrammar

private func section(_ part: [UInt32] = [], _ text: SectionSpecifier.Text? = nil) -> SectionSpecifier {
    SectionSpecifier(part: part, text: text)!
}

@Suite("FetchAttribute and SectionSpecifier")
struct FetchAttributeTests {
    @Test(arguments: [
        ("ENVELOPE", FetchAttribute.envelope, "ENVELOPE"), ("flags", .flags, "FLAGS"), ("InternalDate", .internalDate, "INTERNALDATE"),
        ("RFC822", .rfc822, "RFC822"), ("RFC822.HEADER", .rfc822Header, "RFC822.HEADER"), ("rfc822.size", .rfc822Size, "RFC822.SIZE"),
        ("RFC822.TEXT", .rfc822Text, "RFC822.TEXT"), ("BODY", .body, "BODY"), ("BODYSTRUCTURE", .bodyStructure, "BODYSTRUCTURE"),
        ("UID", .uid, "UID"),
        ("BODY[]", .bodySection(peek: false, section: .complete, partial: nil), "BODY[]"),
        ("body.peek[]<0.1024>", .bodySection(peek: true, section: .complete, partial: .init(origin: 0, length: 1024)), "BODY.PEEK[]<0.1024>"),
        ("BODY[HEADER]", .bodySection(peek: false, section: section([], .header), partial: nil), "BODY[HEADER]"),
        ("BODY[TEXT]<100.5>", .bodySection(peek: false, section: section([], .text), partial: .init(origin: 100, length: 5)), "BODY[TEXT]<100.5>"),
        ("BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)]",
         .bodySection(peek: true, section: section([], .headerFields(["From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "Priority",
                                                                      "X-Priority", "References", "Newsgroups", "In-Reply-To", "Content-Type",
                                                                      "Reply-To"])), partial: nil),
         "BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)]"),
        ("body[header.fields.not (\"Received\" X-Spam)]", .bodySection(peek: false, section: section([], .headerFieldsNot(["Received", "X-Spam"])), partial: nil),
         "BODY[HEADER.FIELDS.NOT (Received X-Spam)]"),
        ("BODY[1]", .bodySection(peek: false, section: section([1]), partial: nil), "BODY[1]"),
        ("BODY[1.2.3]", .bodySection(peek: false, section: section([1, 2, 3]), partial: nil), "BODY[1.2.3]"),
        ("BODY[2.MIME]", .bodySection(peek: false, section: section([2], .mime), partial: nil), "BODY[2.MIME]"),
        ("BODY[3.1.HEADER]", .bodySection(peek: false, section: section([3, 1], .header), partial: nil), "BODY[3.1.HEADER]"),
        ("BODY.PEEK[4.TEXT]", .bodySection(peek: true, section: section([4], .text), partial: nil), "BODY.PEEK[4.TEXT]"),
        ("BODY[1.HEADER.FIELDS (Subject)]", .bodySection(peek: false, section: section([1], .headerFields(["Subject"])), partial: nil),
         "BODY[1.HEADER.FIELDS (Subject)]"),
    ])
    func parsesAndEncodes(_ text: String, _ attribute: FetchAttribute, _ form: String) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseFetchAttribute() } == attribute)
        #expect(encoded { $0.writeFetchAttribute(attribute) } == form)
        #expect(try IMAPParser.parse(form) { try $0.parseFetchAttribute() } == attribute)
    }

    @Test(arguments: [
        "", "BODY.PEEK", "BODY[", "BODY[]<0>", "BODY[]<0.0>", "BODY[]<.5>", "BODY[]<1.2", "BODY[MIME]", "BODY[0]", "BODY[1.]",
        "BODY[1.0]", "BODY[HEADER.FIELDS]", "BODY[HEADER.FIELDS ()]", "BODY[HEADER.FIELDS (From]", "BODY[TEXT.MIME]",
        "BODY[header.fields.nope (a)]", "RFC822.PEEK", "BODYSTRUCTURE[]", "FAST", "BODY [1]", "BODY[1 ]", "BODY[01]",
    ])
    func refusesInvalidAttributes(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseFetchAttribute() } }
    }

    @Test(arguments: [
        ("ALL", FetchRequest.all, "ALL"), ("fast", .fast, "FAST"), ("Full", .full, "FULL"),
        ("UID", .attributes([.uid]), "(UID)"), ("(UID RFC822.SIZE FLAGS)", .attributes([.uid, .rfc822Size, .flags]), "(UID RFC822.SIZE FLAGS)"),
        ("(BODY[] BODY)", .attributes([.bodySection(peek: false, section: .complete, partial: nil), .body]), "(BODY[] BODY)"),
    ])
    func parsesRequests(_ text: String, _ request: FetchRequest, _ form: String) throws {
        #expect(try IMAPParser.parse(text) { try $0.parseFetchRequest() } == request)
        #expect(encoded { $0.writeFetchRequest(request) } == form)
        #expect(try IMAPParser.parse(form) { try $0.parseFetchRequest() } == request)
    }

    @Test(arguments: ["()", "(UID", "(UID  FLAGS)", "(ALL)", "(UID FLAGS )", "ALLX"])
    func refusesInvalidRequests(_ text: String) {
        #expect(throws: IMAPParseError.self) { try IMAPParser.parse(text) { try $0.parseFetchRequest() } }
    }

    @Test func expandsMacrosAndKnowsSeen() {
        #expect(FetchRequest.all.attributes == [.flags, .internalDate, .rfc822Size, .envelope])
        #expect(FetchRequest.fast.attributes == [.flags, .internalDate, .rfc822Size])
        #expect(FetchRequest.full.attributes == [.flags, .internalDate, .rfc822Size, .envelope, .body])
        #expect(FetchAttribute.rfc822.setsSeen && FetchAttribute.rfc822Text.setsSeen)
        #expect(!FetchAttribute.rfc822Header.setsSeen && !FetchAttribute.body.setsSeen)
        #expect(FetchAttribute.bodySection(peek: false, section: .complete, partial: nil).setsSeen)
        #expect(!FetchAttribute.bodySection(peek: true, section: .complete, partial: nil).setsSeen)
        #expect(SectionSpecifier(part: [], text: .mime) == nil)
        #expect(SectionSpecifier(part: [0]) == nil)
    }

    @Test func stressesTheListLimits() throws {
        let limits = IMAPLimits(maxListItems: 2)
        #expect(try IMAPParser.parse("(UID FLAGS)", limits: limits) { try $0.parseFetchRequest() } == .attributes([.uid, .flags]))
        #expect(throws: IMAPParseError("Too many fetch attributes (limit 2)")) {
            try IMAPParser.parse("(UID FLAGS ENVELOPE)", limits: limits) { try $0.parseFetchRequest() }
        }
        #expect(throws: IMAPParseError("Too many header fields (limit 2)")) {
            try IMAPParser.parse("BODY[HEADER.FIELDS (A B C)]", limits: limits) { try $0.parseFetchAttribute() }
        }
    }
}
