import NIOCore

/// Parses server lines (without their LF), the other direction of the protocol: for tests and tools
/// that talk to an auth socket the way Postfix does.
///
/// Unknown server commands are errors here; a real client such as Postfix skips them.
public enum AuthSocketServerLineParser {
    public static func parse(_ line: ByteBuffer) -> Result<AuthSocketServerLine, AuthSocketParseError> {
        parse(Array(line.readableBytesView))
    }

    public static func parse(_ line: String) -> Result<AuthSocketServerLine, AuthSocketParseError> {
        parse(Array(line.utf8))
    }

    public static func parse(_ line: [UInt8]) -> Result<AuthSocketServerLine, AuthSocketParseError> {
        guard !line.isEmpty else { return .failure(.emptyLine) }
        let fields = AuthSocketFields.split(line)
        let command = AuthSocketFields.rawText(fields[0]) ?? ""
        switch command {
        case "VERSION":
            return AuthSocketClientCommandParser.parseVersionFields(fields, command: command).map { .version($0) }
        case "MECH":
            guard fields.count >= 2 else { return .failure(.wrongParameterCount(command: command)) }
            guard let texts = unescapedTexts(fields.dropFirst()) else { return .failure(.invalidUTF8(command: command)) }
            return .success(.mechanism(AuthSocketMechanism(
                name: texts[0], flags: texts.dropFirst().map { AuthSocketMechanismFlag(rawValue: $0) }
            )))
        case "SPID":
            guard fields.count == 2 else { return .failure(.wrongParameterCount(command: command)) }
            guard let pid = AuthSocketFields.decimal(fields[1]) else { return .failure(.invalidNumber(command: command, .processID)) }
            return .success(.processID(AuthSocketProcessID(pid)))
        case "CUID":
            guard fields.count == 2 else { return .failure(.wrongParameterCount(command: command)) }
            guard let id = AuthSocketFields.decimal(fields[1]) else { return .failure(.invalidNumber(command: command, .connectionID)) }
            return .success(.connectionID(AuthSocketConnectionID(id)))
        case "COOKIE":
            guard fields.count == 2 else { return .failure(.wrongParameterCount(command: command)) }
            guard let cookie = AuthSocketFields.rawText(fields[1]).flatMap(AuthSocketCookie.init(hex:)) else {
                return .failure(.invalidCookie)
            }
            return .success(.cookie(cookie))
        case "DONE":
            guard fields.count == 1 else { return .failure(.wrongParameterCount(command: command)) }
            return .success(.done)
        case "OK":
            return parseReply(fields, command: command).flatMap { id, parameters in
                guard let user = parameters.first(where: { $0.name == "user" })?.value else { return .failure(.missingUser) }
                return .success(.ok(id, user: user, parameters: parameters.filter { $0.name != "user" }))
            }
        case "CONT":
            guard fields.count >= 3 else { return .failure(.wrongParameterCount(command: command)) }
            guard let id = AuthSocketFields.decimal(fields[1]) else { return .failure(.invalidNumber(command: command, .requestID)) }
            guard let data = AuthSocketFields.rawText(line[fields[2].startIndex...]) else { return .failure(.invalidUTF8(command: command)) }
            return .success(.continue(AuthSocketRequestID(id), data))
        case "FAIL":
            return parseReply(fields, command: command).map { id, parameters in
                .fail(id, AuthSocketFailure(parameters: parameters))
            }
        default:
            return .failure(.unknownCommand(AuthSocketParseError.echo(fields[0])))
        }
    }

    /// `<id> [params]` of OK and FAIL.
    private static func parseReply(
        _ fields: [ArraySlice<UInt8>], command: String
    ) -> Result<(AuthSocketRequestID, [AuthSocketParameter]), AuthSocketParseError> {
        guard fields.count >= 2 else { return .failure(.wrongParameterCount(command: command)) }
        guard let id = AuthSocketFields.decimal(fields[1]) else { return .failure(.invalidNumber(command: command, .requestID)) }
        guard let texts = unescapedTexts(fields.dropFirst(2)) else { return .failure(.invalidUTF8(command: command)) }
        return .success((AuthSocketRequestID(id), texts.map(AuthSocketParameter.init(field:))))
    }

    private static func unescapedTexts(_ fields: ArraySlice<ArraySlice<UInt8>>) -> [String]? {
        var texts: [String] = []
        for field in fields {
            guard let text = AuthSocketFields.text(field) else { return nil }
            texts.append(text)
        }
        return texts
    }
}
