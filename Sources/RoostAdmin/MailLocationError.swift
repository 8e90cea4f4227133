/// Why a user's mail location cannot be worked out.
public struct MailLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The configuration or the user's entry is wrong; an administrator has to fix it.
        case setting
        /// The user name cannot become part of a path (`/`, `..`, a control character).
        case userName
    }

    public var kind: Kind
    /// Where the bad value came from: `mail.location`, `mail.index_dir`, `userdb_mail of bob`.
    public var setting: String
    public var message: String

    public init(_ kind: Kind, setting: String, _ message: String) {
        self.kind = kind
        self.setting = setting
        self.message = message
    }

    public var description: String { "\(setting): \(message)" }
}
