/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gen.h - from observed seccomp audit events to a tight profile.
 *
 * Collect reads traces (format/ only, no SQLite) into the set of syscalls
 * seen per (container, arch, number): how the filter treated them (audit
 * events) and how often they ran (the syscall source's CALLS records);
 * generate turns one container's (or everyone's) set into a profile model,
 * alone or by refining a base profile. The rest writes profiles out: one
 * whole to a file or stdout, compared with an old one, or one per
 * container; sca_gen__run() is all of `sca profile-gen` but --verify
 * (verify.h).
 */
#ifndef SCA_PROFILE_GEN_GEN_H
#define SCA_PROFILE_GEN_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "filter.h"
#include "profile.h"

struct sca_gen_argset;
struct sca_progress;

/* Calls the syscall source could not attribute to a process: no group's. */
#define SCA_GEN_UNATTRIBUTED (-1)

/* One syscall as seen: per (group, arch, nr). */
struct sca_gen_call {
	int group;                 /* index into sca_gen_set.groups, or SCA_GEN_UNATTRIBUTED */
	uint32_t arch;
	int32_t nr;
	char *name;                /* libseccomp's name for (arch, nr); NULL if none */
	uint64_t allowed;          /* events the filter let through: log, allow */
	uint64_t denied;           /* events it refused: kill, errno, trap, trace, notify */
	uint32_t deny_code;        /* the last refusing code seen (action | data) */
	uint64_t calls;            /* calls the syscall source counted: they ran */
	uint64_t calls_filtered;   /* of them, made under a seccomp filter */
	struct sca_gen_argset *args; /* the values of its told-apart arguments (args.h), or NULL */
};

/*
 * Events and calls are grouped by container (name, else id); group 0 is
 * the host. A container in which any call ran under a seccomp filter has
 * cut set: only those calls count, the ones made after its runtime loaded
 * the container's filter (its init's earlier calls are the runtime's).
 */
struct sca_gen_set {
	char **groups;
	size_t ngroups;
	bool *cut;                 /* per group */
	struct sca_gen_call *calls;
	size_t ncalls;
	uint64_t events, matched, lost;
	uint64_t call_records;     /* CALLS records read */
	uint64_t calls_lost;       /* calls the kernel did not count (lost, source syscalls) */
	uint64_t unattributed;     /* calls without a process (the kernel table was full) */
	uint64_t damaged;          /* damaged regions whose records are lost */
	uint32_t native_arch;      /* from the first trace's header, else this host */
	struct sca_gen_runtimes *runtimes; /* per group: its runtime (runtime.c) */
};

/*
 * Read TRACES and collect the events and calls FILTER keeps
 * (sca_filter__keep; calls have no code and pass --code as allow). Calls
 * without a process are kept apart, whatever the filter
 * (SCA_GEN_UNATTRIBUTED). Returns 0, or a negative errno with a one-line
 * message in err (unreadable trace). Damage in a trace is reported on
 * NOTES and what is intact is used. PROGRESS, when not NULL, shows the
 * reading (the trace, i of n, the share of its bytes, its records so far);
 * its line is erased before each trace's notes and on return.
 */
int sca_gen__collect(const char *const *traces, int ntraces, const struct sca_filter *filter,
		     FILE *notes, struct sca_progress *progress, struct sca_gen_set **out, char *err,
		     size_t errlen);
void sca_gen_set__free(struct sca_gen_set *s);

/* What reads the profile written. */
enum sca_gen_target {
	SCA_GEN_RUNTIME = 0,       /* OCI JSON for runc or crun: includes/excludes resolved */
	SCA_GEN_DOCKER,            /* OCI JSON for Docker or podman: includes/excludes kept */
	SCA_GEN_SPO,               /* an SPO SeccompProfile: resolved, the CRD's arches only */
};

struct sca_gen_opts {
	uint32_t default_action;   /* SCMP_ACT_* without data */
	bool has_default_errno;
	uint32_t default_errno;
	bool allow_denied;         /* refused calls become allowed too */
	bool unattributed;         /* the profile of every group (-1) allows calls without a process */
	const char *base;          /* base profile path, or NULL */
	bool no_args;              /* --args none: no argument conditions */
	FILE *explain;             /* --explain: why each condition is there; NULL: not said */
	/* What reads the profile: a base's includes/excludes and arches are
	 * resolved for it (base.c, sca_gen_base__resolve()), since only Docker and podman
	 * read includes/excludes and runtimes and the SPO CRD refuse some arches. */
	enum sca_gen_target target;
	uint64_t caps;             /* --caps: capabilities the container holds, bit N = cap N */
	bool has_kernel;
	unsigned kernel[3];        /* --kernel X.Y; without has_kernel this host's */
	bool runtime_needs;        /* containers' profiles allow what their runtime needs (runtime.c) */
};

/*
 * Build the profile for GROUP (-1: every group). Notes for the user (refused
 * calls, what a base profile hides from a trace) go to NOTES. Syscalls of
 * common/sysargs.h whose calls show few argument values are allowed only
 * with those (profile-gen/args.h), unless o->no_args; a base's own
 * conditions for a syscall are kept instead. The result is normalized
 * (sorted, merged) but not yet validated.
 */
int sca_gen__profile(const struct sca_gen_set *s, int group, const struct sca_gen_opts *o,
		     FILE *notes, struct sca_profile **out, char *err, size_t errlen);

/*
 * The calls without a process in S that P does not allow (P NULL: all of
 * them): returns how many, with their syscalls' names in NAMES, comma
 * separated, sorted, cut short with "..." to fit.
 */
uint64_t sca_gen__unattributed(const struct sca_gen_set *s, const struct sca_profile *p, char *names,
			       size_t len);

/*
 * Compile P for every arch it lists and export the BPF to nowhere: a profile
 * that would not load is an error. Returns 0 or a negative errno.
 */
int sca_gen__validate(const struct sca_profile *p, char *err, size_t errlen);

/* Append WORD to the comma list "a, b" in BUF unless it is there; "..." once full. */
void sca_gen__list_add(char *buf, size_t len, const char *word);

/* Syscall names P lets through (allow and log rules, without conditions
 * counted too), sorted; *n set. Free with sca_gen__free_names(). */
char **sca_gen__allowed_names(const struct sca_profile *p, size_t *n);
void sca_gen__free_names(char **names, size_t n);

/* ---- containers: what the runtime needs (runtime.c) ------------------ */

/* GROUP, just made, is a container RUNTIME ran (NULL: unknown). 0 or -ENOMEM. */
int sca_gen_runtime__note(struct sca_gen_set *s, int group, const char *runtime);
void sca_gen_runtime__free(struct sca_gen_set *s);

/*
 * With o->runtime_needs, when GROUP is a container (-1: when S has one),
 * let P's rule ALLOW_IDX allow what its runtime's init calls under the
 * filter before exec (profile-gen/runtime/RUNTIME.txt; every runtime's
 * when unknown) and the calls signal delivery and restarted syscalls make
 * (rt_sigreturn, restart_syscall, sigreturn), unless P or its base already
 * decides them; the names added are said on NOTES in one line. Returns 0 or
 * -ENOMEM (a base that no longer loads adds nothing, and is said).
 */
int sca_gen_runtime__add(struct sca_profile *p, size_t allow_idx, const struct sca_gen_set *s, int group,
			 const struct sca_gen_opts *o, FILE *notes);

/* The names RUNTIME ("runc", "crun") needs, NULL-terminated; NULL: not known. */
const char *const *sca_gen_runtime__needs(const char *runtime);

/* ---- writing it out -------------------------------------------------- */

/* How a profile is written: OCI seccomp JSON, or an SPO SeccompProfile. */
struct sca_gen_output {
	bool spo;
	const char *name;          /* spo: metadata.name (see sca_gen_job) */
	const char *ns;            /* spo: metadata.namespace; NULL: none (always for v1) */
	enum sca_profile_spo_api spo_api; /* spo: the version written; 0 is v1 */
};

/*
 * Write P to PATH (NULL: stdout) whole: into PATH.tmp, then renamed. Returns
 * 0, or a negative errno with a message naming the file in err (left empty
 * when stdout failed).
 */
int sca_gen__write(const struct sca_profile *p, const char *path, const struct sca_gen_output *o,
		   char *err, size_t errlen);

/*
 * Print on OUT, in name order, the syscalls P allows that the profile at
 * OLD_PATH does not ("+ NAME") and the reverse ("- NAME"), each followed by
 * its conditions when its permissive rules have some ("+ socket (arg0 == 1,
 * or arg0 == 2)"), and those both allow on other conditions ("~ NAME: now
 * (...); was any arguments"), then a summary line. A rule without conditions
 * makes a name "any arguments"; the order of rules and of their conditions
 * does not matter; includes/excludes are not resolved. Returns 0, or a
 * negative errno with a message in err (OLD_PATH does not load).
 */
int sca_gen__diff(const struct sca_profile *p, const char *old_path, FILE *out, char *err,
		  size_t errlen);

/*
 * One profile per group of S in DIR (made if missing), each validated: the
 * group's name as a safe file name (sca_file_name()), .json or .yaml; host
 * for the processes in no container. A file name an earlier group took
 * gets -2, -3 ... Each file is said on NOTES. An SPO profile without
 * o->name is named after its group, made a name of at most 63 bytes
 * (sca_dns_name()).
 * A group that fails is said on NOTES and the rest are still written.
 * Returns 0, -ENODATA when no group has events, or the first group's
 * negative errno; a one-line message in err.
 */
int sca_gen__write_per_container(const struct sca_gen_set *s, const struct sca_gen_opts *go,
				 const char *dir, const struct sca_gen_output *o, FILE *notes, char *err,
				 size_t errlen);

/* ---- the whole job ---------------------------------------------------- */

struct sca_gen_job {
	const char *const *traces; /* files, or directories of *.trace files */
	int ntraces;
	const struct sca_filter *filter;
	struct sca_gen_opts gen;
	struct sca_gen_output output;  /* name NULL: sca-profile, or each group's */
	const char *path;          /* the one profile's file; NULL: stdout */
	const char *per_container; /* a directory: one profile per group instead */
	const char *diff;          /* an old profile to compare the one with, or NULL */
	bool strict;               /* fail, writing nothing, when the traces may be incomplete */
	struct sca_progress *progress; /* shows the traces being read, or NULL */
};

/*
 * Collect J's traces and write its profile, or one per container. Calls
 * without a process are allowed when J has no filter and writes one
 * profile; otherwise they are left out, with a warning. Losses are warned
 * of too. With J->strict, a loss, a damaged region or a call without a
 * process that a profile would not allow fails the job before anything is
 * written (-EIO). A diff that fails is said on NOTES and does not fail the
 * job. Returns 0 with *out the profile written (NULL per container; free
 * it), or a negative errno with a one-line message in err (left empty when
 * there is nothing to add).
 */
int sca_gen__run(const struct sca_gen_job *j, FILE *notes, struct sca_profile **out, char *err,
		 size_t errlen);

#endif
