// RoostServer: the wiring layer. Turns a RoostConfiguration into a running server: the passdb and
// authenticator, thread pools for password hashing and storage, listeners (plain with STLS, and
// implicit TLS) on every configured address, TLS contexts that SIGHUP reloads, connection limits,
// privilege drop, logging, and graceful shutdown under swift-service-lifecycle.
//
// Invariants:
// - Ports are bound before privileges are dropped, and no client is served before the drop.
// - A TLS reload affects new connections and new STLS upgrades only; sessions keep their TLS.
// - Shutdown stops accepting first, lets sessions finish their current command for at most
//   `server.shutdown_timeout`, then closes what is left; POP3 deletions of sessions that did not
//   reach QUIT are never applied.
