/// A failure of a `mailboxctl` command: an exit status and one sentence for the administrator.
///
/// Commands throw these directly for their own checks; errors of the domain modules are turned
/// into these in one place, `AdminError.init(_:)` (AdminError+Mapping.swift), so every kind of
/// failure gets the same exit status whichever command hits it.
public struct AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: AdminExitCode
    /// Printed after `mailboxctl: error: `; no trailing period or newline.
    public var message: String

    public init(_ code: AdminExitCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func usage(_ message: String) -> AdminError { AdminError(.usage, message) }
    static func dataError(_ message: String) -> AdminError { AdminError(.dataError, message) }
    static func noUser(_ user: String) -> AdminError { AdminError(.noUser, "user \(user) does not exist") }
    static func configuration(_ message: String) -> AdminError { AdminError(.configuration, message) }
}
