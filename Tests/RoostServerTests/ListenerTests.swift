import RoostConfig
import RoostTesting
import Testing
@testable import RoostServer

/// Listen addresses and ports: IPv4 and IPv6, `*` and `::` together, TLS-only listeners.
@Suite struct ListenerTests {
    @Test func everyAddressTimesEveryEnabledPort() {
        var configuration = RoostConfiguration()
        configuration.server.listen = ["*", "::"]
        let specs = ListenerSpec.all(in: configuration)
        #expect(specs.map(\.description) == [
            "pop3 on 0.0.0.0:110", "pop3s on 0.0.0.0:995", "imap on 0.0.0.0:143", "imaps on 0.0.0.0:993",
            "pop3 on [::]:110", "pop3s on [::]:995", "imap on [::]:143", "imaps on [::]:993",
        ])
        // IPv6 sockets are bound v6-only, so 0.0.0.0 and :: can share a port.
        #expect(specs.map(\.ipv6Only) == [false, false, false, false, true, true, true, true])
    }

    @Test func disabledPortsAndTLSOff() {
        var configuration = RoostConfiguration()
        configuration.server.listen = ["192.0.2.1"]
        configuration.pop3.port = 0
        configuration.imap.port = 0
        #expect(ListenerSpec.all(in: configuration).map(\.description) == ["pop3s on 192.0.2.1:995", "imaps on 192.0.2.1:993"])
        configuration.pop3.port = 110
        configuration.imap.port = 143
        configuration.tls.certificate = ""
        configuration.tls.key = ""
        #expect(ListenerSpec.all(in: configuration).map(\.description) == ["pop3 on 192.0.2.1:110", "imap on 192.0.2.1:143"])
    }

    @Test func servesOverIPv6Loopback() async throws {
        try await TestServer.with(configure: { $0.server.listen = ["::1"] }) { server in
            let client = try await ScriptedClient.connect(port: server.pop3Port, host: "::1")
            #expect(try await client.readLine().hasPrefix("+OK"))
            _ = try await client.command("USER alice")
            #expect(try await client.command("PASS \(TestUser.alice.password)").hasPrefix("+OK"))
            _ = try await client.command("QUIT")
            let line = try #require(try await server.log.waitForLine(containing: "pop3 login:"))
            #expect(line.contains("rip=::1"))
        }
    }
}
