/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vmlinux_min.h - the few kernel types the BPF programs use, in place of a
 * vmlinux.h dumped from a kernel's BTF. Each struct is marked
 * preserve_access_index, so clang records every field access as a CO-RE
 * relocation and libbpf fixes the offsets at load time against the BTF of
 * the kernel the program runs on: these definitions need the field names
 * and types (not their layout) of the kernel, and only of the fields used.
 * Checked in rather than generated: a few dozen reviewable lines instead
 * of a 3 MB file, and the build no longer depends on the build host's
 * kernel (a chroot, a builder VM or another arch has none to dump).
 *
 * To use another kernel field: add it (same name, same size; any order) to
 * its struct below, or add the struct, marked __sca_core, with only the
 * fields read. A kernel typedef of an anonymous struct (kuid_t) is matched
 * by its fields; an enum value of the UAPI is copied with its number.
 */
#ifndef __VMLINUX_H__
/*
 * The guard libbpf's bpf_tracing.h and bpf/sca_event.h test for "kernel
 * types are here": pt_regs fields then have their kernel names (di, not
 * rdi), and <linux/types.h> is not needed.
 */
#define __VMLINUX_H__

#ifndef __TARGET_ARCH_x86
#error "vmlinux_min.h has the x86 pt_regs only; add the target's registers"
#endif

/* Fixed-width types, as <linux/types.h> has them (and libbpf's headers use). */
typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

/* UAPI values (<linux/bpf.h>); fixed by the ABI, so copying them is safe. */
enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};

enum {
	BPF_F_NO_PREALLOC = 1,
};

enum {
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
};

enum {
	BPF_RB_AVAIL_DATA = 0,
};

#define __sca_core __attribute__((preserve_access_index))

/* The user registers saved at syscall entry; also a kprobe's context. */
struct pt_regs {
	unsigned long bp;
	unsigned long bx;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long ip;
	unsigned long sp;
} __sca_core;

struct ns_common {
	unsigned int inum;
} __sca_core;

struct mnt_namespace {
	struct ns_common ns;
} __sca_core;

struct pid_namespace {
	struct ns_common ns;
} __sca_core;

struct nsproxy {
	struct mnt_namespace *mnt_ns;
	struct pid_namespace *pid_ns_for_children;
} __sca_core;

typedef struct {
	unsigned int val;
} __sca_core kuid_t;

struct thread_info {
	__u32 status; /* TS_COMPAT: in a 32-bit syscall */
} __sca_core;

typedef struct {
	int counter;
} __sca_core atomic_t;

struct signal_struct {
	atomic_t live;	/* threads not yet exiting: 0 when the last one is */
} __sca_core;

struct kernfs_node {
	__u64 id;	/* the cgroup id, as bpf_get_current_cgroup_id() returns */
} __sca_core;

struct cgroup {
	struct kernfs_node *kn;
} __sca_core;

struct css_set {
	struct cgroup *dfl_cgrp;	/* the task's cgroup v2 */
} __sca_core;

struct seccomp {
	int mode;	/* SECCOMP_MODE_FILTER (2): under a filter */
} __sca_core;

struct task_struct {
	struct thread_info thread_info;
	int pid;
	int tgid;
	__u64 start_time;
	__u64 self_exec_id;	/* u32 before 5.7: CO-RE fixes the load's size */
	struct seccomp seccomp;
	struct task_struct *group_leader;
	char comm[16];
	struct task_struct *real_parent;
	struct nsproxy *nsproxy;
	struct css_set *cgroups;
	struct signal_struct *signal;
	kuid_t loginuid;	/* CONFIG_AUDIT only */
	unsigned int sessionid; /* CONFIG_AUDIT only */
} __sca_core;

struct linux_binprm {
	const char *filename;	/* as exec was given it */
	const char *interp;	/* what runs: the interpreter of a #! script */
} __sca_core;

#endif /* __VMLINUX_H__ */
