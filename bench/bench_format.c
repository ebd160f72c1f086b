/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Trace format benchmark: writer and reader throughput, bytes per event
 * against auditd's text, and resident memory for short and long streams.
 *
 *   bench_format [-n EVENTS] [-r RUNS] [-d DIR]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "synth.h"
#include "trace.h"

static double now(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_dbl);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const struct sca_trace_meta meta = {
	.host = "bench", .kernel = "6.18", .source = "synthetic", .recorder = "bench_format",
	.native_arch = 0xc000003e,
};

/* Stream n synthetic events into path without holding them; for memory. */
static long stream_write_rss(const char *path, long n)
{
	struct synth s;
	struct sca_event e;
	struct sca_writer *w = sca_writer__create(path, &meta, NULL);
	if (!w)
		return -1;
	synth__init(&s, 42, 1700000000000000000ull);
	for (long i = 0; i < n; i++) {
		synth__next(&s, &e);
		if (sca_writer__add_event(w, &e))
			return -1;
	}
	if (sca_writer__close(w))
		return -1;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static long stream_read_rss(const char *path, long n)
{
	const struct sca_record *rec;
	struct sca_reader *r = sca_reader__open(path);
	long got = 0;
	if (!r)
		return -1;
	while (sca_reader__next(r, &rec) > 0)
		got++;
	sca_reader__close(r);
	if (got != n)
		return -1;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Run fn in a child so each figure is that phase's own peak RSS. */
static long in_child(long (*fn)(const char *, long), const char *path, long n)
{
	int fd[2];
	long v = -1;
	if (pipe(fd))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		long r = fn(path, n);
		if (write(fd[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], &v, sizeof(v)) != sizeof(v))
		v = -1;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return v;
}

int main(int argc, char **argv)
{
	long n = 1000000;
	int runs = 5, opt;
	const char *dir = "/tmp";

	while ((opt = getopt(argc, argv, "n:r:d:h")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 'r': runs = atoi(optarg); break;
		case 'd': dir = optarg; break;
		default:
			fprintf(stderr, "usage: bench_format [-n EVENTS] [-r RUNS] [-d DIR]\n");
			return 2;
		}
	}
	if (n <= 0 || runs <= 0 || runs > 100) {
		fprintf(stderr, "bench_format: bad -n or -r\n");
		return 2;
	}

	char path[4096];
	snprintf(path, sizeof(path), "%s/sca-bench-%d.trace", dir, (int)getpid());

	struct sca_event *ev = malloc((size_t)n * sizeof(*ev));
	if (!ev) {
		perror("malloc");
		return 1;
	}
	struct synth s;
	synth__init(&s, 42, 1700000000000000000ull);
	for (long i = 0; i < n; i++)
		synth__next(&s, &ev[i]);

	/* audit.log text for the same events */
	uint64_t text_bytes = 0;
	char line[1024];
	for (long i = 0; i < n; i++)
		text_bytes += (uint64_t)synth__audit_line(&ev[i], line, sizeof(line));

	double wcpu[100], wwall[100], rcpu[100], rwall[100];
	uint64_t file_bytes = 0;
	for (int k = 0; k < runs; k++) {
		double c0 = now(CLOCK_PROCESS_CPUTIME_ID), t0 = now(CLOCK_MONOTONIC);
		struct sca_writer *w = sca_writer__create(path, &meta, NULL);
		if (!w) {
			fprintf(stderr, "bench_format: %s: %s\n", path, strerror(errno));
			return 1;
		}
		for (long i = 0; i < n; i++)
			if (sca_writer__add_event(w, &ev[i])) {
				fprintf(stderr, "bench_format: write failed\n");
				return 1;
			}
		if (sca_writer__close(w)) {
			fprintf(stderr, "bench_format: close failed\n");
			return 1;
		}
		wcpu[k] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		wwall[k] = now(CLOCK_MONOTONIC) - t0;

		struct stat st;
		stat(path, &st);
		file_bytes = (uint64_t)st.st_size;

		c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		t0 = now(CLOCK_MONOTONIC);
		struct sca_reader *r = sca_reader__open(path);
		const struct sca_record *rec;
		long got = 0;
		uint64_t sum = 0;
		while (r && sca_reader__next(r, &rec) > 0) {
			sum += (uint64_t)rec->event.syscall + rec->event.time_ns;
			got++;
		}
		sca_reader__close(r);
		rcpu[k] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		rwall[k] = now(CLOCK_MONOTONIC) - t0;
		if (got != n || !sum) {
			fprintf(stderr, "bench_format: read back %ld of %ld events\n", got, n);
			return 1;
		}
	}
	free(ev);

	double wc = median(wcpu, runs), ww = median(wwall, runs);
	double rc = median(rcpu, runs), rw = median(rwall, runs);
	printf("events:            %ld (20 syscalls, 8 processes, 3 containers, 1-50 us apart)\n", n);
	printf("runs:              %d (medians)\n", runs);
	printf("writer:            %.2f M events/s CPU (%.1f ns/event), %.2f M/s wall\n",
	       n / wc / 1e6, wc * 1e9 / n, n / ww / 1e6);
	printf("reader:            %.2f M events/s CPU (%.1f ns/event), %.2f M/s wall\n",
	       n / rc / 1e6, rc * 1e9 / n, n / rw / 1e6);
	printf("trace size:        %llu bytes, %.2f bytes/event\n", (unsigned long long)file_bytes,
	       (double)file_bytes / n);
	printf("audit.log text:    %llu bytes, %.1f bytes/event, %.1fx the trace\n",
	       (unsigned long long)text_bytes, (double)text_bytes / n,
	       (double)text_bytes / (double)file_bytes);

	long small = n, large = n * 5;
	long w1 = in_child(stream_write_rss, path, small);
	long r1 = in_child(stream_read_rss, path, small);
	long w5 = in_child(stream_write_rss, path, large);
	long r5 = in_child(stream_read_rss, path, large);
	printf("writer max RSS:    %ld KiB at %ld events, %ld KiB at %ld events\n", w1, small, w5, large);
	printf("reader max RSS:    %ld KiB at %ld events, %ld KiB at %ld events\n", r1, small, r5, large);
	unlink(path);
	return (w1 < 0 || r1 < 0 || w5 < 0 || r5 < 0) ? 1 : 0;
}
