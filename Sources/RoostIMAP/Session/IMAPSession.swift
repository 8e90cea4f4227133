import Logging
import NIOConcurrencyHelpers
import NIOCore
import RoostAuth
import RoostIMAPGrammar
import RoostProtocolSupport
import RoostStorage

/// One IMAP connection's session: its state (RFC 3501 section 3) and the execution of commands.
///
/// The handler runs one command at a time and awaits it before the next, so the session's state
/// is only ever touched by one task at a time (hence `@unchecked Sendable`). Commands write their
/// untagged and tagged responses through an `IMAPResponseWriter`; what the handler must do next
/// (start TLS, read a SASL response line, enter IDLE, close) is the returned `Outcome`.
public final class IMAPSession: @unchecked Sendable {
    /// RFC 3501 section 3.
    public enum State: Sendable, Equatable {
        case notAuthenticated
        case authenticated
        case selected
        case logout
    }

    /// What the handler does after a command.
    public enum Outcome: Sendable, Equatable {
        /// Read the next command.
        case done
        /// Write this reply in plaintext and start TLS at once (STARTTLS).
        case startTLS(Response)
        /// A SASL challenge was sent: the next line is the client's response (`continueAuthentication`).
        case awaitingSASLResponse
        /// `+ idling` was sent: watch the mailbox and wait for DONE (`idleChanged`, `endIdle`).
        case idling
        /// Close the connection (LOGOUT, too many failures or bad commands).
        case close
    }

    /// The logged-in user and their mailbox.
    struct User {
        var name: String
        var mailbox: UserMailbox
    }

    /// The selected mailbox.
    struct Selected {
        var name: RoostStorage.MailboxName
        var folder: MaildirFolder
        var readOnly: Bool
        var view: MailboxView
    }

    let services: IMAPServices
    let connection: ConnectionInfo
    var logger: Logger
    public internal(set) var state = State.notAuthenticated
    public private(set) var isTLS: Bool
    var user: User?
    var selected: Selected?
    var sasl: (tag: Tag, exchange: SASLServerExchange)?
    var idleTag: Tag?
    /// Messages this session appended or copied to its selected mailbox: `\Recent` for it when the
    /// view learns of them (RFC 3501 sections 6.3.11, 6.4.7), although they went straight into `cur/`.
    var addedToSelected: Set<RoostStorage.UID> = []
    var badCommands = 0
    var authFailures = 0
    /// The mechanisms the passdb can serve (set at the greeting).
    var servableMechanisms: [SASLMechanismName] = []
    /// The user+IP slot taken at login.
    var loginToken: ConnectionLimiter.Token?
    /// Set from the event loop (shutdown, a connection error) while a command may run.
    private let logoutReason = NIOLockedValueBox(IMAPSession.noLogoutReason)
    /// What the client said in ID, for the log.
    var clientID: String?

    public init(services: IMAPServices, connection: ConnectionInfo) {
        self.services = services
        self.connection = connection
        isTLS = connection.isTLS
        var logger = services.logger
        logger[metadataKey: "session"] = "\(connection.id)"
        logger[metadataKey: "remote_ip"] = "\(connection.remoteAddress ?? "-")"
        self.logger = logger
    }

    var configuration: IMAPConfiguration { services.configuration }

    /// LOGIN and plaintext SASL are allowed: over TLS, or where the policy trusts the network.
    var plaintextAllowed: Bool { isTLS || connection.allowsPlaintextWithoutTLS }

    var offeredMechanisms: [SASLMechanismName] {
        servableMechanisms.filter { plaintextAllowed || !$0.sendsPlaintext }
    }

    // MARK: Greeting and capabilities

    /// The greeting (RFC 3501 section 7.1.1) with the capabilities, so clients need not ask.
    public func greeting() async -> Response {
        servableMechanisms = await services.login.servableMechanisms()
        return .untagged(.condition(.ok("Roost IMAP server ready", code: .capability(capabilities))))
    }

    /// What CAPABILITY lists in the current state: exactly the extensions that work.
    public var capabilities: [String] {
        var list = ["IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE", "UIDPLUS", "MOVE",
                    "UNSELECT", "CHILDREN", "SPECIAL-USE", "MULTIAPPEND"]
        if state == .notAuthenticated {
            if configuration.tlsAvailable && !isTLS { list.append("STARTTLS") }
            if !plaintextAllowed { list.append("LOGINDISABLED") }
            list += offeredMechanisms.map { "AUTH=" + $0.rawValue }
        }
        return list
    }

    /// TLS is running after STARTTLS: capabilities change (RFC 3501 section 6.2.1).
    public func tlsStarted() {
        isTLS = true
    }

    // MARK: Running commands

    /// Runs one command; its responses go to `writer`.
    public func execute(_ command: TaggedCommand, writer: IMAPResponseWriter) async throws -> Outcome {
        let tag = command.tag
        guard let allowedIn = Self.states(for: command.command), allowedIn.contains(state) else {
            let text: String
            switch state {
            case .notAuthenticated: text = "Log in first"
            case .authenticated: text = command.command.isSelectedStateCommand ? "Select a mailbox first" : "Already logged in"
            case .selected: text = "Already logged in"
            case .logout: text = "Logging out"
            }
            return try await bad(tag, text, writer: writer)
        }
        do {
            switch command.command {
            case .capability:
                try await writer.write(.untagged(.capability(capabilities)))
                try await finishWithUpdates(tag, .ok("Capability completed"), writer: writer)
            case .noop:
                try await finishWithUpdates(tag, .ok("NOOP completed"), writer: writer)
            case .logout:
                setLogoutReason("LOGOUT")
                try await writer.write(.untagged(.bye(ResponseText("Logging out"))))
                try await writer.write(.tagged(tag, .ok("Logout completed")))
                state = .logout
                return .close
            case .id(let fields):
                try await id(tag, fields, writer: writer)
            case .startTLS:
                guard configuration.tlsAvailable, !isTLS else {
                    return try await bad(tag, isTLS ? "TLS is already active" : "STARTTLS is not available", writer: writer)
                }
                try await writer.flush()
                return .startTLS(.tagged(tag, .ok("Begin TLS negotiation now")))
            case .login(let userid, let password):
                return try await login(tag, user: String(decoding: userid, as: UTF8.self),
                                       password: String(decoding: password, as: UTF8.self), writer: writer)
            case .authenticate(let mechanism, let initialResponse):
                return try await authenticate(tag, mechanism: mechanism, initialResponse: initialResponse, writer: writer)
            case .enable(let names):
                // No ENABLE-able extension (CONDSTORE, QRESYNC, UTF8=ACCEPT) is implemented, so
                // nothing is enabled (RFC 5161 section 3.1: unknown names are ignored).
                logger.debug("ENABLE ignored", metadata: ["capabilities": "\(names)"])
                try await writer.write(.untagged(.enabled([])))
                try await writer.write(.tagged(tag, .ok("ENABLE completed")))
            case .namespace:
                let personal = NamespaceDescription(prefix: RoostIMAPGrammar.MailboxName(""), delimiter: IMAPMailboxNames.separator)
                try await writer.write(.untagged(.namespace(personal: [personal], otherUsers: [], shared: [])))
                try await finishWithUpdates(tag, .ok("NAMESPACE completed"), writer: writer)
            case .select(let name):
                try await select(tag, name, readOnly: false, writer: writer)
            case .examine(let name):
                try await select(tag, name, readOnly: true, writer: writer)
            case .create(let name):
                try await create(tag, name, writer: writer)
            case .delete(let name):
                try await delete(tag, name, writer: writer)
            case .rename(let from, let to):
                try await rename(tag, from: from, to: to, writer: writer)
            case .subscribe(let name):
                try await subscribe(tag, name, true, writer: writer)
            case .unsubscribe(let name):
                try await subscribe(tag, name, false, writer: writer)
            case .list(let reference, let pattern):
                try await list(tag, reference: reference, pattern: pattern, subscribedOnly: false, writer: writer)
            case .lsub(let reference, let pattern):
                try await list(tag, reference: reference, pattern: pattern, subscribedOnly: true, writer: writer)
            case .status(let name, let attributes):
                try await status(tag, name, attributes, writer: writer)
            case .append(let name, let messages):
                try await append(tag, name, messages, writer: writer)
            case .idle:
                return try await idle(tag, writer: writer)
            case .check:
                try await finishWithUpdates(tag, .ok("CHECK completed"), writer: writer)
            case .close:
                try await close(tag, expunging: true, writer: writer)
            case .unselect:
                try await close(tag, expunging: false, writer: writer)
            case .expunge:
                try await expunge(tag, uids: nil, writer: writer)
            case .uidExpunge(let set):
                try await expunge(tag, uids: set, writer: writer)
            case .search(let charset, let keys):
                try await search(tag, charset: charset, keys: keys, byUID: false, writer: writer)
            case .uidSearch(let charset, let keys):
                try await search(tag, charset: charset, keys: keys, byUID: true, writer: writer)
            case .fetch(let set, let request):
                try await fetch(tag, set, request, byUID: false, writer: writer)
            case .uidFetch(let set, let request):
                try await fetch(tag, set, request, byUID: true, writer: writer)
            case .store(let set, let operation):
                try await store(tag, set, operation, byUID: false, writer: writer)
            case .uidStore(let set, let operation):
                try await store(tag, set, operation, byUID: true, writer: writer)
            case .copy(let set, let name):
                try await copy(tag, set, to: name, byUID: false, move: false, writer: writer)
            case .uidCopy(let set, let name):
                try await copy(tag, set, to: name, byUID: true, move: false, writer: writer)
            case .move(let set, let name):
                try await copy(tag, set, to: name, byUID: false, move: true, writer: writer)
            case .uidMove(let set, let name):
                try await copy(tag, set, to: name, byUID: true, move: true, writer: writer)
            }
        } catch let error as IMAPCommandError {
            try await writer.write(.tagged(tag, error.response))
        } catch let error as BadSequenceSet {
            return try await bad(tag, error.text, writer: writer)
        } catch let error as IMAPSessionAbort {
            throw error
        } catch let error as ChannelError {
            throw error
        } catch {
            let mapped = IMAPCommandError(error)
            if mapped.response.text.code == .serverBug {
                logger.error("command failed", metadata: ["command": "\(command.command.name)", "error": "\(error)"])
            }
            try await writer.write(.tagged(tag, mapped.response))
        }
        return .done
    }

    /// A command the framer or parser refused: `tag BAD` (or `* BAD` without a tag), counted.
    public func refuse(tag: Tag?, text: String, code: ResponseCode? = nil, writer: IMAPResponseWriter) async throws -> Outcome {
        let status = StatusResponse.bad(text, code: code)
        try await writer.write(tag.map { .tagged($0, status) } ?? .untagged(.condition(status)))
        return try await countBad(writer: writer)
    }

    func bad(_ tag: Tag, _ text: String, writer: IMAPResponseWriter) async throws -> Outcome {
        try await writer.write(.tagged(tag, .bad(text)))
        return try await countBad(writer: writer)
    }

    private func countBad(writer: IMAPResponseWriter) async throws -> Outcome {
        badCommands += 1
        guard badCommands < configuration.maxBadCommands else {
            setLogoutReason("too many bad commands")
            try await writer.write(.untagged(.bye(ResponseText("Too many invalid commands"))))
            return .close
        }
        return .done
    }

    /// Ends a command with its tagged response, after telling the client what changed in the
    /// selected mailbox (RFC 3501 section 7: untagged updates may come with any response).
    func finishWithUpdates(_ tag: Tag, _ status: StatusResponse, allowExpunge: Bool = true, writer: IMAPResponseWriter) async throws {
        if state == .selected { try await sendUpdates(allowExpunge: allowExpunge, writer: writer) }
        try await writer.write(.tagged(tag, status))
    }

    /// ID (RFC 2971): logs what the client says and names the server.
    private func id(_ tag: Tag, _ fields: [IDField]?, writer: IMAPResponseWriter) async throws {
        if let fields, !fields.isEmpty {
            let text = fields.prefix(30).map { "\($0.name)=\($0.value ?? "NIL")" }.joined(separator: ", ")
            clientID = String(text.prefix(512))
            logger.info("client id: \(clientID!)")
        }
        try await writer.write(.untagged(.id([IDField("name", "Roost"), IDField("vendor", "Roost")])))
        try await finishWithUpdates(tag, .ok("ID completed"), writer: writer)
    }

    // MARK: Storage

    /// Runs blocking storage work for the logged-in user.
    func storage<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await services.storage.run(as: user?.mailbox.identity, work)
    }

    /// Runs storage work that changes mail, so a shutdown waits for it.
    func changingStorage<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        let ticket = services.criticalWork.begin()
        defer { ticket.end() }
        return try await storage(work)
    }

    /// The connection closed: frees the login slot and writes the logout line once.
    public func release() {
        if let token = loginToken {
            services.limiter.release(token)
            loginToken = nil
        }
        if let selected {
            self.selected = nil
            let folder = selected.folder
            let identity = user?.mailbox.identity
            let storage = services.storage
            Task { _ = try? await storage.run(as: identity) { folder.flushIndex() } }
        }
        if let user {
            self.user = nil
            logger.info("imap logout: user=<\(user.name)>, rip=\(connection.remoteAddress ?? "-"), reason=\(logoutReason.withLockedValue { $0 })")
        }
    }

    /// Why the session ended (shutdown, autologout, a connection error), for the logout line. The
    /// first reason stays: a client that drops the connection right after LOGOUT logged out.
    public func setLogoutReason(_ reason: String) {
        logoutReason.withLockedValue { if $0 == Self.noLogoutReason { $0 = reason } }
    }

    /// The logout reason of a connection that simply went away.
    static let noLogoutReason = "disconnected"

    /// In which states a command may run (RFC 3501 section 6).
    static func states(for command: Command) -> Set<State>? {
        switch command {
        case .capability, .noop, .logout, .id:
            return [.notAuthenticated, .authenticated, .selected]
        case .startTLS, .login, .authenticate:
            return [.notAuthenticated]
        case .enable, .select, .examine, .create, .delete, .rename, .subscribe, .unsubscribe, .list, .lsub,
             .namespace, .status, .append, .idle:
            return [.authenticated, .selected]
        case .check, .close, .unselect, .expunge, .search, .fetch, .store, .copy, .move, .uidSearch, .uidFetch,
             .uidStore, .uidCopy, .uidMove, .uidExpunge:
            return [.selected]
        }
    }
}

/// A sequence set that names messages the client cannot know (RFC 9051 section 6.4.5: `BAD`).
struct BadSequenceSet: Error {
    var text = "Invalid message sequence number"
}

extension Command {
    var isSelectedStateCommand: Bool {
        IMAPSession.states(for: self) == [.selected]
    }

    /// The command's name for logs.
    var name: String {
        String(describing: self).prefix { $0 != "(" }.uppercased()
    }
}
