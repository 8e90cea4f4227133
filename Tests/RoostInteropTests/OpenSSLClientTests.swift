import Foundation
import RoostTesting
import Testing

/// `openssl s_client`, the tool administrators reach for first: `-starttls pop3` on the plain port
/// and implicit TLS on the POP3S port, with a whole session written at once (the server offers
/// PIPELINING, so every reply must come back in order).
@Suite struct OpenSSLClientTests {
    @Test(arguments: [Transport.stls, .pop3s])
    func pipelinedSession(transport: Transport) async throws {
        try await TestServer.with { server in
            try server.deliverInteropMail()
            let tool = try ExternalTool.require("openssl", debianPackage: "openssl")
            var arguments = ["s_client", "-connect", "127.0.0.1:\(transport.port(of: server))", "-servername", "localhost", "-quiet", "-crlf"]
            if transport == .stls { arguments += ["-starttls", "pop3"] }
            let session = "USER alice\nPASS alice-secret\nSTAT\nUIDL\nRETR 1\nDELE 1\nQUIT\n"
            let result = try await tool.run(
                arguments, removingEnvironment: ExternalTool.proxyVariables, input: Array(session.utf8), timeout: .seconds(30)
            )
            #expect(result.succeeded, "\(result)")

            let transcript = result.output
            let lines = transcript.components(separatedBy: "\r\n")
            let statuses = lines.filter { $0.hasPrefix("+OK") || $0.hasPrefix("-ERR") }
            // After STLS, s_client shows only what comes over TLS: no greeting then.
            let expectedReplies = transport == .stls ? 7 : 8
            #expect(statuses.count == expectedReplies, "\(transcript)")
            #expect(statuses.allSatisfy { $0.hasPrefix("+OK") }, "\(transcript)")
            #expect(lines.contains("+OK 3 \(InteropMail.totalSize)"), "\(transcript)")

            // The RETR 1 reply, dot-stuffed on the wire: "." lines doubled, then the terminator.
            let retrieved = try #require(transcript.range(of: "octets\r\n"), "\(transcript)")
            let terminator = try #require(transcript.range(of: "\r\n.\r\n", range: retrieved.upperBound..<transcript.endIndex))
            let wire = String(transcript[retrieved.upperBound..<terminator.lowerBound]) + "\r\n"
            let unstuffed = wire.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }.joined(separator: "\r\n")
            #expect(InteropMail.allCRLF.contains(unstuffed), "\(wire.debugDescription)")
            #expect(!wire.components(separatedBy: "\r\n").contains("."), "an unstuffed \".\" line ends the message early")

            #expect(try server.messageContentsCRLF() == InteropMail.allCRLF.filter { $0 != unstuffed }.sorted())
        }
    }
}
