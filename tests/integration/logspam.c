/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logspam: make N logged syscalls as fast as possible (getppid under a
 * filter whose action for it is SCMP_ACT_LOG), optionally from F forked
 * children that exit at once (-f). Prints "pid N" for itself and each child.
 *
 *   logspam [-n N] [-f F] [-s SLEEP_MS]
 */
#define _GNU_SOURCE
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = 1000, forks = 0, sleep_ms = 0;
	int opt;
	while ((opt = getopt(argc, argv, "n:f:s:")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 'f': forks = atol(optarg); break;
		case 's': sleep_ms = atol(optarg); break;
		default: return 2;
		}
	}
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) || seccomp_load(ctx)) {
		fprintf(stderr, "logspam: cannot install the filter\n");
		return 1;
	}
	seccomp_release(ctx);   /* loaded into the kernel; the copy here is done */
	printf("pid %d\n", getpid());
	fflush(stdout);
	if (sleep_ms) {
		struct timespec ts = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
	}
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	for (long i = 0; i < forks; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			/* one logged syscall, then gone within microseconds */
			syscall(SYS_getppid);
			_exit(0);
		}
		printf("pid %d\n", pid);
		waitpid(pid, NULL, 0);
	}
	return 0;
}
