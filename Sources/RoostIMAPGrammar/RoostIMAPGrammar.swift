// RoostIMAPGrammar: the IMAP4rev1 wire format as plain values.
//
// Purpose
// -------
// Parse → typed value → (session) → typed response → encode. This target holds the values of RFC 3501's
// grammar (with RFC 9051 where compatible), the command framer that cuts the byte stream into commands with
// their literals, the parser (one function per ABNF rule, the rule quoted above it) and the encoders. It has
// no state beyond the framer's, no I/O, no storage and no authentication, and depends on NIOCore only.
//
// References: RFC 3501 (`../shared/rfc/rfc3501.txt`), RFC 9051, RFC 7888 (LITERAL+ / LITERAL-),
// RFC 2971 (ID), RFC 4959 (SASL-IR), RFC 5161 (ENABLE), RFC 2177 (IDLE), RFC 2342 (NAMESPACE), RFC 3691
// (UNSELECT), RFC 4315 (UID EXPUNGE), RFC 6851 (MOVE), RFC 3502 (MULTIAPPEND).
//
// Invariants
// ----------
// - Nothing a client sends traps: every malformed input is an `IMAPParseError` or an `IMAPFramingError`,
//   and both carry the command's tag when it could be read, so the client gets a tagged BAD.
// - A literal larger than the limit is refused before any of its bytes are buffered.
// - Encoders never let a value end a line early: a string that cannot be an atom or a quoted string is
//   written as a literal.
// - All size and count limits are in `IMAPLimits`.
//
// Naming: `UID` and `MailboxName` share their names with RoostStorage's types of the same meaning, as in
// swift-nio-imap. These are the wire forms; the IMAP session maps between the two in one place and refers
// to them module-qualified.
