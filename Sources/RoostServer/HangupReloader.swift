import ServiceLifecycle
import UnixSignals

/// Reloads the server's TLS certificate and passwd-file on each SIGHUP, until shutdown.
struct HangupReloader: Service {
    let server: RoostServer

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await server.reload()
        }
    }
}
