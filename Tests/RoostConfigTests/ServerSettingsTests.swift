import RoostConfig
import Testing

/// `[server]`: listen addresses, host name and shutdown grace period.
@Suite("[server] settings")
struct ServerSettingsTests {
    static let goodListen: [(String, [String])] = [
        ("* ::", ["*", "::"]),
        ("*", ["*"]),
        ("::", ["::"]),
        ("127.0.0.1", ["127.0.0.1"]),
        ("::1", ["::1"]),
        ("127.0.0.1 ::1 192.0.2.10", ["127.0.0.1", "::1", "192.0.2.10"]),
        ("127.0.0.1, ::1", ["127.0.0.1", "::1"]),
        ("\t*\t", ["*"]),
        // Normalised: wildcards by any spelling, IPv6 in inet_ntop's form.
        ("0.0.0.0", ["*"]),
        ("::0 0:0:0:0:0:0:0:0", ["::"]),
        ("2001:DB8:0:0::1", ["2001:db8::1"]),
        ("fe80::1", ["fe80::1"]),
        // Repeats after normalising are dropped, keeping the first.
        ("* 0.0.0.0 * ::", ["*", "::"]),
        ("::1 0:0::1", ["::1"]),
        ("\"  :: * \"", ["::", "*"]),
    ]

    @Test("listen reads wildcards and literal addresses", arguments: goodListen)
    func validListen(text: String, expected: [String]) throws {
        #expect(try TestSupport.parse("server", "listen", text).server.listen == expected)
    }

    static let badListen: [(String, String?)] = [
        ("\"\"", nil),
        (",", nil),
        ("localhost", "localhost is not an IP address, * or ::"),
        ("mail.example.org", "mail.example.org is not an IP address, * or ::"),
        ("127.0.0.1 example", "example is not an IP address, * or ::"),
        ("256.0.0.1", "256.0.0.1 is not an IP address, * or ::"),
        ("127.1", "127.1 is not an IP address, * or ::"),
        ("127.0.0.1:110", "127.0.0.1:110 is not an IP address, * or ::"),
        ("[::1]", "[::1] is not an IP address; write IPv6 addresses without brackets"),
        ("fe80::1%eth0", "fe80::1%eth0 is not an IP address, * or ::"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1 is an IPv4-mapped address; write 192.0.2.1"),
        ("**", "** is not an IP address, * or ::"),
        ("a b", "a is not an IP address, * or ::; b is not an IP address, * or ::"),
    ]

    @Test("listen refuses names, ports, brackets, mapped and empty lists", arguments: badListen)
    func invalidListen(text: String, reason: String?) throws {
        let error = try #require(TestSupport.error("server", "listen", text))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "server.listen")
        #expect(error.message.hasPrefix(
            "expected a non-empty list of IP addresses, * (every IPv4 address) or :: (every IPv6 address), got "))
        if let reason {
            #expect(error.message.hasSuffix("(\(reason))"))
        } else {
            #expect(!error.message.hasSuffix("))"))
        }
    }

    @Test("a normalised listen list renders and reads back unchanged")
    func listenRoundTrip() throws {
        let parsed = try TestSupport.parse("server", "listen", "0.0.0.0, 2001:DB8::1 ::0")
        #expect(parsed.server.listen == ["*", "2001:db8::1", "::"])
        let again = try RoostConfiguration.parse(text: parsed.rendered(), fileName: "r.conf")
        #expect(again == parsed)
    }

    static let goodHostnames = ["", "\"\"", "mail", "mail.example.org", "MX-1.Example.ORG", "a1.b2",
                                "xn--bcher-kva.example", String(repeating: "a", count: 63) + ".example"]

    @Test("hostname takes DNS names or nothing", arguments: goodHostnames)
    func validHostname(text: String) throws {
        let expected = text == "\"\"" ? "" : text
        #expect(try TestSupport.parse("server", "hostname", text).server.hostname == expected)
    }

    static let badHostnames = ["\"mail example\"", "mail.example.org.", ".example", "a..b", "-mail.example",
                               "mail-.example", "mail_1.example", "müll.example", "<mail>", "\"a>b\"",
                               String(repeating: "a", count: 64) + ".example",
                               Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")]

    @Test("hostname refuses what would break a greeting or challenge", arguments: badHostnames)
    func invalidHostname(text: String) throws {
        let error = try #require(TestSupport.error("server", "hostname", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected a host name such as mail.example.org or an empty value, got "))
    }

    @Test("shutdown_timeout is 0s to 10m", arguments: [("0", Duration.zero), ("90s", .seconds(90)), ("10m", .seconds(600))])
    func validShutdownTimeout(text: String, expected: Duration) throws {
        #expect(try TestSupport.parse("server", "shutdown_timeout", text).server.shutdownTimeout == expected)
    }

    @Test("shutdown_timeout beyond 10m or malformed is refused", arguments: ["601s", "1h", "-1s", "soon"])
    func invalidShutdownTimeout(text: String) throws {
        let error = try #require(TestSupport.error("server", "shutdown_timeout", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected a duration from 0s to 10m such as "))
    }
}
