import NIOCore

/// A client command with its tag: what `IMAPCommandParser` returns and the session runs.
public struct TaggedCommand: Hashable, Sendable {
    public var tag: Tag
    public var command: Command

    public init(tag: Tag, command: Command) {
        self.tag = tag
        self.command = command
    }
}

/// The IMAP commands parsed so far: the any-state and not-authenticated ones of RFC 3501 section 6.1
/// and 6.2, with ID (RFC 2971) and SASL-IR (RFC 4959). Any other keyword is a tagged BAD.
public enum Command: Hashable, Sendable {
    // command-any     = "CAPABILITY" / "LOGOUT" / "NOOP" / x-command / id
    case capability
    case noop
    case logout
    /// ID with the client's fields, `nil` for `ID NIL`.
    case id([IDField]?)

    // command-nonauth = login / authenticate / "STARTTLS"
    case startTLS
    /// AUTHENTICATE with the mechanism (upper-cased) and the SASL-IR initial response, if any.
    case authenticate(mechanism: String, initialResponse: InitialResponse?)
    /// LOGIN with the user name and password octets as sent (the session decides on UTF-8).
    case login(userid: [UInt8], password: [UInt8])
}

/// One field of an ID command or response (RFC 2971 section 3.3).
public struct IDField: Hashable, Sendable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }
}

/// The initial response of AUTHENTICATE (RFC 4959 section 3).
public enum InitialResponse: Hashable, Sendable {
    /// `=`: an empty initial response.
    case empty
    /// The base64 text, validated for its alphabet and length but not decoded (the SASL layer decodes).
    case base64(String)
}
