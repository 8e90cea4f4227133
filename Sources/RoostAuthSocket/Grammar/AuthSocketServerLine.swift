import NIOCore

/// One line from the auth server to its client (spec, "Client <-> Server").
///
/// The handshake is `version`, the `mechanism` lines, `processID`, `connectionID`, `cookie`, `done`;
/// then every request is answered with `continue` (more data needed), `ok` or `fail`.
public enum AuthSocketServerLine: Hashable, Sendable {
    case version(AuthSocketVersion)
    case mechanism(AuthSocketMechanism)
    /// `SPID <pid>`.
    case processID(AuthSocketProcessID)
    /// `CUID <n>`.
    case connectionID(AuthSocketConnectionID)
    case cookie(AuthSocketCookie)
    case done
    /// `OK <id> user=<user> [params]`: authenticated as `user`, the canonical name from the passdb.
    case ok(AuthSocketRequestID, user: String, parameters: [AuthSocketParameter])
    /// `CONT <id> <base64>`: a challenge to pass on to the end client; empty for "send your response".
    case `continue`(AuthSocketRequestID, String)
    /// `FAIL <id> [params]`.
    case fail(AuthSocketRequestID, AuthSocketFailure)

    /// Writes the line with its LF.
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .version(let version):
            buffer.writeString("VERSION\t\(version.major)\t\(version.minor)")
        case .mechanism(let mechanism):
            buffer.writeString("MECH\t")
            AuthSocketTabEscaping.escape(mechanism.name.utf8, into: &buffer)
            for flag in mechanism.flags {
                AuthSocketParameter(flag.rawValue).encode(into: &buffer)
            }
        case .processID(let pid):
            buffer.writeString("SPID\t\(pid)")
        case .connectionID(let id):
            buffer.writeString("CUID\t\(id)")
        case .cookie(let cookie):
            buffer.writeString("COOKIE\t\(cookie.hex)")
        case .done:
            buffer.writeString("DONE")
        case .ok(let id, let user, let parameters):
            buffer.writeString("OK\t\(id)")
            AuthSocketParameter("user", user).encode(into: &buffer)
            for parameter in parameters {
                parameter.encode(into: &buffer)
            }
        case .continue(let id, let data):
            buffer.writeString("CONT\t\(id)\t")
            buffer.writeString(data)
        case .fail(let id, let failure):
            buffer.writeString("FAIL\t\(id)")
            for parameter in failure.parameters {
                parameter.encode(into: &buffer)
            }
        }
        buffer.writeInteger(AuthSocketFields.newline)
    }
}
