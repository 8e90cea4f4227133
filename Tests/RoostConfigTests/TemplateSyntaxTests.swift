import Foundation
@testable import RoostConfig
import Testing

/// `%` placeholders in `mail.location` and `mail.index_dir` are checked when the file is read.
@Suite("Template placeholders")
struct TemplateSyntaxTests {
    static let invalid: [(String, String, String)] = [
        ("location", "/var/vmail/%x/%n", "unknown variable %x"),
        ("location", "/var/vmail/%d/%", "a % at the end; write %% for a literal %"),
        ("location", "/var/vmail/%L", "%L at the end needs a variable"),
        ("location", "/var/vmail/%{uid}", "unknown variable %{uid}"),
        ("location", "/var/vmail/%{user", "%{ without a closing }"),
        ("index_dir", "/var/index/%Lq", "unknown variable %Lq"),
    ]

    @Test("an unknown or incomplete placeholder names the file, line and key", arguments: invalid)
    func invalidTemplate(key: String, value: String, reason: String) throws {
        let text = "# mail storage\n[mail]\n\(key) = \(value)\n"
        let error = try #require(TestSupport.error(parsing: text, fileName: "/etc/roost/roostd.conf"))
        #expect(error.kind == .invalidValue)
        #expect(error.line == 3)
        #expect(error.key == "mail.\(key)")
        #expect(error.description.hasPrefix("/etc/roost/roostd.conf:3: mail.\(key): expected "))
        #expect(error.message.contains("(\(reason)"))
    }

    @Test("the example in docs/configuration.md is the real message")
    func documentedExample() throws {
        let error = try #require(TestSupport.error(
            parsing: "# Roost\n[mail]\nfsync = yes\nlocation = /var/vmail/%x/%n\n", fileName: "/etc/roost/roostd.conf"))
        let docs = try String(contentsOf: TestSupport.repositoryFile("docs/configuration.md"), encoding: .utf8)
        #expect(docs.contains("\n" + error.description + "\n"), "\(error.description)")
    }

    @Test("every placeholder MailLocationTemplate knows is accepted",
          arguments: ["/v/%u/%n/%d/%h", "/v/%Lu/%Ln/%Ld/%Lh", "/v/%{user}/%{username}/%{domain}/%{home}", "/v/100%%", "/v/%L{domain}"])
    func validTemplate(value: String) throws {
        #expect(try TestSupport.parse("mail", "location", value).mail.location == value)
        #expect(try TestSupport.parse("mail", "index_dir", value).mail.indexDirectory == value)
    }

    /// RoostConfig cannot import RoostAuth, so both test suites run the same table (kept with the
    /// RoostAuth fixtures) against their own checker: `TemplateSyntax` here, `MailLocationTemplate`
    /// in RoostAuthTests.
    @Test("agrees with MailLocationTemplate on the shared fixture")
    func sharedFixture() throws {
        let url = TestSupport.repositoryFile("Tests/RoostAuthTests/Fixtures/template-syntax.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            try #require(columns.count == 2, "malformed fixture line \(line.debugDescription)")
            let template = String(columns[1])
            let accepted = (try? TemplateSyntax.check(template)) != nil
            #expect(accepted == (columns[0] == "valid"), "\(template.debugDescription)")
            rows += 1
        }
        #expect(rows >= 20)
    }
}
