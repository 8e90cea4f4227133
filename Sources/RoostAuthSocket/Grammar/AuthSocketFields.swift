#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splitting a line into TAB-separated fields and reading the numbers in them.
enum AuthSocketFields {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A

    /// The fields of `line`, still escaped. An empty line is one empty field.
    static func split(_ line: [UInt8]) -> [ArraySlice<UInt8>] {
        line.split(separator: tab, omittingEmptySubsequences: false)
    }

    /// A field unescaped, as text; nil when it is not UTF-8.
    static func text(_ field: ArraySlice<UInt8>) -> String? {
        utf8(AuthSocketTabEscaping.unescape(field))
    }

    /// A field as it is (no unescaping), as text; nil when it is not UTF-8.
    static func rawText(_ field: ArraySlice<UInt8>) -> String? {
        utf8(field)
    }

    /// `bytes` as text when they are valid UTF-8 (no replacement characters), else nil.
    static func utf8<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// Dovecot's `str_to_uint`: one or more ASCII digits and nothing else, within 32 bits.
    static func decimal<Text: StringProtocol>(_ text: Text) -> UInt32? {
        guard !text.isEmpty else { return nil }
        var value: UInt32 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt32(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// A port number, 0 to 65535 in decimal; nil for anything else.
    static func port(_ text: String) -> UInt16? {
        decimal(text).flatMap { UInt16(exactly: $0) }
    }

    /// `decimal` of a raw field.
    static func decimal(_ field: ArraySlice<UInt8>) -> UInt32? {
        rawText(field).flatMap { decimal($0) }
    }

    /// True for an IPv4 or IPv6 address in text form (`inet_pton`).
    static func isIPAddress(_ text: String) -> Bool {
        guard !text.isEmpty, !text.utf8.contains(0) else { return false }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 { return true }
        var ipv6 = in6_addr()
        return inet_pton(AF_INET6, text, &ipv6) == 1
    }
}
