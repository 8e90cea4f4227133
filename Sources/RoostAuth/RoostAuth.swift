// RoostAuth: who may log in, and as whom.
//
// Purpose
// -------
// Everything Roost needs to authenticate a mail user, independent of the protocol that asks:
// - password schemes in Dovecot's stored form `{SCHEME}data` (crypt(3) family through libxcrypt,
//   salted and plain SHA-2/SHA-1/MD5 digests, plaintext, Dovecot's CRAM-MD5 context), verified in
//   constant time on a small dedicated thread pool (`PasswordVerifier`, `BlockingWorkPool`);
// - user databases behind two small interfaces, `PassDB` (credentials) and `UserDB` (uid, gid,
//   home, mail location, quota), with Dovecot's passwd-file format (`PasswdFile`), a static
//   userdb for virtual users (`StaticUserDB`) and a crash-safe editor for the admin tool
//   (`PasswdFileEditor`);
// - SASL PLAIN, LOGIN and CRAM-MD5 as protocol-neutral state machines (`SASLServerExchange`) and
//   the driver that checks their credentials (`SASLAuthenticator`, `Authenticator`), and POP3
//   APOP digests (`Authenticator.verifyAPOP`);
// - Dovecot-like failure bookkeeping: per-IP reply delays (`AuthPenalty`) and one log line per
//   failed login (`AuthFailureLog`).
//
// Invariants
// ----------
// - No sockets and no protocol words: results are typed values (`AuthResult`, `SASLStep`); the
//   IMAP, POP3 and auth-socket layers turn them into `NO`, `-ERR` or `FAIL` in one place each.
// - Password verification and hashing through the `async` API never run on the caller's thread:
//   they run on `BlockingWorkPool` threads, because callers live on NIO event loops. `PasswdFile`
//   reads its (small) file inside its actor; `PasswdFileEditor` blocks (lock waits, fsync) and is
//   meant for the admin tool or a `BlockingWorkPool`.
// - Secrets are compared in constant time (`ConstantTime`); a missing user and a wrong password
//   take the same path through the verifier, so their timing differs only by the passdb lookup.
// - A password is never logged, and neither is a stored hash. `AuthFailureLog` logs the user
//   name (escaped), mechanism, remote IP and a reason keyword only.
// - Client input never traps: malformed base64, oversize responses and odd user names come back
//   as `SASLFailure` or `AuthFailureReason`, never as a crash.
// - A passwd-file that fails to parse on reload never replaces the last good copy in memory, and
//   the editor never writes a file the reader would refuse (same checks, `PasswdFileSnapshot`).
//   Passwd-file bytes are never silently changed: a file that is not UTF-8 is refused, not decoded
//   with U+FFFD. Separators (`:`, space, `}`, `@`, `/`) are found as bytes, never as `Character`s.
// - An empty password never matches, and no password longer than
//   `SASLConfiguration.maxPasswordLength` reaches a hash, whatever the protocol path.
// - Pool work is bounded: `BlockingWorkPool` queues at most `maxQueuedJobs` jobs and refuses more
//   at once (`overloaded`, reported as a temporary failure), so a login storm cannot grow memory
//   or latency without limit.
// - Time is injected (`AuthClock`) wherever behaviour depends on it (reload checks, penalties), so
//   tests never sleep for it.
