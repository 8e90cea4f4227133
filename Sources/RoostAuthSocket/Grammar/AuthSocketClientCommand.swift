import NIOCore

/// One line from an auth client (spec, "Client <-> Server"), as Dovecot 2.3's auth process reads it.
public enum AuthSocketClientCommand: Hashable, Sendable {
    /// `VERSION <major> <minor>`: the first line of the client's handshake.
    case version(AuthSocketVersion)
    /// `CPID <pid>`: the last line of the client's handshake.
    case processID(AuthSocketProcessID)
    /// `AUTH <id> <mechanism> service=<s> [params]`.
    case auth(AuthSocketAuthRequest)
    /// `CONT <id> <base64>`: the client's response to a `CONT` challenge. The data is taken as it is,
    /// without unescaping (base64 has nothing to escape), and may be empty.
    case `continue`(AuthSocketRequestID, String)
    /// `CANCEL <id>`: forget a request. Not in the spec page, but Dovecot 2.3 accepts it (its own
    /// auth-client library sends it when a login is aborted), so Roost does too.
    case cancel(AuthSocketRequestID)

    /// The command name on the wire.
    public var name: String {
        switch self {
        case .version: "VERSION"
        case .processID: "CPID"
        case .auth: "AUTH"
        case .continue: "CONT"
        case .cancel: "CANCEL"
        }
    }

    /// Writes the line with its LF.
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .version(let version):
            buffer.writeString("VERSION\t\(version.major)\t\(version.minor)\n")
        case .processID(let pid):
            buffer.writeString("CPID\t\(pid)\n")
        case .auth(let request):
            request.encode(into: &buffer)
        case .continue(let id, let data):
            buffer.writeString("CONT\t\(id)\t")
            buffer.writeString(data)
            buffer.writeInteger(AuthSocketFields.newline)
        case .cancel(let id):
            buffer.writeString("CANCEL\t\(id)\n")
        }
    }
}
