/// How one key's text becomes a typed Swift value and back.
///
/// Each factory pairs a descriptive `ConfigValueType` with the parse and render functions for
/// one Swift type, so a schema entry names its type once and gets parsing, error wording,
/// documentation and dumping from it. Rendering must read back to the same value; the tests
/// check that for every default.
struct ValueCodec<Value>: Sendable {
    /// What the user may write, for documentation and error messages.
    let type: ConfigValueType
    let parse: @Sendable (String) throws(InvalidValue) -> Value
    let render: @Sendable (Value) -> String

    init(
        type: ConfigValueType,
        parse: @escaping @Sendable (String) throws(InvalidValue) -> Value,
        render: @escaping @Sendable (Value) -> String
    ) {
        self.type = type
        self.parse = parse
        self.render = render
    }
}

extension ValueCodec where Value == String {
    /// Free text; `allowsEmpty: false` rejects an empty value for names that must be set.
    static func string(allowsEmpty: Bool = false) -> ValueCodec {
        ValueCodec(type: .string(allowsEmpty: allowsEmpty), parse: { text throws(InvalidValue) in
            if !allowsEmpty, text.isEmpty { throw InvalidValue() }
            return text
        }, render: { $0 })
    }

    /// Text kept unexpanded for the caller to fill in `%` placeholders per user; an unknown or
    /// incomplete placeholder is refused here, so the error names the file and line.
    static func template(allowsEmpty: Bool = false) -> ValueCodec {
        ValueCodec(type: .template(allowsEmpty: allowsEmpty), parse: { text throws(InvalidValue) in
            if !allowsEmpty, text.isEmpty { throw InvalidValue() }
            try TemplateSyntax.check(text)
            return text
        }, render: { $0 })
    }

    /// An absolute path: relative paths would depend on the daemon's working directory.
    /// `allowsEmpty` for keys where an empty value switches a feature off (`tls.certificate`).
    static func path(allowsEmpty: Bool = false) -> ValueCodec {
        ValueCodec(type: .path(allowsEmpty: allowsEmpty), parse: { text throws(InvalidValue) in
            if allowsEmpty, text.isEmpty { return text }
            guard text.hasPrefix("/") else { throw InvalidValue() }
            return text
        }, render: { $0 })
    }

    /// A DNS host name (RFC 1123 labels: ASCII letters, digits and inner `-`, 1 to 63 bytes,
    /// joined by `.`, at most 253 bytes), kept as written.
    ///
    /// Checked because the name is put into greetings and into the `<...@host>` challenges of
    /// APOP and CRAM-MD5, where a space or `>` would break the client's parsing. Underscores
    /// and a trailing dot are refused: neither belongs in a host's own name.
    static func hostname(allowsEmpty: Bool) -> ValueCodec {
        ValueCodec(type: .hostname(allowsEmpty: allowsEmpty), parse: { text throws(InvalidValue) in
            if text.isEmpty {
                guard allowsEmpty else { throw InvalidValue() }
                return text
            }
            guard text.utf8.count <= 253 else { throw InvalidValue("longer than 253 bytes") }
            for label in text.split(separator: ".", omittingEmptySubsequences: false) {
                let bytes = Array(label.utf8)
                guard let first = bytes.first, let last = bytes.last, bytes.count <= 63,
                      first != UInt8(ascii: "-"), last != UInt8(ascii: "-"),
                      bytes.allSatisfy(Self.isHostnameByte)
                else { throw InvalidValue("bad label \"\(label)\"") }
            }
            return text
        }, render: { $0 })
    }

    private static func isHostnameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}

extension ValueCodec where Value == [String] {
    /// Listen addresses separated by commas and/or spaces, normalised by `ListenAddressFormat`
    /// with repeats (after normalising) dropped; never empty, since a server listening nowhere
    /// is a mistake. Written back separated by spaces.
    static var listenAddresses: ValueCodec {
        ValueCodec(type: .listenAddresses, parse: { text throws(InvalidValue) in
            let words = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
            var result: [String] = []
            var problems: [String] = []
            for word in words {
                do throws(InvalidValue) {
                    let address = try ListenAddressFormat.normalize(String(word))
                    if !result.contains(address) { result.append(address) }
                } catch {
                    problems.append(error.reason ?? String(word))
                }
            }
            if !problems.isEmpty { throw InvalidValue(problems.joined(separator: "; ")) }
            if result.isEmpty { throw InvalidValue() }
            return result
        }, render: { $0.joined(separator: " ") })
    }
}

extension ValueCodec where Value == Bool {
    /// `yes`/`no`, `true`/`false`, `on`/`off`, any case; written back as `yes`/`no`.
    static var bool: ValueCodec {
        ValueCodec(type: .bool, parse: { text throws(InvalidValue) in
            switch text.lowercased() {
            case "yes", "true", "on": return true
            case "no", "false", "off": return false
            default: throw InvalidValue()
            }
        }, render: { $0 ? "yes" : "no" })
    }
}

extension ValueCodec where Value == Int {
    /// A decimal integer with an optional leading `-` or `+`, checked against `range`.
    static func integer(_ range: ClosedRange<Int>) -> ValueCodec {
        ValueCodec(type: .integer(range), parse: { text throws(InvalidValue) in
            var digits = Substring(text)
            var negative = false
            if let sign = digits.first, sign == "-" || sign == "+" {
                negative = sign == "-"
                digits = digits.dropFirst()
            }
            // NumberWithUnit enforces ASCII digits only and reports overflow instead of trapping.
            let magnitude = try NumberWithUnit(parsing: String(digits))
            guard magnitude.unit.isEmpty else { throw InvalidValue() }
            let value = negative ? -magnitude.number : magnitude.number
            guard range.contains(value) else { throw InvalidValue("out of range") }
            return value
        }, render: { String($0) })
    }

    /// File permission bits written in octal, `660` or `0660` (at most `0777`; no set-id bits).
    static var fileMode: ValueCodec {
        ValueCodec(type: .fileMode, parse: { text throws(InvalidValue) in
            guard (3...4).contains(text.count), text.allSatisfy({ ("0"..."7").contains($0) }),
                  let value = Int(text, radix: 8), value <= 0o777
            else { throw InvalidValue() }
            return value
        }, render: { value in
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        })
    }

    /// A byte count such as `50M`; see `SizeFormat`. Sizes are never negative.
    static var size: ValueCodec {
        size(ConfigValueType.unboundedSize)
    }

    /// A byte count such as `64K` within `range`.
    static func size(_ range: ClosedRange<Int>) -> ValueCodec {
        ValueCodec(type: .size(range), parse: { text throws(InvalidValue) in
            let value = try SizeFormat.parse(text)
            guard range.contains(value) else { throw InvalidValue("out of range") }
            return value
        }, render: { SizeFormat.render($0) })
    }
}

extension ValueCodec where Value == Duration {
    /// A time span such as `30s` within `range`; see `DurationFormat`. Durations are never negative.
    ///
    /// `belowMinimum` replaces "out of range" for a value under the lower bound when that bound
    /// comes from a standard, so the error can quote the rule (`imap.autologout`).
    static func duration(_ range: ClosedRange<Duration>, belowMinimum: String? = nil) -> ValueCodec {
        ValueCodec(type: .duration(range), parse: { text throws(InvalidValue) in
            let value = try DurationFormat.parse(text)
            if value < range.lowerBound { throw InvalidValue(belowMinimum ?? "out of range") }
            guard range.contains(value) else { throw InvalidValue("out of range") }
            return value
        }, render: { DurationFormat.render($0) })
    }
}

extension ValueCodec where Value: CaseIterable & RawRepresentable & Sendable, Value.RawValue == String {
    /// One case of a string enum, matched case-insensitively and stored canonically, so
    /// `sha512-crypt` and `SHA512-CRYPT` mean the same scheme.
    static var choice: ValueCodec {
        ValueCodec(type: .choice(Value.allCases.map(\.rawValue)), parse: { text throws(InvalidValue) in
            guard let match = Value.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                throw InvalidValue()
            }
            return match
        }, render: { $0.rawValue })
    }
}

extension ValueCodec {
    /// Cases of a string enum separated by commas and/or spaces, in the order written.
    ///
    /// Repeats are dropped rather than rejected: `PLAIN, PLAIN` is redundant, not ambiguous.
    /// An empty list is rejected unless `allowsEmpty`, because for keys like
    /// `auth.mechanisms` it would silently lock everyone out.
    static func list<E>(of _: E.Type, allowsEmpty: Bool = false) -> ValueCodec<[E]>
    where E: CaseIterable & RawRepresentable & Sendable & Equatable, E.RawValue == String, Value == [E] {
        let names = E.allCases.map(\.rawValue)
        return ValueCodec(type: .list(allowed: names, allowsEmpty: allowsEmpty), parse: { text throws(InvalidValue) in
            let words = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
            var result: [E] = []
            var unknown: [String] = []
            for word in words {
                if let match = E.allCases.first(where: { $0.rawValue.lowercased() == word.lowercased() }) {
                    if !result.contains(match) { result.append(match) }
                } else {
                    unknown.append(String(word))
                }
            }
            if !unknown.isEmpty { throw InvalidValue("unknown: \(unknown.joined(separator: ", "))") }
            if result.isEmpty, !allowsEmpty { throw InvalidValue() }
            return result
        }, render: { $0.map(\.rawValue).joined(separator: " ") })
    }
}
