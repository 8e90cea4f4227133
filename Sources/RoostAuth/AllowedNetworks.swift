#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The value of Dovecot's `allow_nets` (and `allow_real_nets`) passdb field: the networks a user
/// may log in from.
///
/// Format, as Dovecot's `auth_request_validate_networks` reads it: entries separated by commas
/// and/or spaces, each an IPv4 or IPv6 address, optionally `/bits` (a CIDR prefix), or the keyword
/// `local`. `local` matches a login that has no remote IP (a local tool, a Unix socket); without it
/// such a login is refused, as in Dovecot ("Remote IP not known and 'local' missing").
///
/// Edge cases:
/// - An IPv4-mapped IPv6 client address (`::ffff:192.0.2.7`) is matched as its IPv4 address, as
///   Dovecot does; a network written as `::ffff:…` matches only such IPv6 addresses.
/// - A remote address that is not an IP address (not nil, but not parseable) matches nothing,
///   not even `local`: a caller bug must not open the account to everyone.
/// - Host bits after the prefix are ignored (`192.0.2.7/24` is `192.0.2.0/24`).
/// - Parsing is strict: an entry that is not an address, a prefix beyond 32/128 bits or an empty
///   list is an error. Dovecot logs and skips a bad entry; the passwd-file reader refuses the line
///   instead, so a typo cannot silently narrow (or, with a lenient reader, widen) the list.
public struct AllowedNetworks: Sendable, Hashable {
    /// One entry of the list.
    public enum Entry: Sendable, Hashable {
        /// Logins without a remote IP.
        case local
        /// An address (4 or 16 bytes) and how many leading bits must match.
        case network(address: [UInt8], prefixLength: Int)
    }

    public let entries: [Entry]

    /// Parses an `allow_nets` value; throws a reason naming the first bad entry.
    public init(parsing text: String) throws(AllowedNetworksError) {
        let words = text.utf8.split(whereSeparator: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") })
            .map { String(Substring($0)) }
        guard !words.isEmpty else { throw AllowedNetworksError(reason: "no networks listed") }
        var entries: [Entry] = []
        for word in words {
            guard let entry = Self.entry(word) else {
                throw AllowedNetworksError(reason: "'\(word)' is not an IP address, a network (address/bits) or local")
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// True when a login from `remoteAddress` (nil: no remote IP known) is allowed.
    public func allows(_ remoteAddress: String?) -> Bool {
        guard let remoteAddress else { return entries.contains(.local) }
        guard let client = Self.address(remoteAddress) else { return false }
        let unmapped = Self.unmappingIPv4(client)
        for case .network(let network, let prefixLength) in entries {
            if network.count == unmapped.count, Self.prefix(of: unmapped, equals: network, bits: prefixLength) {
                return true
            }
        }
        return false
    }

    // MARK: Parsing

    private static func entry(_ word: String) -> Entry? {
        if word == "local" { return .local }
        let parts = word.utf8.split(separator: UInt8(ascii: "/"), maxSplits: 1, omittingEmptySubsequences: false)
            .map { String(Substring($0)) }
        guard let address = address(parts[0]) else { return nil }
        let maxBits = address.count * 8
        guard parts.count == 2 else { return .network(address: address, prefixLength: maxBits) }
        let bits = parts[1]
        guard !bits.isEmpty, bits.utf8.count <= 3,
              bits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let prefixLength = Int(bits), prefixLength <= maxBits
        else { return nil }
        return .network(address: address, prefixLength: prefixLength)
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text form (IPv6 optionally in brackets).
    static func address(_ text: String) -> [UInt8]? {
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 {
            return withUnsafeBytes(of: &ipv4) { Array($0) }
        }
        var unbracketed = Substring(text)
        if unbracketed.hasPrefix("["), unbracketed.hasSuffix("]") {
            unbracketed = unbracketed.dropFirst().dropLast()
        }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, String(unbracketed), &ipv6) == 1 else { return nil }
        return withUnsafeBytes(of: &ipv6) { Array($0) }
    }

    /// `::ffff:a.b.c.d` as the 4 bytes of `a.b.c.d`; any other address unchanged.
    private static func unmappingIPv4(_ address: [UInt8]) -> [UInt8] {
        guard address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF
        else { return address }
        return Array(address[12..<16])
    }

    private static func prefix(of address: [UInt8], equals network: [UInt8], bits: Int) -> Bool {
        var remaining = bits
        for index in address.indices where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if address[index] & mask != network[index] & mask { return false }
            remaining -= take
        }
        return true
    }
}

/// Why an `allow_nets` value could not be read.
public struct AllowedNetworksError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public var description: String { reason }
}
