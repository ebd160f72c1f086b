/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor.h - why a recording would see nothing, found out before it does:
 * the kernel's audit state and rules, seccomp's logged actions, privileges,
 * each BPF attachment tried for real, and the container runtimes. `sca
 * doctor` runs every check; `sca record` runs the quick ones at start and
 * keeps them, to name the likeliest reason when it ends with no events
 * (by then its privileges are dropped and the kernel cannot be asked).
 */
#ifndef SCA_RECORD_DOCTOR_H
#define SCA_RECORD_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum sca_doctor_status {
	SCA_DOCTOR_OK,
	SCA_DOCTOR_WARNING,      /* something is lost or slower, recording works */
	SCA_DOCTOR_PROBLEM,      /* a way of recording cannot work */
};

/* One check's finding. The strings may hold what processes or the
 * kernel named (comm, rule strings, versions): escape before printing. */
struct sca_doctor_result {
	const char *name;        /* e.g. "audit-rules" */
	enum sca_doctor_status status;
	char evidence[768];
	char fix[384];           /* "" when there is nothing to do */
	bool unasked;            /* the check could not ask: a warning, but no finding */
};

enum sca_doctor_set {
	SCA_DOCTOR_ALL,          /* `sca doctor` */
	SCA_DOCTOR_RECORD,       /* the quick ones `record` runs at start */
};

struct sca_doctor;

/* Run the checks of SET. 0, or -ENOMEM. */
int sca_doctor__run(struct sca_doctor **out, enum sca_doctor_set set);
void sca_doctor__free(struct sca_doctor *d);

/*
 * Whether some event source can deliver seccomp audit events here (the
 * audit source with nothing silencing it, or a BPF source that attached);
 * when not, why in a few words.
 */
bool sca_doctor__can_record(const struct sca_doctor *d, char *why, size_t whylen);

/* Every result, one line each, then the verdict; or one JSON object. */
int sca_doctor__print(const struct sca_doctor *d, FILE *f, bool json);

/* `record`'s start: a warning line for each finding that bears on SOURCE. */
void sca_doctor__warn_record(const struct sca_doctor *d, const char *source);

/* What a recording that ended with no events knew. */
struct sca_doctor_quiet {
	const char *source;      /* the event source's name, NULL: none */
	uint64_t filtered;       /* events that arrived and were filtered out */
	uint64_t calls;          /* calls the syscall source counted */
	bool syscalls;           /* the syscall source ran */
	bool cmd;                /* -- CMD */
	bool log_all;            /* under sca's log-all filter */
	bool profile;            /* -- CMD under --profile, which logs every refusal */
};

/* The one likeliest reason no events were recorded, as a line on stderr. */
void sca_doctor__say_quiet(const struct sca_doctor *d, const struct sca_doctor_quiet *q);

#endif
