/// One parameter of a Content-Type or Content-Disposition header, after RFC 2231 decoding.
///
/// `name` is lowercased (parameter names are case-insensitive, RFC 2045 section 5.1) and has no
/// RFC 2231 `*` or section suffix. `value` is the decoded Unicode text; RFC 2047 encoded words,
/// which some clients put in parameters against RFC 2047 section 5, are left as written.
public struct MIMEParameter: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Reassembles RFC 2231 continuations and decodes extended values.
    ///
    /// RFC 2231 section 3: `name*0`, `name*1`... are concatenated in numeric order (stopping at the
    /// first missing section); section 4: a section ending in `*` is percent-encoded, and the first
    /// of them starts with `charset'language'`. When both `name` and `name*...` are present the
    /// RFC 2231 form wins, as it is the one written for capable readers. The result keeps the order
    /// in which names first appear; a repeated plain parameter keeps its first value.
    static func decodeList(_ raw: [RawParameter]) -> [MIMEParameter] {
        var order: [String] = []
        var plain: [String: [UInt8]] = [:]
        var sections: [String: [Int: (value: [UInt8], extended: Bool)]] = [:]

        for parameter in raw {
            guard let (base, section, extended) = splitName(parameter.name) else {
                if plain[parameter.name] == nil && sections[parameter.name] == nil { order.append(parameter.name) }
                if plain[parameter.name] == nil { plain[parameter.name] = parameter.value }
                continue
            }
            if plain[base] == nil && sections[base] == nil { order.append(base) }
            if sections[base, default: [:]][section] == nil {
                sections[base, default: [:]][section] = (parameter.value, extended)
            }
        }

        return order.map { name in
            if let parts = sections[name] {
                return MIMEParameter(name: name, value: assemble(parts))
            }
            return MIMEParameter(name: name, value: ASCII.lenientString(plain[name] ?? []))
        }
    }

    /// Splits `title*1*` into ("title", 1, true); nil for names without a valid RFC 2231 suffix.
    private static func splitName(_ name: String) -> (String, Int, Bool)? {
        guard let star = name.firstIndex(of: "*") else { return nil }
        let base = String(name[..<star])
        var rest = name[name.index(after: star)...]
        guard !base.isEmpty else { return nil }
        if rest.isEmpty { return (base, 0, true) }
        var extended = false
        if rest.hasSuffix("*") {
            extended = true
            rest = rest.dropLast()
        }
        guard !rest.isEmpty, rest.count <= 4, rest.allSatisfy(\.isASCII), let section = Int(rest), section >= 0 else {
            return nil
        }
        return (base, section, extended)
    }

    /// Joins sections 0, 1, 2... and decodes the bytes with the declared charset.
    ///
    /// Consecutive extended sections are joined before percent-decoding, which tolerates encoders
    /// that split a `%XX` escape between two sections.
    private static func assemble(_ parts: [Int: (value: [UInt8], extended: Bool)]) -> String {
        var bytes: [UInt8] = []
        var encodedRun: [UInt8] = []
        var charset: String?
        var section = 0
        while let part = parts[section] {
            var value = part.value[...]
            if part.extended {
                if section == 0, let first = value.firstIndex(of: ASCII.apostrophe),
                   let second = value[(first + 1)...].firstIndex(of: ASCII.apostrophe) {
                    let name = String(decoding: value[..<first], as: UTF8.self)
                    charset = name.isEmpty ? nil : name
                    value = value[(second + 1)...]
                }
                encodedRun.append(contentsOf: value)
            } else {
                bytes.append(contentsOf: percentDecoded(encodedRun[...]))
                encodedRun.removeAll()
                bytes.append(contentsOf: value)
            }
            section += 1
        }
        bytes.append(contentsOf: percentDecoded(encodedRun[...]))
        if let charset, let text = Charset.decode(bytes, charset: charset) { return text }
        return ASCII.lenientString(bytes)
    }

    /// `%XX` decoding; a `%` not followed by two hex digits is kept literally.
    static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == ASCII.percent, index + 2 < bytes.endIndex,
               let high = ASCII.hexValue(bytes[index + 1]), let low = ASCII.hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }
}
