import Foundation
import RoostTesting
import Testing

/// A private Postfix with `smtpd_sasl_type = dovecot` pointing at Roost's auth socket, driven by
/// swaks: AUTH PLAIN and LOGIN with right and wrong passwords for a SHA512-CRYPT user (alice) and
/// a plaintext-stored one (bob), and relaying allowed only after AUTH.
@Suite(.serialized) struct PostfixSASLTests {
    /// Runs `body` with Roost (auth socket on) and Postfix using it.
    private func withPostfix(_ body: (TestServer, PostfixInstance) async throws -> Void) async throws {
        try await TestServer.with(users: [.alice, .bob], authSocket: true) { server in
            let postfix = try await PostfixInstance(authSocket: server.authSocketPath)
            do {
                try await body(server, postfix)
                await postfix.stop()
            } catch {
                Issue.record("Postfix log:\n\(postfix.log)")
                await postfix.stop()
                throw error
            }
        }
    }

    static let cases: [(user: TestUser, mechanism: String)] = [
        (.alice, "PLAIN"), (.alice, "LOGIN"), (.bob, "PLAIN"), (.bob, "LOGIN"),
    ]

    @Test func authRightAndWrongPasswords() async throws {
        try await withPostfix { _, postfix in
            for (user, mechanism) in Self.cases {
                let right = try await postfix.swaks([
                    "--to", "someone@elsewhere.example", "--auth", mechanism,
                    "--auth-user", user.name, "--auth-password", user.password, "--quit-after", "AUTH",
                ])
                #expect(right.output.contains("235 "), "\(user.name) \(mechanism): \(right)")
                let wrong = try await postfix.swaks([
                    "--to", "someone@elsewhere.example", "--auth", mechanism,
                    "--auth-user", user.name, "--auth-password", user.password + "x", "--quit-after", "AUTH",
                ])
                #expect(wrong.output.contains("535 "), "\(user.name) \(mechanism): \(wrong)")
                #expect(!wrong.output.contains("235 "))
            }
        }
    }

    @Test func relayOnlyAfterAuth() async throws {
        try await withPostfix { _, postfix in
            let anonymous = try await postfix.swaks(["--to", "someone@elsewhere.example", "--quit-after", "RCPT"])
            #expect(anonymous.output.contains("Relay access denied"), "\(anonymous)")
            let authenticated = try await postfix.swaks([
                "--to", "someone@elsewhere.example", "--auth", "PLAIN",
                "--auth-user", "alice", "--auth-password", TestUser.alice.password, "--quit-after", "RCPT",
            ])
            #expect(authenticated.output.contains("235 "), "\(authenticated)")
            #expect(!authenticated.output.contains("Relay access denied"), "\(authenticated)")
            #expect(authenticated.output.contains("250 2.1.5 Ok"), "\(authenticated)")
        }
    }
}
