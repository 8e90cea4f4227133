/// Why a command is not valid IMAP syntax: the syntax class of errors, answered with `tag BAD <message>`.
///
/// `tag` is the command's tag when it could be read (`* BAD` otherwise). `message` never echoes client
/// input, so it is always printable ASCII, safe for a response line.
public struct IMAPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var tag: Tag?

    public init(_ message: String, tag: Tag? = nil) {
        self.message = message
        self.tag = tag
    }

    public var description: String { message }
}
