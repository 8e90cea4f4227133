import Foundation
import RoostTesting
import Testing

/// Authenticated-state mailbox commands over real sockets (RFC 3501 section 6.3, CHILDREN RFC 3348,
/// SPECIAL-USE RFC 6154, NAMESPACE RFC 2342, ENABLE RFC 5161, response codes RFC 5530): CREATE,
/// DELETE, RENAME, SUBSCRIBE/UNSUBSCRIBE, LIST/LSUB, NAMESPACE, ENABLE and STATUS.
@Suite struct IMAPMailboxTests {
    /// LIST of a new user's mailboxes: INBOX and the special-use folders made at the first login.
    static let newUserList = [
        #"* LIST (\HasNoChildren) "." INBOX"#,
        #"* LIST (\HasNoChildren \Archive) "." Archive"#,
        #"* LIST (\HasNoChildren \Drafts) "." Drafts"#,
        #"* LIST (\HasNoChildren \Junk) "." Junk"#,
        #"* LIST (\HasNoChildren \Sent) "." Sent"#,
        #"* LIST (\HasNoChildren \Trash) "." Trash"#,
    ]

    /// `LIST "reference" "pattern"`: the untagged lines, checking the completion.
    private static func list(_ client: IMAPTestClient, _ reference: String, _ pattern: String) async throws -> [String] {
        try await list(client, "LIST " + IMAPTestClient.quoted(reference) + " " + IMAPTestClient.quoted(pattern))
    }

    private static func list(_ client: IMAPTestClient, _ command: String) async throws -> [String] {
        let reply = try await client.command(command)
        #expect(reply.completion == "OK LIST completed", "\(reply)")
        return reply.lines
    }

    @Test func newUserGetsSpecialUseFoldersSubscribed() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            #expect(try await Self.list(client, "", "*") == Self.newUserList)
            let lsub = try await client.command(#"LSUB "" "*""#)
            #expect(lsub.lines == ["Archive", "Drafts", "Junk", "Sent", "Trash"].map { #"* LSUB () "." "# + $0 })
            #expect(lsub.completion == "OK LSUB completed")
            for folder in ["Archive", "Drafts", "Junk", "Sent", "Trash"] {
                var isDirectory: ObjCBool = false
                let path = server.maildir(of: "alice") + "/." + folder + "/cur"
                #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue, "\(path)")
            }
            await client.close()
        }
    }

    @Test func createWithTrailingSeparatorParentsAndChineseNames() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            // RFC 3501 section 6.3.3: a trailing separator names the level that will hold children.
            #expect(try await client.command("CREATE Work.").completion == "OK CREATE completed")
            #expect(try await Self.list(client, "", "Work") == [#"* LIST (\HasNoChildren) "." Work"#])
            // "the server SHOULD create any superior hierarchical names that are needed".
            #expect(try await client.command("CREATE a.b.c").isOK)
            #expect(try await Self.list(client, "", "a*") == [
                #"* LIST (\HasChildren) "." a"#, #"* LIST (\HasChildren) "." a.b"#, #"* LIST (\HasNoChildren) "." a.b.c"#,
            ])
            #expect(try await client.command("SELECT a.b").isOK)
            _ = try await client.command("UNSELECT")
            // 已发送 in modified UTF-7 (RFC 3501 section 5.1.3), kept so on disk as Dovecot does.
            #expect(try await client.command("CREATE &XfJT0ZAB-").isOK)
            #expect(try await Self.list(client, "", "&XfJT0ZAB-") == [#"* LIST (\HasNoChildren) "." &XfJT0ZAB-"#])
            #expect(FileManager.default.fileExists(atPath: server.maildir(of: "alice") + "/.&XfJT0ZAB-/cur"))
            // Raw UTF-8 is not a mailbox name on the wire (RFC 3501 section 9: quoted strings are 7-bit).
            let raw = try await client.command("CREATE \"已发送2\"")
            #expect(raw.status == "BAD", "\(raw)")
            // Existing names.
            #expect(try await client.command("CREATE Work").completion.hasPrefix("NO [ALREADYEXISTS] "))
            #expect(try await client.command("CREATE inbox").completion.hasPrefix("NO [ALREADYEXISTS] "))
            await client.close()
        }
    }

    @Test(arguments: ["\"a/b\"", "\"../x\"", "\"..\"", "a..b", ".hidden", "\"\"", "\"%\"", "\"x*y\""])
    func namesTheMaildirCannotHoldAreRefused(name: String) async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            let reply = try await client.command("CREATE " + name)
            #expect(reply.completion.hasPrefix("NO [CANNOT] Invalid mailbox name"), "\(name): \(reply)")
            // Nothing appeared outside or inside the Maildir.
            #expect(try await Self.list(client, "", "*") == Self.newUserList)
            #expect(!FileManager.default.fileExists(atPath: server.maildir(of: "alice") + "/../x"))
            #expect(!FileManager.default.fileExists(atPath: server.maildir(of: "alice") + "/.a/b"))
            await client.close()
        }
    }

    @Test func deleteRules() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            // RFC 3501 section 6.3.4: "It is an error to attempt to delete INBOX or a mailbox name
            // that does not exist."
            #expect(try await client.command("DELETE INBOX").completion == "NO [CANNOT] INBOX cannot be deleted")
            #expect(try await client.command("DELETE Nowhere").completion.hasPrefix("NO [NONEXISTENT] "))
            #expect(try await client.command("DELETE Junk").completion == "OK DELETE completed")
            #expect(try await Self.list(client, "", "Junk") == [])
            // A parent with children keeps its place in the hierarchy as \Noselect.
            #expect(try await client.command("CREATE p.q").isOK)
            #expect(try await client.command("DELETE p").isOK)
            #expect(try await Self.list(client, "", "p*") == [
                #"* LIST (\Noselect \HasChildren) "." p"#, #"* LIST (\HasNoChildren) "." p.q"#,
            ])
            #expect(try await client.command("SELECT p").status == "NO")
            // "It is an error to attempt to delete a name that has inferior hierarchical names and
            // also has the \Noselect mailbox name attribute."
            #expect(try await client.command("DELETE p").completion.hasPrefix("NO [NONEXISTENT] "))
            // The selected mailbox cannot be deleted from under the session.
            _ = try await client.command("SELECT Trash")
            #expect(try await client.command("DELETE Trash").completion.hasPrefix("NO [INUSE] "))
            await client.close()
        }
    }

    @Test func renameMovesChildrenAndSubscriptions() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            #expect(try await client.command("CREATE Projects.2024.Q1").isOK)
            #expect(try await client.command("SUBSCRIBE Projects.2024").isOK)
            // RFC 3501 section 6.3.5: "all of its inferior hierarchical names MUST also be renamed".
            #expect(try await client.command("RENAME Projects Old").completion == "OK RENAME completed")
            #expect(try await Self.list(client, "", "Old*") == [
                #"* LIST (\HasChildren) "." Old"#, #"* LIST (\HasChildren) "." Old.2024"#, #"* LIST (\HasNoChildren) "." Old.2024.Q1"#,
            ])
            #expect(try await Self.list(client, "", "Projects*") == [])
            #expect(try await client.command(#"LSUB "" "Old*""#).lines == [#"* LSUB () "." Old.2024"#])
            // Chinese to Chinese: 草稿 (drafts) to 已发送 (sent).
            #expect(try await client.command("CREATE &g0l6Pw-").isOK)
            #expect(try await client.command("RENAME &g0l6Pw- &XfJT0ZAB-").isOK)
            let all = try await Self.list(client, "", "*")
            #expect(all.contains(#"* LIST (\HasNoChildren) "." &XfJT0ZAB-"#) && !all.contains { $0.hasSuffix("&g0l6Pw-") }, "\(all)")
            // Errors.
            #expect(try await client.command("RENAME Missing Other").completion.hasPrefix("NO [NONEXISTENT] "))
            #expect(try await client.command("RENAME Old Sent").completion.hasPrefix("NO [ALREADYEXISTS] "))
            #expect(try await client.command("RENAME Old a/b").completion.hasPrefix("NO [CANNOT] "))
            await client.close()
        }
    }

    @Test func renameInboxMovesItsMessagesAndLeavesItEmpty() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", "Subject: one\r\n\r\n1\r\n")
            try server.deliver(to: "alice", "Subject: two\r\n\r\n2\r\n")
            let client = try await IMAPTestClient.login(server)
            #expect(try await client.command("CREATE INBOX.Keep").isOK)
            // "It moves all messages in INBOX to a new mailbox with the given new name, leaving INBOX
            // empty. [...] inferior hierarchical names of INBOX [...] are unaffected."
            #expect(try await client.command("RENAME INBOX Saved").completion == "OK RENAME completed")
            #expect(try await client.command("STATUS INBOX (MESSAGES)").lines == ["* STATUS INBOX (MESSAGES 0)"])
            #expect(try await client.command("STATUS Saved (MESSAGES)").lines == ["* STATUS Saved (MESSAGES 2)"])
            #expect(try await Self.list(client, "", "INBOX*") == [
                #"* LIST (\HasChildren) "." INBOX"#, #"* LIST (\HasNoChildren) "." INBOX.Keep"#,
            ])
            #expect(try await client.command("RENAME INBOX INBOX").status == "NO")
            await client.close()
        }
    }

    @Test func subscribeUnsubscribeAndLsub() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            #expect(try await client.command("CREATE News.Tech").isOK)
            #expect(try await client.command("SUBSCRIBE News.Tech").completion == "OK SUBSCRIBE completed")
            #expect(try await client.command("UNSUBSCRIBE Junk").completion == "OK UNSUBSCRIBE completed")
            #expect(try await client.command(#"LSUB "" "*""#).lines == [
                #"* LSUB () "." Archive"#, #"* LSUB () "." Drafts"#, #"* LSUB () "." News.Tech"#,
                #"* LSUB () "." Sent"#, #"* LSUB () "." Trash"#,
            ])
            // RFC 3501 section 6.3.9: with `%`, an unsubscribed parent of a subscribed child is \Noselect.
            #expect(try await client.command(#"LSUB "" "%""#).lines.contains(#"* LSUB (\Noselect) "." News"#))
            // A subscription may name a mailbox that does not exist (section 6.3.6).
            #expect(try await client.command("SUBSCRIBE Ghost").isOK)
            #expect(try await client.command(#"LSUB "" Ghost"#).lines == [#"* LSUB () "." Ghost"#])
            #expect(try await Self.list(client, "", "Ghost") == [])
            // The subscriptions are a file other sessions and Dovecot read.
            let file = try String(contentsOfFile: server.maildir(of: "alice") + "/subscriptions", encoding: .utf8)
            // Dovecot's version 2 format: levels separated by a tab.
            #expect(file.hasPrefix("V\t2\n") && file.contains("\nNews\tTech\n") && file.contains("\nGhost\n"), "\(file)")
            #expect(!file.contains("Junk"), "\(file)")
            await client.close()
        }
    }

    @Test func listPatternsAndChildren() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            for name in ["Work", "Work.Reports", "Work.Reports.2025", "Play"] {
                #expect(try await client.command("CREATE \(name)").isOK)
            }
            // `%` stops at the delimiter, `*` does not (RFC 3501 section 6.3.8).
            #expect(try await Self.list(client, "", "W%") == [#"* LIST (\HasChildren) "." Work"#])
            #expect(try await Self.list(client, "", "Work.%") == [#"* LIST (\HasChildren) "." Work.Reports"#])
            #expect(try await Self.list(client, "", "Work.*") == [
                #"* LIST (\HasChildren) "." Work.Reports"#, #"* LIST (\HasNoChildren) "." Work.Reports.2025"#,
            ])
            #expect(try await Self.list(client, "Work.", "%") == [#"* LIST (\HasChildren) "." Work.Reports"#])
            #expect(try await Self.list(client, "", "%").count == Self.newUserList.count + 2)
            // INBOX in any case; unquoted `*` as curl sends it.
            #expect(try await Self.list(client, "", "inbox") == [#"* LIST (\HasNoChildren) "." INBOX"#])
            #expect(try await Self.list(client, #"LIST "" *"#).count == Self.newUserList.count + 4)
            #expect(try await Self.list(client, "", "Nothing") == [])
            // RFC 3501 section 6.3.8: `LIST "" ""` gives the delimiter and the root.
            #expect(try await Self.list(client, "", "") == [#"* LIST (\Noselect) "." """#])
            let root = try await Self.list(client, "Work.Reports", "")
            #expect(root == [#"* LIST (\Noselect) "." Work."#])
            await client.close()
        }
    }

    @Test func noselectForALevelWithoutAFolder() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            // Another program (Dovecot, an old client) made `.Lists.Swift` without `.Lists`.
            let folder = server.maildir(of: "alice") + "/.Lists.Swift"
            for sub in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
            }
            #expect(try await Self.list(client, "", "Lists*") == [
                #"* LIST (\Noselect \HasChildren) "." Lists"#, #"* LIST (\HasNoChildren) "." Lists.Swift"#,
            ])
            await client.close()
        }
    }

    @Test func namespaceAndEnable() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            // RFC 2342 section 5: one personal namespace, prefix "" and delimiter ".".
            let namespace = try await client.command("NAMESPACE")
            #expect(namespace.lines == [#"* NAMESPACE (("" ".")) NIL NIL"#])
            #expect(namespace.completion == "OK NAMESPACE completed")
            // RFC 5161 section 3.1: nothing enableable is supported, so ENABLED lists nothing.
            let enable = try await client.command("ENABLE CONDSTORE UTF8=ACCEPT")
            #expect(enable.lines == ["* ENABLED"])
            #expect(enable.completion == "OK ENABLE completed")
            // Both need a login.
            let fresh = try await IMAPTestClient.connect(port: server.imapPort)
            #expect(try await fresh.command("NAMESPACE").completion == "BAD Log in first")
            #expect(try await fresh.command("ENABLE CONDSTORE").completion == "BAD Log in first")
            await fresh.close()
            await client.close()
        }
    }

    @Test func statusCountsBeforeAndAfterADelivery() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            let all = "(MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)"
            let empty = try await client.command("STATUS INBOX \(all)")
            let validity = try #require(Self.number(after: "UIDVALIDITY ", in: empty.lines.first ?? ""))
            #expect(validity > 0)
            #expect(empty.lines == ["* STATUS INBOX (MESSAGES 0 RECENT 0 UIDNEXT 1 UIDVALIDITY \(validity) UNSEEN 0)"])
            #expect(empty.completion == "OK STATUS completed")

            try server.deliver(to: "alice", "Subject: a\r\n\r\na\r\n")
            try server.deliver(to: "alice", "Subject: b\r\n\r\nb\r\n")
            let after = try await client.command("STATUS INBOX \(all)")
            #expect(after.lines == ["* STATUS INBOX (MESSAGES 2 RECENT 2 UIDNEXT 3 UIDVALIDITY \(validity) UNSEEN 2)"])
            // Order and subset as asked; INBOX in any case is INBOX.
            let subset = try await client.command("STATUS inbox (UNSEEN MESSAGES)")
            #expect(subset.lines == ["* STATUS INBOX (UNSEEN 2 MESSAGES 2)"])
            // A \Seen message (STORE in another session) leaves UNSEEN; STATUS does not take \Recent.
            let other = try await IMAPTestClient.login(server)
            _ = try await other.command("SELECT INBOX")
            #expect(try await other.command(#"STORE 1 +FLAGS.SILENT (\Seen)"#).isOK)
            await other.close()
            let seen = try await client.command("STATUS INBOX (MESSAGES UNSEEN)")
            #expect(seen.lines == ["* STATUS INBOX (MESSAGES 2 UNSEEN 1)"])
            // A Chinese name comes back as sent.
            #expect(try await client.command("STATUS &XfJT0ZAB- (MESSAGES)").completion.hasPrefix("NO [NONEXISTENT] "))
            #expect(try await client.command("CREATE &XfJT0ZAB-").isOK)
            #expect(try await client.command("STATUS &XfJT0ZAB- (MESSAGES)").lines == ["* STATUS &XfJT0ZAB- (MESSAGES 0)"])
            await client.close()
        }
    }

    @Test func statusOfAMissingMailbox() async throws {
        try await TestServer.with { server in
            let client = try await IMAPTestClient.login(server)
            #expect(try await client.command("STATUS Nowhere (MESSAGES)").completion.hasPrefix("NO [NONEXISTENT] "))
            #expect(try await client.command("STATUS INBOX (FOO)").status == "BAD")
            await client.close()
        }
    }

    private static func number(after prefix: String, in text: String) -> UInt32? {
        guard let range = text.range(of: prefix) else { return nil }
        return UInt32(text[range.upperBound...].prefix { $0.isNumber })
    }
}
