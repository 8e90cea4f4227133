import Foundation
import RoostTesting
import Testing

/// Python's poplib (the standard library's POP3 client) against the real server: USER/PASS,
/// STLS, POP3S, APOP and SASL (poplib has no AUTH helper: `_shortcmd`), with the mailbox read
/// through STAT, LIST, UIDL, RETR and TOP and compared with what was delivered.
///
/// Each test runs a Python script that prints one JSON report; the assertions are here.
@Suite struct PoplibTests {
    @Test func userPassFullSession() async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let report = try await runPython(Self.fullSessionScript, server: server, port: server.pop3Port)

            #expect(report.welcome.hasPrefix("+OK"))
            #expect(report.tls == nil)
            let capabilities = try #require(report.capabilities)
            for name in ["TOP", "UIDL", "USER", "STLS", "SASL", "PIPELINING", "RESP-CODES"] {
                #expect(capabilities[name] != nil, "CAPA lacks \(name): \(capabilities)")
            }
            #expect(capabilities["SASL"]?.contains("PLAIN") == true)
            // alice's password is stored as a hash: CRAM-MD5 could not succeed, so it is not offered.
            #expect(capabilities["SASL"]?.contains("CRAM-MD5") == false)
            #expect(report.user?.hasPrefix("+OK") == true)
            #expect(report.pass?.hasPrefix("+OK") == true)

            let mailbox = try #require(report.mailbox)
            try expectWholeMailbox(mailbox)

            // TOP n 0: the header and the empty line; TOP n 1: plus one body line.
            let first = mailbox.messages[0].text
            let lines = first.components(separatedBy: "\r\n")
            let headerEnd = try #require(lines.firstIndex(of: ""))
            #expect(report.top0 == Array(lines[...headerEnd]))
            #expect(report.top1 == Array(lines[...(headerEnd + 1)]))

            #expect(report.dele?.hasPrefix("+OK") == true)
            #expect(report.statAfterDele == [2, InteropMail.totalSize - mailbox.messages[0].octets])
            #expect(report.quit.hasPrefix("+OK"))

            // DELE took effect at QUIT: message 1 is gone from disk, the others are still there.
            let remaining = InteropMail.allCRLF.filter { $0 != first }.sorted()
            #expect(try server.messageContentsCRLF() == remaining)
        }
    }

    @Test func stls() async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let report = try await runPython(Self.stlsScript, server: server, port: server.pop3Port)

            #expect(report.stls?.hasPrefix("+OK") == true)
            #expect(report.tls?.hasPrefix("TLSv1.") == true, "\(report.tls ?? "no TLS")")
            let capabilities = try #require(report.capabilities)
            #expect(capabilities["STLS"] == nil, "STLS offered again over TLS: \(capabilities)")
            #expect(capabilities["USER"] != nil)
            #expect(report.pass?.hasPrefix("+OK") == true)
            try expectWholeMailbox(try #require(report.mailbox))
            #expect(report.quit.hasPrefix("+OK"))
            #expect(server.messageFiles(of: "alice").count == 3)
        }
    }

    @Test func pop3sDeletingEverything() async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let report = try await runPython(Self.pop3sScript, server: server, host: "localhost", port: server.pop3sPort)

            #expect(report.welcome.hasPrefix("+OK"))
            #expect(report.tls?.hasPrefix("TLSv1.") == true, "\(report.tls ?? "no TLS")")
            #expect(report.capabilities?["STLS"] == nil)
            try expectWholeMailbox(try #require(report.mailbox))
            #expect(report.statAfterDele == [0, 0])
            #expect(report.quit.hasPrefix("+OK"))
            #expect(server.messageFiles(of: "alice") == [])
        }
    }

    /// APOP is offered (a timestamp in the greeting) only when every stored password is plaintext: bob.
    @Test func apop() async throws {
        try await TestServer.with(users: [.bob]) { server in
            for message in InteropMail.all { try server.deliver(to: "bob", message) }
            let report = try await runPython(Self.apopScript, server: server, user: .bob, port: server.pop3Port)

            #expect(report.welcome.range(of: #"^\+OK .*<[^<>]+>"#, options: .regularExpression) != nil, "\(report.welcome)")
            #expect(report.login?.hasPrefix("+OK") == true, "\(report.login ?? "")")
            try expectWholeMailbox(try #require(report.mailbox))
            #expect(report.quit.hasPrefix("+OK"))
            #expect(report.wrongPassword?.hasPrefix("error_proto: -ERR") == true, "\(report.wrongPassword ?? "")")
        }
    }

    /// AUTH PLAIN with and without an initial response, and AUTH LOGIN, each on its own connection.
    @Test func saslPlainAndLogin() async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let report = try await runPython(Self.saslScript, server: server, port: server.pop3Port)

            let sessions = try #require(report.sessions)
            #expect(sessions.map(\.name) == ["PLAIN initial response", "PLAIN continuation", "LOGIN", "PLAIN wrong password"])
            for session in sessions.prefix(3) {
                #expect(session.replies.last?.hasPrefix("+OK") == true, "\(session.name): \(session.replies)")
                #expect(session.stat == [3, InteropMail.totalSize], "\(session.name)")
            }
            #expect(sessions[1].replies.first?.hasPrefix("+ ") == true || sessions[1].replies.first == "+", "\(sessions[1].replies)")
            #expect(sessions[3].replies.last?.hasPrefix("error_proto: -ERR") == true, "\(sessions[3].replies)")
            #expect(sessions[3].stat == nil)
        }
    }

    /// CRAM-MD5 (RFC 2195) is offered for bob, whose password is stored in plaintext.
    @Test func saslCramMD5() async throws {
        try await TestServer.with(users: [.bob]) { server in
            for message in InteropMail.all { try server.deliver(to: "bob", message) }
            let report = try await runPython(Self.cramScript, server: server, user: .bob, port: server.pop3Port)

            #expect(report.capabilities?["SASL"]?.contains("CRAM-MD5") == true, "\(report.capabilities ?? [:])")
            let sessions = try #require(report.sessions)
            #expect(sessions.count == 1)
            let session = try #require(sessions.first)
            #expect(session.replies.first?.hasPrefix("+ ") == true, "\(session.replies)")
            #expect(session.replies.last?.hasPrefix("+OK") == true, "\(session.replies)")
            #expect(session.stat == [3, InteropMail.totalSize])
        }
    }

    // MARK: Helpers

    /// STAT, LIST, UIDL and RETR of the three delivered messages, in whatever order the server numbers them.
    private func expectWholeMailbox(_ mailbox: PoplibReport.Mailbox, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(mailbox.count == 3, sourceLocation: sourceLocation)
        #expect(mailbox.size == InteropMail.totalSize, sourceLocation: sourceLocation)
        #expect(mailbox.messages.map(\.text).sorted() == InteropMail.allCRLF.sorted(), sourceLocation: sourceLocation)
        for (index, message) in mailbox.messages.enumerated() {
            #expect(message.response.hasPrefix("+OK"), sourceLocation: sourceLocation)
            #expect(message.octets == message.text.utf8.count, sourceLocation: sourceLocation)
            #expect(mailbox.list[safe: index] == "\(index + 1) \(message.octets)", sourceLocation: sourceLocation)
        }
        #expect(mailbox.list.count == 3, sourceLocation: sourceLocation)
        let uids = mailbox.uidl.map { $0.split(separator: " ", maxSplits: 1) }
        #expect(uids.map { $0.first.map(String.init) } == ["1", "2", "3"], "\(mailbox.uidl)", sourceLocation: sourceLocation)
        // RFC 1939 section 7: 1 to 70 characters from 0x21 to 0x7E, unique in the maildrop.
        let names = uids.compactMap { $0.count == 2 ? String($0[1]) : nil }
        #expect(Set(names).count == 3, "\(mailbox.uidl)", sourceLocation: sourceLocation)
        for name in names {
            #expect((1...70).contains(name.utf8.count) && name.utf8.allSatisfy { (0x21...0x7E).contains($0) }, "\(name)", sourceLocation: sourceLocation)
        }
    }

    private func runPython(
        _ script: String, server: TestServer, user: TestUser = .alice, host: String = "127.0.0.1", port: Int
    ) async throws -> PoplibReport {
        let python = try ExternalTool.require("python3", debianPackage: "python3")
        let result = try await python.run(
            ["-c", Self.prelude + script],
            environment: [
                "ROOST_HOST": host, "ROOST_PORT": String(port), "ROOST_USER": user.name, "ROOST_PASSWORD": user.password,
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
            ],
            removingEnvironment: ExternalTool.proxyVariables,
            timeout: .seconds(30)
        )
        try #require(result.succeeded, "\(result)")
        do {
            return try JSONDecoder().decode(PoplibReport.self, from: Data(result.standardOutput))
        } catch {
            Issue.record("cannot decode the script's report: \(error)\n\(result)")
            throw error
        }
    }

    // MARK: Scripts

    /// Shared by every script: settings from the environment, a TLS context that trusts the
    /// self-signed certificate, and readers that turn replies into JSON.
    static let prelude = #"""
        import base64, hashlib, hmac, json, os, poplib, ssl, sys

        HOST = os.environ["ROOST_HOST"]
        PORT = int(os.environ["ROOST_PORT"])
        USER = os.environ["ROOST_USER"]
        PASSWORD = os.environ["ROOST_PASSWORD"]
        report = {}

        def text(data):
            return data.decode("latin-1") if isinstance(data, bytes) else str(data)

        def unverified_context():
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context

        def tls_version(client):
            return client.sock.version() if isinstance(client.sock, ssl.SSLSocket) else None

        def attempt(call):
            try:
                return text(call())
            except poplib.error_proto as error:
                return "error_proto: " + text(error.args[0])

        def read_mailbox(client):
            count, size = client.stat()
            _, listing, _ = client.list()
            _, uidls, _ = client.uidl()
            messages = []
            for number in range(1, count + 1):
                response, lines, octets = client.retr(number)
                data = b"".join(line + b"\r\n" for line in lines)
                messages.append({"response": text(response), "octets": octets,
                                 "base64": base64.b64encode(data).decode("ascii")})
            return {"count": count, "size": size, "list": [text(line) for line in listing],
                    "uidl": [text(line) for line in uidls], "messages": messages}

        def start(client):
            report["welcome"] = text(client.getwelcome())
            return client

        def finish(client):
            report["quit"] = text(client.quit())
            print(json.dumps(report))

        """#

    static let fullSessionScript = #"""
        client = start(poplib.POP3(HOST, PORT, timeout=10))
        report["capabilities"] = client.capa()
        report["tls"] = tls_version(client)
        report["user"] = text(client.user(USER))
        report["pass"] = text(client.pass_(PASSWORD))
        report["mailbox"] = read_mailbox(client)
        report["top0"] = [text(line) for line in client.top(1, 0)[1]]
        report["top1"] = [text(line) for line in client.top(1, 1)[1]]
        report["dele"] = text(client.dele(1))
        report["statAfterDele"] = list(client.stat())
        finish(client)
        """#

    static let stlsScript = #"""
        client = start(poplib.POP3(HOST, PORT, timeout=10))
        report["stls"] = text(client.stls(context=unverified_context()))
        report["tls"] = tls_version(client)
        report["capabilities"] = client.capa()
        report["user"] = text(client.user(USER))
        report["pass"] = text(client.pass_(PASSWORD))
        report["mailbox"] = read_mailbox(client)
        finish(client)
        """#

    static let pop3sScript = #"""
        client = start(poplib.POP3_SSL(HOST, PORT, context=unverified_context(), timeout=10))
        report["tls"] = tls_version(client)
        report["capabilities"] = client.capa()
        report["user"] = text(client.user(USER))
        report["pass"] = text(client.pass_(PASSWORD))
        report["mailbox"] = read_mailbox(client)
        for number in range(1, report["mailbox"]["count"] + 1):
            client.dele(number)
        report["statAfterDele"] = list(client.stat())
        finish(client)
        """#

    static let apopScript = #"""
        wrong = start(poplib.POP3(HOST, PORT, timeout=10))
        report["wrongPassword"] = attempt(lambda: wrong.apop(USER, PASSWORD + "x"))
        wrong.close()
        client = start(poplib.POP3(HOST, PORT, timeout=10))
        report["login"] = text(client.apop(USER, PASSWORD))
        report["mailbox"] = read_mailbox(client)
        finish(client)
        """#

    /// One connection per SASL exchange: each step's reply, then STAT when the login worked.
    static let saslSessions = #"""
        def b64(value):
            return base64.b64encode(value.encode("utf-8")).decode("ascii")

        def sasl_session(name, steps):
            client = poplib.POP3(HOST, PORT, timeout=10)
            replies = []
            for step in steps:
                line = step(replies[-1] if replies else None)
                reply = attempt(lambda: client._shortcmd(line))
                replies.append(reply)
                if not reply.startswith("+"):
                    break
            stat = list(client.stat()) if replies[-1].startswith("+OK") else None
            client.close()
            report.setdefault("sessions", []).append({"name": name, "replies": replies, "stat": stat})

        def challenge(reply):
            return base64.b64decode(reply[1:].strip())

        """#

    static let saslScript = saslSessions + #"""
        start(poplib.POP3(HOST, PORT, timeout=10)).quit()
        plain = b64("\0" + USER + "\0" + PASSWORD)
        sasl_session("PLAIN initial response", [lambda _: "AUTH PLAIN " + plain])
        sasl_session("PLAIN continuation", [lambda _: "AUTH PLAIN", lambda _: plain])
        sasl_session("LOGIN", [lambda _: "AUTH LOGIN", lambda _: b64(USER), lambda _: b64(PASSWORD)])
        sasl_session("PLAIN wrong password", [lambda _: "AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD + "x")])
        report["quit"] = "+OK"
        print(json.dumps(report))
        """#

    static let cramScript = saslSessions + #"""
        client = start(poplib.POP3(HOST, PORT, timeout=10))
        report["capabilities"] = client.capa()
        client.quit()
        def cram_response(reply):
            digest = hmac.new(PASSWORD.encode("utf-8"), challenge(reply), hashlib.md5).hexdigest()
            return b64(USER + " " + digest)
        sasl_session("CRAM-MD5", [lambda _: "AUTH CRAM-MD5", cram_response])
        report["quit"] = "+OK"
        print(json.dumps(report))
        """#
}

/// The JSON a poplib script prints; each script fills in the fields it uses.
struct PoplibReport: Decodable {
    struct Message: Decodable {
        var response: String
        var octets: Int
        var base64: String
        /// The retrieved bytes (CRLF line ends, dot-unstuffed by poplib).
        var text: String { String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self) }
    }

    struct Mailbox: Decodable {
        var count: Int
        var size: Int
        var list: [String]
        var uidl: [String]
        var messages: [Message]
    }

    struct Session: Decodable {
        var name: String
        var replies: [String]
        var stat: [Int]?
    }

    var welcome: String
    var quit: String
    var capabilities: [String: [String]]?
    var tls: String?
    var stls: String?
    var user: String?
    var pass: String?
    var login: String?
    var wrongPassword: String?
    var mailbox: Mailbox?
    var top0: [String]?
    var top1: [String]?
    var dele: String?
    var statAfterDele: [Int]?
    var sessions: [Session]?
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
