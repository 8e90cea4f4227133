import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import RoostAuth
import RoostPOP3
import RoostProtocolSupport
import RoostStorage
import Testing

/// `POP3ServerHandler` on `NIOAsyncTestingChannel`: exact bytes of pipelined conversations and the
/// STLS hand-over.
@Suite struct POP3ServerHandlerTests {
    /// A passwd-file with alice (SHA512-CRYPT) and a Maildir holding one message.
    final class Fixture: Sendable {
        let directory: String
        let services: POP3Services
        let message: String

        init(tlsAvailable: Bool = false, message: String = "Subject: hi\r\n\r\nhello\r\n", streamChunkSize: Int = 64 * 1024) throws {
            self.message = message
            directory = FileManager.default.temporaryDirectory.path + "/roost-pop3-handler-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let hash = try PasswordHasher.hash(password: "alice-secret", scheme: .sha512Crypt)
            try Data("alice:\(hash):::::\n".utf8).write(to: URL(fileURLWithPath: directory + "/passwd"))
            let store = MailStore(root: directory + "/alice")
            try store.createIfNeeded()
            try store.folder(.inbox).save(Array(message.utf8))
            let passwd = try PasswdFile(path: directory + "/passwd", configuration: PasswdFileConfiguration(defaultScheme: .sha512Crypt))
            let pool = BlockingWorkPool(threadCount: 1, name: "test-auth")
            let storagePool = BlockingWorkPool(threadCount: 1, name: "test-store")
            let root = directory
            services = POP3Services(
                configuration: POP3Configuration(hostname: "test", tlsAvailable: tlsAvailable, streamChunkSize: streamChunkSize),
                login: LoginServices(
                    authenticator: SASLAuthenticator(authenticator: Authenticator(passdb: passwd, verifier: PasswordVerifier(pool: pool))),
                    mechanisms: [.plain, .login], penalty: AuthPenalty(configuration: AuthPenaltyConfiguration(baseDelay: .zero, maxDelay: .zero)),
                    failureLog: AuthFailureLog()
                ),
                storage: StorageExecutor { _, work in try await storagePool.run { try work() } },
                limiter: ConnectionLimiter(limits: .init(maxConnections: 10, maxConnectionsPerIP: 10, maxConnectionsPerUserIP: 10)),
                sessionLocks: SessionLocks(), criticalWork: CriticalWork(),
                openMailbox: { user in UserMailbox(store: MailStore(root: root + "/" + user), identity: nil) },
                logger: Logger(label: "test")
            )
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func makeChannel(_ fixture: Fixture, tlsUpgrade: TLSUpgrade? = nil, isTLS: Bool = false) async throws -> NIOAsyncTestingChannel {
        let channel = NIOAsyncTestingChannel()
        let connection = ConnectionInfo(id: "t1", remoteAddress: "127.0.0.1", isTLS: isTLS, allowsPlaintextWithoutTLS: true)
        let services = fixture.services
        try await channel.testingEventLoop.executeInContext {
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(LineFramingHandler(maxLineLength: 1024))
            try sync.addHandler(POP3ServerHandler(services: services, connection: connection, tlsUpgrade: tlsUpgrade))
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        return channel
    }

    private func nextWrite(_ channel: NIOAsyncTestingChannel) async throws -> String {
        String(buffer: try await channel.waitForOutboundWrite(as: ByteBuffer.self))
    }

    /// A session logged in as alice, whose INBOX holds `texts` in order, past the greeting and the
    /// USER and PASS answers; the fixture must be kept as long as the session (it removes the Maildir).
    private func loggedInSession(
        with texts: [String], streamChunkSize: Int = 64 * 1024
    ) async throws -> (Fixture, NIOAsyncTestingChannel) {
        let fixture = try Fixture(message: texts[0], streamChunkSize: streamChunkSize)
        let inbox = try MailStore(root: fixture.directory + "/alice").folder(.inbox)
        for text in texts.dropFirst() { try inbox.save(Array(text.utf8)) }
        let channel = try await makeChannel(fixture)
        _ = try await nextWrite(channel)
        try await channel.writeInbound(ByteBuffer(string: "USER alice\r\nPASS alice-secret\r\n"))
        _ = try await nextWrite(channel)
        _ = try await nextWrite(channel)
        return (fixture, channel)
    }

    @Test func pipelinedConversationInOrder() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        #expect(try await nextWrite(channel) == "+OK Roost POP3 server ready\r\n")
        try await channel.writeInbound(ByteBuffer(string: "CAPA\r\nUSER alice\r\nPASS alice-secret\r\nSTAT\r\nUIDL 1\r\nQUIT\r\n"))
        #expect(try await nextWrite(channel) == "+OK Capability list follows\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION Roost\r\n.\r\n")
        #expect(try await nextWrite(channel) == "+OK Send your password\r\n")
        let size = fixture.message.utf8.count
        #expect(try await nextWrite(channel) == "+OK Logged in, 1 messages (\(size) octets)\r\n")
        #expect(try await nextWrite(channel) == "+OK 1 \(size)\r\n")
        let uidl = try await nextWrite(channel)
        #expect(uidl.hasPrefix("+OK 1 00000001") && uidl.hasSuffix("\r\n") && uidl.utf8.count == "+OK 1 ".utf8.count + 16 + 2)
        #expect(try await nextWrite(channel) == "+OK Logging out\r\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func retrSendsStatusBodyAndTerminator() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        _ = try await nextWrite(channel)
        try await channel.writeInbound(ByteBuffer(string: "USER alice\r\nPASS alice-secret\r\nRETR 1\r\n"))
        _ = try await nextWrite(channel)
        _ = try await nextWrite(channel)
        // One write: status line, message, terminator.
        #expect(try await nextWrite(channel) == "+OK \(fixture.message.utf8.count) octets\r\n" + fixture.message + ".\r\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func retrInManyChunksStuffsDotsAcrossChunkBoundaries() async throws {
        // LF line ends and lines starting with a dot, read 5 bytes at a time: the first chunk comes
        // with the open, the rest one by one; CRs and dots go in wherever the chunks split.
        let message = "Subject: dots\n\n.one\n..two\nend.\n.\nlast\n"
        let fixture = try Fixture(message: message, streamChunkSize: 5)
        let channel = try await makeChannel(fixture)
        _ = try await nextWrite(channel)
        try await channel.writeInbound(ByteBuffer(string: "USER alice\r\nPASS alice-secret\r\nRETR 1\r\nNOOP\r\n"))
        _ = try await nextWrite(channel)
        _ = try await nextWrite(channel)
        let expected = "+OK \(message.utf8.count + 7) octets\r\n"
            + "Subject: dots\r\n\r\n..one\r\n...two\r\nend.\r\n..\r\nlast\r\n.\r\n"
        var received = ""
        var writes = 0
        while received.utf8.count < expected.utf8.count {
            received += try await nextWrite(channel)
            writes += 1
        }
        #expect(received == expected)
        #expect(writes == (message.utf8.count + 4) / 5)
        // The next command is answered only after the whole message.
        #expect(try await nextWrite(channel) == "+OK Nothing happened\r\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func retrievalsInAnyOrderGetTheirOwnMessage() async throws {
        // RETR reads the next message ahead: in order, skipping one, backwards, TOP and DELE in
        // between, each answer is the message asked for.
        let (fixture, channel) = try await loggedInSession(with: [
            "Subject: 1\r\n\r\none\r\n", "Subject: 2\r\n\r\ntwo\r\n", "Subject: 3\r\n\r\nthree\r\n", "Subject: 4\r\n\r\nfour\r\n",
        ])
        func retr(_ number: Int, _ word: String) -> String {
            let text = "Subject: \(number)\r\n\r\n\(word)\r\n"
            return "+OK \(text.utf8.count) octets\r\n" + text + ".\r\n"
        }
        try await channel.writeInbound(ByteBuffer(string: "RETR 1\r\nRETR 2\r\nDELE 3\r\nRETR 3\r\nRETR 4\r\nRETR 1\r\nTOP 2 0\r\nRETR 3\r\n"))
        #expect(try await nextWrite(channel) == retr(1, "one"))
        #expect(try await nextWrite(channel) == retr(2, "two"))
        #expect(try await nextWrite(channel) == "+OK Message 3 marked for deletion\r\n")
        #expect(try await nextWrite(channel) == "-ERR No message 3\r\n")
        #expect(try await nextWrite(channel) == retr(4, "four"))
        #expect(try await nextWrite(channel) == retr(1, "one"))
        #expect(try await nextWrite(channel) == "+OK Top of message follows\r\nSubject: 2\r\n\r\n.\r\n")
        #expect(try await nextWrite(channel) == "-ERR No message 3\r\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
        withExtendedLifetime(fixture) {}
    }

    @Test func readAheadMixesWholeMessagesAndOneLargerThanAChunk() async throws {
        // 40-byte chunks: the second message is streamed in several, the others fit whole, so
        // read-aheads hold whole messages, a first chunk with its file, or both.
        let large = "Subject: 2\r\n\r\n" + String(repeating: "long line of the second message\r\n", count: 5)
        let texts = ["Subject: 1\r\n\r\none\r\n", large, "Subject: 3\r\n\r\nthree\r\n", "Subject: 4\r\n\r\nfour\r\n", "S: 5\r\n\r\n5\r\n"]
        let (fixture, channel) = try await loggedInSession(with: texts, streamChunkSize: 40)
        try await channel.writeInbound(ByteBuffer(string: "RETR 1\r\nRETR 2\r\nRETR 3\r\nRETR 4\r\nRETR 5\r\nRETR 2\r\nNOOP\r\n"))
        var received = ""
        let expected = ([1, 2, 3, 4, 5, 2].map { "+OK \(texts[$0 - 1].utf8.count) octets\r\n" + texts[$0 - 1] + ".\r\n" }
            + ["+OK Nothing happened\r\n"]).joined()
        while received.utf8.count < expected.utf8.count {
            received += try await nextWrite(channel)
        }
        #expect(received == expected)
        _ = try? await channel.finish(acceptAlreadyClosed: true)
        withExtendedLifetime(fixture) {}
    }

    @Test func downloadsAcrossManyReadAheadBatches() async throws {
        // 40-byte chunks hold two of these messages: a download in order passes through the batch
        // being taken and the one read in reserve many times, with a DELE and a skipped message
        // in between, and each answer is still the message asked for.
        let texts = (1...12).map { "S: \($0)\r\n\r\nbody \($0)\r\n" }
        let (fixture, channel) = try await loggedInSession(with: texts, streamChunkSize: 40)
        let asked = [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 5]
        let commands = asked.map { number in number == 6 ? "DELE 5\r\nRETR 6\r\n" : "RETR \(number)\r\n" }
        try await channel.writeInbound(ByteBuffer(string: commands.joined() + "NOOP\r\n"))
        let expected = asked.map { number -> String in
            let answer = number == 5 ? "-ERR No message 5\r\n" : "+OK \(texts[number - 1].utf8.count) octets\r\n" + texts[number - 1] + ".\r\n"
            return number == 6 ? "+OK Message 5 marked for deletion\r\n" + answer : answer
        }.joined() + "+OK Nothing happened\r\n"
        var received = ""
        while received.utf8.count < expected.utf8.count {
            received += try await nextWrite(channel)
        }
        #expect(received == expected)
        _ = try? await channel.finish(acceptAlreadyClosed: true)
        withExtendedLifetime(fixture) {}
    }

    @Test func retrOfARemovedMessageIsAnError() async throws {
        let fixture = try Fixture()
        let channel = try await makeChannel(fixture)
        _ = try await nextWrite(channel)
        try await channel.writeInbound(ByteBuffer(string: "USER alice\r\nPASS alice-secret\r\n"))
        _ = try await nextWrite(channel)
        _ = try await nextWrite(channel)
        for directory in ["new", "cur"] {
            let path = fixture.directory + "/alice/" + directory
            for name in try FileManager.default.contentsOfDirectory(atPath: path) {
                try FileManager.default.removeItem(atPath: path + "/" + name)
            }
        }
        try await channel.writeInbound(ByteBuffer(string: "RETR 1\r\nNOOP\r\n"))
        #expect(try await nextWrite(channel) == "-ERR Message 1 was removed by another session\r\n")
        #expect(try await nextWrite(channel) == "+OK Nothing happened\r\n")
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func stlsHandsOverAndDropsPipelinedLines() async throws {
        let fixture = try Fixture(tlsAvailable: true)
        let replies = NIOLockedValueBox<[String]>([])
        let upgrade = TLSUpgrade { context, reply in
            try context.pipeline.syncOperations.handler(type: LineFramingHandler.self).discardBufferedInput()
            replies.withLockedValue { $0.append(String(buffer: reply)) }
        }
        let channel = try await makeChannel(fixture, tlsUpgrade: upgrade)
        _ = try await nextWrite(channel)
        try await channel.writeInbound(ByteBuffer(string: "STLS\r\nUSER evil\r\nPASS x\r\n"))
        try await channel.writeInbound(ByteBuffer(string: "CAPA\r\n"))
        let capabilities = try await nextWrite(channel)
        #expect(replies.withLockedValue { $0 } == ["+OK Begin TLS negotiation now\r\n"])
        #expect(capabilities.contains("\r\nUSER\r\n") && !capabilities.contains("STLS"))
        // Nothing else was answered: USER evil and PASS x were dropped.
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try? await channel.finish(acceptAlreadyClosed: true)
    }
}
