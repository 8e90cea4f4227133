/// Severity threshold for the server log, from most to least verbose.
///
/// The raw values are exactly swift-log's `Logger.Level` raw values, so the wiring layer can
/// convert with `Logger.Level(rawValue: level.rawValue)` without RoostConfig depending on
/// swift-log (this module is Foundation-only so every layer can read configuration).
public enum LogLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case trace
    case debug
    case info
    case notice
    case warning
    case error
    case critical

    /// Position in `allCases`; lower is more verbose.
    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// Orders levels by severity so callers can write `message.level >= config.log.level`.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}
