/// The `[log]` section: how much the server logs.
public struct LogSettings: Sendable, Equatable {
    /// `log.level`: least severe level that is logged.
    public var level: LogLevel

    /// Creates `[log]` settings; every default is the built-in value used when the key is absent.
    ///
    /// - Parameter level: Least severe level written to the log (trace, debug, info, notice,
    ///   warning, error, critical). Default `info`.
    public init(level: LogLevel = .info) {
        self.level = level
    }
}
