/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sysloop - N getppid() calls in a tight loop; prints the ns per call it
 * measured itself, so the cost of whatever watches it (a sys_enter
 * program, a log-all filter) shows without process start and teardown.
 *   sysloop [N]      (default 1000000)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	double t0, t1;

	if (n <= 0) {
		fprintf(stderr, "usage: sysloop [N]\n");
		return 2;
	}
	t0 = now();
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	t1 = now();
	printf("%.1f\n", (t1 - t0) / (double)n);
	return 0;
}
