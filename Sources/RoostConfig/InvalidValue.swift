/// Thrown by value parsers when text does not fit a key's type.
///
/// It carries only an optional extra reason ("too large"); the parser that knows the file,
/// line and key turns it into a `ConfigError` whose message states what was expected.
struct InvalidValue: Error, Sendable, Equatable {
    /// Detail appended after the expectation, e.g. `unknown: XOAUTH2`; nil when the
    /// expectation alone says it all.
    var reason: String?

    init(_ reason: String? = nil) {
        self.reason = reason
    }
}
