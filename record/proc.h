/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proc.h - reading what /proc says about a process, for enrichment
 * (enrich.c) and the container table (containers.c): one small file into a
 * buffer, the cgroup v2 path in /proc/PID/cgroup, and the fields of
 * /proc/PID/stat that follow the command name.
 */
#ifndef SCA_RECORD_PROC_H
#define SCA_RECORD_PROC_H

#include <stddef.h>

/*
 * Read the file PATH, small enough for one read() (a /proc file), into BUF
 * of N bytes, NUL-terminated. Returns the bytes read, or a negative errno
 * (and errno as the failed call left it).
 */
int sca_proc__read(const char *path, char *buf, size_t n);

/*
 * The path of the cgroup v2 line "0::/path" in BUF, the text of a
 * /proc/PID/cgroup, cut at its end of line (BUF is changed); NULL when
 * there is no such line.
 */
char *sca_proc__cgroup(char *buf);

/*
 * The fields of a /proc/PID/stat text after its command name, from the state
 * on: the name may hold spaces and parentheses, so they start after the last
 * ')'. NULL when there is none.
 */
const char *sca_proc__stat_fields(const char *buf);

/* The parent of ROOT/PID (/proc/PID/stat), or -1 when PID is gone or unreadable. */
int sca_proc__ppid(const char *root, int pid);

/*
 * Where cgroup v2 is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified on
 * a hybrid system, which /proc/PID/cgroup's "0::" paths are relative to.
 * Looked up once; NULL when it is not mounted.
 */
const char *sca_proc__cgroup2_root(void);

#endif
