/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * seccomp_audit.bpf.c - capture the kernel's seccomp audit events.
 *
 * The kernel calls audit_seccomp(syscall, signr, code) for every seccomp
 * action that is logged.  This program attaches there, by fentry where the
 * kernel allows tracing programs and by kprobe otherwise, and sends one
 * struct sca_bpf_event per call through the `events` ring buffer.  Events that
 * do not fit in the ring buffer are counted in `drops` (one counter per CPU).
 *
 * Built with CO-RE against vmlinux_min.h, so one object runs on any kernel
 * with BTF; record/source_bpf.c loads it from the generated skeleton.
 *
 * `sca record -- CMD` sets target_ses to the command's fresh audit session:
 * every descendant inherits it at fork, so events of other processes are
 * dropped here, before they cost a ring buffer slot.
 */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "sca_event.h"

/* x86 thread_info.status bit: the task is in a 32-bit (compat) syscall. */
#define SCA_TS_COMPAT 0x0002

/* In .bss, so user space can set it after load, once CMD's session exists. */
__u32 target_ses = 0;    /* 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

static __always_inline int task_in_compat_syscall(struct task_struct *task)
{
	/* Kernels without the field are treated as native. */
	if (!bpf_core_field_exists(task->thread_info.status))
		return 0;
	return (BPF_CORE_READ(task, thread_info.status) & SCA_TS_COMPAT) != 0;
}

static __always_inline void count_drop(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&drops, &zero);

	if (n)
		*n += 1;	/* per-CPU slot: no other writer */
}

static __always_inline int handle_seccomp_audit(unsigned long syscall,
						long signr, int code)
{
	struct sca_bpf_event *e;
	struct task_struct *task;
	struct pt_regs *regs;
	__u64 pid_tgid, uid_gid;

	task = bpf_get_current_task_btf();
	if (target_ses && bpf_core_field_exists(task->sessionid) &&
	    BPF_CORE_READ(task, sessionid) != target_ses)
		return 0;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));

	pid_tgid = bpf_get_current_pid_tgid();
	uid_gid = bpf_get_current_uid_gid();

	e->ts_boot_ns = bpf_ktime_get_boot_ns();
	e->tgid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;

	/* Audit ids exist only with CONFIG_AUDITSYSCALL. */
	e->loginuid = SCA_AUDIT_ID_UNSET;
	e->sessionid = SCA_AUDIT_ID_UNSET;
	if (bpf_core_field_exists(task->loginuid))
		e->loginuid = BPF_CORE_READ(task, loginuid.val);
	if (bpf_core_field_exists(task->sessionid))
		e->sessionid = BPF_CORE_READ(task, sessionid);

	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	e->pid_ns = BPF_CORE_READ(task, nsproxy, pid_ns_for_children, ns.inum);
	e->cgroup_id = bpf_get_current_cgroup_id();

	e->compat = task_in_compat_syscall(task);
	e->arch = e->compat ? SCA_AUDIT_ARCH_I386 : SCA_AUDIT_ARCH_X86_64;
	e->syscall = (__s32)syscall;
	e->signr = (__s32)signr;
	e->code = (__u32)code;

	/* The user registers saved at syscall entry. */
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	if (regs) {
		e->ip = BPF_CORE_READ(regs, ip);
		if (e->compat) {
			/* i386 syscall ABI: ebx, ecx, edx, esi, edi, ebp. */
			e->args[0] = (__u32)BPF_CORE_READ(regs, bx);
			e->args[1] = (__u32)BPF_CORE_READ(regs, cx);
			e->args[2] = (__u32)BPF_CORE_READ(regs, dx);
			e->args[3] = (__u32)BPF_CORE_READ(regs, si);
			e->args[4] = (__u32)BPF_CORE_READ(regs, di);
			e->args[5] = (__u32)BPF_CORE_READ(regs, bp);
		} else {
			/* x86_64 syscall ABI: rdi, rsi, rdx, r10, r8, r9. */
			e->args[0] = BPF_CORE_READ(regs, di);
			e->args[1] = BPF_CORE_READ(regs, si);
			e->args[2] = BPF_CORE_READ(regs, dx);
			e->args[3] = BPF_CORE_READ(regs, r10);
			e->args[4] = BPF_CORE_READ(regs, r8);
			e->args[5] = BPF_CORE_READ(regs, r9);
		}
	}

	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("fentry/audit_seccomp")
int BPF_PROG(sca_fentry, unsigned long syscall, long signr, int code)
{
	return handle_seccomp_audit(syscall, signr, code);
}

SEC("kprobe/audit_seccomp")
int BPF_KPROBE(sca_kprobe, unsigned long syscall, long signr, int code)
{
	return handle_seccomp_audit(syscall, signr, code);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
