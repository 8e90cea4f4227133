import NIOCore

/// Parses client lines (without their LF) into `AuthSocketClientCommand`s, with the rules of Dovecot
/// 2.3's auth-client-connection.c and auth-request-handler.c.
///
/// Command names are case-sensitive. Numbers are Dovecot's `str_to_uint`: ASCII digits only, 32 bits.
public enum AuthSocketClientCommandParser {
    public static func parse(_ line: ByteBuffer) -> Result<AuthSocketClientCommand, AuthSocketParseError> {
        parse(Array(line.readableBytesView))
    }

    public static func parse(_ line: String) -> Result<AuthSocketClientCommand, AuthSocketParseError> {
        parse(Array(line.utf8))
    }

    public static func parse(_ line: [UInt8]) -> Result<AuthSocketClientCommand, AuthSocketParseError> {
        guard !line.isEmpty else { return .failure(.emptyLine) }
        let fields = AuthSocketFields.split(line)
        switch AuthSocketFields.rawText(fields[0]) {
        case "VERSION": return parseVersion(fields)
        case "CPID": return parseProcessID(fields)
        case "AUTH": return parseAuth(fields)
        case "CONT": return parseContinue(line, fields)
        case "CANCEL": return parseCancel(fields)
        default: return .failure(.unknownCommand(AuthSocketParseError.echo(fields[0])))
        }
    }

    // "VERSION" TAB <major> TAB <minor>
    static func parseVersion(_ fields: [ArraySlice<UInt8>]) -> Result<AuthSocketClientCommand, AuthSocketParseError> {
        parseVersionFields(fields, command: "VERSION").map { .version($0) }
    }

    static func parseVersionFields(_ fields: [ArraySlice<UInt8>], command: String) -> Result<AuthSocketVersion, AuthSocketParseError> {
        guard fields.count == 3 else { return .failure(.wrongParameterCount(command: command)) }
        guard let major = AuthSocketFields.decimal(fields[1]) else { return .failure(.invalidNumber(command: command, .majorVersion)) }
        guard let minor = AuthSocketFields.decimal(fields[2]) else { return .failure(.invalidNumber(command: command, .minorVersion)) }
        return .success(AuthSocketVersion(major: major, minor: minor))
    }

    // "CPID" TAB <pid>; Dovecot refuses 0.
    static func parseProcessID(_ fields: [ArraySlice<UInt8>]) -> Result<AuthSocketClientCommand, AuthSocketParseError> {
        guard fields.count == 2 else { return .failure(.wrongParameterCount(command: "CPID")) }
        guard let pid = AuthSocketFields.decimal(fields[1]), pid > 0 else {
            return .failure(.invalidNumber(command: "CPID", .processID))
        }
        return .success(.processID(AuthSocketProcessID(pid)))
    }

    // "AUTH" TAB <id> TAB <mechanism> TAB service=<service> [TAB <parameters>]
    // Every field is tab-unescaped (Dovecot's t_strsplit_tabescaped); id 0 is refused.
    static func parseAuth(_ fields: [ArraySlice<UInt8>]) -> Result<AuthSocketClientCommand, AuthSocketParseError> {
        guard fields.count >= 3 else { return .failure(.wrongParameterCount(command: "AUTH")) }
        guard let id = AuthSocketFields.decimal(fields[1]), id > 0 else {
            return .failure(.invalidNumber(command: "AUTH", .requestID))
        }
        guard let mechanism = AuthSocketFields.text(fields[2]) else { return .failure(.invalidUTF8(command: "AUTH")) }
        var builder = AuthSocketRequestInfo.Builder()
        var initialResponse: String?
        for field in fields.dropFirst(3) {
            guard initialResponse == nil else { return .failure(.parameterAfterInitialResponse) }
            guard let text = AuthSocketFields.text(field) else { return .failure(.invalidUTF8(command: "AUTH")) }
            let parameter = AuthSocketParameter(field: text)
            if parameter.name == "resp" {
                initialResponse = parameter.value ?? ""
            } else {
                builder.add(parameter)
            }
        }
        guard let info = builder.build() else { return .failure(.missingService) }
        return .success(.auth(AuthSocketAuthRequest(
            id: AuthSocketRequestID(id), mechanism: mechanism, info: info, initialResponse: initialResponse
        )))
    }

    // "CONT" TAB <id> TAB <base64 data>; the data is everything after the second TAB, not unescaped.
    static func parseContinue(_ line: [UInt8], _ fields: [ArraySlice<UInt8>]) -> Result<AuthSocketClientCommand, AuthSocketParseError> {
        guard fields.count >= 3 else { return .failure(.wrongParameterCount(command: "CONT")) }
        guard let id = AuthSocketFields.decimal(fields[1]) else { return .failure(.invalidNumber(command: "CONT", .requestID)) }
        guard let data = AuthSocketFields.rawText(line[fields[2].startIndex...]) else { return .failure(.invalidUTF8(command: "CONT")) }
        return .success(.continue(AuthSocketRequestID(id), data))
    }

    // "CANCEL" TAB <id>
    static func parseCancel(_ fields: [ArraySlice<UInt8>]) -> Result<AuthSocketClientCommand, AuthSocketParseError> {
        guard fields.count == 2 else { return .failure(.wrongParameterCount(command: "CANCEL")) }
        guard let id = AuthSocketFields.decimal(fields[1]) else { return .failure(.invalidNumber(command: "CANCEL", .requestID)) }
        return .success(.cancel(AuthSocketRequestID(id)))
    }
}
