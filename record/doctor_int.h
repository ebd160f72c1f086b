/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor_int.h - between doctor.c (running, verdict, output, record's
 * hooks) and doctor_checks.c (the checks, in one table). Not for others.
 */
#ifndef SCA_RECORD_DOCTOR_INT_H
#define SCA_RECORD_DOCTOR_INT_H

#include "audit_ctl.h"
#include "doctor.h"

#define SCA_DOCTOR_MAX 24

struct sca_doctor {
	struct sca_doctor_result res[SCA_DOCTOR_MAX];
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

struct sca_doctor_check {
	const char *name;
	void (*run)(struct sca_doctor *d, struct sca_doctor_result *r);
	bool quick;              /* in SCA_DOCTOR_RECORD: no BPF loads, no programs run */
};

extern const struct sca_doctor_check sca_doctor_checks[];
extern const size_t sca_doctor_nchecks;

/* Fill r: its status, its fix (NULL: none) and its evidence from FMT. */
__attribute__((format(printf, 4, 5)))
void sca_doctor_result__set(struct sca_doctor_result *r, enum sca_doctor_status status, const char *fix,
			    const char *fmt, ...);

#endif
