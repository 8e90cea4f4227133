import RoostAuth
import RoostIMAPGrammar
import RoostProtocolSupport
import RoostStorage

extension IMAPSession {
    /// LOGIN (RFC 3501 section 6.2.3): refused without TLS unless the policy allows plaintext
    /// (LOGINDISABLED is then advertised).
    func login(_ tag: Tag, user: String, password: String, writer: IMAPResponseWriter) async throws -> Outcome {
        guard plaintextAllowed else {
            try await writer.write(.tagged(tag, .no("Plaintext login is not allowed without TLS", code: .privacyRequired)))
            return .done
        }
        let result = await services.login.authenticator.authenticator.verifyPlain(
            user: user, password: password, remoteAddress: connection.remoteAddress
        )
        return try await finishLogin(tag, result, claimedUser: user, method: "LOGIN", writer: writer)
    }

    /// AUTHENTICATE (RFC 3501 section 6.2.2) with SASL-IR (RFC 4959).
    func authenticate(
        _ tag: Tag, mechanism name: String, initialResponse: InitialResponse?, writer: IMAPResponseWriter
    ) async throws -> Outcome {
        guard let mechanism = SASLMechanismName(name: name), servableMechanisms.contains(mechanism) else {
            try await writer.write(.tagged(tag, .no("Unsupported authentication mechanism", code: .cannot)))
            return .done
        }
        guard plaintextAllowed || !mechanism.sendsPlaintext else {
            try await writer.write(.tagged(tag, .no("Plaintext authentication is not allowed without TLS", code: .privacyRequired)))
            return .done
        }
        let ir: String? = switch initialResponse {
        case .none: nil
        case .empty: "="
        case .base64(let text): text
        }
        var exchange = SASLServerExchange(
            mechanism: mechanism, initialResponse: ir, configuration: services.login.authenticator.authenticator.configuration.sasl
        )
        let step = exchange.start()
        sasl = (tag, exchange)
        return try await saslStep(step, writer: writer)
    }

    /// The client's line in answer to a SASL challenge.
    public func continueAuthentication(line: String, writer: IMAPResponseWriter) async throws -> Outcome {
        guard case (let tag, var exchange)? = sasl else { return .done }
        let step = exchange.receive(line)
        sasl = (tag, exchange)
        return try await saslStep(step, writer: writer)
    }

    /// The client's SASL response line was too long for the framer.
    public func abortAuthentication(writer: IMAPResponseWriter) async throws -> Outcome {
        guard let (tag, _) = sasl else { return .done }
        sasl = nil
        try await writer.write(.tagged(tag, .bad("Authentication data too long")))
        return .done
    }

    private func saslStep(_ step: SASLStep, writer: IMAPResponseWriter) async throws -> Outcome {
        guard let (tag, exchange) = sasl else { return .done }
        switch step {
        case .challenge(let challenge):
            // continue-req = "+" SP (resp-text / base64) CRLF   (RFC 3501 section 9)
            // The challenge is base64 and may be empty (PLAIN's first step): "+ " alone. As resp-text
            // it would become "+ completed", which clients such as Python's imaplib fail to decode.
            try await writer.write(bytes: Array("+ \(challenge)\r\n".utf8))
            try await writer.flush()
            return .awaitingSASLResponse
        case .failure(let failure):
            sasl = nil
            switch failure {
            case .cancelled:
                try await writer.write(.tagged(tag, .bad("Authentication cancelled")))
                return .done
            case .malformed, .tooLong, .unexpectedInitialResponse, .unexpectedResponse:
                try await writer.write(.tagged(tag, .bad("Invalid authentication data")))
                return .done
            case .authzidNotAllowed:
                try await writer.write(.tagged(tag, .no("Authorization identity not allowed", code: .authorizationFailed)))
                return .done
            }
        case .needsVerification(let credentials):
            sasl = nil
            let result = await services.login.authenticator.verify(credentials, remoteAddress: connection.remoteAddress)
            return try await finishLogin(
                tag, result, claimedUser: credentials.user, method: exchange.mechanism.rawValue, writer: writer
            )
        }
    }

    /// After the password check: penalty on failure; on success the per-user limit, the mailbox
    /// and the special folders of a new user, then the authenticated state.
    private func finishLogin(
        _ tag: Tag, _ result: AuthResult, claimedUser: String, method: String, writer: IMAPResponseWriter
    ) async throws -> Outcome {
        let remote = connection.remoteAddress
        switch result {
        case .failure(let reason):
            services.login.failureLog.record(user: claimedUser, mechanism: method, remoteAddress: remote, reason: reason)
            if case .temporary = reason {
                try await writer.write(.tagged(tag, .no("Authentication is temporarily unavailable", code: .unavailable)))
                return .done
            }
            let delay = remote.map { services.login.penalty.recordFailure(from: $0) } ?? .zero
            if delay > .zero { try? await Task.sleep(for: delay) }
            return try await loginFailed(tag, writer: writer)
        case .success(let name):
            if let remote { services.login.penalty.recordSuccess(from: remote) }
            switch services.limiter.acquireLogin(user: name, from: remote) {
            case .failure(let refusal):
                logger.notice("login refused: \(refusal)", metadata: ["user": "\(name)"])
                try await writer.write(.tagged(tag, .no("Too many connections for this user from your address", code: .limit)))
                return .done
            case .success(let token):
                loginToken = token
            }
            let mailbox: UserMailbox
            do {
                mailbox = try await services.openMailbox(name)
                let special = configuration.provisionSpecialFolders ? configuration.specialUse : nil
                try await services.storage.run(as: mailbox.identity) {
                    try Self.prepare(mailbox.store, specialUse: special)
                }
            } catch let reason as AuthFailureReason {
                releaseLoginToken()
                services.login.failureLog.record(user: name, mechanism: method, remoteAddress: remote, reason: reason)
                return try await loginFailed(tag, writer: writer)
            } catch {
                releaseLoginToken()
                logger.error("cannot open mailbox", metadata: ["user": "\(name)", "error": "\(error)"])
                try await writer.write(.tagged(tag, .no("Cannot open your mailbox, try again later", code: .unavailable)))
                return .done
            }
            user = User(name: name, mailbox: mailbox)
            state = .authenticated
            logger[metadataKey: "user"] = "\(name)"
            logger.info(
                "imap login: user=<\(name)>, method=\(method), rip=\(remote ?? "-"), lip=\(connection.localAddress ?? "-"), tls=\(isTLS ? "yes" : "no"), session=<\(connection.id)>"
            )
            try await writer.write(.tagged(tag, .ok("Logged in", code: .capability(capabilities))))
            return .done
        }
    }

    private func releaseLoginToken() {
        if let token = loginToken {
            services.limiter.release(token)
            loginToken = nil
        }
    }

    private func loginFailed(_ tag: Tag, writer: IMAPResponseWriter) async throws -> Outcome {
        authFailures += 1
        try await writer.write(.tagged(tag, .no("Authentication failed", code: .authenticationFailed)))
        guard authFailures < configuration.maxAuthFailures else {
            setLogoutReason("too many authentication failures")
            try await writer.write(.untagged(.bye(ResponseText("Too many authentication failures"))))
            return .close
        }
        return .done
    }

    /// Creates the Maildir if needed; a Maildir without any folder (a new user) gets the
    /// special-use folders, created and subscribed.
    static func prepare(_ store: MailStore, specialUse: SpecialUseFolders?) throws {
        try store.createIfNeeded()
        guard let specialUse else { return }
        let folders = try store.mailboxes().filter { !$0.name.isInbox }
        if folders.isEmpty, try store.subscriptions().isEmpty {
            try specialUse.provision(in: store)
        }
    }
}
