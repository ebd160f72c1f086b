/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor_kernel.c - the checks of privileges and the kernel's BPF
 * (doctor_int.h): capabilities, BTF, lockdown, and each BPF program sca
 * uses loaded, attached and detached again, with the kernel's answer.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cli.h"
#include "doctor_int.h"
#include "recorder.h"
#include "source_bpf.h"
#include "source_syscalls.h"
#include "tracker.h"
#include "tracker_bpf.h"

/* CAP_BPF and CAP_PERFMON came in 5.8; older headers lack them */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static const struct { int cap; const char *name; } used_caps[] = {
	{ CAP_AUDIT_READ, "CAP_AUDIT_READ" }, { CAP_AUDIT_CONTROL, "CAP_AUDIT_CONTROL" },
	{ CAP_BPF, "CAP_BPF" }, { CAP_PERFMON, "CAP_PERFMON" }, { CAP_SYS_ADMIN, "CAP_SYS_ADMIN" },
	{ CAP_SYS_PTRACE, "CAP_SYS_PTRACE" }, { CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH" },
};

/* The effective set, and the last capability this kernel knows. */
static int effective_caps(unsigned long long *eff, int *last)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[2] = { 0 };
	char buf[16];

	if (syscall(SYS_capget, &h, c))
		return -errno;
	*eff = (unsigned long long)c[1].effective << 32 | c[0].effective;
	*last = sca_doctor__read_text("/proc/sys/kernel/cap_last_cap", buf, sizeof(buf)) > 0 ? atoi(buf) : 63;
	return 0;
}

static bool has_cap(unsigned long long eff, int last, int cap)
{
	return cap <= last && (eff >> cap & 1);
}

void sca_doctor__capabilities(struct sca_doctor *d, struct sca_doctor_result *r)
{
	char lacking[256] = "";
	unsigned long long eff = 0;
	size_t at = 0;
	int last = 0, err = effective_caps(&eff, &last);

	(void)d;
	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "cannot read the capabilities held: %s",
				       strerror(-err));
		return;
	}
	/* a capability newer than the kernel is neither held nor needed */
	for (size_t i = 0; i < sizeof(used_caps) / sizeof(used_caps[0]); i++)
		if (used_caps[i].cap <= last && !has_cap(eff, last, used_caps[i].cap))
			at = sca_appendf(lacking, sizeof(lacking), at, "%s%s", at ? ", " : "", used_caps[i].name);
	bool audit = has_cap(eff, last, CAP_AUDIT_READ);
	bool bpf = has_cap(eff, last, CAP_SYS_ADMIN) || (has_cap(eff, last, CAP_BPF) && has_cap(eff, last, CAP_PERFMON));
	if (!audit && !bpf)
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "run sca as root", "effective capabilities %llx "
				       "lack %s: neither the audit source (CAP_AUDIT_READ) nor the BPF sources "
				       "(CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN) can run", eff, lacking);
	else if (lacking[0])
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca as root", "effective capabilities %llx "
				       "lack %s", eff, lacking);
	else
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "effective capabilities %llx hold all sca uses",
				       eff);
}

void sca_doctor__btf(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct stat st;

	(void)d;
	if (stat("/sys/kernel/btf/vmlinux", &st) == 0) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "/sys/kernel/btf/vmlinux: %lld bytes of kernel "
				       "type information, which sca's BPF programs (CO-RE) need", (long long)st.st_size);
		return;
	}
	int err = errno;
	char btf = sca_doctor__kconfig("CONFIG_DEBUG_INFO_BTF");
	sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "a kernel built with CONFIG_DEBUG_INFO_BTF=y",
			       "no /sys/kernel/btf/vmlinux (%s; CONFIG_DEBUG_INFO_BTF %s): sca's BPF programs "
			       "cannot load, the audit source can run", strerror(err),
			       btf == 'y' ? "=y" : btf ? "is not set" : "unknown");
}

/* The lockdown mode ("" when none is known), and in HOW how it is known. */
static void lockdown_mode(char *mode, size_t len, char *how, size_t howlen)
{
	char buf[128];
	const char *open_b;

	mode[0] = 0;
	if (sca_doctor__read_text("/sys/kernel/security/lockdown", buf, sizeof(buf)) > 0 &&
	    (open_b = strchr(buf, '['))) {
		snprintf(mode, len, "%.*s", (int)strcspn(open_b + 1, "]"), open_b + 1);
		snprintf(how, howlen, "/sys/kernel/security/lockdown");
		return;
	}
	const char *why = access("/sys/kernel/security", F_OK) ? "no securityfs" :
			  "securityfs is not mounted at /sys/kernel/security, or shows no lockdown";
	if (sca_doctor__kconfig("CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY") == 'y')
		snprintf(mode, len, "confidentiality");
	else if (sca_doctor__kconfig("CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY") == 'y')
		snprintf(mode, len, "integrity");
	if (!mode[0] && !sca_doctor__kconfig("CONFIG_SECURITY_LOCKDOWN_LSM"))
		snprintf(how, howlen, "%s; no kernel config to ask either", why);
	else
		snprintf(how, howlen, "%s the kernel's config; %s", mode[0] ? "forced by" : "none forced by", why);
}

void sca_doctor__lockdown(struct sca_doctor *d, struct sca_doctor_result *r)
{
	char mode[32], how[200];

	lockdown_mode(mode, sizeof(mode), how, sizeof(how));
	(void)d;
	if (!mode[0] || !strcmp(mode, "none"))
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "no lockdown in force (%s)", how);
	else if (!strcmp(mode, "confidentiality"))
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "boot with lockdown=integrity or none",
				       "lockdown %s (%s): the kernel refuses kprobes and BPF reads of its memory, "
				       "so the BPF sources cannot run; the audit source can", mode, how);
	else
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "lockdown %s (%s): it refuses BPF writes to user "
				       "memory, which sca never makes", mode, how);
}

static void try_bpf(struct sca_doctor *d, struct sca_doctor_result *r, bool kprobe)
{
	char why[256] = "", extra[128] = "";
	int err = sca_source_bpf__try(kprobe, why, sizeof(why));

	if (!err) {
		d->bpf_open = true;
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "a %s program on audit_seccomp() loaded, "
				       "attached and was detached: the bpf-%s source can run",
				       kprobe ? "kprobe" : "fentry", kprobe ? "kprobe" : "fentry");
		return;
	}
	if (kprobe && sca_doctor__kconfig("CONFIG_KPROBES") == 'n')
		snprintf(extra, sizeof(extra), "; the kernel was built without kprobes (CONFIG_KPROBES is not set)");
	sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "the bpf-%s source cannot run: %s%s%s",
			       kprobe ? "kprobe" : "fentry", why, extra,
			       d->audit_open ? " (the audit source serves instead)" : "");
}

void sca_doctor__bpf_fentry(struct sca_doctor *d, struct sca_doctor_result *r)
{
	try_bpf(d, r, false);
}

void sca_doctor__bpf_kprobe(struct sca_doctor *d, struct sca_doctor_result *r)
{
	try_bpf(d, r, true);
}

void sca_doctor__sys_enter(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_record_opts o = { .all_syscalls = true, .syscall_table = 256 };
	char why[256] = "";
	void *state = NULL;

	(void)d;
	/* a tree to follow loads the fork and exit programs of --pid too */
	o.filter.pids[o.filter.npids++] = (int32_t)getpid();
	if (sca_source_syscalls.open(&state, &o, why, sizeof(why))) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "the syscall source cannot run: %s; "
				       "--all-syscalls cannot run, and record -- CMD learns under a filter "
				       "that logs every syscall (about 4 us a call) instead", why);
		return;
	}
	sca_source_syscalls.close(state);
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "programs on the sys_enter tracepoint (and on "
			       "fork and exit, for --pid's trees) loaded, attached and were detached: "
			       "--all-syscalls and record -- CMD learn every syscall, with arguments");
}

void sca_doctor__sched(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_tracker *t = NULL;
	struct sca_tracker_bpf *b = NULL;
	char why[256] = "out of memory";

	(void)d;
	if (sca_tracker__new(&t, 0) || sca_tracker_bpf__open(&b, t, NULL, NULL, why, sizeof(why))) {
		sca_tracker__free(t);
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "the process tracker's BPF programs "
				       "cannot run: %s; record follows processes through the proc connector "
				       "or /proc, and may not name the container of one gone by then", why);
		return;
	}
	sca_tracker_bpf__close(b);
	sca_tracker__free(t);
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "programs on the sched_process_fork, exec and exit "
			       "tracepoints loaded, attached and were detached: events keep their container "
			       "after the process exits");
}
