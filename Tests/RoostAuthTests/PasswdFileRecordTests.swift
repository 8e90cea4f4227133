import Testing
@testable import RoostAuth

@Suite("passwd-file line parsing")
struct PasswdFileRecordTests {
    typealias Field = PasswdFileRecord.ExtraField

    struct Case: Sendable, CustomStringConvertible {
        var line: String
        var expected: PasswdFileRecord
        var description: String { line }
    }

    static let valid: [Case] = [
        Case(
            line: "bob:{PLAIN}secret:1000:1001:Bob B:/home/bob:/bin/false:userdb_mail=maildir:/x userdb_quota_rule=*:storage=1G nologin",
            expected: PasswdFileRecord(
                user: "bob", password: "{PLAIN}secret", uid: 1000, gid: 1001, gecos: "Bob B", home: "/home/bob",
                shell: "/bin/false", extraFields: [
                    Field(key: "userdb_mail", value: "maildir:/x"), Field(key: "userdb_quota_rule", value: "*:storage=1G"),
                    Field(key: "nologin", value: nil),
                ]
            )
        ),
        Case(line: "alice@example.org:{SHA256}abc", expected: PasswdFileRecord(user: "alice@example.org", password: "{SHA256}abc")),
        Case(line: "carol", expected: PasswdFileRecord(user: "carol", password: nil)),
        Case(line: "dave:{PLAIN}x::::::", expected: PasswdFileRecord(user: "dave", password: "{PLAIN}x")),
        Case(
            line: "erin:{PLAIN}x:1001:1001::/home/erin:/bin/sh::maildir:~/Maildir",
            expected: PasswdFileRecord(
                user: "erin", password: "{PLAIN}x", uid: 1001, gid: 1001, home: "/home/erin", shell: "/bin/sh",
                extraFields: [Field(key: "userdb_mail", value: "maildir:~/Maildir")]
            )
        ),
        Case(
            line: "frank::::::: quota_storage=2G  userdb_home=/srv/frank ",
            expected: PasswdFileRecord(
                user: "frank", password: nil,
                extraFields: [Field(key: "quota_storage", value: "2G"), Field(key: "userdb_home", value: "/srv/frank")]
            )
        ),
    ]

    @Test(arguments: PasswdFileRecordTests.valid)
    func parsesValidLines(_ testCase: Case) throws {
        let record = try PasswdFileRecord(parsingLine: Substring(testCase.line))
        #expect(record == testCase.expected)
        // Writing the record back and reading it again gives the same record.
        #expect(try PasswdFileRecord(parsingLine: Substring(record.line)) == record)
    }

    @Test(arguments: [
        (":{PLAIN}x", "empty user name"),
        ("bob:x:abc", "uid 'abc' is not a number"),
        ("bob:x:1000:-1", "gid '-1' is not a number"),
        ("bob:x:0:1000", "uid 0 is not allowed"),
        ("bob:x:1000:1000:::: =v", "extra field '=v' has no name"),
        ("bob:x:99999999999", "uid '99999999999' is not a number"),
    ])
    func rejectsInvalidLines(_ line: String, _ reason: String) {
        #expect(throws: PasswdFileRecordError(reason: reason)) { try PasswdFileRecord(parsingLine: Substring(line)) }
    }

    /// Separators are bytes: a combining mark after `:` or a space does not hide it, as it would
    /// in a `Character`-wise split (Dovecot splits bytes too).
    @Test func separatorsAreFoundByteWise() throws {
        #expect(throws: PasswdFileRecordError(reason: "uid '\u{301}5' is not a number")) {
            try PasswdFileRecord(parsingLine: "bob:x:\u{301}5")
        }
        let record = try PasswdFileRecord(parsingLine: "bob:x:::::: a=1 \u{301}b=2 c=\u{301}")
        #expect(record.password == "x")
        #expect(record.extraFields == [Field(key: "a", value: "1"), Field(key: "\u{301}b", value: "2"), Field(key: "c", value: "\u{301}")])
        #expect(PasswdFileLine("bob:\u{301}x:y").claimedUser == "bob")
    }

    @Test(arguments: ["0", "00", "000", "+0", "-0", "0x0", " 1", "1 ", "\u{FF11}", "4294967296"])
    func idColumnsAcceptOnlyASCIIDigitsAndNotZero(_ text: String) {
        #expect(throws: PasswdFileRecordError.self) { try PasswdFileRecord.parseID(text, what: "uid") }
    }

    @Test func idColumnsReadDigits() throws {
        #expect(try PasswdFileRecord.parseID("", what: "uid") == nil)
        #expect(try PasswdFileRecord.parseID("0042", what: "uid") == 42)
        #expect(try PasswdFileRecord.parseID("4294967295", what: "uid") == UInt32.max)
    }

    @Test func classifiesLinesAndKeepsTheirText() throws {
        let text = "# users\n\n  \t\nbob:{PLAIN}x\r\n  # indented comment\nbad:x:zz\n"
        let lines = PasswdFileLine.lines(of: text)
        try #require(lines.count == 6)
        #expect(lines[0] == .comment("# users"))
        #expect(lines[1] == .blank(""))
        #expect(lines[2] == .blank("  \t"))
        #expect(lines[3].claimedUser == "bob")
        #expect(lines[3].text == "bob:{PLAIN}x")
        #expect(lines[4] == .comment("  # indented comment"))
        #expect(lines[5] == .invalid(raw: "bad:x:zz", reason: "uid 'zz' is not a number"))
        #expect(lines[5].claimedUser == "bad")
    }

    @Test func splitsPassdbAndUserdbFields() throws {
        let record = try PasswdFileRecord(parsingLine: "u:p:::::: nologin reason=moved userdb_mail=mbox:~/mail userdb_=x")
        #expect(record.passdbFields == ["nologin": "", "reason": "moved"])
        #expect(record.userdbFields == ["mail": "mbox:~/mail"])
        #expect(record.extraField("reason") == "moved")
        #expect(record.extraField("missing") == nil)
    }
}
