/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor_int.h - between doctor.c (the table of checks, running, verdict,
 * output, record's hooks) and the checks: doctor_audit.c (audit and
 * seccomp's logging), doctor_kernel.c (privileges, BPF), doctor_runtime.c
 * (runc, crun), with doctor_util.c's helpers. Not for others.
 */
#ifndef SCA_RECORD_DOCTOR_INT_H
#define SCA_RECORD_DOCTOR_INT_H

#include "audit_ctl.h"
#include "doctor.h"

#define SCA_DOCTOR_MAX 24

struct sca_doctor_check;

struct sca_doctor {
	struct sca_doctor_result res[SCA_DOCTOR_MAX];
	const struct sca_doctor_check *check[SCA_DOCTOR_MAX];   /* each result's */
	size_t n;
	/* what the verdict and record's hooks rest on, set by the checks */
	bool audit_open;         /* the audit source subscribed */
	bool audit_silenced;     /* the kernel makes no seccomp audit records, or drops them all */
	bool bpf_open;           /* a BPF source attached */
	bool none_logged;        /* actions_logged keeps no action a filter is audited for */
	/* the kernel's audit status, asked once */
	bool status_asked;
	int status_err;
	struct sca_audit_status status;
};

typedef void sca_doctor_check_fn(struct sca_doctor *d, struct sca_doctor_result *r);

/* doctor_audit.c */
sca_doctor_check_fn sca_doctor__kernel_audit, sca_doctor__audit_source, sca_doctor__netns,
	sca_doctor__audit_status, sca_doctor__audit_rules, sca_doctor__auditd, sca_doctor__seccomp_actions;
/* doctor_kernel.c */
sca_doctor_check_fn sca_doctor__capabilities, sca_doctor__btf, sca_doctor__lockdown, sca_doctor__bpf_fentry,
	sca_doctor__bpf_kprobe, sca_doctor__sys_enter, sca_doctor__sched;
/* doctor_runtime.c */
sca_doctor_check_fn sca_doctor__runc, sca_doctor__crun;

/* doctor_util.c: a small text file, its last newline dropped; bytes or -errno */
int sca_doctor__read_text(const char *path, char *buf, size_t len);
/* whether WORD is one of the space-separated words of LIST */
bool sca_doctor__has_word(const char *list, const char *word);
/*
 * The kernel's build option NAME (e.g. "CONFIG_KPROBES") from
 * /proc/config.gz or /boot/config-RELEASE: 'y', 'm', 'n' (not set), or 0
 * when no config is readable.
 */
char sca_doctor__kconfig(const char *name);
/*
 * Run ARGV (from PATH) in a process group of its own, stdin and stderr on
 * /dev/null, its stdout into out (cut at outlen), for at most 3 s, after
 * which the group is killed. Its exit status, or -errno (-ETIMEDOUT).
 */
int sca_doctor__run_program(char *const argv[], char *out, size_t outlen);

/* Fill r: its status, its fix (NULL: none) and its evidence from FMT. */
__attribute__((format(printf, 4, 5)))
void sca_doctor_result__set(struct sca_doctor_result *r, enum sca_doctor_status status, const char *fix,
			    const char *fmt, ...);

#endif
