// RoostAdmin: the `mailboxctl` commands as a library.
//
// Purpose
// -------
// Everything an administrator does on the machine where the mail lives, without a running server:
// add, delete and list users in the passwd-file, set passwords, hash passwords like `doveadm pw`,
// list, inspect, create and delete mailboxes, show and recount quota, rebuild Roost's index, check
// a configuration file, and set up a ready-to-try playground (`DemoEnvironment`). The executable
// `mailboxctl` is only `main.swift`, which calls `Mailboxctl.main(arguments:console:)`.
//
// Two pieces are meant for the server as well:
// - `UserMailStore`: the one mapping from configuration + userdb record to a `MailStore` (mail
//   location, index directory, quota limits, storage options);
// - `DemoEnvironment`: the playground `roostd --dev` will reuse.
//
// Invariants
// ----------
// - Commands parse → typed value → run; every failure leaves as an `AdminError` whose exit code
//   follows sysexits(3) (`AdminExitCode`), mapped from the domain errors in exactly one place
//   (`AdminError.init(_:)`), and is printed once as `mailboxctl: error: ...` on stderr.
// - All terminal I/O goes through `AdminConsole.current` (a task-local), so tests run every
//   command in-process and capture its output; only `AdminConsole.standard` touches fds 0-2.
// - Passwords are read without echo from /dev/tty or, with `--password-stdin`, from the first line
//   of standard input, refused (not cut or repaired) when too long or not UTF-8; they are never
//   printed, and neither is a stored hash (`user show` names only the scheme) or the value of a
//   password-like extra field. The one exception is the demo user's generated password, printed
//   once on creation.
// - Passwd-file edits go through `PasswdFileEditor` (locked, atomic), so they are safe while the
//   server runs; lookups go through `PasswdFile`, the same reader the server uses.
// - Run as root, mail files are touched with the effective uid/gid of the mail owner and no other
//   group (`MailOwner`), so the server never finds root-owned files in a Maildir and root's
//   groups lend the tool no rights.
// - Deleting mail (`user del --remove-mail`) checks everything first (`MailRemoval`), before the
//   passwd-file changes, comparing directories by device and inode, never as strings: no home,
//   no directory above a home, nothing another user's mail lives in, nothing that is not a
//   Maildir or a Roost index directory.
// - Read-only commands (`mailbox status`, `quota show`, ...) never move mail from `new/` to `cur/`,
//   which would take the "recent" state away from the user's next session.
