import NIOCore
import Testing
@testable import RoostAuthSocket

private func id(_ value: UInt32) -> AuthSocketRequestID { AuthSocketRequestID(value) }

private func auth(
    _ requestID: UInt32, _ mechanism: String, _ info: AuthSocketRequestInfo, resp: String? = nil
) -> AuthSocketClientCommand {
    .auth(AuthSocketAuthRequest(id: id(requestID), mechanism: mechanism, info: info, initialResponse: resp))
}

@Suite("AuthSocketClientCommandParser")
struct AuthSocketClientCommandParserTests {
    @Test(arguments: [
        // Handshake.
        ("VERSION\t1\t2", AuthSocketClientCommand.version(AuthSocketVersion(major: 1, minor: 2))),
        ("VERSION\t1\t0", .version(AuthSocketVersion(major: 1, minor: 0))),
        ("VERSION\t01\t3", .version(AuthSocketVersion(major: 1, minor: 3))),
        ("VERSION\t4294967295\t0", .version(AuthSocketVersion(major: 4_294_967_295, minor: 0))),
        ("CPID\t12345", .processID(AuthSocketProcessID(12345))),
        // AUTH as Postfix 3.x sends it.
        ("AUTH\t1\tPLAIN\tservice=smtp\tnologin\tlip=192.0.2.1\trip=198.51.100.7\tsecured\tresp=AGFsaWNlAHNlY3JldA==",
         auth(1, "PLAIN", AuthSocketRequestInfo(
             service: "smtp", localIP: "192.0.2.1", remoteIP: "198.51.100.7", secured: .secured, noLogin: true
         ), resp: "AGFsaWNlAHNlY3JldA==")),
        // AUTH as Exim sends it: VERSION 1 0, an empty resp= for "no initial response".
        ("AUTH\t1\tLOGIN\tservice=smtp\tsecured\tvalid-client-cert\trip=198.51.100.7\tlip=192.0.2.1\tnologin\tresp=",
         auth(1, "LOGIN", AuthSocketRequestInfo(
             service: "smtp", localIP: "192.0.2.1", remoteIP: "198.51.100.7", secured: .secured,
             validClientCertificate: true, noLogin: true
         ), resp: "")),
        ("AUTH\t7\tCRAM-MD5\tservice=imap", auth(7, "CRAM-MD5", AuthSocketRequestInfo(service: "imap"))),
        ("AUTH\t4294967295\tplain\tservice=smtp", auth(4_294_967_295, "plain", AuthSocketRequestInfo(service: "smtp"))),
        // Every known parameter, and unknown ones ignored.
        ("AUTH\t2\tPLAIN\tdebug\tservice=pop3\tlip=::1\trip=2001:db8::7\tlport=110\trport=65535\tlocal_name=mail.example.org\tsecured=tls\tno-penalty\tcert_username=alice\tsession=abc123\tclient_id=x\ttransport=TLS\tfoo=bar\tbaz",
         auth(2, "PLAIN", AuthSocketRequestInfo(
             service: "pop3", localIP: "::1", remoteIP: "2001:db8::7", localPort: 110, remotePort: 65535,
             localName: "mail.example.org", secured: .tls, noPenalty: true, certificateUserName: "alice", session: "abc123"
         ))),
        // Dovecot ignores addresses and ports it cannot parse, and takes the last of a repeated parameter.
        ("AUTH\t3\tPLAIN\tservice=smtp\trip=not-an-ip\tlip=\tlport=65536\trport=x",
         auth(3, "PLAIN", AuthSocketRequestInfo(service: "smtp"))),
        ("AUTH\t3\tPLAIN\tservice=imap\tservice=smtp\tsecured=yes", auth(3, "PLAIN", AuthSocketRequestInfo(service: "smtp", secured: .secured))),
        // Values are tab-unescaped; resp without "=" is an empty initial response.
        ("AUTH\t4\tPLAIN\tservice=smtp\tsession=a\u{1}tb\u{1}1c\tresp", auth(4, "PLAIN", AuthSocketRequestInfo(service: "smtp", session: "a\tb\u{1}c"), resp: "")),
        ("AUTH\t5\tPLAIN\tservice=\tresp==", auth(5, "PLAIN", AuthSocketRequestInfo(service: ""), resp: "=")),
        // CONT: the data as it is, everything after the second TAB.
        ("CONT\t1\tdXNlcg==", .continue(id(1), "dXNlcg==")),
        ("CONT\t1\t", .continue(id(1), "")),
        ("CONT\t0\tAA==", .continue(id(0), "AA==")),
        ("CONT\t9\ta\tb", .continue(id(9), "a\tb")),
        ("CONT\t9\ta\u{1}t", .continue(id(9), "a\u{1}t")),
        // CANCEL (Dovecot 2.3's auth-client library).
        ("CANCEL\t7", .cancel(id(7))),
    ])
    func parsesValidLines(_ line: String, _ expected: AuthSocketClientCommand) {
        #expect(AuthSocketClientCommandParser.parse(line) == .success(expected))
        #expect(AuthSocketClientCommandParser.parse(ByteBuffer(string: line)) == .success(expected))
    }

    @Test(arguments: [
        ("", AuthSocketParseError.emptyLine),
        ("auth\t1\tPLAIN\tservice=smtp", .unknownCommand("auth")),
        ("HELLO", .unknownCommand("HELLO")),
        ("USER\t1\talice\tservice=smtp", .unknownCommand("USER")),
        ("AUTHENTICATEAUTHENTICATE\t1", .unknownCommand("AUTHENTICATEAUTHENTI...")),
        ("BAD\u{7}CMD", .unknownCommand("BAD?CMD")),
        ("AUTH", .wrongParameterCount(command: "AUTH")),
        ("VERSION", .wrongParameterCount(command: "VERSION")),
        ("VERSION\t1", .wrongParameterCount(command: "VERSION")),
        ("VERSION\t1\t2\t3", .wrongParameterCount(command: "VERSION")),
        ("VERSION\tx\t2", .invalidNumber(command: "VERSION", .majorVersion)),
        ("VERSION\t1\t-2", .invalidNumber(command: "VERSION", .minorVersion)),
        ("VERSION\t 1\t2", .invalidNumber(command: "VERSION", .majorVersion)),
        ("VERSION\t4294967296\t0", .invalidNumber(command: "VERSION", .majorVersion)),
        ("CPID", .wrongParameterCount(command: "CPID")),
        ("CPID\t12\t3", .wrongParameterCount(command: "CPID")),
        ("CPID\t0", .invalidNumber(command: "CPID", .processID)),
        ("CPID\t-5", .invalidNumber(command: "CPID", .processID)),
        ("AUTH\t1", .wrongParameterCount(command: "AUTH")),
        ("AUTH\t1\tPLAIN", .missingService),
        ("AUTH\t1\tPLAIN\trip=192.0.2.1", .missingService),
        ("AUTH\t0\tPLAIN\tservice=smtp", .invalidNumber(command: "AUTH", .requestID)),
        ("AUTH\t+1\tPLAIN\tservice=smtp", .invalidNumber(command: "AUTH", .requestID)),
        ("AUTH\t4294967296\tPLAIN\tservice=smtp", .invalidNumber(command: "AUTH", .requestID)),
        ("AUTH\t1\tPLAIN\tservice=smtp\tresp=AA==\trip=192.0.2.1", .parameterAfterInitialResponse),
        ("AUTH\t1\tPLAIN\tresp=AA==\tservice=smtp", .parameterAfterInitialResponse),
        ("AUTH\t1\tPLAIN\tservice=smtp\tresp=AA==\t", .parameterAfterInitialResponse),
        ("CONT", .wrongParameterCount(command: "CONT")),
        ("CONT\t1", .wrongParameterCount(command: "CONT")),
        ("CONT\tx\tAA==", .invalidNumber(command: "CONT", .requestID)),
        ("CONT\t\tAA==", .invalidNumber(command: "CONT", .requestID)),
        ("CANCEL", .wrongParameterCount(command: "CANCEL")),
        ("CANCEL\t", .invalidNumber(command: "CANCEL", .requestID)),
        ("CANCEL\t1\t2", .wrongParameterCount(command: "CANCEL")),
    ])
    func refusesInvalidLines(_ line: String, _ expected: AuthSocketParseError) {
        #expect(AuthSocketClientCommandParser.parse(line) == .failure(expected))
    }

    @Test func refusesParametersThatAreNotUTF8() {
        let line = Array("AUTH\t1\tPLAIN\tservice=smtp\tsession=".utf8) + [0xFF, 0xFE]
        #expect(AuthSocketClientCommandParser.parse(line) == .failure(.invalidUTF8(command: "AUTH")))
        let cont = Array("CONT\t1\t".utf8) + [0xC3]
        #expect(AuthSocketClientCommandParser.parse(cont) == .failure(.invalidUTF8(command: "CONT")))
    }

    /// Encoding writes exactly these bytes.
    @Test(arguments: [
        (AuthSocketClientCommand.version(AuthSocketVersion(major: 1, minor: 2)), "VERSION\t1\t2\n"),
        (.processID(AuthSocketProcessID(99)), "CPID\t99\n"),
        (auth(1, "PLAIN", AuthSocketRequestInfo(service: "smtp"), resp: "AGEAYg=="), "AUTH\t1\tPLAIN\tservice=smtp\tresp=AGEAYg==\n"),
        (auth(2, "LOGIN", AuthSocketRequestInfo(
            service: "smtp", localIP: "192.0.2.1", remoteIP: "198.51.100.7", localPort: 587, remotePort: 40000,
            localName: "mx", secured: .tls, validClientCertificate: true, noPenalty: true, noLogin: true,
            certificateUserName: "a\tb", session: "s1"
        )), "AUTH\t2\tLOGIN\tservice=smtp\tlip=192.0.2.1\trip=198.51.100.7\tlport=587\trport=40000\tlocal_name=mx\tsecured=tls\tvalid-client-cert\tno-penalty\tnologin\tcert_username=a\u{1}tb\tsession=s1\n"),
        (auth(3, "PLAIN", AuthSocketRequestInfo(service: "smtp", secured: .secured)), "AUTH\t3\tPLAIN\tservice=smtp\tsecured\n"),
        (.continue(AuthSocketRequestID(4), "dXNlcg=="), "CONT\t4\tdXNlcg==\n"),
        (.continue(AuthSocketRequestID(4), ""), "CONT\t4\t\n"),
        (.cancel(AuthSocketRequestID(5)), "CANCEL\t5\n"),
    ])
    func encodesExactBytes(_ command: AuthSocketClientCommand, _ expected: String) {
        var buffer = ByteBuffer()
        command.encode(into: &buffer)
        #expect(String(buffer: buffer) == expected)
    }

    /// value → encode → parse gives the value back.
    @Test(arguments: [
        AuthSocketClientCommand.version(AuthSocketVersion(major: 1, minor: 0)),
        .processID(AuthSocketProcessID(4_294_967_295)),
        auth(1, "PLAIN", AuthSocketRequestInfo(service: "smtp")),
        auth(1, "CRAM-MD5", AuthSocketRequestInfo(service: "smtp", remoteIP: "::ffff:192.0.2.1"), resp: "="),
        auth(65536, "LOGIN", AuthSocketRequestInfo(
            service: "sm\ttp", localIP: "127.0.0.1", remoteIP: "2001:db8::1", localPort: 0, remotePort: 25,
            localName: "jürgen.example", secured: .tls, validClientCertificate: true, noPenalty: true, noLogin: true,
            certificateUserName: "\u{1}\0\r\n", session: "ü\t"
        ), resp: ""),
        .continue(AuthSocketRequestID(1), "AGFsaWNlAHNlY3JldA=="),
        .cancel(AuthSocketRequestID(0)),
    ])
    func roundTrips(_ command: AuthSocketClientCommand) {
        var buffer = ByteBuffer()
        command.encode(into: &buffer)
        #expect(buffer.readableBytesView.last == 0x0A)
        let line = buffer.getSlice(at: buffer.readerIndex, length: buffer.readableBytes - 1)!
        #expect(AuthSocketClientCommandParser.parse(line) == .success(command))
    }
}
