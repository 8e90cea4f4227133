import NIOConcurrencyHelpers
import NIOCore
import RoostProtocolSupport

/// The open client connections, so shutdown can tell each one and wait for them to end.
final class ConnectionTracker: Sendable {
    private let channels = NIOLockedValueBox([ObjectIdentifier: any Channel]())
    private let nextID = ManagedAtomicCounter()

    /// Remembers `channel` until it closes. A connection accepted while shutdown is already
    /// announced gets the announcement too, once its pipeline is complete.
    func track(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        let late = channels.withLockedValue { channels in
            channels[key] = channel
            return stopping.withLockedValue { $0 }
        }
        channel.closeFuture.whenComplete { _ in
            _ = self.channels.withLockedValue { $0.removeValue(forKey: key) }
        }
        if late {
            channel.eventLoop.execute { channel.pipeline.fireUserInboundEventTriggered(ServerShutdownEvent()) }
        }
    }

    private let stopping = NIOLockedValueBox(false)

    var count: Int { channels.withLockedValue { $0.count } }

    /// Fires `ServerShutdownEvent` into every connection.
    func announceShutdown() {
        let open = channels.withLockedValue { channels in
            stopping.withLockedValue { $0 = true }
            return Array(channels.values)
        }
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(ServerShutdownEvent())
        }
    }

    /// Closes every connection still open.
    func closeAll() {
        for channel in channels.withLockedValue({ Array($0.values) }) {
            channel.close(promise: nil)
        }
    }

    /// A short id for a new connection's log lines: a counter after a random per-process prefix,
    /// so ids stay unique across restarts in one log.
    func makeConnectionID() -> String {
        prefix + String(nextID.next(), radix: 36)
    }

    private let prefix = String(UInt32.random(in: 0...UInt32.max) % 1_679_616, radix: 36) + "."
}

/// A thread-safe counter (Atomics would be one more package for one integer).
final class ManagedAtomicCounter: Sendable {
    private let value = NIOLockedValueBox(UInt64(0))
    func next() -> UInt64 { value.withLockedValue { $0 += 1; return $0 } }
}
