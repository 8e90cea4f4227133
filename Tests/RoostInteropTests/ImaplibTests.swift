import Foundation
import RoostTesting
import Testing

/// Python's imaplib (the standard library's IMAP client) against the real server: STARTTLS and
/// IMAPS, LOGIN and SASL (PLAIN, LOGIN, CRAM-MD5), mailbox management with Chinese names in
/// modified UTF-7, every selected-state command of RFC 3501 with UIDPLUS, MOVE and UNSELECT, and
/// IDLE (sent by hand: imaplib before Python 3.14 has no `idle()`).
///
/// Each test runs a Python script that records every call as JSON (status, data lines, literals
/// and the untagged responses it left); the assertions are here, on the report and on the Maildir.
@Suite struct ImaplibTests {
    /// STARTTLS from a non-local address (LOGINDISABLED until TLS), then ID, NAMESPACE and the
    /// life of a few mailboxes: CREATE with a hierarchy and a Chinese name, LIST patterns,
    /// SUBSCRIBE, STATUS, RENAME, UNSUBSCRIBE and DELETE.
    @Test func startTLSAndMailboxes() async throws {
        try await TestServer.with(remoteClients: true) { (server: TestServer) async throws in
            let report = try await runPython(Self.mailboxesScript, server: server, port: server.imapPort)

            let before = try report.value("capabilitiesBeforeTLS")
            #expect(before.contains("STARTTLS") && before.contains("LOGINDISABLED"), "\(before)")
            #expect(!before.contains { $0.hasPrefix("AUTH=") }, "\(before)")
            #expect(try report.command("starttls").status == "OK")
            #expect(try report.value("tls").first?.hasPrefix("TLSv1.") == true)
            let after = try report.value("capabilitiesAfterTLS")
            #expect(after.contains("AUTH=PLAIN") && after.contains("IMAP4REV1") && after.contains("IDLE"), "\(after)")
            #expect(!after.contains("STARTTLS") && !after.contains("LOGINDISABLED"), "\(after)")
            #expect(try report.command("login").status == "OK")

            let id = try report.command("id")
            #expect(id.status == "OK")
            #expect(id.untagged["ID"]?.first?.contains(#""name" "Roost""#) == true, "\(id)")
            #expect(try report.command("namespace").lines == [#"(("" ".")) NIL NIL"#])
            #expect(try report.command("listInitial").lines == [
                #"(\HasNoChildren) "." INBOX"#, #"(\HasNoChildren \Archive) "." Archive"#, #"(\HasNoChildren \Drafts) "." Drafts"#,
                #"(\HasNoChildren \Junk) "." Junk"#, #"(\HasNoChildren \Sent) "." Sent"#, #"(\HasNoChildren \Trash) "." Trash"#,
            ])
            #expect(try report.command("lsubInitial").lines == ["Archive", "Drafts", "Junk", "Sent", "Trash"].map { #"() "." "# + $0 })
            // The script's encoder and decoder against RFC 3501 section 5.1.3's example.
            #expect(try report.value("mutf7") == ["~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/台北/日本語"])

            // 工作.报告 & 总结 ("work.report & summary"), renamed to 归档.2025 年报告 ("archive.2025 annual report").
            let reports = #""&XeVPXA-.&YqVUSg- &- &YDt+0w-""#
            let renamed = #""&X1JoYw-.2025 &XnRipVRK-""#
            for key in ["createProjects", "createChild", "createChinese"] {
                #expect(try report.command(key).status == "OK", "\(key)")
            }
            try expectFailure(report, "createExisting", code: "ALREADYEXISTS")
            #expect(try report.command("listProjects").lines == [#"(\HasChildren) "." Projects"#, #"(\HasNoChildren) "." Projects.Roost"#])
            #expect(try report.command("listChinese").lines == [#"(\HasNoChildren) "." "# + reports])
            #expect(try report.command("listParent").lines == [#"(\HasChildren) "." &XeVPXA-"#])
            let subscribed = try report.command("lsubAfterSubscribe").lines
            #expect(subscribed.contains(#"() "." Projects.Roost"#) && subscribed.contains(#"() "." "# + reports), "\(subscribed)")
            #expect(try report.command("statusChinese").lines.first?.hasPrefix(reports + " (MESSAGES 0 RECENT 0 UIDNEXT 1 UIDVALIDITY ") == true)
            #expect(try report.command("renameChinese").status == "OK")
            try expectFailure(report, "statusOldName", code: "NONEXISTENT")
            #expect(try report.command("statusRenamed").lines == [renamed + " (MESSAGES 0 UIDNEXT 1)"])
            // The subscription moved with the rename; Projects.Roost's went away with UNSUBSCRIBE.
            let unsubscribed = try report.command("lsubAfterUnsubscribe").lines
            #expect(!unsubscribed.contains(#"() "." Projects.Roost"#) && unsubscribed.contains(#"() "." "# + renamed), "\(unsubscribed)")

            // RFC 3501 section 6.3.4: deleting a name with inferiors leaves it \Noselect.
            #expect(try report.command("deleteParentWithChild").status == "OK")
            #expect(try report.command("listAfterParentDelete").lines == [#"(\Noselect \HasChildren) "." Projects"#, #"(\HasNoChildren) "." Projects.Roost"#])
            try expectFailure(report, "selectDeletedParent", code: "NONEXISTENT")
            #expect(try report.command("deleteChild").status == "OK")
            #expect(try report.command("deleteRenamed").status == "OK")
            try expectFailure(report, "deleteMissing", code: "NONEXISTENT")
            // CREATE and RENAME made the superior names 工作 and 归档 (RFC 3501 section 6.3.3); they stay.
            #expect(try report.value("names").sorted() == ["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash", "工作", "归档"])
            #expect(try report.command("logout").status == "BYE")

            // On disk: Maildir++ folders named in modified UTF-7, as Dovecot names them.
            let folders = try FileManager.default.contentsOfDirectory(atPath: server.maildir(of: "alice")).filter { $0.hasPrefix(".") }
            #expect(folders.sorted() == [".&X1JoYw-", ".&XeVPXA-", ".Archive", ".Drafts", ".Junk", ".Sent", ".Trash"])
        }
    }

    /// IMAPS and AUTHENTICATE PLAIN, then the selected state: FETCH (byte-exact BODY[]),
    /// SEARCH (with CHARSET UTF-8 and Chinese), APPEND, STORE, COPY, UID MOVE, EXPUNGE,
    /// UID EXPUNGE, CHECK, EXAMINE, UNSELECT and CLOSE; then the Maildir is checked file by file.
    @Test func imapsMessages() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliverInteropMail()
            try server.deliver(to: "alice", Self.chineseMessage)
            let originals = InteropMail.allCRLF + [Self.chineseMessage]
            let report = try await runPython(Self.messagesScript, server: server, host: "localhost", port: server.imapsPort)

            #expect(try report.value("tls").first?.hasPrefix("TLSv1.") == true)
            let capabilities = try report.value("capabilities")
            #expect(capabilities.contains("AUTH=PLAIN") && !capabilities.contains("STARTTLS"), "\(capabilities)")
            #expect(try report.command("authenticate").status == "OK")

            let select = try report.command("select")
            #expect(select.lines == ["4"])
            #expect(select.untagged["RECENT"] == ["4"] && select.untagged["UIDNEXT"] == ["5"], "\(select)")
            #expect(select.untagged["READ-WRITE"] != nil && select.untagged["PERMANENTFLAGS"]?.first?.contains(#"\*"#) == true, "\(select)")
            // Message-ID to sequence number and UID, as the script found them.
            var numbers: [String: (sequence: String, uid: String)] = [:]
            for line in try report.value("numbers") {
                let fields = line.split(separator: " ").map(String.init)
                numbers[fields[0]] = (fields[1], fields[2])
            }
            let dotted = try #require(numbers["<dotted@roost.test>"])
            let bare = try #require(numbers["<bare-lf@roost.test>"])
            let chinese = try #require(numbers["<chinese@roost.test>"])

            // FETCH: sizes and BODY[] byte for byte (bare LF sent as CRLF), ENVELOPE and BODYSTRUCTURE.
            let summary = try report.command("fetchSummary")
            #expect(summary.lines.count == 4)
            let sizes = summary.lines.compactMap { $0.firstMatch(of: /RFC822\.SIZE (\d+)/).map { Int($0.1)! } }
            #expect(sizes.sorted() == originals.map(\.utf8.count).sorted(), "\(summary.lines)")
            let chineseSummary = summary.lines.first { $0.hasPrefix(chinese.sequence + " ") } ?? ""
            #expect(chineseSummary.contains(#"ENVELOPE (NIL "=?UTF-8?B?56ys5LiJ5a2j5bqm5oql5ZGK?=" (("=?UTF-8?B?5p2O6Zu3?=" NIL "lilei" "example.org"))"#), "\(chineseSummary)")
            #expect(chineseSummary.contains(#"BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "BASE64" 58 1 "#), "\(chineseSummary)")
            let bodies = try report.command("fetchBodies")
            #expect(bodies.literalTexts.sorted() == originals.sorted())
            for (line, literal) in zip(bodies.lines.filter { $0 != ")" }, bodies.literalTexts) {
                #expect(line.hasSuffix("RFC822.SIZE \(literal.utf8.count) BODY[] {\(literal.utf8.count)}"), "\(line)")
            }
            let sections = try report.command("fetchSections")
            let chineseLines = Self.chineseMessage.components(separatedBy: "\r\n")
            let body = try #require(chineseLines.last { !$0.isEmpty })
            #expect(sections.literalTexts == [chineseLines[0] + "\r\n" + chineseLines[2] + "\r\n\r\n", body + "\r\n", String(body.dropFirst(4).prefix(8))])
            #expect(sections.lines.contains(" BODY[TEXT]<4> {8}"), "\(sections.lines)")
            let seen = try report.command("fetchSeen")
            #expect(seen.literalTexts == [InteropMail.dotted] && seen.lines.last?.contains(#"\Seen"#) == true, "\(seen)")

            // SEARCH, including CHARSET UTF-8 with Chinese in a literal on decoded headers and a base64 body.
            #expect(try report.command("searchAll").lines == ["1 2 3 4"])
            #expect(try report.command("searchSubject").lines == [dotted.sequence])
            #expect(try report.command("searchSeen").lines == [dotted.sequence])
            #expect(try report.command("searchHeader").lines == [try #require(numbers["<short@roost.test>"]).sequence])
            for key in ["searchChineseSubject", "searchChineseFrom", "searchChineseBody"] {
                #expect(try report.command(key).lines == [chinese.sequence], "\(key)")
            }
            #expect(try report.command("uidSearchChinese").lines == [chinese.uid])
            let badCharset = try report.command("searchBadCharset")
            #expect(badCharset.status == "NO" && badCharset.untagged["BADCHARSET"] == ["(UTF-8 US-ASCII)"], "\(badCharset)")

            // APPEND with flags, a keyword and a date; into the selected mailbox: EXISTS at once.
            let draftAppend = try report.command("appendDrafts")
            #expect(draftAppend.lines.first?.wholeMatch(of: /\[APPENDUID \d+ 1\] APPEND completed/) != nil, "\(draftAppend)")
            let inboxAppend = try report.command("appendInbox")
            #expect(inboxAppend.lines.first?.wholeMatch(of: /\[APPENDUID \d+ 5\] APPEND completed/) != nil, "\(inboxAppend)")
            #expect(inboxAppend.untagged["EXISTS"] == ["5"], "\(inboxAppend)")
            // Appended into the selected mailbox: \Recent for this session, the first to see it.
            let note = try report.command("fetchNote")
            #expect(note.literalTexts == [Self.noteMessage] && note.lines.first?.contains(#"FLAGS (\Flagged \Recent)"#) == true, "\(note)")

            // STORE, COPY, UID MOVE, EXPUNGE and UID EXPUNGE.
            #expect(try report.command("storeAdd").lines == [dotted.sequence + #" (FLAGS (\Flagged \Seen $Important \Recent))"#])
            #expect(try report.command("storeRemove").lines == [dotted.sequence + #" (FLAGS (\Seen $Important \Recent))"#])
            #expect(try report.command("storeSilent").lines == ["None"])
            #expect(try report.command("uidStoreReplace").lines.first?.hasSuffix(#" (FLAGS (\Deleted \Seen \Recent) UID \#(numbers["<short@roost.test>"]?.uid ?? ""))"#) == true)
            let copy = try report.command("copy")
            #expect(copy.lines.first?.wholeMatch(of: try Regex(#"\[COPYUID \d+ \#(dotted.uid) 1\] COPY completed"#)) != nil, "\(copy)")
            try expectFailure(report, "copyMissing", code: "TRYCREATE")
            let move = try report.command("uidMove")
            #expect(move.status == "OK" && move.untagged["EXPUNGE"] == [bare.sequence], "\(move)")
            #expect(move.untagged["COPYUID"]?.first?.wholeMatch(of: try Regex(#"\d+ \#(bare.uid) 1"#)) != nil, "\(move)")
            #expect(try report.command("expunge").lines.count == 1)
            let remaining = try report.command("fetchAfterExpunge").lines.compactMap { $0.firstMatch(of: /UID (\d+)/).map { String($0.1) } }
            #expect(remaining == [dotted.uid, chinese.uid, "5"].sorted { Int($0)! < Int($1)! })
            #expect(try report.command("uidExpunge").untagged["EXPUNGE"] == ["3"])
            #expect(try report.command("undelete").lines.first?.contains(#"\Deleted"#) == false)
            #expect(try report.command("check").status == "OK")
            #expect(try report.command("statusInbox").lines == ["INBOX (MESSAGES 2 UNSEEN 1 UIDNEXT 6)"])

            // EXAMINE is read-only; UNSELECT leaves \Deleted messages, CLOSE expunges them.
            let examine = try report.command("examineDrafts")
            #expect(examine.untagged["READ-ONLY"] != nil && examine.untagged["PERMANENTFLAGS"] == ["()"], "\(examine)")
            let draft = try report.command("fetchDraft")
            #expect(draft.lines.first == #"1 (FLAGS (\Seen \Draft $Label1) INTERNALDATE "29-Feb-2024 05:45:10 +0000" RFC822.SIZE \#(Self.draftMessage.utf8.count) BODY[] {\#(Self.draftMessage.utf8.count)}"#)
            #expect(draft.literalTexts == [Self.draftMessage])
            try expectFailure(report, "storeReadOnly", code: "READ-ONLY")
            #expect(try report.command("unselectDrafts").status == "OK")
            #expect(try report.command("storeArchive").lines == [#"1 (FLAGS (\Deleted \Seen $Important))"#])
            #expect(try report.command("unselectArchive").status == "OK")
            #expect(try report.command("selectTrash").lines == ["1"])
            #expect(try report.command("closeTrash").status == "OK")
            #expect(try report.value("stateAfterClose") == ["AUTH"])
            #expect(try report.command("statusTrash").lines == ["Trash (MESSAGES 0)"])
            #expect(try report.command("statusArchive").lines == ["Archive (MESSAGES 1)"])
            #expect(try report.command("logout").status == "BYE")

            // The Maildir: Dovecot's flag letters, keywords by index in dovecot-keywords.
            #expect(try server.storedMessages().sorted() == [
                StoredMessage(content: InteropMail.dotted, flags: "Sa"), StoredMessage(content: Self.chineseMessage, flags: "R"),
            ].sorted())
            #expect(try String(contentsOfFile: server.maildir(of: "alice") + "/dovecot-keywords", encoding: .utf8) == "0 $Important\n")
            #expect(try server.storedMessages(folder: "Archive") == [StoredMessage(content: InteropMail.dotted, flags: "STa")])
            #expect(try server.storedMessages(folder: "Trash") == [])
            #expect(try server.storedMessages(folder: "Drafts") == [StoredMessage(content: Self.draftMessage, flags: "DSa")])
            let draftFile = try #require(server.messageFiles(of: "alice", folder: "Drafts").first)
            let modified = try FileManager.default.attributesOfItem(atPath: draftFile)[.modificationDate] as? Date
            // 29-Feb-2024 13:45:10 +0800, the APPEND date, is the file's mtime.
            #expect(modified == Date(timeIntervalSince1970: 1_709_185_510))
        }
    }

    /// LOGIN, AUTHENTICATE PLAIN and LOGIN, CRAM-MD5 (only for bob, whose password is stored in
    /// plaintext: alice's is a hash, so the server does not offer it), and wrong passwords.
    @Test(arguments: [TestUser.alice, .bob])
    func loginMechanisms(_ user: TestUser) async throws {
        try await TestServer.with(users: [user]) { (server: TestServer) async throws in
            try server.deliver(to: user.name, InteropMail.short)
            let report = try await runPython(Self.loginScript, server: server, user: user, port: server.imapPort)

            let offersCRAM = user.name == "bob"
            #expect(try report.value("loginCapabilities").contains("AUTH=CRAM-MD5") == offersCRAM)
            var accepted = ["login", "plain", "loginMechanism"]
            if offersCRAM { accepted.append("cramMD5") }
            #expect(report.commands["cramMD5"] == nil || offersCRAM)
            for key in accepted {
                #expect(try report.command(key).status == "OK", "\(key)")
                #expect(try report.command(key + "Select").lines == ["1"], "\(key)")
            }
            for key in ["wrongLogin", "wrongPlain"] {
                let failed = try report.command(key)
                #expect(failed.status == "ERROR" && failed.lines == ["[AUTHENTICATIONFAILED] Authentication failed"], "\(key): \(failed)")
            }
        }
    }

    /// IDLE by hand (RFC 2177): the continuation, then a message the script itself delivers once it
    /// has it (into tmp/, renamed into new/, as an MTA does) reported as EXISTS, then DONE ends the
    /// command. The latency is the script's own: from its rename to the EXISTS line, which is the
    /// server's watcher and session at work and nothing of this process's task scheduling.
    @Test func idleReportsDelivery() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliver(to: "alice", InteropMail.dotted)
            let report = try await runPython(
                Self.idleScript, server: server, port: server.imapPort,
                environment: ["ROOST_MAILDIR": server.maildir(of: "alice"), "ROOST_MESSAGE": InteropMail.short]
            )

            #expect(try report.value("idleContinuation").first?.hasPrefix("+") == true)
            #expect(try report.value("idleUpdates") == ["* 2 EXISTS"])
            let latency = try #require(Double(try report.value("idleLatency").first ?? ""))
            print("imaplib IDLE: EXISTS \(latency) s after the delivery")
            // The watcher reports within a second (at once with inotify); 5 s leaves a loaded machine room.
            #expect(latency < 5)
            let done = try report.value("idleDone")
            #expect(done.last?.hasSuffix(" OK IDLE completed") == true, "\(done)")
            let fetched = try report.command("fetchNew")
            #expect(fetched.literalTexts == ["Subject: short\r\n\r\n"], "\(fetched)")
        }
    }

    // MARK: Helpers

    private func expectFailure(
        _ report: ImaplibReport, _ key: String, code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let command = try report.command(key, sourceLocation: sourceLocation)
        #expect(command.status == "NO" && command.lines.first?.hasPrefix("[\(code)]") == true, "\(key): \(command)", sourceLocation: sourceLocation)
    }

    private func runPython(
        _ script: String, server: TestServer, user: TestUser = .alice, host: String = "127.0.0.1", port: Int,
        environment: [String: String] = [:]
    ) async throws -> ImaplibReport {
        let python = try ExternalTool.require("python3", debianPackage: "python3")
        let result = try await python.run(
            ["-c", Self.prelude + script],
            environment: [
                "ROOST_HOST": host, "ROOST_PORT": String(port), "ROOST_USER": user.name, "ROOST_PASSWORD": user.password,
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
            ].merging(environment) { _, new in new },
            removingEnvironment: ExternalTool.proxyVariables,
            timeout: .seconds(40)
        )
        try #require(result.succeeded, "\(result)")
        do {
            return try JSONDecoder().decode(ImaplibReport.self, from: Data(result.standardOutput))
        } catch {
            Issue.record("cannot decode the script's report: \(error)\n\(result)")
            throw error
        }
    }

    // MARK: Messages

    /// UTF-8 in encoded words (RFC 2047) for From and Subject, a base64 body: 第三季度报告
    /// ("third-quarter report") from 李雷, "the attachment is the third-quarter sales report."
    static let chineseMessage: String = {
        func word(_ text: String) -> String { "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + "?=" }
        return "From: \(word("李雷")) <lilei@example.org>\r\nTo: alice@example.org\r\nSubject: \(word("第三季度报告"))\r\n"
            + "Message-ID: <chinese@roost.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + Data("附件是第三季度的销售报告。\r\n".utf8).base64EncodedString() + "\r\n"
    }()
    /// What the messages script appends to Drafts and to INBOX.
    static let draftMessage = "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: appended draft\r\nMessage-ID: <appended@roost.test>\r\n\r\nA draft.\r\n.\r\n"
    static let noteMessage = "From: alice@example.org\r\nTo: alice@example.org\r\nSubject: appended note\r\nMessage-ID: <note@roost.test>\r\n\r\nnote\r\n"

    // MARK: Scripts

    /// Shared by every script: settings from the environment, a TLS context that trusts the
    /// self-signed certificate, `record` for imaplib calls, and modified UTF-7.
    static let prelude = #"""
        import base64, datetime, imaplib, json, os, re, ssl, sys, time

        HOST = os.environ["ROOST_HOST"]
        PORT = int(os.environ["ROOST_PORT"])
        USER = os.environ["ROOST_USER"]
        PASSWORD = os.environ["ROOST_PASSWORD"]
        report = {"commands": {}, "values": {}}

        def text(data):
            return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)

        def unverified_context():
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context

        def value(key, *items):
            report["values"][key] = [text(item) for item in items]

        def tls_version(client):
            return client.sock.version() if isinstance(client.sock, ssl.SSLSocket) else "none"

        # Runs one imaplib call and records its status, its data lines (literals apart, in base64)
        # and the untagged responses it left behind; imaplib's exceptions become status ERROR.
        def record(client, key, call):
            client.untagged_responses.clear()
            lines, literals = [], []
            try:
                status, data = call()
                for item in data or []:
                    if isinstance(item, tuple):
                        lines.append(text(item[0]))
                        literals.append(base64.b64encode(item[1]).decode("ascii"))
                    else:
                        lines.append(text(item))
            except imaplib.IMAP4.error as error:
                status = "ERROR"
                lines.append(text(error.args[0] if error.args else error))
            untagged = {name: [text(item) for item in items if item is not None]
                        for name, items in client.untagged_responses.items()}
            report["commands"][key] = {"status": status, "lines": lines, "literals": literals, "untagged": untagged}
            return status, lines

        # RFC 3501 section 5.1.3: mailbox names in modified UTF-7 (UTF-16 in base64 with "," for
        # "/" between "&" and "-"; "&" itself as "&-"). imaplib before Python 3.12 leaves that to the caller.
        def mutf7_encode(name):
            result, pending = [], []
            def flush():
                if pending:
                    data = "".join(pending).encode("utf-16-be")
                    result.append("&" + base64.b64encode(data).decode("ascii").rstrip("=").replace("/", ",") + "-")
                    pending.clear()
            for character in name:
                if 0x20 <= ord(character) <= 0x7E:
                    flush()
                    result.append("&-" if character == "&" else character)
                else:
                    pending.append(character)
            flush()
            return "".join(result)

        def mutf7_decode(name):
            result, index = [], 0
            while index < len(name):
                if name[index] == "&":
                    end = name.index("-", index)
                    if end == index + 1:
                        result.append("&")
                    else:
                        chunk = name[index + 1:end].replace(",", "/")
                        result.append(base64.b64decode(chunk + "=" * (-len(chunk) % 4)).decode("utf-16-be"))
                    index = end + 1
                else:
                    result.append(name[index])
                    index += 1
            return "".join(result)

        # imaplib sends arguments as they are: names with spaces need quotes.
        def quoted(name):
            return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'

        def finish(client):
            record(client, "logout", client.logout)
            print(json.dumps(report, ensure_ascii=False))

        """#

    static let mailboxesScript = #"""
        client = imaplib.IMAP4(HOST, PORT, timeout=10)
        value("capabilitiesBeforeTLS", *client.capabilities)
        record(client, "starttls", lambda: client.starttls(ssl_context=unverified_context()))
        value("tls", tls_version(client))
        value("capabilitiesAfterTLS", *client.capabilities)
        record(client, "login", lambda: client.login(USER, PASSWORD))
        # imaplib has no ID method; xatom sends any command the server lists in CAPABILITY.
        record(client, "id", lambda: client.xatom("ID", '("name" "imaplib" "version" "%d.%d")' % sys.version_info[:2]))
        record(client, "namespace", client.namespace)
        record(client, "listInitial", client.list)
        record(client, "lsubInitial", client.lsub)
        value("mutf7", mutf7_encode("~peter/mail/台北/日本語"), mutf7_decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-"))

        REPORTS = quoted(mutf7_encode("工作.报告 & 总结"))
        RENAMED = quoted(mutf7_encode("归档.2025 年报告"))
        record(client, "createProjects", lambda: client.create("Projects"))
        record(client, "createChild", lambda: client.create("Projects.Roost"))
        record(client, "createChinese", lambda: client.create(REPORTS))
        record(client, "createExisting", lambda: client.create("Projects"))
        # imaplib sends the reference as it is: the empty one must be '""'.
        record(client, "listProjects", lambda: client.list('""', "Projects*"))
        record(client, "listChinese", lambda: client.list('""', quoted(mutf7_encode("工作") + ".%")))
        record(client, "listParent", lambda: client.list('""', quoted(mutf7_encode("工作"))))
        record(client, "subscribeChinese", lambda: client.subscribe(REPORTS))
        record(client, "subscribeProjects", lambda: client.subscribe("Projects.Roost"))
        record(client, "lsubAfterSubscribe", client.lsub)
        record(client, "statusChinese", lambda: client.status(REPORTS, "(MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)"))
        record(client, "renameChinese", lambda: client.rename(REPORTS, RENAMED))
        record(client, "statusOldName", lambda: client.status(REPORTS, "(MESSAGES)"))
        record(client, "statusRenamed", lambda: client.status(RENAMED, "(MESSAGES UIDNEXT)"))
        record(client, "unsubscribeProjects", lambda: client.unsubscribe("Projects.Roost"))
        record(client, "lsubAfterUnsubscribe", client.lsub)
        record(client, "deleteParentWithChild", lambda: client.delete("Projects"))
        record(client, "listAfterParentDelete", lambda: client.list('""', "Projects*"))
        record(client, "selectDeletedParent", lambda: client.select("Projects"))
        record(client, "deleteChild", lambda: client.delete("Projects.Roost"))
        record(client, "deleteRenamed", lambda: client.delete(RENAMED))
        record(client, "deleteMissing", lambda: client.delete("NoSuchFolder"))
        record(client, "listFinal", client.list)
        value("names", *[mutf7_decode(line.rsplit(' "." ', 1)[1].strip('"')) for line in report["commands"]["listFinal"]["lines"]])
        finish(client)
        """#

    static let messagesScript = #"""
        def with_literal(client, data, call):
            def run():
                client.literal = data
                return call()
            return run

        # Message-ID -> (sequence number, UID) in the selected mailbox.
        def numbers(client):
            _, data = client.fetch("1:*", "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            result = {}
            for item in data:
                if isinstance(item, tuple):
                    uid = re.search(rb"UID (\d+)", item[0]).group(1)
                    result[text(item[1]).split(":", 1)[1].strip()] = (text(item[0].split()[0]), text(uid))
            return result

        client = imaplib.IMAP4_SSL(HOST, PORT, ssl_context=unverified_context(), timeout=10)
        value("tls", tls_version(client))
        value("capabilities", *client.capabilities)
        record(client, "authenticate", lambda: client.authenticate("PLAIN", lambda _: ("\0%s\0%s" % (USER, PASSWORD)).encode()))
        record(client, "select", lambda: client.select("INBOX"))
        ids = numbers(client)
        value("numbers", *["%s %s %s" % (key, *ids[key]) for key in sorted(ids)])
        dotted, bare, short, chinese = (ids[key] for key in ("<dotted@roost.test>", "<bare-lf@roost.test>", "<short@roost.test>", "<chinese@roost.test>"))

        record(client, "fetchSummary", lambda: client.fetch("1:*", "(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)"))
        record(client, "fetchBodies", lambda: client.uid("FETCH", "1:*", "(RFC822.SIZE BODY.PEEK[])"))
        record(client, "fetchSections", lambda: client.fetch(chinese[0], "(BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODY.PEEK[1] BODY.PEEK[TEXT]<4.8>)"))
        record(client, "fetchSeen", lambda: client.fetch(dotted[0], "(BODY[] FLAGS)"))

        record(client, "searchAll", lambda: client.search(None, "ALL"))
        record(client, "searchSubject", lambda: client.search(None, "SUBJECT", '"dotted lines"'))
        record(client, "searchSeen", lambda: client.search(None, "SEEN"))
        record(client, "searchHeader", lambda: client.search(None, "HEADER", "Message-ID", '"<short@roost.test>"'))
        record(client, "searchChineseSubject", with_literal(client, "季度报告".encode(), lambda: client.search("UTF-8", "SUBJECT")))
        record(client, "searchChineseFrom", with_literal(client, "李雷".encode(), lambda: client.search("UTF-8", "FROM")))
        record(client, "searchChineseBody", with_literal(client, "销售报告".encode(), lambda: client.search("UTF-8", "BODY")))
        record(client, "uidSearchChinese", with_literal(client, "报告".encode(), lambda: client.uid("SEARCH", "CHARSET", "UTF-8", "UNSEEN", "TEXT")))
        record(client, "searchBadCharset", lambda: client.search("KOI8-R", "SUBJECT", "x"))

        DRAFT = b"From: alice@example.org\r\nTo: bob@example.org\r\nSubject: appended draft\r\nMessage-ID: <appended@roost.test>\r\n\r\nA draft.\r\n.\r\n"
        NOTE = b"From: alice@example.org\r\nTo: alice@example.org\r\nSubject: appended note\r\nMessage-ID: <note@roost.test>\r\n\r\nnote\r\n"
        DATE = datetime.datetime(2024, 2, 29, 13, 45, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
        record(client, "appendDrafts", lambda: client.append("Drafts", r"(\Seen \Draft $Label1)", DATE, DRAFT))
        record(client, "appendInbox", lambda: client.append("INBOX", r"(\Flagged)", None, NOTE))
        note = numbers(client)["<note@roost.test>"]
        record(client, "fetchNote", lambda: client.uid("FETCH", note[1], "(FLAGS RFC822.SIZE BODY.PEEK[])"))

        record(client, "storeAdd", lambda: client.store(dotted[0], "+FLAGS", r"(\Flagged $Important)"))
        record(client, "storeRemove", lambda: client.store(dotted[0], "-FLAGS", r"(\Flagged)"))
        record(client, "storeSilent", lambda: client.store(chinese[0], "+FLAGS.SILENT", r"(\Answered)"))
        record(client, "uidStoreReplace", lambda: client.uid("STORE", short[1], "FLAGS", r"(\Seen \Deleted)"))
        record(client, "copy", lambda: client.copy(dotted[0], "Archive"))
        record(client, "copyMissing", lambda: client.copy(dotted[0], "NoSuchFolder"))
        record(client, "uidMove", lambda: client.uid("MOVE", bare[1], "Trash"))
        record(client, "expunge", client.expunge)
        record(client, "fetchAfterExpunge", lambda: client.fetch("1:*", "(UID FLAGS)"))
        record(client, "storeDeleted", lambda: client.uid("STORE", "%s,%s" % (dotted[1], note[1]), "+FLAGS.SILENT", r"(\Deleted)"))
        record(client, "uidExpunge", lambda: client.uid("EXPUNGE", note[1]))
        record(client, "undelete", lambda: client.uid("STORE", dotted[1], "-FLAGS", r"(\Deleted)"))
        record(client, "check", client.check)
        record(client, "statusInbox", lambda: client.status("INBOX", "(MESSAGES UNSEEN UIDNEXT)"))

        record(client, "examineDrafts", lambda: client.select("Drafts", readonly=True))
        record(client, "fetchDraft", lambda: client.fetch("1", "(FLAGS INTERNALDATE RFC822.SIZE BODY[])"))
        record(client, "storeReadOnly", lambda: client.store("1", "+FLAGS", r"(\Deleted)"))
        record(client, "unselectDrafts", client.unselect)
        record(client, "selectArchive", lambda: client.select("Archive"))
        record(client, "storeArchive", lambda: client.store("1", "+FLAGS", r"(\Deleted)"))
        record(client, "unselectArchive", client.unselect)
        record(client, "selectTrash", lambda: client.select("Trash"))
        record(client, "storeTrash", lambda: client.store("1", "+FLAGS.SILENT", r"(\Deleted)"))
        record(client, "closeTrash", client.close)
        value("stateAfterClose", client.state)
        record(client, "statusTrash", lambda: client.status("Trash", "(MESSAGES)"))
        record(client, "statusArchive", lambda: client.status("Archive", "(MESSAGES)"))
        finish(client)
        """#

    /// One connection per login; EXAMINE INBOX after each one that worked. CRAM-MD5 only when offered.
    static let loginScript = #"""
        def session(key, login):
            client = imaplib.IMAP4(HOST, PORT, timeout=10)
            value(key + "Capabilities", *client.capabilities)
            status, _ = record(client, key, lambda: login(client))
            if status == "OK":
                record(client, key + "Select", lambda: client.select("INBOX", readonly=True))
                client.logout()
            else:
                client.shutdown()
            return client.capabilities

        def login_responder(challenge):
            return {b"Username:": USER, b"Password:": PASSWORD}.get(challenge, "unexpected " + text(challenge)).encode()

        def plain(password):
            return lambda _: ("\0%s\0%s" % (USER, password)).encode()

        capabilities = session("login", lambda client: client.login(USER, PASSWORD))
        session("plain", lambda client: client.authenticate("PLAIN", plain(PASSWORD)))
        session("loginMechanism", lambda client: client.authenticate("LOGIN", login_responder))
        if "AUTH=CRAM-MD5" in capabilities:
            session("cramMD5", lambda client: client.login_cram_md5(USER, PASSWORD))
        session("wrongLogin", lambda client: client.login(USER, PASSWORD + "x"))
        session("wrongPlain", lambda client: client.authenticate("PLAIN", plain(PASSWORD + "x")))
        print(json.dumps(report, ensure_ascii=False))
        """#

    /// IDLE as RFC 2177 section 3 shows it; the marker file tells the test to deliver.
    static let idleScript = #"""
        def read_until(client, done):
            lines = []
            while True:
                line = client.readline()
                if not line:
                    raise EOFError("connection closed")
                lines.append(text(line.rstrip(b"\r\n")))
                if done(lines[-1]):
                    return lines

        # Writes ROOST_MESSAGE into ROOST_MAILDIR's tmp/ and renames it into new/, as an MTA
        # delivers; returns the moment just before the rename.
        def deliver():
            maildir = os.environ["ROOST_MAILDIR"]
            name = "%d.P%d.imaplib" % (time.time(), os.getpid())
            with open(os.path.join(maildir, "tmp", name), "wb") as message:
                message.write(os.environ["ROOST_MESSAGE"].encode("utf-8"))
            started = time.monotonic()
            os.rename(os.path.join(maildir, "tmp", name), os.path.join(maildir, "new", name))
            return started

        # A generous timeout: the latency is measured and checked, not bounded by the socket.
        client = imaplib.IMAP4(HOST, PORT, timeout=30)
        record(client, "login", lambda: client.login(USER, PASSWORD))
        record(client, "select", lambda: client.select("INBOX"))
        tag = client._new_tag()
        client.send(tag + b" IDLE\r\n")
        value("idleContinuation", *read_until(client, lambda line: line.startswith("+")))
        started = deliver()
        value("idleUpdates", *read_until(client, lambda line: line.endswith(" EXISTS")))
        value("idleLatency", "%.3f" % (time.monotonic() - started))
        client.send(b"DONE\r\n")
        value("idleDone", *read_until(client, lambda line: line.startswith(tag.decode())))
        record(client, "fetchNew", lambda: client.fetch("*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])"))
        finish(client)
        """#
}

/// The JSON an imaplib script prints: every recorded call by key, and plain values.
struct ImaplibReport: Decodable {
    struct Command: Decodable, CustomStringConvertible {
        /// OK, NO, BYE, or ERROR when imaplib raised (BAD, or NO where imaplib raises).
        var status: String
        /// The data imaplib returned; for a FETCH with literals, the text before each literal.
        var lines: [String]
        var literals: [String]
        /// Untagged responses (and response codes) imaplib kept, by name.
        var untagged: [String: [String]]

        /// The literals' bytes as text.
        var literalTexts: [String] {
            literals.map { String(decoding: Data(base64Encoded: $0) ?? Data(), as: UTF8.self) }
        }

        var description: String { "\(status) \(lines) untagged \(untagged)" }
    }

    var commands: [String: Command]
    var values: [String: [String]]

    func command(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Command {
        try #require(commands[key], "no \(key) in the report: \(commands.keys.sorted())", sourceLocation: sourceLocation)
    }

    func value(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        try #require(values[key], "no \(key) in the report: \(values.keys.sorted())", sourceLocation: sourceLocation)
    }
}

/// A message file in a Maildir folder: its bytes and the flag letters after ":2,".
struct StoredMessage: Equatable, Comparable, CustomStringConvertible {
    var content: String
    var flags: String

    static func < (lhs: StoredMessage, rhs: StoredMessage) -> Bool { (lhs.content, lhs.flags) < (rhs.content, rhs.flags) }
    var description: String { "\(flags) \(content.debugDescription)" }
}

extension TestServer {
    /// The paths of the message files in `folder` (`new/` and `cur/`); INBOX is the Maildir root,
    /// another folder `.name` with the name as on disk (modified UTF-7).
    func messageFiles(of user: String, folder: String) -> [String] {
        let root: String = folder == "INBOX" ? maildir(of: user) : maildir(of: user) + "/." + folder
        var paths: [String] = []
        for sub in ["new", "cur"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + sub)) ?? []
            paths += names.map { "\(root)/\(sub)/\($0)" }
        }
        return paths.sorted()
    }

    /// Every message in `folder` with its flag letters, sorted.
    func storedMessages(of user: String = "alice", folder: String = "INBOX") throws -> [StoredMessage] {
        try messageFiles(of: user, folder: folder).map { path in
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let flags = name.range(of: ":2,").map { String(name[$0.upperBound...]) } ?? ""
            return StoredMessage(content: try String(contentsOfFile: path, encoding: .utf8), flags: flags)
        }.sorted()
    }
}
