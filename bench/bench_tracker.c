/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench_tracker: what the process tracker costs a workload that forks,
 * execs and exits. Runs N fork+exec(/bin/true)+wait, ROUNDS times with the
 * tracker attached and ROUNDS times without, alternating, and prints:
 *   - the kernel's own count of time spent in the tracker's programs per
 *     fork+exec+exit (BPF run-time statistics: exact, not sampled);
 *   - the wall time per iteration with and without, as medians, and their
 *     difference (noisy: a fork+exec costs some 100 µs here);
 *   - the records the tracker received against the 3 per iteration it
 *     should have, and any the kernel dropped.
 *
 *   bench_tracker [N] [ROUNDS]      (as root; default 2000 and 5)
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc_event.h"
#include "tracker.h"
#include "tracker_bpf.h"

/* The workload's own records: its children's forks, execs and exits. */
static uint64_t mine;

static void count_mine(void *ctx, const struct sca_proc_event *e, const struct sca_proc_view *v)
{
	(void)ctx;
	(void)v;
	if (e->ppid == (uint32_t)getpid())
		mine++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* N fork+exec+wait; the ring is drained every 256 outside the clock. */
static uint64_t run(long n, struct sca_tracker_bpf *b)
{
	uint64_t spent = 0;

	for (long i = 0; i < n;) {
		uint64_t t0 = now_ns();
		for (long k = 0; k < 256 && i < n; k++, i++) {
			pid_t p = fork();
			if (p == 0) {
				execl("/bin/true", "true", (char *)NULL);
				_exit(127);
			}
			waitpid(p, NULL, 0);
		}
		spent += now_ns() - t0;
		sca_tracker_bpf__read(b);
	}
	return spent / (uint64_t)n;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	uint64_t with[64], without[64], ns = 0, runs = 0;
	struct sca_tracker *t;
	struct sca_tracker_bpf *b;
	struct sca_tracker_stats st;
	char why[256];

	if (n <= 0 || rounds <= 0 || rounds > 64) {
		fprintf(stderr, "usage: bench_tracker [N] [ROUNDS <= 64]\n");
		return 2;
	}
	if (sca_tracker__new(&t, 0) || sca_tracker_bpf__open(&b, t, count_mine, NULL, why, sizeof(why))) {
		fprintf(stderr, "bench_tracker: %s\n", why);
		return 1;
	}
	int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	sca_tracker_bpf__close(b);
	printf("workload: %ld x fork+exec(/bin/true)+wait, %d rounds each way, alternating\n", n, rounds);
	for (int r = 0; r < rounds; r++) {
		without[r] = run(n, NULL);
		if (sca_tracker_bpf__open(&b, t, count_mine, NULL, why, sizeof(why))) {
			fprintf(stderr, "bench_tracker: %s\n", why);
			return 1;
		}
		with[r] = run(n, b);
		uint64_t rns, rruns;
		if (sca_tracker_bpf__run_stats(b, &rns, &rruns) == 0) {
			ns += rns;
			runs += rruns;
		}
		sca_tracker_bpf__check_drops(b);
		sca_tracker_bpf__close(b);
		printf("round %d: %8.1f us without, %8.1f us with\n", r + 1, without[r] / 1e3, with[r] / 1e3);
	}
	sca_tracker__stats(t, &st);
	uint64_t mw = median(with, rounds), mo = median(without, rounds);
	printf("median per iteration: %.1f us without, %.1f us with (%+.2f us, ratio %.4f)\n", mo / 1e3,
	       mw / 1e3, ((double)mw - (double)mo) / 1e3, (double)mw / (double)mo);
	if (stats_fd >= 0 && runs)
		printf("tracker programs, kernel run time: %.0f ns per fork+exec+exit (%.0f ns per run, %llu runs)\n",
		       (double)ns / ((double)n * rounds), (double)ns / (double)runs, (unsigned long long)runs);
	else
		printf("tracker programs, kernel run time: unavailable (bpf_enable_stats: %s)\n", strerror(errno));
	printf("records: %llu of the workload's %llu (3 per iteration), %llu dropped by the kernel, "
	       "%llu in all\n", (unsigned long long)mine,
	       (unsigned long long)(3ull * (uint64_t)n * (uint64_t)rounds), (unsigned long long)st.drops,
	       (unsigned long long)st.events);
	sca_tracker__free(t);
	return 0;
}
