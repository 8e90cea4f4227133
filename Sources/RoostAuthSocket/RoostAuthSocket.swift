// RoostAuthSocket: the server side of Dovecot's authentication protocol (auth-client sockets), so that
// Postfix (`smtpd_sasl_type = dovecot`) and Exim (`driver = dovecot`) can check SMTP AUTH against Roost's
// passdb. Reference: ../shared/rfc/dovecot-auth-protocol.txt (the v1.3 page of Dovecot 2.4); where it and
// Dovecot 2.3 differ, this module does what Dovecot 2.3's auth process does, because Postfix and Exim are
// written against it.
//
// Layers inside the module: Grammar/ (lines as values: tab-escaping, client commands, server lines, their
// parsers and encoders; NIOCore only), AuthSocketStateMachine (handshake and the requests of one
// connection; no I/O, time passed in), and AuthSocketHandler (the NIO glue: password checks, penalty
// delays, the request timer). No NIOPosix: the server module binds the UNIX socket and puts a
// `LineFramingHandler(maxLineLength: AuthSocketLimits.maxLineLength)` in front of the handler.
//
// Invariants:
// - The server speaks first and all at once: VERSION 1 2, MECH lines, SPID, CUID, COOKIE, DONE, without
//   waiting for the client's VERSION (Dovecot 2.3; 2.4 waits).
// - A client that breaks the protocol (a bad line, an unknown command, a duplicate request id, an unknown
//   mechanism, a line over 16 KiB) is disconnected with one log line and no reply: this protocol has no
//   error reply, and Dovecot does the same. Everything about one authentication is answered with FAIL.
// - Many requests run at once on one connection; a slow password check or a penalty delay never holds
//   back another request's reply.
// - No request lives forever: one waiting for a CONT is dropped after `requestTimeout` (Dovecot: 150 s),
//   and at most `maxInFlightRequests` are kept per connection.
// - Passwords and initial responses are never logged.
