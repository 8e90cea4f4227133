import RoostConfig
import Testing

/// `[pop3]`: ports, the distinct-ports rule, autologout and the session lock.
@Suite("[pop3] settings")
struct POP3SettingsTests {
    @Test("ports take 0 to 65535", arguments: ["port", "tls_port"], [0, 1, 110, 995, 65535])
    func validPort(key: String, value: Int) throws {
        // The other port is moved out of the way so the distinct-ports rule does not interfere.
        let other = key == "port" ? "tls_port = 2" : "port = 2"
        let pop3 = try RoostConfiguration.parse(text: "[pop3]\n\(other)\n\(key) = \(value)\n", fileName: "p.conf").pop3
        #expect((key == "port" ? pop3.port : pop3.tlsPort) == value)
    }

    @Test("ports outside 0 to 65535 are refused", arguments: ["port", "tls_port"], ["-1", "65536", "pop3", "110s", "\"\""])
    func invalidPort(key: String, text: String) throws {
        let error = try #require(TestSupport.error("pop3", key, text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected an integer from 0 to 65535, got "))
    }

    static let samePorts: [(String, Int, String)] = [
        ("[pop3]\nport = 995\n", 2, "pop3.port"),
        ("[pop3]\ntls_port = 110\n", 2, "pop3.tls_port"),
        ("[pop3]\ntls_port = 2110\nport = 2110\n", 3, "pop3.port"),
    ]

    @Test("both ports non-zero and equal is inconsistent", arguments: samePorts)
    func samePort(text: String, line: Int, key: String) throws {
        let error = try #require(TestSupport.error(parsing: text))
        #expect(error.kind == .inconsistentValues)
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message == "pop3.port and pop3.tls_port must differ unless one of them is 0")
    }

    @Test("both ports 0 means no POP3 listener at all, which is allowed")
    func bothPortsOff() throws {
        let pop3 = try RoostConfiguration.parse(text: "[pop3]\nport = 0\ntls_port = 0\n", fileName: "p.conf").pop3
        #expect(pop3.port == 0 && pop3.tlsPort == 0)
    }

    @Test("autologout is 1s to 1d", arguments: [("1s", Duration.seconds(1)), ("10m", .seconds(600)), ("2h", .seconds(7200)), ("1d", .seconds(86_400))])
    func validAutologout(text: String, expected: Duration) throws {
        #expect(try TestSupport.parse("pop3", "autologout", text).pop3.autologout == expected)
    }

    @Test("autologout of 0, under a second or over a day is refused", arguments: ["0", "999ms", "86401s", "2d"])
    func invalidAutologout(text: String) throws {
        let error = try #require(TestSupport.error("pop3", "autologout", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected a duration from 1s to 1d such as "))
    }

    @Test("lock_session is a bool", arguments: [("yes", true), ("off", false), ("False", false)])
    func lockSession(text: String, expected: Bool) throws {
        #expect(try TestSupport.parse("pop3", "lock_session", text).pop3.lockSession == expected)
    }
}
