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
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc_event.h"
#include "tracker.h"
#include "tracker_bpf.h"

/* The workload's own records: its children's forks, execs and exits. */
static uint64_t mine;
static pid_t worker_pid;

static uint8_t children[(1u << 22) / 8];   /* pid_max is at most 2^22 */

/* exit records name only the pid: a child is one whose fork named the worker */
static void count_mine(void *ctx, const struct sca_proc_event *e, const struct sca_proc_view *v)
{
	uint32_t pid = e->tgid & ((1u << 22) - 1);

	(void)ctx;
	(void)v;
	if (e->kind == SCA_PROC_FORK && e->ppid == (uint32_t)worker_pid)
		children[pid / 8] |= (uint8_t)(1u << (pid % 8));
	if (children[pid / 8] & (1u << (pid % 8)))
		mine++;
	if (e->kind == SCA_PROC_EXIT)
		children[pid / 8] &= (uint8_t)~(1u << (pid % 8));
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* N fork+exec+wait, timed: in the worker, which never maps the ring. */
static uint64_t run(long n)
{
	uint64_t t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(p, NULL, 0);
	}
	return (now_ns() - t0) / (uint64_t)n;
}

/*
 * The workload runs in a process forked before the tracker is loaded, as
 * a real workload is not sca: a process that has the ring buffer mapped
 * pays for copying that mapping at every fork, which is no cost of the
 * tracker's. It runs N iterations per request and answers the time.
 */
static int worker_in = -1, worker_out = -1;

static void start_worker(void)
{
	int req[2], ans[2];

	if (pipe(req) || pipe(ans))
		exit(1);
	if ((worker_pid = fork()) == 0) {
		long n;
		close(req[1]);
		close(ans[0]);
		while (read(req[0], &n, sizeof(n)) == sizeof(n) && n > 0) {
			uint64_t per = run(n);
			if (write(ans[1], &per, sizeof(per)) != sizeof(per))
				_exit(1);
		}
		_exit(0);
	}
	close(req[0]);
	close(ans[1]);
	worker_in = req[1];
	worker_out = ans[0];
}

/* One request; meanwhile the ring is drained, as sca's loop would. */
static uint64_t run_in_worker(long n, struct sca_tracker_bpf *b)
{
	struct pollfd pfd[2] = { { worker_out, POLLIN, 0 }, { b ? sca_tracker_bpf__fd(b) : -1, POLLIN, 0 } };
	uint64_t per = 0;

	if (write(worker_in, &n, sizeof(n)) != sizeof(n))
		exit(1);
	for (;;) {
		poll(pfd, 2, 100);
		sca_tracker_bpf__read(b);
		if ((pfd[0].revents & POLLIN) && read(worker_out, &per, sizeof(per)) == sizeof(per))
			break;
	}
	sca_tracker_bpf__read(b);
	return per;
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
	start_worker();
	if (sca_tracker__new(&t, 0) || sca_tracker_bpf__open(&b, t, count_mine, NULL, why, sizeof(why))) {
		fprintf(stderr, "bench_tracker: %s\n", why);
		return 1;
	}
	int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	sca_tracker_bpf__close(b);
	printf("workload: %ld x fork+exec(/bin/true)+wait, %d rounds each way, alternating\n", n, rounds);
	for (int r = 0; r < rounds; r++) {
		/* alternate which goes first: a drift favours neither */
		if (r % 2 == 0)
			without[r] = run_in_worker(n, NULL);
		if (sca_tracker_bpf__open(&b, t, count_mine, NULL, why, sizeof(why))) {
			fprintf(stderr, "bench_tracker: %s\n", why);
			return 1;
		}
		with[r] = run_in_worker(n, b);
		uint64_t rns, rruns;
		if (sca_tracker_bpf__run_stats(b, &rns, &rruns) == 0) {
			ns += rns;
			runs += rruns;
		}
		sca_tracker_bpf__check_drops(b);
		sca_tracker_bpf__close(b);
		if (r % 2)
			without[r] = run_in_worker(n, NULL);
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
