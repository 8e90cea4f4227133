import Testing
@testable import RoostMIME

@Suite("EncodedWord")
struct EncodedWordTests {
    @Test(arguments: [
        // RFC 2047 section 8 examples.
        ("=?ISO-8859-1?Q?a?=", "a"),
        ("=?ISO-8859-1?Q?a?= b", "a b"),
        ("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=", "ab"),
        ("=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=", "ab"),
        ("=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=", "ab"),
        ("=?ISO-8859-1?Q?a_b?=", "a b"),
        ("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=", "a b"),
        ("(=?ISO-8859-1?Q?a?=)", "(a)"),
        // Base64 and Q in UTF-8, lowercase encoding letters, language suffix (RFC 2231 section 5).
        ("=?UTF-8?B?SGVsbG8g5LiW55WM?=", "Hello 世界"),
        ("=?utf-8?b?SGVsbG8=?=", "Hello"),
        ("=?utf-8?q?caf=C3=A9?=", "café"),
        ("=?UTF-8*en?Q?Hello?=", "Hello"),
        ("=?UTF-8?Q?Sale_=E2=82=AC10?=", "Sale €10"),
        // Chinese: GB2312 (decoded as GB18030) and Big5, a character split across two words.
        ("=?gb2312?B?u+HS6c2o1qqjug==?= =?gb2312?B?w/fM7M/CzufI/bXj?=", "会议通知：明天下午三点"),
        ("=?GB2312?B?1tA=?= =?GB2312?B?zsQ=?=", "中文"),
        ("=?GB2312?B?1g==?= =?GB2312?B?0M7E?=", "中文"),
        ("=?Big5?Q?=C1=63=C5=E9=A4=A4=A4=E5=B4=FA=B8=D5?=", "繁體中文測試"),
        ("=?UTF-8?B?5Lg=?= =?UTF-8?B?lueVjA==?=", "世界"),
        // Text around words: kept, as is whitespace next to text.
        ("Re: =?UTF-8?Q?caf=C3=A9?= meeting", "Re: café meeting"),
        ("prefix=?UTF-8?Q?glued?=suffix", "prefixgluedsuffix"),
        ("Fwd: plain text", "Fwd: plain text"),
        ("raw UTF-8 季度报告", "raw UTF-8 季度报告"),
        ("a = b ?= c", "a = b ?= c"),
        // Malformed words stay as written.
        ("=?UTF-8?Q?unterminated", "=?UTF-8?Q?unterminated"),
        ("=?x-bogus-charset?Q?abc?=", "=?x-bogus-charset?Q?abc?="),
        ("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?="),
        ("=?UTF-8?Q?has space?=", "=?UTF-8?Q?has space?="),
        ("=??Q?abc?=", "=??Q?abc?="),
        ("=?UTF-8?Q?=ZZ?=", "=ZZ"),
        ("=?UTF-8?Q??=", ""),
        ("=?", "=?"),
        ("=?UTF-8?B?****?=", ""),
        // Truncated at every point of the syntax.
        ("=?UTF-8?Q?abc?", "=?UTF-8?Q?abc?"),
        ("=?UTF-8?Q?", "=?UTF-8?Q?"),
        ("=?UTF-8?Q", "=?UTF-8?Q"),
        ("=?UTF-8?", "=?UTF-8?"),
        ("=?UTF-8", "=?UTF-8"),
        ("x =?UTF-8?Q?a?= =?UTF-8?Q?b", "x a =?UTF-8?Q?b"),
        // A candidate without a terminator does not hide a complete word after it.
        ("=?x?q?a=?UTF-8?Q?b?=", "=?x?q?ab"),
        ("=?UTF-8?Q?a=?UTF-8?Q?b?=", "a=?UTF-8?Q?b"),
    ])
    func decodes(_ input: String, _ expected: String) {
        #expect(EncodedWord.decode(input) == expected)
    }

    @Test func rawBytesFallBackToLatin1() {
        #expect(EncodedWord.decode(bytes: [0x63, 0x61, 0x66, 0xE9]) == "café")
        #expect(EncodedWord.decode(bytes: Array("=?UTF-8?Q?x?= ".utf8) + [0xE9]) == "x é")
    }

    /// RFC 2047 section 2 limits an encoded word to 75 characters; longer ones are common enough
    /// (and Dovecot decodes them) that no length cap applies.
    @Test func wordsLongerThanSeventyFiveCharactersAreDecoded() {
        let payload = String(repeating: "a", count: 2000)
        #expect(EncodedWord.decode("=?UTF-8?Q?\(payload)?=") == payload)
    }

    /// Values that made decoding quadratic: every `=?` scanned to the end of the value for a `?=`
    /// that never comes. Each must come back unchanged (or decoded, for the last), in linear time.
    @Test(arguments: ["=?utf-8?q?a", "=?x?q?a=", "=?", "=?utf-8?b?QUJD", "=?utf-8?q?a?=", "=?a?q??"])
    func adversarialValuesDecodeInLinearTime(_ unit: String) {
        expectLinearTime("\(unit.debugDescription) repeated", size: 4000) { count in
            String(repeating: unit, count: count)
        } work: { value in
            let repeats = value.utf8.count / unit.utf8.count
            let expected = unit == "=?utf-8?q?a?=" ? String(repeating: "a", count: repeats) : value
            let unchanged = EncodedWord.decode(value) == expected
            #expect(unchanged, "\(unit.debugDescription) × \(repeats)")
        }
    }
}
