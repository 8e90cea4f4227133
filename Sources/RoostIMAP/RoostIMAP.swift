// RoostIMAP: IMAP4rev1 sessions over RoostStorage.
//
// Purpose
// -------
// The session side of IMAP: connection states (not authenticated, authenticated, selected, logout),
// the selected mailbox's view (sequence numbers, pending EXPUNGE/EXISTS/FETCH notices, \Recent),
// FETCH content (BODYSTRUCTURE from RoostMIME, sections streamed from message files), SEARCH
// evaluation, mailbox listing and the mapping of storage errors to response codes (RFC 5530), and
// the NIO handler that drives a session from the framer. Wire formats live in RoostIMAPGrammar;
// listeners, TLS and configuration files in RoostServer.
//
// Naming: RoostIMAPGrammar's `UID` and `MailboxName` are the wire forms of RoostStorage's types of
// the same names; this module refers to both module-qualified where they meet.
