import Testing
@testable import RoostIMAP

/// One field of a HEADER.FIELDS answer: bare LFs of folding sent as CRLF, CRLF kept, NUL as 0x80.
struct HeaderFieldSubsetTests {
    @Test(arguments: [
        (" plain value", "Subject: plain value\r\n"),
        ("", "Subject:\r\n"),
        (" folded\n line", "Subject: folded\r\n line\r\n"),
        (" folded\r\n line", "Subject: folded\r\n line\r\n"),
        ("\n starts folded", "Subject:\r\n starts folded\r\n"),
        (" a\n b\n c", "Subject: a\r\n b\r\n c\r\n"),
        (" lone\rcr", "Subject: lone\rcr\r\n"),
        (" ends with lf\n", "Subject: ends with lf\r\n\r\n"),
        (" cr then\r\r\n fold", "Subject: cr then\r\r\n fold\r\n"),
    ])
    func fieldOctets(raw: String, expected: String) {
        var output: [UInt8] = []
        Array(raw.utf8).withUnsafeBufferPointer { HeaderFieldSubset.append(name: Array("Subject".utf8), rawValue: $0, to: &output) }
        #expect(output == Array(expected.utf8))
    }

    @Test func nulIsSentAs0x80() {
        var output: [UInt8] = []
        [UInt8]([0x20, 0x61, 0x00, 0x62, 0x00]).withUnsafeBufferPointer {
            HeaderFieldSubset.append(name: Array("X".utf8), rawValue: $0, to: &output)
        }
        #expect(output == Array("X: a".utf8) + [0x80, 0x62, 0x80, 0x0D, 0x0A])
    }

    /// A value that is a slice of a larger buffer (as read from the message cache).
    @Test func sliceOfALargerBuffer() {
        let buffer = Array("xxxx value\n folded yyyy".utf8)
        var output: [UInt8] = []
        buffer.withUnsafeBufferPointer {
            HeaderFieldSubset.append(name: Array("To".utf8), rawValue: UnsafeBufferPointer(rebasing: $0[4..<18]), to: &output)
        }
        #expect(output == Array("To: value\r\n folded\r\n".utf8))
    }

    /// The word-at-a-time search finds an LF or NUL at every position of values long and short,
    /// next to bytes that differ from them in one bit.
    @Test func findsEveryLineFeedOrNUL() {
        for count in 0...20 {
            for position in 0..<max(count, 1) {
                for special: UInt8 in [0x0A, 0x00] {
                    var bytes = [UInt8](repeating: 0x0B, count: count)
                    if position < count { bytes[position] = special }
                    if position > 0, position < count { bytes[position - 1] = 0x8A }
                    let found = bytes.withUnsafeBufferPointer { HeaderFieldSubset.lineFeedOrNUL(in: $0, from: 0) }
                    #expect(found == (position < count ? position : count))
                }
            }
        }
        let plain = Array("no special byte in this long header value at all".utf8)
        #expect(plain.withUnsafeBufferPointer { HeaderFieldSubset.lineFeedOrNUL(in: $0, from: 3) } == plain.count)
    }
}
