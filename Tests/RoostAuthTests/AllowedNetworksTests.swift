import Testing
@testable import RoostAuth

@Suite("allow_nets values")
struct AllowedNetworksTests {
    @Test(arguments: [
        ("192.0.2.0/24", "192.0.2.255", true),
        ("192.0.2.0/24", "192.0.3.0", false),
        ("192.0.2.7/24", "192.0.2.1", true),  // host bits after the prefix do not matter
        ("192.0.2.7", "192.0.2.7", true),
        ("192.0.2.7", "192.0.2.8", false),
        ("0.0.0.0/0", "203.0.113.9", true),
        ("0.0.0.0/0", "2001:db8::1", false),  // families never match each other
        ("10.0.0.0/8 172.16.0.0/12", "172.31.255.255", true),  // spaces separate too
        ("10.0.0.0/8,,172.16.0.0/12", "172.32.0.0", false),
        ("2001:db8::/32", "2001:db8:abcd::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("[2001:db8::1]", "2001:db8::1", true),
        ("::/0", "::1", true),
        ("2001:db8::/33", "2001:db8:8000::1", false),
        ("192.0.2.0/24", "::ffff:192.0.2.1", true),  // IPv4-mapped clients are IPv4
        ("::ffff:192.0.2.0/120", "192.0.2.1", false),
        ("local", "127.0.0.1", false),
        ("192.0.2.1", "not an address", false),
        ("192.0.2.1", "", false),
    ] as [(String, String, Bool)])
    func matches(_ value: String, _ address: String, _ allowed: Bool) throws {
        #expect(try AllowedNetworks(parsing: value).allows(address) == allowed)
    }

    @Test func withoutARemoteAddressOnlyLocalMatches() throws {
        #expect(try AllowedNetworks(parsing: "local").allows(nil))
        #expect(try AllowedNetworks(parsing: "192.0.2.0/24, local").allows(nil))
        #expect(try !AllowedNetworks(parsing: "0.0.0.0/0,::/0").allows(nil))
    }

    @Test(arguments: ["", " , ", "192.0.2.0/33", "::/129", "192.0.2.0/", "192.0.2.0/-1", "192.0.2.0/+8", "192.0.2.0/0x8",
                      "192.0.2.300", "host.example.org", "LOCAL", "192.0.2.0/24/8", "192.0.2.0/0008"])
    func rejects(_ value: String) {
        #expect(throws: AllowedNetworksError.self) { try AllowedNetworks(parsing: value) }
    }
}
