import RoostIMAPGrammar

/// A NO or BAD a command ends with: the status response to send, with its code.
///
/// Command code throws it for the user errors of RFC 5530's classes (a missing mailbox, a name that
/// cannot be used); the session writes `response` under the command's tag. Failures from storage
/// become one through `init(_:isDestination:)`, the single place they are mapped.
public struct IMAPCommandError: Error, Sendable, Equatable {
    /// The tagged status response that ends the command.
    public var response: StatusResponse

    public init(_ response: StatusResponse) {
        self.response = response
    }
}
