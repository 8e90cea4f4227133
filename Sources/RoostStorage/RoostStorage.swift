// RoostStorage: users' mail on disk, in Maildir++ as Dovecot writes it.
//
// What this module owns: the Maildir folders of one user (`MailStore`), one folder's messages with their
// UIDs, flags and keywords (`MaildirFolder`), Dovecot's state files (`dovecot-uidlist`,
// `dovecot-keywords`, `subscriptions`, `dovecot-uidvalidity`), Maildir++ quota (`maildirsize`), and
// Roost's own rebuildable per-folder index (`roost.index`, see `FolderIndex`).
//
// Invariants:
// - The Maildir files and `dovecot-uidlist` are the source of truth. Roost's index is a cache: it is
//   trusted only while the uidlist and the `new/`/`cur/` directories are unchanged since it was written,
//   and it is rebuilt, never repaired, when it is missing, stale or damaged.
// - A message becomes visible only by `rename(2)` of a complete, fsynced file out of `tmp/`; state files
//   are replaced the same way (`AtomicFile`). Nothing is ever half-written where a reader looks.
// - A UID, once given to a file, is never given to another file, and a UIDVALIDITY is never changed
//   except when the uidlist is lost with no other record of it (logged at error level).
// - Other programs (Postfix, procmail, Dovecot itself) may deliver, rename and delete files at any time;
//   every operation tolerates a file vanishing or changing name underneath it.
// - This module knows no protocol: errors are `StorageError` kinds, mapped to replies by the protocols.
// - Every call may block on disk: callers run it off event-loop threads.
