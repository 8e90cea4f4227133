import Foundation
import RoostTesting
import Testing

/// fetchmail against the real server, plain, with STLS and over POP3S, with `keep` and `no keep`,
/// delivering each message to an MDA that writes it to a file of its own.
///
/// fetchmail runs in a temporary directory: its rcfile (mode 0600, or fetchmail refuses it), its
/// UIDL idfile and its pid file (as root the default is /var/run/fetchmail.pid), with HOME and
/// FETCHMAILHOME there too. As root it only warns ("Running as root is discouraged").
/// It converts CRLF to LF for the MDA and puts a Received header on top.
@Suite struct FetchmailTests {
    @Test(arguments: Transport.allCases, [true, false])
    func fetch(transport: Transport, keep: Bool) async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            try await withClientDirectory { directory in
                let run = try await fetchmail(server: server, directory: directory, transport: transport, keep: keep)
                #expect(run.status == 0, "\(run)")

                // Every message reached the MDA once, byte-correct under fetchmail's Received header.
                let delivered = try fileContents(in: directory + "/out")
                #expect(delivered.count == 3, "\(run)")
                #expect(matchDeliveredFiles(delivered, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 1, 2], "\(delivered)")
                #expect(delivered.allSatisfy { $0.hasPrefix("Received: from") }, "\(delivered)")

                let log = run.output + run.errorOutput
                switch transport {
                case .plain: #expect(!log.contains("POP3> STLS"), "\(run)")
                case .stls: #expect(log.contains("POP3> STLS"), "\(run)")
                case .pop3s: #expect(!log.contains("POP3> STLS"), "\(run)")
                }
                if keep {
                    #expect(!log.contains("POP3> DELE"), "\(run)")
                    #expect(try server.messageContentsCRLF() == InteropMail.allCRLF.sorted())
                } else {
                    #expect(server.messageFiles(of: "alice") == [], "\(run)")
                }
            }
        }
    }

    /// With `keep` and without `fetchall`, fetchmail remembers UIDL names in its idfile: a second
    /// run fetches only the message that arrived in between (so the names must be stable).
    @Test func keepRemembersSeenMessagesByUIDL() async throws {
        try await TestServer.with { server in
            try server.deliver(to: "alice", InteropMail.dotted)
            try server.deliver(to: "alice", InteropMail.bareLF)
            try await withClientDirectory { directory in
                let first = try await fetchmail(server: server, directory: directory, transport: .plain, keep: true, fetchAll: false)
                #expect(first.status == 0, "\(first)")
                #expect(try fileContents(in: directory + "/out").count == 2)
                let names = try String(contentsOfFile: directory + "/fetchmail.ids", encoding: .utf8)
                #expect(names.split(whereSeparator: \.isNewline).count == 2, "\(names)")

                try server.deliver(to: "alice", InteropMail.short)
                let second = try await fetchmail(server: server, directory: directory, transport: .plain, keep: true, fetchAll: false)
                #expect(second.status == 0, "\(second)")
                let delivered = try fileContents(in: directory + "/out")
                #expect(delivered.count == 3, "\(second)")
                #expect(matchDeliveredFiles(delivered, to: InteropMail.allLF).compactMap { $0 }.sorted() == [0, 1, 2])
                #expect((second.output + second.errorOutput).contains("RETR 3"), "\(second)")
                #expect(!(second.output + second.errorOutput).contains("RETR 1"), "\(second)")

                // Nothing new: fetchmail's exit status 1 means "no mail".
                let third = try await fetchmail(server: server, directory: directory, transport: .plain, keep: true, fetchAll: false)
                #expect(third.status == 1, "\(third)")
                #expect(try fileContents(in: directory + "/out").count == 3)
                #expect(server.messageFiles(of: "alice").count == 3)
            }
        }
    }

    // MARK: Helpers

    /// fetchmail, with `directory/out` (the MDA's output), `directory/home` and the MDA script
    /// `directory/mda.sh` made. Shared with FetchmailIMAPTests.
    static func prepare(_ directory: String) throws -> ExternalTool {
        let tool = try ExternalTool.require("fetchmail", debianPackage: "fetchmail")
        let fileManager = FileManager.default
        for sub in ["out", "home"] where !fileManager.fileExists(atPath: directory + "/" + sub) {
            try fileManager.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        // fetchmail expands %-escapes in the mda string: keep them out of it, in a script.
        try writeFile(directory + "/mda.sh", "#!/bin/sh\nexec cat > \"$(mktemp '\(directory)/out/msg.XXXXXX')\"\n", mode: 0o700)
        return tool
    }

    /// Writes the rcfile and the MDA script into `directory` (MDA output goes to `directory/out`)
    /// and runs one poll in verbose mode.
    private func fetchmail(
        server: TestServer, directory: String, transport: Transport, keep: Bool, fetchAll: Bool = true
    ) async throws -> ExternalToolResult {
        let tool = try Self.prepare(directory)

        let security = switch transport {
        // sslproto '' turns off fetchmail's opportunistic STLS.
        case .plain: "sslproto ''"
        // An sslproto without ssl makes STLS mandatory.
        case .stls: "sslproto 'tls1.2+' no sslcertck"
        case .pop3s: "ssl no sslcertck"
        }
        let options = [keep ? "keep" : "no keep", fetchAll ? "fetchall" : "no fetchall", security].joined(separator: " ")
        try writeFile(directory + "/fetchmailrc", """
            set no syslog
            poll 127.0.0.1 with proto POP3 port \(transport.port(of: server)) timeout 20
              user "alice" there with password "alice-secret"
              options \(options)
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
            timeout: .seconds(40)
        )
    }
}
