/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * learn.h - start `record -- CMD`'s command under a seccomp filter, in an
 * audit session of its own.
 *
 * Which events belong to the command's process tree is decided by the audit
 * session id: the child writes its loginuid, which makes the kernel give it
 * a fresh session id, and every descendant inherits it at fork, before it can
 * make a syscall. Each record carries ses=, so membership is exact even for
 * children that live for a microsecond, with nothing to race against.
 */
#ifndef SCA_RECORD_LEARN_H
#define SCA_RECORD_LEARN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Fork and exec argv[0] under log-all (SCMP_ACT_LOG for every syscall of
 * the native and compat arches), or under the OCI/SPO profile at profile.
 * On success *pid and *ses are set. On failure returns a negative errno and a
 * one-line reason in err; the child, if any, has been reaped.
 */
int sca_learn__spawn(char **argv, const char *profile, pid_t *pid, uint32_t *ses, char *err,
		     size_t errlen);

#endif
