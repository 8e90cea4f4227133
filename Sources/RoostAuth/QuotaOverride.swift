/// Per-user quota limits that override the server default; nil fields mean "not overridden".
///
/// Read from userdb extra fields (with or without the `userdb_` prefix), in Dovecot's two styles:
/// - 2.3 quota rules: `quota_rule=*:storage=1G`, `*:messages=1000`, `*:bytes=1048576`, several
///   limits joined by `:` (`*:storage=1G:messages=1000`), also in `quota_rule2`... Only the `*`
///   (whole account) rule matters here. `storage` without a unit is in KiB, as in Dovecot.
/// - 2.4 style settings: `quota_storage_size=1G` (bytes without a unit), `quota_message_count=1000`,
///   each also accepted under the shorter `quota_storage` / `quota_messages`.
/// A value `0` or `unlimited` is `.unlimited`. Relative values (`+10M`, `50%`) and rules for
/// other mailboxes cannot be expressed as an account limit and are ignored.
public struct QuotaOverride: Sendable, Hashable {
    public var storageBytes: QuotaLimit?
    public var messages: QuotaLimit?

    public init(storageBytes: QuotaLimit? = nil, messages: QuotaLimit? = nil) {
        self.storageBytes = storageBytes
        self.messages = messages
    }

    /// Reads the quota fields out of userdb extra fields whose `userdb_` prefix is already removed.
    public init(fields: [String: String]) {
        self.init()
        let ruleKeys = fields.keys.filter { $0.hasPrefix("quota_rule") }.sorted()
        for key in ruleKeys {
            guard let value = fields[key] else { continue }
            applyRule(value)
        }
        // The 2.4 style settings are more specific than rules, so they win.
        for key in ["quota_storage", "quota_storage_size"] {
            if let value = fields[key], let limit = Self.parseLimit(value, defaultUnit: 1) {
                storageBytes = limit
            }
        }
        for key in ["quota_messages", "quota_message_count"] {
            if let value = fields[key], let limit = Self.parseLimit(value, defaultUnit: 1, allowUnits: false) {
                messages = limit
            }
        }
    }

    /// True when neither limit is overridden.
    public var isEmpty: Bool {
        storageBytes == nil && messages == nil
    }

    private mutating func applyRule(_ rule: String) {
        let parts = rule.split(separator: ":", omittingEmptySubsequences: true)
        guard parts.first == "*" else { return }
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = String(pair[1])
            switch pair[0].lowercased() {
            case "storage":
                if let limit = Self.parseLimit(value, defaultUnit: 1024) { storageBytes = limit }
            case "bytes":
                if let limit = Self.parseLimit(value, defaultUnit: 1) { storageBytes = limit }
            case "messages":
                if let limit = Self.parseLimit(value, defaultUnit: 1, allowUnits: false) { messages = limit }
            default:
                continue
            }
        }
    }

    /// Parses `1G`, `512M`, `100k`, `2048`, `0`, `unlimited`; nil for relative or malformed values.
    ///
    /// Units are binary multiples as in Dovecot (`k` = 1024); `B` suffixes (`MB`, `MiB`) are accepted.
    static func parseLimit(_ text: String, defaultUnit: UInt64, allowUnits: Bool = true) -> QuotaLimit? {
        let trimmed = text.trimmingSpaces()
        if trimmed.lowercased() == "unlimited" { return .unlimited }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = UInt64(digits) else { return nil }
        let unitText = trimmed.dropFirst(digits.count).lowercased()
        let multiplier: UInt64
        if unitText.isEmpty {
            multiplier = defaultUnit
        } else {
            guard allowUnits else { return nil }
            switch unitText {
            case "b": multiplier = 1
            case "k", "kb", "kib": multiplier = 1 << 10
            case "m", "mb", "mib": multiplier = 1 << 20
            case "g", "gb", "gib": multiplier = 1 << 30
            case "t", "tb", "tib": multiplier = 1 << 40
            default: return nil
            }
        }
        if number == 0 { return .unlimited }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : .limit(bytes)
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs (no Foundation needed).
    ///
    /// Works on Unicode scalars: a space followed by a combining mark is one `Character` that is
    /// not a space, and would otherwise survive as a leading separator the byte-wise split sees.
    func trimmingSpaces() -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }), let end = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...end])
    }
}
