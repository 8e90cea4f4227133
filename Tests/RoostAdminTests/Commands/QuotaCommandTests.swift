import Foundation
import Testing
@testable import RoostAdmin

@Suite("mailboxctl quota")
struct QuotaCommandTests {
    @Test func showUsesConfigurationLimits() async throws {
        let environment = try AdminTestEnvironment(mail: ["quota_storage = 1M", "quota_messages = 10"])
        try await environment.addUser("bob")
        let message = sampleMessage()
        try environment.deliver(message, to: "bob")
        _ = await environment.run("quota", "recalc", "bob")
        let result = await environment.run("quota", "show", "bob")
        #expect(result.code == 0, "\(result)")
        let size = message.utf8.count
        let rows = result.lines.map { $0.split(separator: " ").map(String.init) }
        #expect(rows == [
            ["QUOTA", "USED", "LIMIT", "%", "LIMIT", "FROM"],
            ["storage", "\(size)", "1048576", "0", "mail.quota_storage"],
            ["messages", "1", "10", "10", "mail.quota_messages"],
        ], "\(result)")
    }

    @Test func perUserLimitsWin() async throws {
        let environment = try AdminTestEnvironment(mail: ["quota_storage = 1M"])
        try await environment.addUser("bob", "--quota-storage", "unlimited", "--quota-messages", "5")
        let result = await environment.run("quota", "show", "bob")
        let rows = result.lines.map { $0.split(separator: " ").map(String.init) }
        #expect(rows.dropFirst().first == ["storage", "0", "unlimited", "-", "user"])
        #expect(rows.dropFirst(2).first == ["messages", "0", "5", "0", "user"])
    }

    @Test func recalcRewritesMaildirsize() async throws {
        let environment = try AdminTestEnvironment()
        try await environment.addUser("bob")
        try environment.deliver(sampleMessage(), to: "bob")
        try environment.deliver(sampleMessage(), to: "bob", flags: "S")
        try environment.write("mail/bob/maildirsize", "\n999 999\n")
        let result = await environment.run("quota", "recalc", "bob")
        #expect(result.code == 0, "\(result)")
        #expect(result.lines.first == "recalculated \(environment.maildir("bob"))/maildirsize")
        let text = try environment.read("mail/bob/maildirsize")
        #expect(text.hasSuffix(" 2\n"))
        #expect(!text.contains("999"))
    }
}
