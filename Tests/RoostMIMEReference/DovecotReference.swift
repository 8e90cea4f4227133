import Testing

/// What Dovecot 2.3.19 reports for each fixture (`doveadm fetch "size.virtual imap.bodystructure
/// imap.envelope"` over a Maildir holding the fixture files in Tests/RoostMIMETests/Fixtures), the
/// reference of RoostMIME's structures and of RoostIMAP's BODYSTRUCTURE and ENVELOPE.
///
/// Two deliberate differences are encoded here rather than hidden: Dovecot sends RFC 2231
/// parameters merged but undecoded (`"filename*" "utf-8'en'R%C3%A9..."`) while RoostMIME decodes
/// them (the rfc2231 fixture expects the decoded form), and Dovecot sends 8-bit strings as
/// literals, rewritten here as quoted strings.
public struct DovecotReference: Sendable, CustomTestStringConvertible {
    public let fixture: String
    public let virtualSize: Int
    public let bodyStructure: String
    public let envelope: String

    public var testDescription: String { fixture }

    public static let all: [DovecotReference] = [
        DovecotReference(
            fixture: "alternative-lf.eml", virtualSize: 762,
            bodyStructure: #"("text" "plain" ("charset" "UTF-8") NIL NIL "quoted-printable" 135 3 NIL NIL NIL NIL)("text" "html" ("charset" "UTF-8") NIL NIL "8bit" 53 1 NIL NIL NIL NIL) "alternative" ("boundary" "----=_Part_0_12345.67890") NIL NIL NIL"#,
            envelope: #""Tue, 7 Jan 2025 08:00:00 +0100" "=?UTF-8?Q?Sale_=E2=82=AC10?=" (("Shop, The" NIL "news" "shop.example")) (("Shop, The" NIL "news" "shop.example")) (("Shop, The" NIL "news" "shop.example")) ((NIL NIL "customer" "example.com")) NIL NIL NIL "<alt-1@shop.example>""#),
        DovecotReference(
            fixture: "big5-lf.eml", virtualSize: 367,
            bodyStructure: #""text" "plain" ("charset" "big5") NIL NIL "quoted-printable" 56 1 NIL NIL NIL NIL"#,
            envelope: #""Sat, 11 Jan 2025 11:00:00 +0800" "=?Big5?Q?=C1=63=C5=E9=A4=A4=A4=E5=B4=FA=B8=D5?=" (("=?big5?Q?=B3=AF=A5=FD=A5=CD?=" NIL "chen" "example.tw")) (("=?big5?Q?=B3=AF=A5=FD=A5=CD?=" NIL "chen" "example.tw")) (("=?big5?Q?=B3=AF=A5=FD=A5=CD?=" NIL "chen" "example.tw")) ((NIL NIL "lin" "example.tw")) NIL NIL NIL "<big5-1@example.tw>""#),
        DovecotReference(
            fixture: "boundary-in-part-header-lf.eml", virtualSize: 189,
            bodyStructure: #"("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 0 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) 0 NIL NIL NIL NIL) "mixed" ("boundary" "cut") NIL NIL NIL"#,
            envelope: #"NIL "Part header cut by boundary" ((NIL NIL "quinn" "example.com")) ((NIL NIL "quinn" "example.com")) ((NIL NIL "quinn" "example.com")) NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "boundary-never-found-lf.eml", virtualSize: 158,
            bodyStructure: #"("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "declared") NIL NIL NIL"#,
            envelope: #"NIL "Wrong boundary" ((NIL NIL "leo" "example.com")) ((NIL NIL "leo" "example.com")) ((NIL NIL "leo" "example.com")) NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "chinese-gb2312-lf.eml", virtualSize: 418,
            bodyStructure: #""text" "plain" ("charset" "gb2312") NIL NIL "base64" 70 1 NIL NIL NIL NIL"#,
            envelope: #""Fri, 10 Jan 2025 09:00:00 +0800" "=?gb2312?B?u+HS6c2o1qqjug==?= =?gb2312?B?w/fM7M/CzufI/bXj?=" (("=?gb2312?B?1cXOsA==?=" NIL "zhang.wei" "example.cn")) (("=?gb2312?B?1cXOsA==?=" NIL "zhang.wei" "example.cn")) (("=?gb2312?B?1cXOsA==?=" NIL "zhang.wei" "example.cn")) (("=?GB2312?B?yKvM5dSxuaQ=?=" NIL "staff" "example.cn")) NIL NIL NIL "<gb2312-1@example.cn>""#),
        DovecotReference(
            fixture: "chinese-utf8-raw-lf.eml", virtualSize: 316,
            bodyStructure: #""text" "plain" ("charset" "utf-8") NIL NIL "8bit" 32 1 NIL NIL NIL NIL"#,
            envelope: #""Fri, 10 Jan 2025 10:00:00 +0800" "季度报告已发送" (("李娜" NIL "li.na" "example.cn")) (("李娜" NIL "li.na" "example.cn")) (("李娜" NIL "li.na" "example.cn")) (("王芳, 市场部" NIL "wang.fang" "example.cn")) NIL NIL NIL "<utf8-raw-1@example.cn>""#),
        DovecotReference(
            fixture: "digest-lf.eml", virtualSize: 350,
            bodyStructure: #"("message" "rfc822" NIL NIL NIL "7bit" 61 (NIL "First post" ((NIL NIL "oscar" "example.org")) ((NIL NIL "oscar" "example.org")) ((NIL NIL "oscar" "example.org")) NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 13 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 32 0 NIL NIL NIL NIL) "digest" ("boundary" "dig") NIL NIL NIL"#,
            envelope: #""Tue, 14 Jan 2025 00:00:00 +0000" "List digest, Vol 1, Issue 2" ((NIL NIL "list-request" "example.org")) ((NIL NIL "list-request" "example.org")) ((NIL NIL "list-request" "example.org")) ((NIL NIL "list" "example.org")) NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "empty.eml", virtualSize: 0,
            bodyStructure: #""text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL"#,
            envelope: #"NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "encoded-rfc822-lf.eml", virtualSize: 207,
            bodyStructure: #"("message" "rfc822" NIL NIL NIL "base64" 26 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) 1 NIL NIL NIL NIL) "mixed" ("boundary" "b") NIL NIL NIL"#,
            envelope: #"NIL "Encoded message/rfc822" ((NIL NIL "rita" "example.com")) ((NIL NIL "rita" "example.com")) ((NIL NIL "rita" "example.com")) NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "headers-only-lf.eml", virtualSize: 84,
            bodyStructure: #""text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL"#,
            envelope: #""Mon, 13 Jan 2025 08:00:00 +0000" "Headers only" ((NIL NIL "nina" "example.com")) ((NIL NIL "nina" "example.com")) ((NIL NIL "nina" "example.com")) NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "missing-close-boundary-lf.eml", virtualSize: 199,
            bodyStructure: #"("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 10 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 27 1 NIL NIL NIL NIL) "mixed" ("boundary" "XYZ") NIL NIL NIL"#,
            envelope: #"NIL "Truncated" ((NIL NIL "ken" "example.com")) ((NIL NIL "ken" "example.com")) ((NIL NIL "ken" "example.com")) NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "missing-headers-lf.eml", virtualSize: 75,
            bodyStructure: #""text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 54 1 NIL NIL NIL NIL"#,
            envelope: #"NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "mixed-attachment-crlf.eml", virtualSize: 1674,
            bodyStructure: #"("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 34 1 NIL NIL NIL NIL)("application" "pdf" ("name" "report.pdf") NIL NIL "base64" 1074 NIL ("attachment" ("filename" "report.pdf" "size" "790")) NIL NIL) "mixed" ("boundary" "b1_mixed") NIL NIL NIL"#,
            envelope: #""Wed, 8 Jan 2025 12:00:00 -0500" "Report attached" (("Carol" NIL "carol" "example.com")) (("Carol" NIL "carol" "example.com")) (("Carol" NIL "carol" "example.com")) (("Dave" NIL "dave" "example.com")("Eve" NIL "eve" "example.com")) (("Team List" NIL "team" "example.com")) NIL NIL "<mixed-1@example.com>""#),
        DovecotReference(
            fixture: "mixed-attachment-lf.eml", virtualSize: 1674,
            bodyStructure: #"("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 34 1 NIL NIL NIL NIL)("application" "pdf" ("name" "report.pdf") NIL NIL "base64" 1074 NIL ("attachment" ("filename" "report.pdf" "size" "790")) NIL NIL) "mixed" ("boundary" "b1_mixed") NIL NIL NIL"#,
            envelope: #""Wed, 8 Jan 2025 12:00:00 -0500" "Report attached" (("Carol" NIL "carol" "example.com")) (("Carol" NIL "carol" "example.com")) (("Carol" NIL "carol" "example.com")) (("Dave" NIL "dave" "example.com")("Eve" NIL "eve" "example.com")) (("Team List" NIL "team" "example.com")) NIL NIL "<mixed-1@example.com>""#),
        DovecotReference(
            fixture: "multipart-without-boundary-lf.eml", virtualSize: 99,
            bodyStructure: #"("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" NIL NIL NIL NIL"#,
            envelope: #"NIL "No boundary parameter" ((NIL NIL "mia" "example.com")) ((NIL NIL "mia" "example.com")) ((NIL NIL "mia" "example.com")) NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "nested-rfc822-crlf.eml", virtualSize: 1148,
            bodyStructure: #"("text" "plain" ("charset" "us-ascii") "<note@example.com>" "forwarding note" "7bit" 24 1 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("inline" ("foo" "bar")) ("en" "fi") "http://example.com/ note.txt")("message" "rfc822" NIL NIL NIL "7bit" 483 ("Wed, 8 Jan 2025 18:00:00 +0200" "Minutes" (("Heidi" NIL "heidi" "example.com")) (("Heidi" NIL "heidi" "example.com")) (("Heidi" NIL "heidi" "example.com")) ((NIL NIL "team-a" "example.com")(NIL NIL "team-b" "example.com")) NIL NIL "<agenda@example.com>" "<minutes@example.com>") (("text" "html" ("charset" "us-ascii") NIL NIL "8bit" 16 1 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 17 1 NIL NIL NIL NIL) "alternative" ("boundary" "inner") NIL NIL NIL) 23 NIL NIL NIL NIL) "mixed" ("boundary" "outer boundary") NIL NIL NIL"#,
            envelope: #""Thu, 9 Jan 2025 15:30:00 +0200" "Fwd: Minutes" (("Frank" NIL "frank" "example.com")) (("Frank" NIL "frank" "example.com")) (("Frank" NIL "frank" "example.com")) (("Grace" NIL "grace" "example.com")) NIL NIL NIL "<nested-outer@example.com>""#),
        DovecotReference(
            fixture: "nested-rfc822-lf.eml", virtualSize: 1148,
            bodyStructure: #"("text" "plain" ("charset" "us-ascii") "<note@example.com>" "forwarding note" "7bit" 24 1 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("inline" ("foo" "bar")) ("en" "fi") "http://example.com/ note.txt")("message" "rfc822" NIL NIL NIL "7bit" 483 ("Wed, 8 Jan 2025 18:00:00 +0200" "Minutes" (("Heidi" NIL "heidi" "example.com")) (("Heidi" NIL "heidi" "example.com")) (("Heidi" NIL "heidi" "example.com")) ((NIL NIL "team-a" "example.com")(NIL NIL "team-b" "example.com")) NIL NIL "<agenda@example.com>" "<minutes@example.com>") (("text" "html" ("charset" "us-ascii") NIL NIL "8bit" 16 1 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 17 1 NIL NIL NIL NIL) "alternative" ("boundary" "inner") NIL NIL NIL) 23 NIL NIL NIL NIL) "mixed" ("boundary" "outer boundary") NIL NIL NIL"#,
            envelope: #""Thu, 9 Jan 2025 15:30:00 +0200" "Fwd: Minutes" (("Frank" NIL "frank" "example.com")) (("Frank" NIL "frank" "example.com")) (("Frank" NIL "frank" "example.com")) (("Grace" NIL "grace" "example.com")) NIL NIL NIL "<nested-outer@example.com>""#),
        DovecotReference(
            fixture: "nul-bytes-lf.eml", virtualSize: 98,
            bodyStructure: #""application" "octet-stream" NIL NIL NIL "7bit" 19 NIL NIL NIL NIL"#,
            envelope: #"NIL "NUL" ((NIL NIL "pat" "example.com")) ((NIL NIL "pat" "example.com")) ((NIL NIL "pat" "example.com")) NIL NIL NIL NIL NIL"#),
        DovecotReference(
            fixture: "plain-crlf.eml", virtualSize: 531,
            bodyStructure: #""text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 60 6 NIL NIL NIL NIL"#,
            envelope: #""Mon, 6 Jan 2025 09:59:58 +0000" "Lunch on Friday?" (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Bob" NIL "bob" "example.net")) NIL NIL NIL "<20250106095958.1234@example.org>""#),
        DovecotReference(
            fixture: "plain-lf.eml", virtualSize: 531,
            bodyStructure: #""text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 60 6 NIL NIL NIL NIL"#,
            envelope: #""Mon, 6 Jan 2025 09:59:58 +0000" "Lunch on Friday?" (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Bob" NIL "bob" "example.net")) NIL NIL NIL "<20250106095958.1234@example.org>""#),
        DovecotReference(
            fixture: "rfc2231-filename-lf.eml", virtualSize: 505,
            bodyStructure: #"("application" "pdf" ("name" "Résumé – 2025 年.pdf") NIL NIL "base64" 12 NIL ("attachment" ("filename" "Résumé – 2025 年.pdf")) NIL NIL) "mixed" ("boundary" "simple") NIL NIL NIL"#,
            envelope: #""Sun, 12 Jan 2025 12:00:00 +0000" "CV" ((NIL NIL "ivan" "example.com")) ((NIL NIL "ivan" "example.com")) ((NIL NIL "ivan" "example.com")) ((NIL NIL "judy" "example.com")) NIL NIL NIL NIL"#),
    ]
}
