#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one `server.listen` word: `*`, `::` or a literal IPv4 or IPv6 address.
///
/// Addresses are checked with `inet_pton`, the parser the listeners' `bind` will use, so a
/// value that reads here also binds there (a host name, a port, brackets or a zone index
/// `%eth0` are refused). Each word is normalised so the server can tell the wildcards apart
/// by text alone:
/// - `*` and `0.0.0.0` are `*`: every IPv4 address.
/// - `::` and other spellings of the IPv6 unspecified address (`::0`, `0:0:0:0:0:0:0:0`) are
///   `::`: every IPv6 address, bound IPv6-only so that it can coexist with `*` on one port.
/// - Any other address takes `inet_ntop`'s form (`2001:DB8:0::1` becomes `2001:db8::1`), so
///   two spellings of one address are recognised as a repeat.
/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are refused: an IPv6-only socket cannot
/// bind them, and the IPv4 form says the same thing.
enum ListenAddressFormat {
    /// The word for every IPv4 address.
    static let anyIPv4 = "*"
    /// The word for every IPv6 address.
    static let anyIPv6 = "::"

    /// The normalised form of `word`; throws with a reason naming the word when it is not an
    /// address this key accepts.
    static func normalize(_ word: String) throws(InvalidValue) -> String {
        if word == anyIPv4 { return anyIPv4 }
        if let bytes = bytes(of: word, family: AF_INET, count: 4) {
            return bytes.allSatisfy({ $0 == 0 }) ? anyIPv4 : text(of: bytes, family: AF_INET) ?? word
        }
        if let bytes = bytes(of: word, family: AF_INET6, count: 16) {
            if bytes.allSatisfy({ $0 == 0 }) { return anyIPv6 }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                let ipv4 = text(of: Array(bytes[12...]), family: AF_INET) ?? "the IPv4 address"
                throw InvalidValue("\(word) is an IPv4-mapped address; write \(ipv4)")
            }
            return text(of: bytes, family: AF_INET6) ?? word
        }
        if word.hasPrefix("[") || word.hasSuffix("]") {
            throw InvalidValue("\(word) is not an IP address; write IPv6 addresses without brackets")
        }
        throw InvalidValue("\(word) is not an IP address, * or ::")
    }

    /// The network-order bytes of `word` in `family`, or nil when `inet_pton` rejects it.
    private static func bytes(of word: String, family: Int32, count: Int) -> [UInt8]? {
        // A NUL would end the C string early; the lexer refuses control characters already,
        // this keeps the function correct on its own.
        guard !word.utf8.contains(0) else { return nil }
        var buffer = [UInt8](repeating: 0, count: count)
        let result = buffer.withUnsafeMutableBytes { inet_pton(family, word, $0.baseAddress) }
        return result == 1 ? buffer : nil
    }

    /// `inet_ntop`'s text for bytes `inet_pton` produced; nil only if `inet_ntop` fails, which
    /// it cannot for such bytes and a buffer of `INET6_ADDRSTRLEN`.
    private static func text(of bytes: [UInt8], family: Int32) -> String? {
        var output = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let written = bytes.withUnsafeBytes { input in
            inet_ntop(family, input.baseAddress, &output, socklen_t(output.count))
        }
        guard written != nil else { return nil }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
