import Foundation
import RoostTesting
import Testing

/// fetchmail over IMAP against the real server: STARTTLS (from a non-local address, so LOGIN is
/// disabled until TLS) and IMAPS, `keep` and `no keep`, only-unseen fetching, and `idle`.
///
/// fetchmail reads each message as `RFC822.HEADER` plus `BODY.PEEK[TEXT]`, then sets \Seen itself
/// (`keep`) or \Seen \Deleted and EXPUNGEs after each message (`no keep`); without `fetchall` it
/// asks only for unseen messages. It converts CRLF to LF for the MDA and adds a Received header.
/// Its files (rcfile mode 0600, idfile, pid file) live in a temporary directory, as in FetchmailTests.
@Suite struct FetchmailIMAPTests {
    @Test(arguments: IMAPTransport.allCases, [true, false])
    func fetch(transport: IMAPTransport, keep: Bool) async throws {
        try await TestServer.with(remoteClients: true) { (server: TestServer) async throws in
            try server.deliverInteropMail()
            try await withClientDirectory { directory in
                let run = try await fetchmail(server: server, directory: directory, transport: transport, options: keep ? "keep fetchall" : "no keep fetchall")
                #expect(run.status == 0, "\(run)")

                let delivered = try fileContents(in: directory + "/out")
                #expect(delivered.count == 3, "\(run)")
                #expect(matchDeliveredFiles(delivered, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 1, 2], "\(delivered)")
                #expect(delivered.allSatisfy { $0.hasPrefix("Received: from") }, "\(delivered)")

                let log = run.output + run.errorOutput
                #expect(log.contains("IMAP> A0001 STARTTLS") == (transport == .starttls), "\(run)")
                // No credentials in the clear: the login follows the TLS handshake.
                let tls = try #require(log.range(of: "SSL/TLS: using protocol TLSv1."), "\(run)")
                let login = try #require(log.range(of: "IMAP> A000[1-4] (AUTHENTICATE|LOGIN)", options: .regularExpression), "\(run)")
                #expect(tls.lowerBound < login.lowerBound, "\(run)")
                if keep {
                    #expect(log.contains(#"+FLAGS (\Seen)"#) && !log.contains(#"+FLAGS (\Seen \Deleted)"#), "\(run)")
                    #expect(try server.storedMessages() == InteropMail.all.map { StoredMessage(content: $0, flags: "S") }.sorted())
                } else {
                    #expect(log.contains(#"+FLAGS (\Seen \Deleted)"#) && log.contains("EXPUNGE"), "\(run)")
                    #expect(server.messageFiles(of: "alice") == [], "\(run)")
                }
            }
        }
    }

    /// With `keep` and without `fetchall`, fetchmail fetches unseen messages only: a second run
    /// gets just the one that arrived in between, a third has nothing (exit status 1).
    @Test func keepFetchesOnlyUnseen() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliver(to: "alice", InteropMail.dotted)
            try server.deliver(to: "alice", InteropMail.bareLF)
            try await withClientDirectory { directory in
                let first = try await fetchmail(server: server, directory: directory, transport: .imaps, options: "keep no fetchall")
                #expect(first.status == 0, "\(first)")
                #expect(try fileContents(in: directory + "/out").count == 2, "\(first)")

                try server.deliver(to: "alice", InteropMail.short)
                let second = try await fetchmail(server: server, directory: directory, transport: .imaps, options: "keep no fetchall")
                #expect(second.status == 0, "\(second)")
                let delivered = try fileContents(in: directory + "/out")
                #expect(delivered.count == 3, "\(second)")
                #expect(matchDeliveredFiles(delivered, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 1, 2])
                let log = second.output + second.errorOutput
                #expect(log.contains("IMAP< * SEARCH 3") && log.contains("3 messages (2 seen) for alice"), "\(second)")

                let third = try await fetchmail(server: server, directory: directory, transport: .imaps, options: "keep no fetchall")
                #expect(third.status == 1, "\(third)")
                #expect(try fileContents(in: directory + "/out").count == 3)
                #expect(try server.storedMessages().map(\.flags) == ["S", "S", "S"])
            }
        }
    }

    /// `idle`: after the first poll fetchmail waits in IDLE; a message delivered then is reported
    /// as EXISTS, fetched at once and deleted. The test ends fetchmail with SIGTERM.
    @Test func idleFetchesNewMail() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            try server.deliver(to: "alice", InteropMail.dotted)
            try await withClientDirectory { directory in
                let output = directory + "/fetchmail.out"
                async let running = fetchmail(
                    server: server, directory: directory, transport: .starttls, options: "no keep fetchall idle", outputPath: output
                )
                let firstPoll = await eventually { (try? fileContents(in: directory + "/out").count) == 1 && server.messageFiles(of: "alice").isEmpty }
                // Deliver once fetchmail idles: the server answers IDLE with `+ idling` once its watch
                // runs. A message that came earlier could be reported in reply to fetchmail's last
                // command before IDLE (its EXPUNGE), as EXISTS, and not in the IDLE.
                let idling = await eventually { (try? String(contentsOfFile: output, encoding: .utf8))?.contains("IMAP< + idling") == true }
                try server.deliver(to: "alice", InteropMail.short)
                let delivered = await eventually { (try? fileContents(in: directory + "/out").count) == 2 && server.messageFiles(of: "alice").isEmpty }
                if let pid = Int32((try? String(contentsOfFile: directory + "/fetchmail.pid", encoding: .utf8))?.split(whereSeparator: \.isNewline).first ?? "") {
                    kill(pid, SIGTERM)
                }
                let run = try await running
                #expect(firstPoll && idling && delivered, "\(run)")
                #expect(!run.timedOut, "\(run)")

                let log = run.output + run.errorOutput
                #expect(log.range(of: #"IMAP> A\d+ IDLE"#, options: .regularExpression) != nil, "\(run)")
                #expect(log.contains("IMAP< * 1 EXISTS") && log.contains("IMAP> DONE") && log.contains("OK IDLE completed"), "\(run)")
                let contents = try fileContents(in: directory + "/out")
                #expect(matchDeliveredFiles(contents, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 2], "\(contents)")
            }
        }
    }

    // MARK: Helpers

    /// Writes the rcfile and the MDA script into `directory` (MDA output goes to `directory/out`)
    /// and runs fetchmail in verbose mode: one poll, or until SIGTERM with `idle`. Its standard
    /// output goes to `outputPath` if given, to be watched while it runs.
    private func fetchmail(
        server: TestServer, directory: String, transport: IMAPTransport, options: String, outputPath: String? = nil
    ) async throws -> ExternalToolResult {
        let tool = try FetchmailTests.prepare(directory)

        let security = switch transport {
        // An sslproto without ssl makes STARTTLS mandatory.
        case .starttls: "sslproto 'tls1.2+' no sslcertck"
        case .imaps: "ssl no sslcertck"
        }
        try writeFile(directory + "/fetchmailrc", """
            set no syslog
            poll 127.0.0.1 with proto IMAP port \(transport.port(of: server)) timeout 20
              user "alice" there with password "alice-secret"
              options \(options) \(security)
              mda "\(directory)/mda.sh"

            """)

        return try await tool.run(
            [
                "-f", directory + "/fetchmailrc", "--nosyslog", "--verbose",
                "--pidfile", directory + "/fetchmail.pid", "--idfile", directory + "/fetchmail.ids",
            ],
            environment: ["HOME": directory + "/home", "FETCHMAILHOME": directory + "/home", "LC_ALL": "C"],
            removingEnvironment: ExternalTool.proxyVariables,
            directory: directory,
            outputPath: outputPath,
            timeout: .seconds(40)
        )
    }
}
