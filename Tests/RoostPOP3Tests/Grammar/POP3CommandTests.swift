import Testing
@testable import RoostPOP3

private func msg(_ value: Int) -> POP3MessageNumber { POP3MessageNumber(value)! }

@Suite("POP3Command")
struct POP3CommandTests {
    static let commands: [POP3Command] = [
        .user("alice"), .user("jürgen@example.com"), .user(String(repeating: "u", count: 255)),
        .pass("secret"), .pass("two words"), .pass(" leading and trailing "), .pass(" "), .pass("tab\there"),
        .apop(name: "mrose", digest: "c4c9334bac560ecc979e58001b3e22fb"),
        .auth(mechanism: nil, initialResponse: nil), .auth(mechanism: "PLAIN", initialResponse: nil),
        .auth(mechanism: "PLAIN", initialResponse: "="), .auth(mechanism: "PLAIN", initialResponse: "dGVzdAB0ZXN0AHRlc3Q="),
        .auth(mechanism: "SCRAM-SHA-256", initialResponse: "biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM"),
        .capa, .stls, .stat, .list(nil), .list(msg(1)), .list(msg(2_147_483_647)), .uidl(nil), .uidl(msg(9)),
        .retr(msg(1)), .top(msg(1), lines: 0), .top(msg(3), lines: 2_147_483_647), .dele(msg(12)),
        .rset, .noop, .quit,
    ]

    @Test(arguments: commands)
    func roundTripsThroughItsLine(_ command: POP3Command) {
        #expect(POP3CommandParser.parse(command.line) == .success(command))
        #expect(command.line.hasPrefix(command.keyword))
    }

    @Test(arguments: [
        (POP3Command.user("alice"), "USER alice", "USER alice"),
        (.pass("my secret"), "PASS my secret", "PASS <redacted>"),
        (.apop(name: "mrose", digest: "c4c9334bac560ecc979e58001b3e22fb"),
         "APOP mrose c4c9334bac560ecc979e58001b3e22fb", "APOP mrose c4c9334bac560ecc979e58001b3e22fb"),
        (.auth(mechanism: nil, initialResponse: nil), "AUTH", "AUTH"),
        (.auth(mechanism: "PLAIN", initialResponse: nil), "AUTH PLAIN", "AUTH PLAIN"),
        (.auth(mechanism: "PLAIN", initialResponse: "AGEAYg=="), "AUTH PLAIN AGEAYg==", "AUTH PLAIN <redacted>"),
        (.list(nil), "LIST", "LIST"),
        (.list(msg(4)), "LIST 4", "LIST 4"),
        (.top(msg(1), lines: 0), "TOP 1 0", "TOP 1 0"),
        (.quit, "QUIT", "QUIT"),
    ])
    func rendersLines(_ command: POP3Command, _ line: String, _ redacted: String) {
        #expect(command.line == line)
        #expect(command.line(redactingSecrets: true) == redacted)
    }
}

@Suite("POP3MessageNumber")
struct POP3MessageNumberTests {
    @Test(arguments: [0, -1, Int.min])
    func refusesNumbersBelowOne(_ value: Int) {
        #expect(POP3MessageNumber(value) == nil)
    }

    @Test func ordersAndPrintsByValue() {
        #expect(msg(1) < msg(2))
        #expect(msg(10).description == "10")
        #expect(msg(7).rawValue == 7)
    }
}
