// RoostPOP3 grammar: POP3 commands, responses and the message body encoding as plain values.
//
// Purpose
// -------
// Parse → typed value → (session) → typed response → encode. This folder holds the values and the two
// directions of the wire format and nothing else: no state, no I/O, no storage, no authentication.
// `POP3CommandParser` turns one command line into a `POP3Command`; `POP3Response.encode(into:)` writes a
// response; `POP3MessageEncoder` turns stored message bytes into the dot-stuffed multi-line form that RETR
// and TOP stream; `POP3UniqueID` renders UIDL strings the way Dovecot does.
//
// References: RFC 1939 (base POP3, `../shared/rfc/rfc1939.txt`), RFC 2449 (CAPA, lengths, response codes),
// RFC 2595 section 4 (STLS), RFC 3206 (SYS and AUTH codes), RFC 5034 (AUTH).
//
// Invariants
// ----------
// - Parsing never traps on client input: every malformed line is a `POP3ParseError` with a message that is
//   safe to send after "-ERR " (printable ASCII, no CR or LF).
// - Nothing a response or a message can contain ever ends a line early or ends a multi-line response
//   early: texts have their control characters replaced with spaces, multi-line lines and message lines
//   are dot-stuffed, and the terminating ".\r\n" is written only by the encoder.
// - `POP3MessageEncoder` gives the same bytes however its input is split into chunks.
// - All size limits are in `POP3Limits`.
