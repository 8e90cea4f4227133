// Linux privilege calls Swift cannot call directly (variadic prctl, raw capset) or that glibc
// applies to every thread (setfsuid is per thread by design). Used by RoostServer only.
#ifndef CROOSTPRIVILEGES_H
#define CROOSTPRIVILEGES_H

#include <sys/types.h>

/// Sets PR_SET_KEEPCAPS for the calling thread, so its permitted capabilities survive setuid.
int roost_keep_capabilities(int keep);

/// Limits the calling thread's capabilities to CAP_SETUID and CAP_SETGID (effective and
/// permitted), dropping everything else. 0 on success, -1 with errno.
int roost_limit_to_setid_capabilities(void);

/// Drops every capability of the calling thread. 0 on success, -1 with errno.
int roost_drop_all_capabilities(void);

/// Sets the calling thread's file-system uid and gid (setfsgid first). Returns 0 when both
/// took effect, -1 otherwise (setfsuid/setfsgid report failure only by not changing).
int roost_set_fs_identity(uid_t uid, gid_t gid);

/// Sets the calling thread's supplementary groups to `groups` (the raw system call: glibc's
/// setgroups changes every thread). 0 on success, -1 with errno.
int roost_set_thread_groups(const gid_t *groups, int count);

/// The calling thread's supplementary groups, as getgroups(2). -1 with errno.
int roost_get_thread_groups(gid_t *groups, int capacity);

#endif
