import Foundation
import Logging
import NIOCore
import NIOEmbedded
import RoostAuth
import RoostIMAP
import RoostIMAPGrammar
import RoostProtocolSupport
import RoostStorage
import Synchronization
import Testing

/// `IMAPServerHandler` on `NIOAsyncTestingChannel`: exact bytes of pipelined commands, literals,
/// STARTTLS, framing errors, IDLE and the ways a connection ends.
@Suite struct IMAPServerHandlerTests {
    /// A passwd-file with alice (SHA512-CRYPT) and her Maildir root in a temporary directory.
    final class Fixture: Sendable {
        let directory: String
        let services: IMAPServices

        var inbox: String { directory + "/alice" }

        /// Writes a message into INBOX's `new/` as an MTA would: into `tmp/`, then renamed.
        func deliver(_ text: String) throws {
            let name = "\(UUID().uuidString).test"
            try Data(text.utf8).write(to: URL(fileURLWithPath: inbox + "/tmp/" + name))
            try FileManager.default.moveItem(atPath: inbox + "/tmp/" + name, toPath: inbox + "/new/" + name)
        }

        init(tlsAvailable: Bool = false, limits: IMAPLimits = IMAPLimits(), idleKeepalive: Duration = .seconds(120)) throws {
            directory = FileManager.default.temporaryDirectory.path + "/roost-imap-handler-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let hash = try PasswordHasher.hash(password: "alice-secret", scheme: .sha512Crypt)
            try Data("alice:\(hash):::::\n".utf8).write(to: URL(fileURLWithPath: directory + "/passwd"))
            let passwd = try PasswdFile(path: directory + "/passwd", configuration: PasswdFileConfiguration(defaultScheme: .sha512Crypt))
            let pool = BlockingWorkPool(threadCount: 1, name: "test-imap-auth")
            let root = directory
            services = IMAPServices(
                configuration: IMAPConfiguration(hostname: "test", tlsAvailable: tlsAvailable, limits: limits, idleKeepalive: idleKeepalive),
                login: LoginServices(
                    authenticator: SASLAuthenticator(authenticator: Authenticator(passdb: passwd, verifier: PasswordVerifier(pool: pool))),
                    mechanisms: [.plain, .login],
                    penalty: AuthPenalty(configuration: AuthPenaltyConfiguration(baseDelay: .zero, maxDelay: .zero)),
                    failureLog: AuthFailureLog()
                ),
                storage: StorageExecutor { _, work in try await Task { try work() }.value },
                limiter: ConnectionLimiter(limits: .init(maxConnections: 10, maxConnectionsPerIP: 10, maxConnectionsPerUserIP: 10)),
                criticalWork: CriticalWork(), watcher: MaildirWatcher.shared,
                openMailbox: { user in
                    UserMailbox(store: MailStore(root: root + "/" + user, options: StorageOptions(fsync: false)), identity: nil)
                },
                logger: Logger(label: "test")
            )
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The client end of a handler on a testing channel: what it sends, and the octets it has
    /// received but not yet checked.
    final class Connection {
        let channel: NIOAsyncTestingChannel
        private var received: [UInt8] = []

        init(_ fixture: Fixture, tlsUpgrade: TLSUpgrade? = nil) async throws {
            channel = NIOAsyncTestingChannel()
            let connection = ConnectionInfo(id: "t1", remoteAddress: "127.0.0.1", isTLS: false, allowsPlaintextWithoutTLS: true)
            let services = fixture.services
            let channel = channel
            try await channel.testingEventLoop.executeInContext {
                try channel.pipeline.syncOperations.addHandler(
                    IMAPServerHandler(services: services, connection: connection, tlsUpgrade: tlsUpgrade))
            }
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        }

        func send(_ text: String) async throws {
            try await channel.writeInbound(ByteBuffer(string: text))
        }

        /// Waits (up to 60 s; a loaded machine running the whole suite is slow) until as many octets as `expected` has arrived, and expects exactly them.
        /// Responses are written from tasks, so they may arrive in any number of writes.
        func expect(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let count = expected.utf8.count
            let deadline = ContinuousClock.now + .seconds(60)
            while received.count < count, ContinuousClock.now < deadline {
                try await receiveOrPause()
            }
            let taken = min(count, received.count)
            let text = String(decoding: received.prefix(taken), as: UTF8.self)
            received.removeFirst(taken)
            #expect(text == expected, sourceLocation: sourceLocation)
        }

        /// Waits (up to 60 s; a loaded machine running the whole suite is slow) for `marker` and drops everything up to and including it: for responses
        /// whose exact bytes other tests check.
        func skip(through marker: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let needle = Array(marker.utf8)
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if let end = Self.end(of: needle, in: received) {
                    received.removeFirst(end)
                    return
                }
                try await receiveOrPause()
            }
            Issue.record("\(marker.debugDescription) did not arrive", sourceLocation: sourceLocation)
        }

        private static func end(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
            guard bytes.count >= needle.count else { return nil }
            for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
                return start + needle.count
            }
            return nil
        }

        /// Expects that nothing more arrives within `duration`.
        func expectSilence(for duration: Duration = .milliseconds(300), sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let deadline = ContinuousClock.now + duration
            while received.isEmpty, ContinuousClock.now < deadline {
                try await receiveOrPause()
            }
            #expect(String(decoding: received, as: UTF8.self) == "", sourceLocation: sourceLocation)
            received.removeAll()
        }

        /// Waits (up to 60 s; a loaded machine running the whole suite is slow) for the handler to close the connection.
        func expectClosed(sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while channel.isActive, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(!channel.isActive, sourceLocation: sourceLocation)
        }

        func finish() async {
            _ = try? await channel.finish(acceptAlreadyClosed: true)
        }

        private func receiveOrPause() async throws {
            // The session's tasks run on the channel's event loop: let it run what is due.
            await channel.testingEventLoop.run()
            if let buffer = try await channel.readOutbound(as: ByteBuffer.self) {
                received += buffer.readableBytesView
            } else {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    /// The replies a test `TLSUpgrade` was asked to write.
    final class ReplyRecorder: Sendable {
        private let replies = Mutex<[String]>([])

        func record(_ reply: ByteBuffer) { replies.withLock { $0.append(String(buffer: reply)) } }

        var all: [String] { replies.withLock { $0 } }
    }

    static let common = "IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE MULTIAPPEND"
    static let greeting = "* OK [CAPABILITY \(common) AUTH=PLAIN AUTH=LOGIN] Roost IMAP server ready\r\n"
    static let loggedIn = "OK [CAPABILITY \(common)] Logged in\r\n"

    /// A connection past the greeting and logged in as alice.
    func loggedInConnection(_ fixture: Fixture) async throws -> Connection {
        let connection = try await Connection(fixture)
        try await connection.expect(Self.greeting)
        try await connection.send("L LOGIN alice alice-secret\r\n")
        try await connection.expect("L " + Self.loggedIn)
        return connection
    }

    // MARK: Greeting and pipelining

    // RFC 3501 section 7.1.1: the greeting, here with the capabilities.
    @Test func greetingListsCapabilities() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        try await connection.expectSilence()
        await connection.finish()
    }

    // RFC 3501 section 5.5: pipelined commands are answered one after another, in order.
    @Test func pipelinedCommandsAreAnsweredInOrder() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        try await connection.send("a NOOP\r\nb CAPABILITY\r\nc NOOP\r\n")
        try await connection.expect(
            "a OK NOOP completed\r\n* CAPABILITY \(Self.common) AUTH=PLAIN AUTH=LOGIN\r\nb OK Capability completed\r\nc OK NOOP completed\r\n")
        try await connection.expectSilence()
        await connection.finish()
    }

    @Test func aCommandSplitAcrossWritesRunsWhenComplete() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        try await connection.send("a NO")
        try await connection.expectSilence()
        try await connection.send("OP\r")
        try await connection.expectSilence()
        try await connection.send("\n")
        try await connection.expect("a OK NOOP completed\r\n")
        await connection.finish()
    }

    // MARK: Literals

    // RFC 3501 section 7.5: a synchronizing literal waits for "+" before the client sends it.
    @Test func synchronizingLiteralGetsAContinuationRequest() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        try await connection.send("a LOGIN {5}\r\n")
        try await connection.expect("+ Ready for literal data\r\n")
        try await connection.expectSilence()
        try await connection.send("alice {12}\r\n")
        try await connection.expect("+ Ready for literal data\r\n")
        try await connection.send("alice-secret\r\n")
        try await connection.expect("a " + Self.loggedIn)
        await connection.finish()
    }

    // RFC 7888 section 3: a non-synchronizing literal `{n+}` is sent at once, with no "+".
    @Test func literalPlusNeedsNoContinuation() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        try await connection.send("a LOGIN {5+}\r\nalice {12+}\r\nalice-secret\r\nb NOOP\r\n")
        try await connection.expect("a " + Self.loggedIn + "b OK NOOP completed\r\n")
        try await connection.expectSilence()
        await connection.finish()
    }

    // A synchronizing literal over the limit is refused instead of "+" (RFC 3501 section 7.5), so
    // the client never sends it.
    @Test func oversizedSynchronizingLiteralIsRefusedWithoutContinuation() async throws {
        let connection = try await Connection(Fixture(limits: IMAPLimits(maxLiteralOctets: 10)))
        try await connection.expect(Self.greeting)
        try await connection.send("a APPEND INBOX {100}\r\n")
        try await connection.expect("a NO [LIMIT] Literal too large (limit 10 octets)\r\n")
        try await connection.send("b NOOP\r\n")
        try await connection.expect("b OK NOOP completed\r\n")
        try await connection.expectSilence()
        await connection.finish()
    }

    // RFC 7888 section 4: a non-synchronizing literal over the limit is refused, its octets and the
    // rest of the command skipped, and the session goes on.
    @Test func oversizedNonSynchronizingLiteralIsSkipped() async throws {
        let connection = try await Connection(Fixture(limits: IMAPLimits(maxLiteralOctets: 10)))
        try await connection.expect(Self.greeting)
        try await connection.send("a APPEND INBOX {20+}\r\n" + String(repeating: "x", count: 20) + " more\r\nb NOOP\r\n")
        try await connection.expect("a NO [LIMIT] Literal too large (limit 10 octets)\r\nb OK NOOP completed\r\n")
        try await connection.expectSilence()
        await connection.finish()
    }

    // MARK: SASL

    // RFC 3501 section 6.2.2: the response to a challenge is a line of its own, not a command.
    @Test func authenticateReadsResponseLines() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        try await connection.send("a AUTHENTICATE PLAIN\r\n")
        try await connection.expect("+ \r\n")
        try await connection.send(Data("\0alice\0alice-secret".utf8).base64EncodedString() + "\r\n")
        try await connection.expect("a " + Self.loggedIn)
        await connection.finish()
    }

    @Test func authenticateIsCancelledWithAStar() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        try await connection.send("a AUTHENTICATE LOGIN\r\n")
        try await connection.expect("+ VXNlcm5hbWU6\r\n")
        try await connection.send("*\r\nb NOOP\r\n")
        try await connection.expect("a BAD Authentication cancelled\r\nb OK NOOP completed\r\n")
        await connection.finish()
    }

    @Test func overlongSASLResponseEndsTheExchange() async throws {
        let connection = try await Connection(Fixture(limits: IMAPLimits(maxCommandOctets: 64)))
        try await connection.expect(Self.greeting)
        try await connection.send("a AUTHENTICATE PLAIN\r\n")
        try await connection.expect("+ \r\n")
        try await connection.send(String(repeating: "QUFB", count: 25) + "\r\nb NOOP\r\n")
        try await connection.expect("a BAD Authentication data too long\r\nb OK NOOP completed\r\n")
        await connection.finish()
    }

    // MARK: STARTTLS

    // RFC 3501 section 6.2.1 and RFC 2595 section 3.1: the OK goes out in plaintext, and what the
    // client pipelined behind STARTTLS is thrown away, never run as if it came over TLS.
    @Test func startTLSDropsPipelinedCommands() async throws {
        let replies = ReplyRecorder()
        let upgrade = TLSUpgrade { context, reply in
            replies.record(reply)
            context.writeAndFlush(NIOAny(reply), promise: nil)
        }
        let connection = try await Connection(Fixture(tlsAvailable: true), tlsUpgrade: upgrade)
        try await connection.expect("* OK [CAPABILITY \(Self.common) STARTTLS AUTH=PLAIN AUTH=LOGIN] Roost IMAP server ready\r\n")
        try await connection.send("a STARTTLS\r\nb LOGIN alice alice-secret\r\n")
        try await connection.expect("a OK Begin TLS negotiation now\r\n")
        try await connection.expectSilence()
        #expect(replies.all == ["a OK Begin TLS negotiation now\r\n"])

        // Not logged in (b was dropped), and STARTTLS is no longer offered.
        try await connection.send("c CAPABILITY\r\nd STARTTLS\r\n")
        try await connection.expect(
            "* CAPABILITY \(Self.common) AUTH=PLAIN AUTH=LOGIN\r\nc OK Capability completed\r\nd BAD TLS is already active\r\n")
        #expect(replies.all.count == 1)
        await connection.finish()
    }

    // MARK: Framing errors

    // A command line over the limit is answered BAD with its tag, and the session goes on.
    @Test func overlongLineIsRefusedAndTheSessionContinues() async throws {
        let connection = try await Connection(Fixture(limits: IMAPLimits(maxCommandOctets: 64)))
        try await connection.expect(Self.greeting)
        try await connection.send("a NOOP " + String(repeating: "x", count: 100) + "\r\nb NOOP\r\n")
        try await connection.expect("a BAD Command line too long (limit 64 octets)\r\nb OK NOOP completed\r\n")
        try await connection.expectSilence()
        await connection.finish()
    }

    // Refused as soon as the limit is passed, before the line ends; the rest of it is skipped.
    @Test func overlongLineIsRefusedBeforeItEnds() async throws {
        let connection = try await Connection(Fixture(limits: IMAPLimits(maxCommandOctets: 64)))
        try await connection.expect(Self.greeting)
        try await connection.send("a NOOP " + String(repeating: "x", count: 100))
        try await connection.expect("a BAD Command line too long (limit 64 octets)\r\n")
        try await connection.send(String(repeating: "y", count: 100) + "\r\nb NOOP\r\n")
        try await connection.expect("b OK NOOP completed\r\n")
        try await connection.expectSilence()
        await connection.finish()
    }

    // MARK: IDLE

    // RFC 2177 section 3: "+ idling", then DONE ends IDLE with the tagged OK.
    @Test func idleEndsWithDone() async throws {
        let connection = try await loggedInConnection(Fixture())
        try await connection.send("a IDLE\r\n")
        try await connection.expect("+ idling\r\n")
        try await connection.expectSilence()
        try await connection.send("DONE\r\n")
        try await connection.expect("a OK IDLE completed\r\n")
        try await connection.send("b NOOP\r\n")
        try await connection.expect("b OK NOOP completed\r\n")
        await connection.finish()
    }

    // RFC 2177 leaves anything but DONE to the server: answered BAD, and IDLE is over.
    @Test func idleEndsWithBadOnAnotherLine() async throws {
        let connection = try await loggedInConnection(Fixture())
        try await connection.send("a IDLE\r\n")
        try await connection.expect("+ idling\r\n")
        try await connection.send("b NOOP\r\n")
        try await connection.expect("a BAD Expected DONE\r\n")
        try await connection.send("c NOOP\r\n")
        try await connection.expect("c OK NOOP completed\r\n")
        await connection.finish()
    }

    // `imap.idle_keepalive`: an idling client hears from the server now and then.
    @Test func idleSendsKeepalives() async throws {
        let connection = try await loggedInConnection(Fixture(idleKeepalive: .seconds(60)))
        try await connection.send("a IDLE\r\n")
        try await connection.expect("+ idling\r\n")
        await connection.channel.testingEventLoop.advanceTime(by: .seconds(59))
        try await connection.expectSilence()
        await connection.channel.testingEventLoop.advanceTime(by: .seconds(1))
        try await connection.expect("* OK Still here\r\n")
        await connection.channel.testingEventLoop.advanceTime(by: .seconds(60))
        try await connection.expect("* OK Still here\r\n")
        try await connection.send("DONE\r\n")
        try await connection.expect("a OK IDLE completed\r\n")
        // No more keep-alives once IDLE is over.
        await connection.channel.testingEventLoop.advanceTime(by: .seconds(120))
        try await connection.expectSilence()
        await connection.finish()
    }

    // RFC 2177 section 3: while idling, new mail is announced as it arrives.
    @Test func idleAnnouncesADelivery() async throws {
        let fixture = try Fixture()
        let connection = try await loggedInConnection(fixture)
        try await connection.send("s SELECT INBOX\r\n")
        try await connection.skip(through: "s OK [READ-WRITE] SELECT completed\r\n")
        try await connection.send("a IDLE\r\n")
        try await connection.expect("+ idling\r\n")
        try await connection.expectSilence()
        try fixture.deliver("Subject: new\r\n\r\nhello\r\n")
        try await connection.expect("* 1 EXISTS\r\n* 1 RECENT\r\n")
        try await connection.expectSilence()
        try await connection.send("DONE\r\n")
        try await connection.expect("a OK IDLE completed\r\n")
        await connection.finish()
    }

    // MARK: The end of a connection

    // RFC 3501 section 2.3.1.1: the selected folder was deleted and created again by someone else,
    // so the client's UIDs name other messages now. Only a new session can put that right.
    @Test func aNewUIDValiditySaysByeAndCloses() async throws {
        let fixture = try Fixture()
        let other = MailStore(root: fixture.inbox, options: StorageOptions(fsync: false))
        let archive = try RoostStorage.MailboxName("Archive")
        try other.createIfNeeded()
        try other.create(archive)
        try other.folder(archive).save(Array("Subject: old\r\n\r\nold\r\n".utf8))
        let connection = try await loggedInConnection(fixture)
        try await connection.send("s SELECT Archive\r\n")
        try await connection.skip(through: "s OK [READ-WRITE] SELECT completed\r\n")

        try other.delete(archive)
        try other.create(archive)
        try other.folder(archive).save(Array("Subject: new\r\n\r\nnew\r\n".utf8))
        try await connection.send("a NOOP\r\nb UID STORE 1 +FLAGS (\\Deleted)\r\n")
        try await connection.expect("* BYE Mailbox UIDVALIDITY changed, please log in again\r\n")
        try await connection.expectClosed()
        try await connection.expectSilence()
        #expect(try other.folder(archive).sync().snapshot.messages.map(\.flags) == [[]])
        await connection.finish()
    }

    // RFC 3501 section 6.1.3: BYE, then the tagged OK, then the server closes.
    @Test func logoutSaysByeAndCloses() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        try await connection.send("a LOGOUT\r\nb NOOP\r\n")
        try await connection.expect("* BYE Logging out\r\na OK Logout completed\r\n")
        try await connection.expectClosed()
        try await connection.expectSilence()
        await connection.finish()
    }

    @Test func shutdownSaysByeAndCloses() async throws {
        let connection = try await loggedInConnection(Fixture())
        connection.channel.pipeline.fireUserInboundEventTriggered(ServerShutdownEvent())
        try await connection.expect("* BYE Server shutting down\r\n")
        try await connection.expectClosed()
        await connection.finish()
    }

    @Test func shutdownDuringIdleSaysByeAndCloses() async throws {
        let connection = try await loggedInConnection(Fixture())
        try await connection.send("a IDLE\r\n")
        try await connection.expect("+ idling\r\n")
        connection.channel.pipeline.fireUserInboundEventTriggered(ServerShutdownEvent())
        try await connection.expect("* BYE Server shutting down\r\n")
        try await connection.expectClosed()
        await connection.finish()
    }

    // RFC 3501 section 5.4: the autologout timer (IdleStateHandler's read timeout) ends the session.
    @Test func readTimeoutIsAnAutologout() async throws {
        let connection = try await Connection(Fixture())
        try await connection.expect(Self.greeting)
        connection.channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        try await connection.expect("* BYE Autologout; idle for too long\r\n")
        try await connection.expectClosed()
        await connection.finish()
    }
}
