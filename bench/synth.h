/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A deterministic, realistic stream of seccomp audit events for benchmarks
 * and demos: 20 syscalls with a skewed mix, 8 processes (some threaded, one
 * making i386 compat calls), 3 containers, timestamps 1-50 us apart.
 * It models the audit source: no syscall arguments.
 */
#ifndef SCA_BENCH_SYNTH_H
#define SCA_BENCH_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

#define SYNTH_PROCS 8
#define SYNTH_SYSCALLS 20

struct synth_proc {
	int32_t pid, ppid, nthreads;
	uint32_t uid;
	const char *comm, *exe, *cgroup;
	uint64_t cgroup_id, mnt_ns;
	const struct sca_container *container;
	uint64_t ip_base;
};

struct synth {
	uint64_t rng;
	uint64_t t;
	uint64_t serial;
	struct synth_proc procs[SYNTH_PROCS];
};

void synth__init(struct synth *s, uint64_t seed, uint64_t start_ns);
void synth__next(struct synth *s, struct sca_event *e);
/* The line auditd writes for e (raw log format); returns its length. */
int synth__audit_line(const struct sca_event *e, char *buf, size_t n);

#endif
