/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proc_event.h - what the process tracker (bpf/proc_track.bpf.c) tells user
 * space: one record per process fork, exec and exit, taken in the kernel at
 * that moment, so a process that is gone before its audit record is read
 * is still known. Threads are left out: attribution is per process.
 *
 * Shared by the kernel program (built against vmlinux_min.h) and the loader
 * (record/tracker_bpf.c, built against <linux/types.h>); natural alignment,
 * the same layout on both sides. Fork records end before exe, exit records
 * after tgid.
 */
#ifndef SCA_BPF_PROC_EVENT_H
#define SCA_BPF_PROC_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SCA_PROC_COMM_LEN 16
#define SCA_PROC_EXE_LEN 256

enum sca_proc_kind {
	SCA_PROC_FORK = 1,            /* a new process (not a thread) */
	SCA_PROC_EXEC = 2,            /* it runs a new program: exe and comm change */
	SCA_PROC_EXIT = 3,            /* its leader (the process) exited */
};

struct sca_proc_event {
	__u64 ts_boot_ns;             /* bpf_ktime_get_boot_ns() */
	__u32 kind;                   /* enum sca_proc_kind */
	__u32 tgid;
	__u32 ppid;                   /* real parent's tgid */
	__u32 forker;                 /* FORK: who forked it (not its parent with CLONE_PARENT) */
	__u32 sessionid;              /* audit session, SCA_PROC_ID_UNSET if none */
	__u32 mnt_ns;                 /* mount namespace inode number */
	__u32 pid_ns;                 /* pid namespace (for children) inode number */
	__u64 cgroup_id;              /* cgroup v2 id (the directory's inode number) */
	char comm[SCA_PROC_COMM_LEN];
	char exe[SCA_PROC_EXE_LEN];   /* SCA_PROC_EXEC only: the program exec ran */
};

#define SCA_PROC_ID_UNSET 0xffffffffU

/* Fork records stop here, before exe; exit records hold only time, kind, tgid. */
#define SCA_PROC_EVENT_SHORT __builtin_offsetof(struct sca_proc_event, exe)
#define SCA_PROC_EVENT_EXIT __builtin_offsetof(struct sca_proc_event, ppid)

#endif /* SCA_BPF_PROC_EVENT_H */
