import Foundation
import Logging
import NIOCore
import NIOEmbedded
import RoostAuth
import RoostAuthSocket
import RoostProtocolSupport
import Testing

private func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

/// `AuthSocketHandler` on `NIOAsyncTestingChannel` behind a real `LineFramingHandler`, with a real
/// passwd-file: exact bytes of handshakes and replies, concurrency between requests, and the timers.
@Suite struct AuthSocketHandlerTests {
    static let cookie = AuthSocketCookie(hex: "0f1e2d3c4b5a69788796a5b4c3d2e1f0")!
    static let handshake = "VERSION\t1\t2\nMECH\tPLAIN\tplaintext\nMECH\tLOGIN\tplaintext\nSPID\t4242\nCUID\t1\nCOOKIE\t0f1e2d3c4b5a69788796a5b4c3d2e1f0\nDONE\n"
    static let clientHandshake = "VERSION\t1\t2\nCPID\t777\n"

    /// A passwd-file with alice (SHA512-CRYPT), and services around it.
    final class Fixture: Sendable {
        let directory: String
        let services: AuthSocketServices

        init(penalty: AuthPenaltyConfiguration = AuthPenaltyConfiguration(baseDelay: .zero, maxDelay: .zero)) throws {
            directory = FileManager.default.temporaryDirectory.path + "/roost-auth-socket-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let hash = try PasswordHasher.hash(password: "alice-secret", scheme: .sha512Crypt)
            try Data("alice:\(hash):::::\n".utf8).write(to: URL(fileURLWithPath: directory + "/passwd"))
            let passwd = try PasswdFile(path: directory + "/passwd", configuration: PasswdFileConfiguration(defaultScheme: .sha512Crypt))
            let pool = BlockingWorkPool(threadCount: 1, name: "test-auth-socket")
            services = AuthSocketServices(
                login: LoginServices(
                    authenticator: SASLAuthenticator(authenticator: Authenticator(passdb: passwd, verifier: PasswordVerifier(pool: pool))),
                    mechanisms: [.plain, .login, .cramMD5], penalty: AuthPenalty(configuration: penalty),
                    failureLog: AuthFailureLog()
                ),
                logger: Logger(label: "test"),
                serverProcessID: AuthSocketProcessID(4242), makeCookie: { AuthSocketHandlerTests.cookie }
            )
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func makeChannel(_ fixture: Fixture) async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        let services = fixture.services
        let connection = ConnectionInfo(id: "a1", remoteAddress: nil, isTLS: false, allowsPlaintextWithoutTLS: true)
        try await channel.testingEventLoop.executeInContext {
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(LineFramingHandler(maxLineLength: services.configuration.maxLineLength))
            try sync.addHandler(AuthSocketHandler(services: services, connection: connection))
        }
        try await channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/roost-auth-test")).get()
        return channel
    }

    private func nextWrite(_ channel: NIOAsyncTestingChannel) async throws -> String {
        String(buffer: try await channel.waitForOutboundWrite(as: ByteBuffer.self))
    }

    /// Advances the loop's clock in steps until something is written (the reply's timer may be armed
    /// a moment after the test gets here, when its password check finishes).
    private func writeAfterAdvancing(_ channel: NIOAsyncTestingChannel, by step: TimeAmount) async throws -> String? {
        for _ in 0..<200 {
            await channel.testingEventLoop.advanceTime(by: step)
            if let buffer = try await channel.readOutbound(as: ByteBuffer.self) { return String(buffer: buffer) }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    private func isClosed(_ channel: NIOAsyncTestingChannel) async throws -> Bool {
        for _ in 0..<200 {
            if try await !channel.testingEventLoop.executeInContext({ channel.isActive }) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func handshakeIsSentAtOnceWithoutWaitingForTheClient() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        // CRAM-MD5 is configured, but the passdb holds a one-way hash, so it is not announced.
        #expect(try await nextWrite(channel) == Self.handshake)
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func plainWithInitialResponseAsPostfixSendsIt() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        // Everything pipelined, possibly before the handshake is out.
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake
            + "AUTH\t1\tPLAIN\tservice=smtp\tnologin\tlip=127.0.0.1\trip=127.0.0.1\tsecured\tresp=\(b64("\0alice\0alice-secret"))\n"))
        #expect(try await nextWrite(channel) == Self.handshake)
        #expect(try await nextWrite(channel) == "OK\t1\tuser=alice\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func wrongPasswordFailsWithTheUserName() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake
            + "AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.7\tresp=\(b64("\0alice\0wrong"))\n"))
        #expect(try await nextWrite(channel) == "FAIL\t1\tuser=alice\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func loginWithContinuationRounds() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake + "AUTH\t7\tLOGIN\tservice=smtp\n"))
        #expect(try await nextWrite(channel) == "CONT\t7\tVXNlcm5hbWU6\n")
        try await channel.writeInbound(ByteBuffer(string: "CONT\t7\t\(b64("alice"))\n"))
        #expect(try await nextWrite(channel) == "CONT\t7\tUGFzc3dvcmQ6\n")
        try await channel.writeInbound(ByteBuffer(string: "CONT\t7\t\(b64("alice-secret"))\n"))
        #expect(try await nextWrite(channel) == "OK\t7\tuser=alice\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    /// A guesser's FAIL waits for its penalty on a timer; a good login sent after it on the same
    /// connection is answered first, without waiting.
    @Test func penaltyDelayDoesNotHoldBackOtherRequests() async throws {
        let fixture = try Fixture(penalty: AuthPenaltyConfiguration(baseDelay: .seconds(2), maxDelay: .seconds(2)))
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake
            + "AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.66\tresp=\(b64("\0alice\0guess"))\n"
            + "AUTH\t2\tPLAIN\tservice=smtp\trip=192.0.2.10\tresp=\(b64("\0alice\0alice-secret"))\n"))
        #expect(try await nextWrite(channel) == "OK\t2\tuser=alice\n")
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil)
        // Less than the delay: still nothing.
        await channel.testingEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(try await writeAfterAdvancing(channel, by: .milliseconds(100)) == "FAIL\t1\tuser=alice\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    /// A CANCEL withdraws a FAIL still waiting for its delay.
    @Test func cancelWithdrawsADelayedFailure() async throws {
        let fixture = try Fixture(penalty: AuthPenaltyConfiguration(baseDelay: .seconds(2), maxDelay: .seconds(2)))
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake
            + "AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.66\tresp=\(b64("\0alice\0guess"))\n"
            + "AUTH\t2\tPLAIN\tservice=smtp\trip=192.0.2.10\tresp=\(b64("\0alice\0alice-secret"))\n"))
        #expect(try await nextWrite(channel) == "OK\t2\tuser=alice\n")
        try await channel.writeInbound(ByteBuffer(string: "CANCEL\t1\n"))
        await channel.testingEventLoop.advanceTime(by: .seconds(3))
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    /// An AUTH reusing the id of a FAIL still waiting gets that FAIL first, then its own answer,
    /// so the old reply can never be read as the new request's.
    @Test func reusedIdGetsTheWaitingFailureFirst() async throws {
        let fixture = try Fixture(penalty: AuthPenaltyConfiguration(baseDelay: .seconds(2), maxDelay: .seconds(2)))
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake
            + "AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.66\tresp=\(b64("\0alice\0guess"))\n"
            + "AUTH\t2\tPLAIN\tservice=smtp\trip=192.0.2.10\tresp=\(b64("\0alice\0alice-secret"))\n"))
        #expect(try await nextWrite(channel) == "OK\t2\tuser=alice\n")
        try await channel.writeInbound(ByteBuffer(string: "AUTH\t1\tPLAIN\tservice=smtp\trip=192.0.2.10\tresp=\(b64("\0alice\0alice-secret"))\n"))
        #expect(try await nextWrite(channel) == "FAIL\t1\tuser=alice\n")
        #expect(try await nextWrite(channel) == "OK\t1\tuser=alice\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    /// Without rip= there is no address to count, but the base delay still applies.
    @Test func failureWithoutRemoteAddressWaitsTheBaseDelay() async throws {
        let fixture = try Fixture(penalty: AuthPenaltyConfiguration(baseDelay: .seconds(2), maxDelay: .seconds(15)))
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake
            + "AUTH\t1\tPLAIN\tservice=smtp\tresp=\(b64("\0nobody\0guess"))\n"))
        #expect(try await writeAfterAdvancing(channel, by: .milliseconds(500)) == "FAIL\t1\tuser=nobody\n")
        #expect(fixture.services.login.penalty.trackedAddressCount == 0)
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func abandonedRequestTimesOut() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake + "AUTH\t1\tLOGIN\tservice=smtp\n"))
        #expect(try await nextWrite(channel) == "CONT\t1\tVXNlcm5hbWU6\n")
        await channel.testingEventLoop.advanceTime(by: .seconds(150))
        try await channel.writeInbound(ByteBuffer(string: "CONT\t1\t\(b64("alice"))\n"))
        #expect(try await nextWrite(channel) == "FAIL\t1\treason=Authentication request timed out\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test(arguments: [
        "VERSION\t2\t0\n",
        "AUTH\t1\tPLAIN\tservice=smtp\n",
        clientHandshake + "AUTH\t1\tDIGEST-MD5\tservice=smtp\n",
        clientHandshake + "AUTH\t1\tLOGIN\tservice=smtp\nAUTH\t1\tLOGIN\tservice=smtp\n",
        clientHandshake + "QUIT\n",
    ])
    func protocolErrorsClose(_ input: String) async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        try await channel.writeInbound(ByteBuffer(string: input))
        #expect(try await isClosed(channel))
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    /// Stress: one byte over Dovecot's 16 KiB line limit closes the connection; at the limit it does not.
    @Test func lineOverTheLimitCloses() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == Self.handshake)
        let prefix = "CONT\t1\t"
        let atLimit = prefix + String(repeating: "A", count: AuthSocketLimits.maxLineLength - prefix.utf8.count)
        try await channel.writeInbound(ByteBuffer(string: Self.clientHandshake + atLimit + "\n"))
        #expect(try await nextWrite(channel) == "FAIL\t1\treason=Authentication request timed out\n")
        try await channel.writeInbound(ByteBuffer(string: atLimit + "A\n"))
        #expect(try await isClosed(channel))
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }
}
