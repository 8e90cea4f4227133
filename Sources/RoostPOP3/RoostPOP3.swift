// RoostPOP3: the POP3 protocol (RFC 1939, 2449, 2595, 3206, 5034) over NIOCore.
//
// Layers inside the module: Grammar/ (commands, responses, the message body encoder; values only),
// POP3SessionStateMachine (what each command does in each state; no I/O), POP3Maildrop (the
// session's fixed view of INBOX and the commit at QUIT; blocking storage calls), and
// POP3ServerHandler (the NIO glue that carries out the state machine's actions).
//
// Invariants:
// - DELE only marks. Deletions are applied at QUIT in the UPDATE state, all of them in one storage
//   call; a connection that drops or times out deletes nothing (RFC 1939 section 6).
// - The message list is fixed at login: numbers, sizes and unique ids do not change during the
//   session; mail delivered meanwhile appears at the next login.
// - Storage and password checks never run on an event loop (BlockingWorkPool, async auth).
// - A message is streamed from disk in bounded chunks; the terminating "." line goes out in the
//   same write as the message's last bytes.
