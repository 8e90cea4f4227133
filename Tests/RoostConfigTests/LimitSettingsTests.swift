import RoostConfig
import Testing

/// `[limits]`: connection counts, command line length and bad commands, at and past each bound.
@Suite("[limits] settings")
struct LimitSettingsTests {
    static let connectionKeys = ["max_connections", "max_connections_per_ip", "max_connections_per_user_ip"]

    static func value(_ limits: LimitSettings, _ key: String) -> Int {
        switch key {
        case "max_connections": limits.maxConnections
        case "max_connections_per_ip": limits.maxConnectionsPerIP
        case "max_connections_per_user_ip": limits.maxConnectionsPerUserIP
        case "max_line_length": limits.maxLineLength
        default: limits.maxBadCommands
        }
    }

    @Test("connection limits take 1 to 1000000", arguments: connectionKeys, [("1", 1), ("5", 5), ("1000000", 1_000_000)])
    func validConnections(key: String, sample: (String, Int)) throws {
        #expect(Self.value(try TestSupport.parse("limits", key, sample.0).limits, key) == sample.1)
    }

    @Test("connection limits of 0, negative or above 1000000 are refused", arguments: connectionKeys, ["0", "-1", "1000001", "1K"])
    func invalidConnections(key: String, text: String) throws {
        let error = try #require(TestSupport.error("limits", key, text))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "limits.\(key)")
        #expect(error.message.hasPrefix("expected an integer from 1 to 1000000, got "))
    }

    @Test("max_line_length is a size from 1K to 16M",
          arguments: [("1024", 1024), ("1K", 1024), ("8K", 8192), ("64k", 65_536), ("16M", 16 << 20), ("16777216", 16 << 20)])
    func validLineLength(text: String, expected: Int) throws {
        #expect(try TestSupport.parse("limits", "max_line_length", text).limits.maxLineLength == expected)
    }

    static let badLineLengths: [(String, String?)] = [
        ("1023", "out of range"),
        ("0", "out of range"),
        ("16777217", "out of range"),
        ("17M", "out of range"),
        ("1G", "out of range"),
        ("lots", nil),
        ("64X", "unknown unit \"X\"; use K, M, G or T"),
    ]

    @Test("max_line_length outside 1K to 16M is refused", arguments: badLineLengths)
    func invalidLineLength(text: String, reason: String?) throws {
        let error = try #require(TestSupport.error("limits", "max_line_length", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected a size from 1K to 16M in bytes or with K, M, G or T, got "))
        if let reason { #expect(error.message.hasSuffix("(\(reason))")) }
    }

    @Test("max_bad_commands is 1 to 1000", arguments: [("1", 1), ("20", 20), ("1000", 1000)])
    func validBadCommands(text: String, expected: Int) throws {
        #expect(try TestSupport.parse("limits", "max_bad_commands", text).limits.maxBadCommands == expected)
    }

    @Test("max_bad_commands outside 1 to 1000 is refused", arguments: ["0", "1001", "-5", "many"])
    func invalidBadCommands(text: String) throws {
        let error = try #require(TestSupport.error("limits", "max_bad_commands", text))
        #expect(error.kind == .invalidValue)
        #expect(error.message.hasPrefix("expected an integer from 1 to 1000, got "))
    }
}
