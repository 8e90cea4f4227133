/// Reads and writes time spans: `500ms`, `30s`, `10m`, `2h`, `1d`; a bare number is seconds.
///
/// Resolution is one millisecond, which is finer than any timer Roost configures and keeps
/// the arithmetic in `Int` where overflow is checked. Long unit names (`10 mins`,
/// `2 hours`) are accepted because Dovecot configs use them.
enum DurationFormat {
    /// Milliseconds per unit, largest first so rendering can pick the biggest exact unit.
    private static let units: [(short: String, names: Set<String>, milliseconds: Int)] = [
        ("d", ["d", "day", "days"], 86_400_000),
        ("h", ["h", "hour", "hours"], 3_600_000),
        ("m", ["m", "min", "mins", "minute", "minutes"], 60_000),
        ("s", ["", "s", "sec", "secs", "second", "seconds"], 1000),
        ("ms", ["ms", "msec", "msecs", "millisecond", "milliseconds"], 1),
    ]

    /// Parses a duration; throws for malformed text, unknown units and overflow.
    static func parse(_ text: String) throws(InvalidValue) -> Duration {
        let quantity = try NumberWithUnit(parsing: text)
        let unit = quantity.unit.lowercased()
        for entry in units where entry.names.contains(unit) {
            return .milliseconds(try quantity.scaled(by: entry.milliseconds))
        }
        throw InvalidValue("unknown unit \"\(quantity.unit)\"; use ms, s, m, h or d")
    }

    /// Renders with the largest exact unit (`120000ms` becomes `2m`); sub-millisecond parts,
    /// which no parsed value has, are truncated.
    static func render(_ duration: Duration) -> String {
        let parts = duration.components
        let (scaled, overflow) = parts.seconds.multipliedReportingOverflow(by: 1000)
        // Only a span set in code can exceed Int64 milliseconds; whole seconds still read back.
        if overflow { return "\(parts.seconds)s" }
        let total = scaled + parts.attoseconds / 1_000_000_000_000_000
        if total != 0 {
            for entry in units where total % Int64(entry.milliseconds) == 0 {
                return "\(total / Int64(entry.milliseconds))\(entry.short)"
            }
        }
        return "0s"
    }
}
