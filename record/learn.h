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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What the command runs under, and who must know its session first. */
struct sca_learn_opts {
	const char *profile;         /* this OCI/SPO profile, its refusals logged */
	bool log_all;                /* without profile: log every syscall (else no filter) */
	/*
	 * Called with the session before the command goes on past it: a
	 * source that selects the session in the kernel misses nothing.
	 */
	void (*on_session)(void *ctx, uint32_t ses);
	void *ctx;
};

/*
 * Fork and exec argv[0] in a session of its own, under lo's filter: log-all
 * (SCMP_ACT_LOG for every syscall of the native and compat arches), the
 * profile (with SECCOMP_FILTER_FLAG_LOG, so that what it refuses is
 * audited, unless log_all), or none. On success *pid and *ses are set. On
 * failure returns a negative errno and a one-line reason in err; the
 * child, if any, has been reaped.
 */
int sca_learn__spawn(char **argv, const struct sca_learn_opts *lo, pid_t *pid, uint32_t *ses,
		     char *err, size_t errlen);

#endif
