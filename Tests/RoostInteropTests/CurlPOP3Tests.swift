import Foundation
import RoostTesting
import Testing

/// curl's POP3 support against the real server: LIST (`pop3://host/`), RETR (`pop3://host/n`),
/// DELE (`-X DELE -I`), POP3S, STLS with `--ssl-reqd`, and the login methods curl chooses from CAPA.
///
/// curl authenticates with SASL when CAPA offers it (PLATFORM-NOTES: `AUTH PLAIN` without an
/// initial response, CRAM-MD5 first whenever it is advertised). `-q` keeps a ~/.curlrc out.
@Suite struct CurlPOP3Tests {
    private static let alice = ["-u", "alice:alice-secret"]

    @Test func listAndRetrieve() async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let url = "pop3://127.0.0.1:\(server.pop3Port)/"
            let list = try await curl([url] + Self.alice)
            try #require(list.succeeded, "\(list)")
            let entries = try parseList(list.output)
            #expect(entries.map(\.number) == [1, 2, 3])

            var retrieved: [String] = []
            for entry in entries {
                let message = try await curl([url + "\(entry.number)"] + Self.alice)
                try #require(message.succeeded, "\(message)")
                #expect(message.standardOutput.count == entry.size, "message \(entry.number)")
                retrieved.append(message.output)
            }
            // Byte for byte: CRLF line ends, dots unstuffed by curl, nothing added or lost.
            #expect(retrieved.sorted() == InteropMail.allCRLF.sorted())
            #expect(server.messageFiles(of: "alice").count == 3)
        }
    }

    @Test func deleteRemovesTheFile() async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let url = "pop3://127.0.0.1:\(server.pop3Port)/"
            let first = try await curl([url + "1"] + Self.alice)
            try #require(first.succeeded, "\(first)")
            #expect(InteropMail.allCRLF.contains(first.output))

            // curl treats a custom command like RETR unless told there is no body (-I).
            let dele = try await curl(["-X", "DELE", "-I", url + "1"] + Self.alice)
            try #require(dele.succeeded, "\(dele)")
            #expect(try server.messageContentsCRLF() == InteropMail.allCRLF.filter { $0 != first.output }.sorted())

            let list = try await curl([url] + Self.alice)
            try #require(list.succeeded, "\(list)")
            #expect(try parseList(list.output).count == 2)
        }
    }

    @Test func pop3s() async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let url = "pop3s://localhost:\(server.pop3sPort)/"
            let list = try await curl(["-k", url] + Self.alice)
            try #require(list.succeeded, "\(list)")
            let entries = try parseList(list.output)
            #expect(entries.count == 3)
            #expect(entries.reduce(0) { $0 + $1.size } == InteropMail.totalSize)

            let message = try await curl(["-k", "-v", url + "2"] + Self.alice)
            try #require(message.succeeded, "\(message)")
            #expect(InteropMail.allCRLF.contains(message.output), "\(message.output.debugDescription)")
            #expect(message.errorOutput.contains("SSL connection using TLSv1."), "\(message)")
        }
    }

    /// `--ssl-reqd` on the plain port: curl sends STLS and fails unless TLS starts.
    @Test func stlsRequired() async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let url = "pop3://127.0.0.1:\(server.pop3Port)/"
            let message = try await curl(["--ssl-reqd", "-k", "-v", url + "1"] + Self.alice)
            try #require(message.succeeded, "\(message)")
            #expect(InteropMail.allCRLF.contains(message.output), "\(message.output.debugDescription)")
            let trace = message.errorOutput
            #expect(trace.contains("> STLS"), "\(message)")
            #expect(trace.contains("< +OK"), "\(message)")
            #expect(trace.contains("SSL connection using TLSv1."), "\(message)")
            // No password before TLS: the first AUTH or USER comes after the handshake.
            let handshake = try #require(trace.range(of: "SSL connection using"))
            for command in ["> AUTH", "> USER", "> PASS"] {
                if let sent = trace.range(of: command) { #expect(sent.lowerBound > handshake.lowerBound, "\(command) before TLS") }
            }
        }
    }

    struct LoginCase: Sendable, CustomTestStringConvertible {
        var loginOptions: String?
        var user: TestUser
        /// The line curl -v shows for the login command.
        var expectedCommand: String
        var testDescription: String { "\(loginOptions ?? "default") as \(user.name)" }
    }

    static let loginCases: [LoginCase] = [
        // bob's password is stored in plaintext: CRAM-MD5 and APOP are offered, and curl prefers CRAM-MD5.
        LoginCase(loginOptions: nil, user: .bob, expectedCommand: "> AUTH CRAM-MD5"),
        LoginCase(loginOptions: "AUTH=CRAM-MD5", user: .bob, expectedCommand: "> AUTH CRAM-MD5"),
        LoginCase(loginOptions: "AUTH=PLAIN", user: .bob, expectedCommand: "> AUTH PLAIN"),
        LoginCase(loginOptions: "AUTH=LOGIN", user: .bob, expectedCommand: "> AUTH LOGIN"),
        LoginCase(loginOptions: "AUTH=+APOP", user: .bob, expectedCommand: "> APOP bob "),
        // alice's is a hash: no CRAM-MD5 in CAPA, so curl's default is PLAIN.
        LoginCase(loginOptions: nil, user: .alice, expectedCommand: "> AUTH PLAIN"),
        LoginCase(loginOptions: "AUTH=LOGIN", user: .alice, expectedCommand: "> AUTH LOGIN"),
    ]

    @Test(arguments: loginCases)
    func loginMethods(_ login: LoginCase) async throws {
        try await TestServer.with(users: [login.user]) { server in
            try server.deliver(to: login.user.name, InteropMail.short)
            let options = login.loginOptions.map { ["--login-options", $0] } ?? []
            let result = try await curl(
                ["-v"] + options + ["pop3://127.0.0.1:\(server.pop3Port)/1", "-u", "\(login.user.name):\(login.user.password)"]
            )
            try #require(result.succeeded, "\(result)")
            #expect(result.output == InteropMail.short)
            #expect(result.errorOutput.contains(login.expectedCommand), "\(result)")
        }
    }

    // MARK: Helpers

    private func curl(_ arguments: [String]) async throws -> ExternalToolResult {
        let tool = try ExternalTool.require("curl", debianPackage: "curl")
        return try await tool.run(
            ["-q", "--silent", "--show-error", "--noproxy", "*", "--max-time", "20"] + arguments,
            removingEnvironment: ExternalTool.proxyVariables,
            timeout: .seconds(30)
        )
    }

    /// The scan listing curl prints for `pop3://host/` (`n size` per line).
    private func parseList(_ output: String) throws -> [(number: Int, size: Int)] {
        try output.split(whereSeparator: \.isNewline).map { line in
            let fields = line.split(separator: " ")
            let number = try #require(fields.count == 2 ? Int(fields[0]) : nil, "LIST line \(line.debugDescription)")
            let size = try #require(Int(fields[1]))
            return (number, size)
        }
    }
}
