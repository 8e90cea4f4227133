import Foundation
import RoostIMAP
import RoostStorage
import Testing

/// Keys that match strings: case-insensitive substrings of decoded header values and body text, over
/// `SearchFixtures`' mailbox.
@Suite("SEARCH string keys")
struct SearchProgramStringKeyTests {
    @Test(arguments: [
        ("FROM alice", [1]), ("FROM ALICE@EXAMPLE.ORG", [1]), ("FROM \"Smith <alice\"", [1]),
        ("FROM \"Chen, Wei\"", [4]), ("FROM nobody", []),
        ("TO alice@example.org", [2, 3, 4, 5, 6]), ("TO \"bob jones\"", [1]),
        ("CC carol", [1]), ("BCC dave", [1]), ("BCC carol", []), ("CC dave", []),
        ("SUBJECT quarterly", [1]), ("SUBJECT \"QUARTERLY REPORT\"", [1]), ("SUBJECT plans", [6]),
        // Zero-length: the messages that have the field (5 has no Subject).
        ("SUBJECT \"\"", [1, 2, 3, 4, 6]), ("BCC \"\"", [1]),
        // The encapsulated message's header is not the message's header.
        ("SUBJECT secret", []), ("FROM eve", []),
    ] as [(String, [UInt32])])
    func envelopeFields(_ criteria: String, _ expected: [UInt32]) throws {
        #expect(try SearchFixtures.mailbox().search(criteria) == expected)
    }

    @Test(arguments: [
        // =?UTF-8?B?...?= and =?GB2312?B?...?= matched with plain Unicode.
        ("SUBJECT \"季度报告\"", [2]), ("SUBJECT \"会议通知\"", [2]), ("FROM \"张三\"", [2]), ("FROM \"张三 <zhang\"", [2]),
        ("SUBJECT \"中文邮件\"", [3]), ("SUBJECT \"测试\"", [3]), ("SUBJECT =?GB2312?B?", []),
    ] as [(String, [UInt32])])
    func encodedWords(_ criteria: String, _ expected: [UInt32]) throws {
        #expect(try SearchFixtures.mailbox().search(criteria, charset: "UTF-8") == expected)
    }

    @Test func takesNonASCIIStringsAsLiterals() throws {
        let mailbox = try SearchFixtures.mailbox()
        let program = try SearchProgram(keys: searchKeys([("SUBJECT ", "季度"), (" OR BODY ", "簡體"), (" BODY ", "简体"), ("", nil)]),
                                        charset: "UTF-8")
        let found = try program.matches(mailbox.candidates, largestSequenceNumber: 6, largestUID: RoostStorage.UID(7), in: mailbox.folder)
        #expect(found.isEmpty)
        let either = try SearchProgram(keys: searchKeys([("OR SUBJECT ", "季度"), (" BODY ", "简体"), ("", nil)]), charset: "utf-8")
        #expect(try either.matches(mailbox.candidates, largestSequenceNumber: 6, largestUID: RoostStorage.UID(7), in: mailbox.folder)
            .map(\.sequenceNumber) == [2, 3])
    }

    @Test(arguments: [
        // Fields the message cache keeps.
        ("HEADER Message-ID <q1@", [1]), ("HEADER message-id \"\"", [1]), ("HEADER Content-Type multipart", [4]),
        ("HEADER CONTENT-TYPE message/RFC822", [6]), ("HEADER Date 2026", [1, 2, 3, 4]), ("HEADER Date \"\"", [1, 2, 3, 4, 6]),
        // Fields only the file has.
        ("HEADER X-Mailer roosttest", [1]), ("HEADER x-mailer \"\"", [1]), ("HEADER X-Tracking ABC", [4]),
        ("HEADER X-Tracking \"\"", [4]), ("HEADER X-Missing \"\"", []), ("HEADER Content-Transfer-Encoding base64", [2, 3]),
        // Only the message's own header: not the forwarded one's, not the MIME parts'.
        ("HEADER Subject inner", []), ("HEADER Content-Transfer-Encoding quoted", []),
    ] as [(String, [UInt32])])
    func headerFields(_ criteria: String, _ expected: [UInt32]) throws {
        #expect(try SearchFixtures.mailbox().search(criteria) == expected)
    }

    @Test(arguments: [
        ("BODY revenue", [1]), ("BODY \"REVENUE IS up\"", [1]),
        // base64 UTF-8, with a capital umlaut found in lower case.
        ("BODY Freiheit", [2]), ("BODY \"über\"", [2]), ("BODY \"ÜBER\"", [2]),
        // base64 GB2312 and quoted-printable Big5, found with Chinese substrings.
        ("BODY \"简体中文\"", [3]), ("BODY \"会议安排\"", [3]), ("BODY \"繁體中文\"", [4]), ("BODY \"測試郵件\"", [4]),
        // quoted-printable UTF-8, and a Latin-1 text inside a forwarded message.
        ("BODY \"CAFÉ CRÈME\"", [4]), ("BODY \"grüße\"", [6]), ("BODY \"launch codes\"", [6]),
        // The attachment is not text; raw transfer encodings are not text either.
        ("BODY zebra", []), ("BODY =C3=A9", []), ("BODY w5xiZXIg", []),
        // BODY leaves out every header, the forwarded message's too (as Dovecot does).
        ("BODY Quarterly", []), ("BODY \"Inner secret\"", []), ("BODY \"\"", [1, 2, 3, 4, 5, 6]),
        ("TEXT Quarterly", [1]), ("TEXT \"季度\"", [2]), ("TEXT \"inner SECRET\"", [6]), ("TEXT freiheit", [2]),
        ("TEXT \"x-mailer: roosttest\"", [1]), ("TEXT zebra", []), ("TEXT \"\"", [1, 2, 3, 4, 5, 6]),
        // No match across two fields or two parts.
        ("TEXT \"Report Mon\"", []), ("BODY \"。Le café\"", []),
        // Several strings of one message are searched in one pass.
        ("BODY revenue BODY quarter TEXT alice", [1]), ("OR BODY \"繁體\" BODY \"简体\"", [3, 4]),
    ] as [(String, [UInt32])])
    func bodyAndText(_ criteria: String, _ expected: [UInt32]) throws {
        #expect(try SearchFixtures.mailbox().search(criteria, charset: "UTF-8") == expected)
    }

    @Test(arguments: [nil, "UTF-8", "utf-8", "US-ASCII", "us-ascii", "Us-Ascii"])
    func acceptsUTF8AndUSASCII(_ charset: String?) throws {
        #expect(try SearchFixtures.mailbox().search("BODY numbers", charset: charset) == [1])
    }

    @Test(arguments: ["ISO-8859-1", "KOI8-R", "GB2312", "UTF8", "ASCII", "UTF-16", ""])
    func refusesOtherCharsets(_ charset: String) throws {
        #expect(throws: SearchProgram.Failure.badCharset(charset)) {
            try SearchProgram(keys: searchKeys("TEXT x"), charset: charset)
        }
    }

    @Test func matchesANeedleAcrossTheChunksAFileIsReadIn() throws {
        let mailbox = try SearchMailbox()
        let header = "From: big@example.com\nSubject: big\n\n"
        // 256 KiB reads: put the needle across the first boundary and another one near the end of 2 MB.
        let line = String(repeating: "filler ", count: 10) + "\n"
        var body = String(repeating: line, count: (256 * 1024 - header.utf8.count) / line.utf8.count - 1)
        body += String(repeating: "x", count: 256 * 1024 - header.utf8.count - body.utf8.count - 6)
        body += " straddling-needle \n"
        body += String(repeating: line, count: 2 * 1024 * 1024 / line.utf8.count) + "last words\n"
        try mailbox.add(header + body, arrived: "2026-03-01T00:00:00Z")
        try mailbox.add(header + "small\n", arrived: "2026-03-01T00:00:00Z")
        #expect(try mailbox.search("BODY STRADDLING-needle") == [1])
        #expect(try mailbox.search("BODY \"last words\"") == [1])
        #expect(try mailbox.search("BODY \"words\" BODY small") == [])
    }

    /// One matcher and extractor serve every message of a SEARCH: a message whose search stopped
    /// early (every needle found in its first 256 KiB) leaves nothing behind for the next one.
    @Test func messageLeftEarlyDoesNotLeakIntoTheNext() throws {
        let chunk = 256 * 1024
        // The first read ends inside a base64 part whose text ends in "nee"; the next message is plain.
        let base64Header = "Subject: one\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
        var text = "needle first\n" + String(repeating: "filler text\n", count: chunk / 12)
        text += String(repeating: "x", count: (3 - (text.utf8.count + 3) % 3) % 3) + "nee"
        let encoded = Data(text.utf8).base64EncodedString(options: .lineLength76Characters)
            .replacingOccurrences(of: "\r\n", with: "\n")
        let mailbox = try SearchMailbox()
        try mailbox.add(base64Header + encoded + "\n" + Data("dle tail\n".utf8).base64EncodedString() + "\n",
                        arrived: "2026-03-01T00:00:00Z")
        try mailbox.add("Subject: two\n\nneedle\n", arrived: "2026-03-01T00:00:00Z")
        try mailbox.add("Subject: three\n\ndle\n", arrived: "2026-03-01T00:00:00Z")
        #expect(try mailbox.search("BODY needle") == [1, 2])
        #expect(try mailbox.search("TEXT needle") == [1, 2])

        // A plain message matched and left in its first read, its last bytes there "nee".
        let plain = "Subject: one\n\nneedle first\n" + String(repeating: "filler text\n", count: chunk / 12 - 10)
        let cut = plain + String(repeating: "x", count: chunk - 3 - plain.utf8.count) + "needle\n"
        let second = try SearchMailbox()
        try second.add(cut, arrived: "2026-03-01T00:00:00Z")
        try second.add("Subject: two\n\ndle\n", arrived: "2026-03-01T00:00:00Z")
        #expect(try second.search("BODY needle") == [1])
    }
}
