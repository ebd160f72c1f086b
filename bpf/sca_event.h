/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sca_event.h - the event a BPF program hands to user space.
 *
 * Shared by the kernel program (bpf/NAME.bpf.c, built against vmlinux_min.h) and the
 * user-space loader (built against <linux/types.h>), so it uses only the
 * kernel's fixed-width __u8/__u32/__s32/__u64 types, which both provide.
 * The layout is the same on both sides (64-bit, natural alignment); the
 * compiler pads before cgroup_id and at the end, and the BPF program zeroes
 * the whole record so no stale bytes reach user space.
 */
#ifndef SCA_BPF_EVENT_H
#define SCA_BPF_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SCA_TASK_COMM_LEN 16
#define SCA_SYSCALL_NARGS 6

/* Audit architecture values (AUDIT_ARCH_* in <linux/audit.h>). */
#define SCA_AUDIT_ARCH_X86_64 0xc000003eU
#define SCA_AUDIT_ARCH_I386   0x40000003U

/* Value of loginuid/sessionid when unset or unknown (AUDIT_UID_UNSET). */
#define SCA_AUDIT_ID_UNSET    0xffffffffU

/* One call of the kernel's audit_seccomp(). */
struct sca_bpf_event {
	__u64 ts_boot_ns;             /* bpf_ktime_get_boot_ns() */
	__u32 tgid;                   /* process id */
	__u32 tid;                    /* thread id */
	__u32 ppid;                   /* real parent's tgid */
	__u32 uid;
	__u32 gid;
	__u32 loginuid;               /* audit uid, SCA_AUDIT_ID_UNSET if none */
	__u32 sessionid;              /* audit session, SCA_AUDIT_ID_UNSET if none */
	char comm[SCA_TASK_COMM_LEN];
	__u32 mnt_ns;                 /* mount namespace inode number */
	__u32 pid_ns;                 /* pid namespace (for children) inode number */
	__u64 cgroup_id;
	__u32 arch;                   /* SCA_AUDIT_ARCH_* */
	__s32 syscall;                /* syscall number for that arch */
	__s32 signr;                  /* signal the action delivers, or 0 */
	__u32 code;                   /* seccomp action, without its data */
	__u64 ip;                     /* user instruction pointer */
	__u64 args[SCA_SYSCALL_NARGS];
	__u8 compat;                  /* 1 if a 32-bit syscall on a 64-bit kernel */
};

#endif /* SCA_BPF_EVENT_H */
