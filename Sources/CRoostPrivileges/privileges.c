#define _GNU_SOURCE
#include "CRoostPrivileges.h"

#include <errno.h>
#include <linux/capability.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int roost_keep_capabilities(int keep) {
    return prctl(PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0);
}

static int set_capabilities(__u32 mask) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = { { 0 } };
    data[0].effective = mask;
    data[0].permitted = mask;
    data[0].inheritable = 0;
    return (int)syscall(SYS_capset, &header, data);
}

int roost_limit_to_setid_capabilities(void) {
    return set_capabilities((1u << CAP_SETUID) | (1u << CAP_SETGID));
}

int roost_drop_all_capabilities(void) {
    return set_capabilities(0);
}

int roost_set_fs_identity(uid_t uid, gid_t gid) {
    setfsgid(gid);
    setfsuid(uid);
    // Both calls return the previous value; asking again with an impossible id reads the
    // current one without changing it.
    if ((gid_t)setfsgid((gid_t)-1) != gid) return -1;
    if ((uid_t)setfsuid((uid_t)-1) != uid) return -1;
    return 0;
}

int roost_set_thread_groups(const gid_t *groups, int count) {
    return (int)syscall(SYS_setgroups, (size_t)count, groups);
}

int roost_get_thread_groups(gid_t *groups, int capacity) {
    return (int)syscall(SYS_getgroups, capacity, groups);
}
