import Foundation
import RoostTesting
import Testing

/// A Maildir written by Dovecot keeps its POP3 UIDLs, so clients do not download everything again.
@Suite struct POP3DovecotMigrationTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RoostStorageTests/Fixtures/dovecot-maildir").path

    @Test func uidlsMatchDovecots() async throws {
        try await TestServer.with { server in
            let target = server.maildir(of: "alice")
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.fixture, toPath: target)
            for sub in ["tmp"] { try? FileManager.default.createDirectory(atPath: target + "/" + sub, withIntermediateDirectories: true) }

            let client = try await ScriptedClient.connect(port: server.pop3Port)
            _ = try await client.readLine()
            _ = try await client.command("USER alice")
            #expect(try await client.command("PASS \(TestUser.alice.password)").hasPrefix("+OK"))
            try await client.send("UIDL")
            #expect(try await client.readLine().hasPrefix("+OK"))
            let lines = try await client.readMultiline()
            // What Dovecot 2.3 answered for this Maildir (pop3_uidl_format %08Xu%08Xv).
            let dovecot = ["000000016b04953f", "000000036b04953f", "000000046b04953f",
                           "000000056b04953f", "000000066b04953f", "000000076b04953f"]
            #expect(Array(lines.prefix(6)) == dovecot.enumerated().map { "\($0.offset + 1) \($0.element)" })
            // The message an MTA dropped into new/ afterwards gets the next UID.
            #expect(lines.count == 7)
            #expect(lines.last == "7 000000086b04953f")
            _ = try await client.command("QUIT")
        }
    }
}
