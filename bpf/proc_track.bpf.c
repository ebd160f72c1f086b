/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * proc_track.bpf.c - the process tracker: one struct sca_proc_event per
 * process fork, exec and exit, from the scheduler's tracepoints (tp_btf),
 * through the `proc_events` ring buffer. Tracepoints load and attach where
 * fentry and kprobes are refused, and they see what attribution needs at
 * the moment it holds: a child killed by its filter and reaped at once is
 * still known, with its namespaces, cgroup and program, when its audit
 * record is read a few milliseconds later. Records that do not fit are
 * counted in `proc_drops`.
 *
 * `sca record -- CMD` sets target_ses to the command's audit session, so
 * only its tree costs a record.
 */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "proc_event.h"

__u32 target_ses = 0;    /* 0: every process */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 * 1024 * 1024);
} proc_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} proc_drops SEC(".maps");

/*
 * Waking the reader is an interrupt (a VM exit in a VM: measured 12-14 us
 * per record here, more than the rest of the program). The recorder
 * drains the ring before every batch of audit records and at least once a
 * second, so it is woken only when a quarter of the ring is full.
 */
#define WAKE_BYTES (1024 * 1024)

static __always_inline void submit(void *e)
{
	__u64 queued = bpf_ringbuf_query(&proc_events, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(e, queued >= WAKE_BYTES ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline int selected(struct task_struct *t)
{
	if (!target_ses || !bpf_core_field_exists(t->sessionid))
		return 1;
	return t->sessionid == target_ses;
}

static __always_inline void count_drop(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&proc_drops, &zero);

	if (n)
		*n += 1;
}

/*
 * What every record holds, read from T (not current: at fork, the child).
 * tp_btf arguments are BTF pointers: plain loads, checked by the verifier
 * and relocated by CO-RE, cost a few ns where each BPF_CORE_READ step is a
 * helper call; a fault (a NULL nsproxy at exit) reads as 0.
 */
static __always_inline void fill(struct sca_proc_event *e, __u32 kind, struct task_struct *t)
{
	e->ts_boot_ns = bpf_ktime_get_boot_ns();
	e->kind = kind;
	e->tgid = t->tgid;
	e->ppid = t->real_parent->tgid;
	e->sessionid = SCA_PROC_ID_UNSET;
	if (bpf_core_field_exists(t->sessionid))
		e->sessionid = t->sessionid;
	e->mnt_ns = t->nsproxy->mnt_ns->ns.inum;
	e->pid_ns = t->nsproxy->pid_ns_for_children->ns.inum;
	e->cgroup_id = t->cgroups->dfl_cgrp->kn->id;
	__builtin_memcpy(e->comm, t->comm, sizeof(e->comm));
}

/* A fork record: no exe, so a shorter reservation. */
static __always_inline int send_fork(struct task_struct *t, struct task_struct *parent)
{
	struct sca_proc_event *e = bpf_ringbuf_reserve(&proc_events, SCA_PROC_EVENT_SHORT, 0);

	if (!e) {
		count_drop();
		return 0;
	}
	fill(e, SCA_PROC_FORK, t);
	e->forker = parent->tgid;
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sca_proc_fork, struct task_struct *parent, struct task_struct *child)
{
	/* a thread (CLONE_THREAD) shares its process's record */
	if (child->pid != child->tgid || !selected(child))
		return 0;
	return send_fork(child, parent);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sca_proc_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
	struct sca_proc_event *e;

	if (!selected(p))
		return 0;
	e = bpf_ringbuf_reserve(&proc_events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return 0;
	}
	fill(e, SCA_PROC_EXEC, p);
	/* interp is what runs, as /proc/PID/exe will show it: for a #! script
	 * the interpreter, else the file exec was given */
	if (bpf_probe_read_kernel_str(e->exe, sizeof(e->exe), bprm->interp) < 0)
		e->exe[0] = 0;
	submit(e);
	return 0;
}

/*
 * An exit needs only who and when: a third of the records, the cheapest.
 * The process ends with its last thread, not its leader (which may call
 * pthread_exit first): the kernel counted this one out of signal->live
 * just before the tracepoint.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sca_proc_exit, struct task_struct *p)
{
	struct sca_proc_event *e;

	if (p->signal->live.counter != 0 || !selected(p))
		return 0;
	e = bpf_ringbuf_reserve(&proc_events, SCA_PROC_EVENT_EXIT, 0);
	if (!e) {
		count_drop();
		return 0;
	}
	e->ts_boot_ns = bpf_ktime_get_boot_ns();
	e->kind = SCA_PROC_EXIT;
	e->tgid = p->tgid;
	submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
