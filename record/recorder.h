/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * recorder.h - the `sca record` loop: events from a source, filtered,
 * enriched, written to a trace and/or printed live, until a signal, a
 * duration, or the end of a wrapped command.
 */
#ifndef SCA_RECORD_RECORDER_H
#define SCA_RECORD_RECORDER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "containers.h"
#include "filter.h"
#include "print.h"
#include "source.h"

#define SCA_RECORD_ROOTS_MAX 64

/* How `-- CMD` learns its tree's syscalls. */
enum sca_learn_mode {
	SCA_LEARN_AUTO,              /* the syscall source where it runs, else log-all */
	SCA_LEARN_SYSCALLS,          /* the syscall source or nothing */
	SCA_LEARN_LOG_ALL,           /* a filter that logs every syscall (the audit path) */
};

struct sca_record_opts {
	const struct sca_source_choice *source;   /* --source; NULL: auto */
	size_t ringbuf;              /* BPF ring buffer bytes; 0: 16 MiB */
	const char *out;             /* trace path; NULL: no trace */
	bool force;                  /* replace out (an earlier set, rotating) */
	/*
	 * Rotation: past rotate_size bytes or rotate_ns open, the trace is
	 * closed and the next one begun. The files are BASE.0001.trace,
	 * BASE.0002.trace ... where out is BASE.trace (or BASE). 0: never.
	 */
	uint64_t rotate_size;
	uint64_t rotate_ns;
	const char *import;          /* read this log file instead of the kernel */
	bool print;                  /* live view (default when no out) */
	struct sca_printer printer;
	uint64_t duration_ns;        /* 0: until a signal */
	int rcvbuf;                  /* audit socket buffer; 0: default */
	const char *cmdline;         /* for the trace header */

	/* which events to keep: process, syscall and code before enrichment,
	 * containers after the lookup */
	struct sca_filter filter;

	/* where to find containers */
	struct sca_runtime_root roots[SCA_RECORD_ROOTS_MAX];   /* none: the standard ones */
	int nroots;
	const char *docker_root;     /* NULL: /var/lib/docker */

	/* `-- CMD`: run it under a filter and keep its session's events */
	char **cmd;
	const char *profile;         /* profile instead of log-all */
	enum sca_learn_mode learn;

	/* --all-syscalls: the syscall source beside the event source */
	bool all_syscalls;
	uint32_t syscall_table;      /* its table's entries; 0: 65536 */
};

/*
 * Run the recorder. Returns the exit code for `sca record`: the wrapped
 * command's status with -- CMD, else 0 ok / 1 failure. An existing trace
 * is refused (1) before anything starts unless o->force. When the trace
 * cannot be written (a full disk) or the source fails, recording stops at
 * once and the result is 1; a wrapped command is not killed for it but
 * waited for, signals still passed on.
 */
int sca_record__run(struct sca_record_opts *o);

#endif
