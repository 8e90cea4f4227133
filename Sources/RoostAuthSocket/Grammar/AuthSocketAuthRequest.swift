import NIOCore

/// `AUTH <id> <mechanism> service=<service> [parameters]`: start one authentication.
///
///     C: "AUTH" TAB <id> TAB <mechanism> TAB service=<service> [TAB <parameters>]
///
/// The mechanism is kept as sent; the state machine matches it case-insensitively against what it
/// announced. `resp=` must be the last parameter (spec, "AUTH-only parameters"); Dovecot 2.3 refuses
/// anything after it as a client bug, and so does the parser.
public struct AuthSocketAuthRequest: Hashable, Sendable {
    public var id: AuthSocketRequestID
    public var mechanism: String
    public var info: AuthSocketRequestInfo
    /// `resp=`: the initial response in base64 as sent (possibly empty or `=`); nil without `resp=`.
    public var initialResponse: String?

    public init(id: AuthSocketRequestID, mechanism: String, info: AuthSocketRequestInfo, initialResponse: String? = nil) {
        self.id = id
        self.mechanism = mechanism
        self.info = info
        self.initialResponse = initialResponse
    }

    /// Writes the line with its LF.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeString("AUTH")
        buffer.writeInteger(AuthSocketFields.tab)
        buffer.writeString(id.description)
        buffer.writeInteger(AuthSocketFields.tab)
        AuthSocketTabEscaping.escape(mechanism.utf8, into: &buffer)
        for parameter in info.parameters {
            parameter.encode(into: &buffer)
        }
        if let initialResponse {
            AuthSocketParameter("resp", initialResponse).encode(into: &buffer)
        }
        buffer.writeInteger(AuthSocketFields.newline)
    }
}
