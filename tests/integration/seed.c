/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * seed: the reference scenario. Installs a seccomp filter that logs mkdir
 * and kills the thread on unshare, prints its pid, makes both calls. The
 * kernel then emits exactly two seccomp audit records for this pid:
 * mkdir (log) and unshare (kill_thread), and the process dies of SIGSYS.
 *
 *   seed DIR     (DIR is created, so the mkdir succeeds and is logged)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seed DIR\n");
		return 2;
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(mkdir), 0) ||
	    seccomp_rule_add(ctx, SCMP_ACT_KILL_THREAD, SCMP_SYS(unshare), 0) || seccomp_load(ctx)) {
		fprintf(stderr, "seed: cannot install the filter\n");
		return 1;
	}
	seccomp_release(ctx);   /* loaded into the kernel; the copy here is done */
	printf("%d\n", getpid());
	fflush(stdout);
	mkdir(argv[1], 0700);
	unshare(0);
	return 0;   /* not reached: unshare kills the thread */
}
