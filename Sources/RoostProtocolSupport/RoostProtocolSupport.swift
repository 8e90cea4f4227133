// RoostProtocolSupport: pieces every line-oriented protocol session shares, over NIOCore only.
//
// What lives here: the line framer (with the STARTTLS discard), the facts about one connection a
// session needs (addresses, whether it is encrypted, whether plaintext logins are allowed), and the
// hook through which a session asks the server to start TLS. Nothing here opens sockets or knows
// TLS libraries; the server module (RoostServer) provides those.
//
// Invariants:
// - A framer never hands on more than `maxLineLength` bytes as one line; longer input becomes one
//   `.tooLong` frame and is dropped, so a client cannot make the server buffer without bound.
// - After `discardBufferedInput()` no byte received before the call is ever handed on: bytes a
//   client pipelined behind STLS/STARTTLS cannot cross into the TLS session (CVE-2011-0411).
