/// Reads and writes byte sizes: `0`, `512`, `10K`, `50M`, `2G`, `1T`.
///
/// Units are binary multiples (K = 1024) because the limits they set are compared with file
/// sizes, and are case-insensitive with an optional `B` or `iB` suffix (`50MB`, `50MiB`) so
/// values copied from other servers' configs keep working. Writing picks the largest unit
/// that is exact, so a rendered value always reads back to the same number of bytes.
enum SizeFormat {
    /// Unit letters and their multipliers, largest first so rendering can pick the biggest fit.
    private static let units: [(letter: String, factor: Int)] = [
        ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10),
    ]

    /// Parses a size in bytes; throws for malformed text, unknown units and Int overflow.
    static func parse(_ text: String) throws(InvalidValue) -> Int {
        let quantity = try NumberWithUnit(parsing: text)
        let unit = quantity.unit.uppercased()
        if unit.isEmpty || unit == "B" { return quantity.number }
        for (letter, factor) in units where unit == letter || unit == letter + "B" || unit == letter + "IB" {
            return try quantity.scaled(by: factor)
        }
        throw InvalidValue("unknown unit \"\(quantity.unit)\"; use K, M, G or T")
    }

    /// Renders bytes with the largest exact unit: 52428800 becomes `50M`, 1000 stays `1000`.
    static func render(_ bytes: Int) -> String {
        if bytes != 0 {
            for (letter, factor) in units where bytes % factor == 0 {
                return "\(bytes / factor)\(letter)"
            }
        }
        return String(bytes)
    }
}
