/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syscall_event.h - what the syscall source (bpf/syscalls.bpf.c) keeps in
 * the kernel and user space drains: a count per process, program, arch,
 * syscall and value of the selected arguments, with the first call's
 * thread, time and six arguments. Counting happens on sys_enter, so no
 * event per syscall crosses to user space; the recorder drains the table
 * once a second (docs/record.md says how nothing is lost doing so).
 *
 * Shared by the kernel program (built against vmlinux_min.h) and the
 * loader (record/source_syscalls.c, built against <linux/types.h>);
 * natural alignment, no holes, the same layout on both sides.
 */
#ifndef SCA_BPF_SYSCALL_EVENT_H
#define SCA_BPF_SYSCALL_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Arches the program tells apart, as indexes into its per-arch tables. */
enum sca_sys_arch {
	SCA_SYS_ARCH_X86_64 = 0,
	SCA_SYS_ARCH_I386 = 1,        /* int $0x80 and the other compat entries */
	SCA_SYS_ARCH_X32 = 2,         /* x86_64 arch, __X32_SYSCALL_BIT in nr */
	SCA_SYS_NARCH = 3,
};

/* Syscall numbers per arch the tables hold (x32's without its bit). */
#define SCA_SYS_NR_MAX 1024

#define SCA_SYS_X32_BIT 0x40000000    /* __X32_SYSCALL_BIT */
#define SCA_SYS_NSLOTS (SCA_SYS_NARCH * SCA_SYS_NR_MAX)

/*
 * Where (ARCH, NR) sits in the per-arch tables (argsel, overflow):
 * ARCH * SCA_SYS_NR_MAX + NR (an x32 call without its bit), or
 * SCA_SYS_NSLOTS when NR is outside the table. The one rule the program
 * and user space both index by.
 */
static inline __attribute__((always_inline)) __u32 sca_sys_slot(__u32 arch, __s32 nr)
{
	__u32 n = (__u32)nr - (arch == SCA_SYS_ARCH_X32 ? SCA_SYS_X32_BIT : 0);

	if (arch >= SCA_SYS_NARCH || n >= SCA_SYS_NR_MAX)
		return SCA_SYS_NSLOTS;
	return arch * SCA_SYS_NR_MAX + n;
}

/* Arguments the program can tell apart per syscall (docs/record.md). */
#define SCA_SYS_SEL_MAX 2

#define SCA_SYS_KEY_FILTERED 0x1u     /* the thread ran under a seccomp filter */
#define SCA_SYS_KEY_NOVAL    0x2u     /* a value in user memory could not be read: argval 0, not known */

struct sca_sys_key {
	__u64 start_ns;               /* the process leader's start time: tgids recur */
	__u32 tgid;
	__u32 exec_id;                /* the thread's self_exec_id: a new program, a new key */
	__u32 arch;                   /* enum sca_sys_arch */
	__s32 nr;                     /* as the kernel got it (x32 with its bit) */
	__u32 flags;                  /* SCA_SYS_KEY_* */
	__u32 pad;
	__u64 argval[SCA_SYS_SEL_MAX];  /* the selected arguments, masked */
};

struct sca_sys_val {
	__u64 count;
	__u64 first_ns;               /* bpf_ktime_get_boot_ns() of the first call */
	__u32 tid;                    /* the first call's thread */
	__u32 pad;
	__u64 args[6];                /* the first call's arguments */
};

/*
 * Which arguments of a syscall are told apart: argument idx - 1, masked (idx
 * 0: none); with SCA_SYS_SEL_DEREF, the u64 the argument points at in the
 * caller's memory (clone3's struct clone_args begins with its flags).
 */
#define SCA_SYS_SEL_DEREF 0x100u
struct sca_sys_sel {
	__u32 idx[SCA_SYS_SEL_MAX];
	__u64 mask[SCA_SYS_SEL_MAX];
};

/* Selection modes, combined with AND (rodata, set before load). */
#define SCA_SYS_SEL_SES      0x1u     /* audit session == target_ses */
#define SCA_SYS_SEL_TREE     0x2u     /* tgid in `tree` (a process tree, kept at fork) */
#define SCA_SYS_SEL_NOT_HOST 0x4u     /* mount namespace != host_mnt_ns (containers) */
#define SCA_SYS_SEL_HOST     0x8u     /* mount namespace == host_mnt_ns */
#define SCA_SYS_SEL_COMM     0x10u    /* comm is one of comms[] */

#define SCA_SYS_COMMS_MAX 8

#endif /* SCA_BPF_SYSCALL_EVENT_H */
