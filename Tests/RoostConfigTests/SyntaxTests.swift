import RoostConfig
import Testing

/// Lines, comments, quoting, line endings and encoding.
@Suite("File syntax")
struct SyntaxTests {
    @Test("files without settings yield the defaults", arguments: [
        "",
        "\n\n\n",
        "   \t \n",
        "# only a comment\n",
        "[mail]\n[auth]\n[log]\n",
        "\u{FEFF}[mail]\n",
        "\r\n\r\n",
    ])
    func emptyFiles(text: String) throws {
        #expect(try RoostConfiguration.parse(text: text, fileName: "empty.conf") == .defaults)
    }

    static let quoting: [(String, String)] = [
        ("location = /a#b", "/a#b"),
        ("location = /a #b", "/a"),
        ("location = /a\t# b", "/a"),
        ("location = /a   ", "/a"),
        ("location=/a", "/a"),
        ("  location\t=\t/a b  # trailing", "/a b"),
        ("location = \"  /x  \"", "  /x  "),
        ("location = \"/a # b\"", "/a # b"),
        ("location = \"a\\\"b\"", "a\"b"),
        ("location = \"a\\\\b\"", "a\\b"),
        ("location = \"/q\" # comment", "/q"),
        ("location = \"/q\"\t", "/q"),
        ("location = a\"b", "a\"b"),
        ("location = a\\b", "a\\b"),
        ("location = = x", "= x"),
        ("index_dir = # nothing but a comment", ""),
        ("index_dir =", ""),
    ]

    @Test("quoting, escapes and trailing comments", arguments: quoting)
    func quotedValues(line: String, expected: String) throws {
        let configuration = try RoostConfiguration.parse(text: "[mail]\n\(line)\n", fileName: "q.conf")
        let actual = line.contains("index_dir") ? configuration.mail.indexDirectory : configuration.mail.location
        #expect(actual == expected)
    }

    static let syntaxErrors: [(String, String)] = [
        ("location = \"abc", "quoted value is missing its closing quote"),
        ("location = \"abc\\", "quoted value is missing its closing quote"),
        ("location = \"a\" b", "unexpected text after closing quote"),
        ("location = \"a\\nb\"", "unknown escape \\n in quoted value; only \\\" and \\\\ are allowed"),
        ("fsync yes", "expected `key = value`, `[section]` or `# comment`"),
        ("= yes", "invalid key name \"\"; use letters, digits and _"),
        ("max-message-size = 1", "invalid key name \"max-message-size\"; use letters, digits and _"),
        ("[mail", "section header is missing its closing ]"),
        ("[]", "invalid section name; use letters, digits and _ as in [mail]"),
        ("[ma il]", "invalid section name; use letters, digits and _ as in [mail]"),
        ("[mail] fsync = no", "unexpected text after section header"),
        ("location = /a\rb", "control character U+000D is not allowed"),
        ("location = /a\u{0}b", "control character U+0000 is not allowed"),
        ("# comment with \u{1B}[31m escape", "control character U+001B is not allowed"),
    ]

    @Test("malformed lines are syntax errors with their line number", arguments: syntaxErrors)
    func syntaxError(line: String, message: String) throws {
        let error = try #require(TestSupport.error(parsing: "[mail]\n\n\(line)\n"))
        #expect(error.kind == .syntax)
        #expect(error.line == 3)
        #expect(error.key == nil)
        #expect(error.message == message)
    }

    @Test("section headers allow blanks and comments around the name")
    func sectionHeaderForms() throws {
        let text = "  [ mail ]  # the mail section\nfsync = no\n[auth]#x\nhash_threads = 3\n"
        let configuration = try RoostConfiguration.parse(text: text, fileName: "s.conf")
        #expect(configuration.mail.fsync == false)
        #expect(configuration.auth.hashThreads == 3)
    }

    @Test("a section may be reopened")
    func reopenedSection() throws {
        let text = "[mail]\nfsync = no\n[auth]\nhash_threads = 8\n[mail]\nowner_user = mailer\n"
        let configuration = try RoostConfiguration.parse(text: text, fileName: "r.conf")
        #expect(configuration.mail.fsync == false)
        #expect(configuration.mail.ownerUser == "mailer")
        #expect(configuration.auth.hashThreads == 8)
    }

    @Test("CRLF, LF and a missing final newline read the same", arguments: ["\n", "\r\n"])
    func lineEndings(newline: String) throws {
        let lines = ["[mail]", "location = /srv/%d/%n", "fsync = off", "[log]", "level = debug"]
        let terminated = try RoostConfiguration.parse(text: lines.joined(separator: newline) + newline, fileName: "e.conf")
        let unterminated = try RoostConfiguration.parse(text: lines.joined(separator: newline), fileName: "e.conf")
        #expect(terminated == unterminated)
        #expect(terminated.mail.location == "/srv/%d/%n")
        #expect(terminated.mail.fsync == false)
        #expect(terminated.log.level == .debug)
    }

    @Test("CRLF line numbers count lines, not terminators")
    func crlfLineNumbers() throws {
        let error = try #require(TestSupport.error(parsing: "[mail]\r\n# c\r\n\r\nfsync = maybe\r\n"))
        #expect(error.line == 4)
        #expect(error.message == "expected yes or no (or true/false, on/off), got \"maybe\"")
    }

    @Test("a byte-order mark is ignored only at the start of the file")
    func byteOrderMark() throws {
        let configuration = try RoostConfiguration.parse(text: "\u{FEFF}[log]\nlevel = error\n", fileName: "b.conf")
        #expect(configuration.log.level == .error)
        let error = try #require(TestSupport.error(parsing: "[log]\n\u{FEFF}level = error\n"))
        #expect(error.kind == .syntax)
        #expect(error.line == 2)
    }

    @Test("quotes are found by scalar, so a combining mark cannot merge into a quote")
    func combiningMarkAfterQuote() throws {
        let error = try #require(TestSupport.error(parsing: "[mail]\nowner_user = \"e\"\u{301}\n"))
        #expect(error.kind == .syntax)
        #expect(error.message == "unexpected text after closing quote")
        let quoted = try RoostConfiguration.parse(text: "[mail]\nowner_user = \"x\u{301}\"\n", fileName: "u.conf")
        #expect(quoted.mail.ownerUser == "x\u{301}")
    }
}
