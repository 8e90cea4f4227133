import Testing
@testable import RoostAuth

@Suite("Mail location templates, static userdb and quota fields")
struct MailLocationTemplateTests {
    @Test(arguments: [
        ("/var/vmail/%d/%n", "bob@example.org", "/home/bob", "/var/vmail/example.org/bob"),
        ("maildir:%h/Maildir", "bob@example.org", "/home/bob", "maildir:/home/bob/Maildir"),
        ("%u", "bob@example.org", nil, "bob@example.org"),
        ("/m/%Ld/%Ln", "Bob@Example.ORG", nil, "/m/example.org/bob"),
        ("/m/%{domain}/%{username}/%{user}", "a@b.c", nil, "/m/b.c/a/a@b.c"),
        ("100%% /x/%n%d", "local", nil, "100% /x/local"),
        ("%{home}/mail", "x", "/h", "/h/mail"),
        // Dovecot splits at the first '@': %n is t_strcut(user, '@'), %d is strchr(user, '@') + 1.
        ("/m/%d/%n", "a@b@c", nil, "/m/b@c/a"),
        ("/m/%u/%n/%d", "bare", nil, "/m/bare/bare/"),
        ("/m/%n%u\u{301}", "x@y", nil, "/m/xx@y\u{301}"),
    ] as [(String, String, String?, String)])
    func expands(_ template: String, _ user: String, _ home: String?, _ expected: String) throws {
        #expect(try MailLocationTemplate(template).expand(user: user, home: home) == expected)
    }

    @Test(arguments: [
        ("/x/%q", MailLocationTemplate.TemplateError.unknownVariable("%q")),
        ("/x/%", .incompleteVariable),
        ("/x/%L", .incompleteVariable),
        ("/x/%{user", .incompleteVariable),
        ("/x/%{uid}", .unknownVariable("%{uid}")),
        ("/x/%L%", .unknownVariable("%L%")),
        ("/x/%\u{301}u", .unknownVariable("%\u{301}")),
    ])
    func rejectsBadTemplates(_ template: String, _ error: MailLocationTemplate.TemplateError) {
        #expect(throws: error) { try MailLocationTemplate(template) }
    }

    @Test(arguments: [
        ("../x@example.org", "%n"), ("a@../etc", "%d"), ("..@example.org", "%n"), ("a@.", "%d"), ("a\u{1}b@x", "%n"),
        // A slash followed by a combining mark is one Character but still a '/' byte in the path.
        ("a/\u{301}b@example.org", "%n"), ("a@x/\u{301}y", "%d"), ("a@b@/\u{301}..", "%d"),
    ])
    func refusesValuesThatEscapeThePath(_ user: String, _ variable: String) throws {
        let template = try MailLocationTemplate("/var/vmail/%d/%n")
        let error = #expect(throws: MailLocationTemplate.TemplateError.self) { try template.expand(user: user, home: nil) }
        guard case .unsafeValue(let refused, _) = error else {
            Issue.record("expected unsafeValue, got \(String(describing: error))")
            return
        }
        #expect(refused == variable)
    }

    /// The rows RoostConfig's `TemplateSyntax` is tested against too, so both accept the same
    /// `mail.location` values.
    @Test func sharedTemplateSyntaxFixture() {
        #expect(TemplateSyntaxFixture.rows.count >= 20)
        for row in TemplateSyntaxFixture.rows {
            #expect(((try? MailLocationTemplate(row.template)) != nil) == row.valid, "\(row.template.debugDescription)")
        }
    }

    @Test func homeIsRequiredWhenUsed() throws {
        #expect(throws: MailLocationTemplate.TemplateError.missingHome) {
            try MailLocationTemplate("%h/Maildir").expand(user: "x", home: nil)
        }
        #expect(try MailLocationTemplate("%h").usesHome)
        #expect(try !MailLocationTemplate("%u").usesHome)
    }

    @Test func staticUserDBGivesEveryoneTheSameShape() async throws {
        let userdb = StaticUserDB(
            uid: 5000, gid: 5000, homeTemplate: try MailLocationTemplate("/var/vmail/%d/%n"),
            mailTemplate: try MailLocationTemplate("maildir:%h/Maildir"), quota: QuotaOverride(messages: .limit(10))
        )
        let record = try #require(try await userdb.lookup(user: "bob@example.org"))
        #expect(record == UserRecord(
            user: "bob@example.org", uid: 5000, gid: 5000, home: "/var/vmail/example.org/bob",
            mailLocation: "maildir:/var/vmail/example.org/bob/Maildir", quota: QuotaOverride(messages: .limit(10))
        ))
        await #expect(throws: MailLocationTemplate.TemplateError.self) { try await userdb.lookup(user: "../root@x") }
    }

    @Test(arguments: [
        (["quota_rule": "*:storage=1G"], QuotaOverride(storageBytes: .limit(1 << 30))),
        (["quota_rule": "*:storage=2048"], QuotaOverride(storageBytes: .limit(2048 * 1024))),
        (["quota_rule": "*:bytes=1000:messages=50"], QuotaOverride(storageBytes: .limit(1000), messages: .limit(50))),
        (["quota_rule": "*:storage=0"], QuotaOverride(storageBytes: .unlimited)),
        (["quota_rule": "Trash:storage=+100M"], QuotaOverride()),
        (["quota_rule": "*:storage=+10%"], QuotaOverride()),
        (["quota_rule2": "*:messages=7"], QuotaOverride(messages: .limit(7))),
        (["quota_storage_size": "512M", "quota_message_count": "unlimited"], QuotaOverride(storageBytes: .limit(512 << 20), messages: .unlimited)),
        (["quota_storage": "100", "quota_messages": "3"], QuotaOverride(storageBytes: .limit(100), messages: .limit(3))),
        (["quota_rule": "*:storage=1G", "quota_storage_size": "2G"], QuotaOverride(storageBytes: .limit(2 << 30))),
        (["quota_messages": "5k"], QuotaOverride()),
        (["quota_storage": "99999999999999999999T"], QuotaOverride()),
        (["quota_storage": "1Q"], QuotaOverride()),
    ] as [([String: String], QuotaOverride)])
    func readsQuotaFields(_ fields: [String: String], _ expected: QuotaOverride) {
        #expect(QuotaOverride(fields: fields) == expected)
    }
}
