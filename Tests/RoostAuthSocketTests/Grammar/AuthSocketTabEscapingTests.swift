import NIOCore
import Testing
@testable import RoostAuthSocket

@Suite("AuthSocketTabEscaping")
struct AuthSocketTabEscapingTests {
    /// (plain, escaped): every escape character, combinations, and non-ASCII text passing through.
    static let pairs: [(String, String)] = [
        ("", ""),
        ("alice", "alice"),
        ("\0", "\u{1}0"),
        ("\u{1}", "\u{1}1"),
        ("\t", "\u{1}t"),
        ("\r", "\u{1}r"),
        ("\n", "\u{1}n"),
        ("a\tb\r\nc", "a\u{1}tb\u{1}r\u{1}nc"),
        ("\u{1}\u{1}", "\u{1}1\u{1}1"),
        ("\0\u{1}\t\r\n", "\u{1}0\u{1}1\u{1}t\u{1}r\u{1}n"),
        ("jürgen", "jürgen"),
        ("jürgen\t日本\n", "jürgen\u{1}t日本\u{1}n"),
        ("emoji 🐦\0", "emoji 🐦\u{1}0"),
        ("back\\slash=equals", "back\\slash=equals"),
    ]

    @Test(arguments: AuthSocketTabEscapingTests.pairs)
    func escapesAndUnescapes(_ plain: String, _ escaped: String) {
        #expect(AuthSocketTabEscaping.escape(plain) == escaped)
        #expect(AuthSocketTabEscaping.unescape(escaped) == plain)
        var buffer = ByteBuffer()
        AuthSocketTabEscaping.escape(plain.utf8, into: &buffer)
        #expect(String(buffer: buffer) == escaped)
        #expect(AuthSocketTabEscaping.unescape(Array(escaped.utf8)) == Array(plain.utf8))
    }

    /// Unescaping what Roost would never write, as Dovecot's `str_tabunescape` does.
    @Test(arguments: [
        ("\u{1}x", "x"),               // any other character stands for itself
        ("\u{1}\u{1}t", "\u{1}t"),     // \001 after \001 is "anything else"; the t stays a t
        ("a\u{1}", "a"),               // a lone escape at the end is dropped
        ("\u{1}", ""),
        ("\u{1}ü", "ü"),               // before a multi-byte character: still valid UTF-8
        ("\u{1}T", "T"),               // codes are case-sensitive
    ])
    func unescapesOddInput(_ escaped: String, _ plain: String) {
        #expect(AuthSocketTabEscaping.unescape(escaped) == plain)
    }

    @Test func everyByteRoundTrips() {
        let bytes = (0...255).map(UInt8.init)
        var buffer = ByteBuffer()
        AuthSocketTabEscaping.escape(bytes, into: &buffer)
        let escaped = Array(buffer.readableBytesView)
        #expect(!escaped.contains(0x09) && !escaped.contains(0x0A) && !escaped.contains(0x0D) && !escaped.contains(0x00))
        #expect(AuthSocketTabEscaping.unescape(escaped) == bytes)
    }
}
