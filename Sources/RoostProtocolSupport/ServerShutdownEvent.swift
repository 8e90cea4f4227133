/// Fired into every open connection's pipeline when the server begins a graceful shutdown.
///
/// A session that is idle between commands ends at once (telling the client, without applying
/// anything a clean logout would: POP3 deletions stay undone); a session in the middle of a
/// command finishes that command first, then ends.
public struct ServerShutdownEvent: Sendable, Hashable {
    public init() {}
}
