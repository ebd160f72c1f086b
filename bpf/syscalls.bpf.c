/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * syscalls.bpf.c - the syscall source: every syscall the selected
 * processes make, counted on sys_enter (tp_btf) in a hash table keyed by
 * process, program, arch, syscall and the value of a few arguments
 * (struct sca_sys_key), the first call's thread, time and arguments kept
 * beside the count. Nothing crosses to user space per syscall: that is
 * what keeps learning near the bare cost of a syscall.
 *
 * Exact, not sampled. There are two tables, and `epoch` says which one
 * counts. To drain, user space flips epoch and waits for an RCU grace
 * period (membarrier), after which no program still counts in the old
 * table (programs run under rcu_read_lock), then reads and empties it
 * with nobody writing. A call that finds its table full is counted per
 * arch and syscall in `overflow` instead: its syscall is kept, its
 * process is not, and user space says so.
 *
 * Selection happens here, so unselected processes pay a check: an audit
 * session (`record -- CMD`), a process tree kept at fork and exit, the
 * mount namespace (in a container or not), the command name.
 */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "syscall_event.h"

#define EEXIST 17
#define TS_COMPAT 0x0002

const volatile __u32 sel_mode = 0;           /* SCA_SYS_SEL_*; 0: every process */
const volatile __u32 self_tgid = 0;          /* the recorder: never its own calls */
const volatile __u32 host_mnt_ns = 0;
const volatile __u32 ncomms = 0;
/* the names as two words each, read as such: a cast away from volatile
 * would let the compiler fold in the all-zero initializer */
const volatile __u64 comms[SCA_SYS_COMMS_MAX][2] = {};

__u32 target_ses = 0;    /* SCA_SYS_SEL_SES: 0 matches nobody until it is set */
__u32 epoch = 0;         /* which table counts: calls0 or calls1 */

#define CALLS_TABLE(name)                                                   \
	struct {                                                            \
		__uint(type, BPF_MAP_TYPE_HASH);                            \
		__uint(map_flags, BPF_F_NO_PREALLOC);                       \
		__uint(max_entries, 65536);                                 \
		__type(key, struct sca_sys_key);                            \
		__type(value, struct sca_sys_val);                          \
	} name SEC(".maps")

CALLS_TABLE(calls0);
CALLS_TABLE(calls1);

/*
 * Calls that found their table full, per epoch, arch and syscall:
 * [epoch * NARCH * NR_MAX + arch * NR_MAX + nr]; overflow_any[epoch] says
 * whether there are any, so a drain need not read them all.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2 * SCA_SYS_NARCH * SCA_SYS_NR_MAX);
	__type(key, __u32);
	__type(value, __u64);
} overflow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} overflow_any SEC(".maps");

/*
 * Which arguments are told apart, per arch * SCA_SYS_NR_MAX + nr; user
 * space fills it after load. Global data, not a map: a plain load on every
 * call where a lookup would be a helper call.
 */
struct sca_sys_sel argsel[SCA_SYS_NSLOTS] = {};

/* SCA_SYS_SEL_TREE: the processes of the tree (tgid -> 1). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 262144);
	__type(key, __u32);
	__type(value, __u8);
} tree SEC(".maps");

/* Children of the tree that found `tree` full: their calls go uncounted. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tree_full SEC(".maps");

static __always_inline int comm_selected(void)
{
	char c[16];
	__u64 lo, hi;

	bpf_get_current_comm(c, sizeof(c));
	__builtin_memcpy(&lo, c, 8);
	__builtin_memcpy(&hi, c + 8, 8);
	for (__u32 i = 0; i < SCA_SYS_COMMS_MAX && i < ncomms; i++)
		if (comms[i][0] == lo && comms[i][1] == hi)
			return 1;
	return 0;
}

/* The cheap checks first: rodata makes the verifier drop the unused ones. */
static __always_inline int selected(struct task_struct *t)
{
	if (t->tgid == self_tgid)
		return 0;
	if ((sel_mode & SCA_SYS_SEL_SES) && (!target_ses || t->sessionid != target_ses))
		return 0;
	if (sel_mode & (SCA_SYS_SEL_NOT_HOST | SCA_SYS_SEL_HOST)) {
		int host = t->nsproxy->mnt_ns->ns.inum == host_mnt_ns;
		if (host != !!(sel_mode & SCA_SYS_SEL_HOST))
			return 0;
	}
	if (sel_mode & SCA_SYS_SEL_TREE) {
		__u32 tgid = t->tgid;
		if (!bpf_map_lookup_elem(&tree, &tgid))
			return 0;
	}
	if ((sel_mode & SCA_SYS_SEL_COMM) && !comm_selected())
		return 0;
	return 1;
}

static __always_inline void count_overflow(__u32 e, __u32 arch, __s32 nr)
{
	__u32 slot = sca_sys_slot(arch, nr);
	/* a number outside the table: its arch's last slot */
	__u32 i = e * SCA_SYS_NSLOTS + (slot < SCA_SYS_NSLOTS ? slot : arch * SCA_SYS_NR_MAX + SCA_SYS_NR_MAX - 1);
	__u64 *n = bpf_map_lookup_elem(&overflow, &i);

	if (n)
		__sync_fetch_and_add(n, 1);
	n = bpf_map_lookup_elem(&overflow_any, &e);
	if (n)
		__sync_fetch_and_add(n, 1);
}

/* One call into TABLE: the count, or a new entry, or the overflow. */
static __always_inline void count(void *table, __u32 e, struct sca_sys_key *k,
				  struct pt_regs *regs, __u32 tid, int compat)
{
	struct sca_sys_val *v = bpf_map_lookup_elem(table, k);
	struct sca_sys_val nv = { .count = 1 };
	long err;

	if (v) {
		__sync_fetch_and_add(&v->count, 1);
		return;
	}
	nv.first_ns = bpf_ktime_get_boot_ns();
	nv.tid = tid;
	if (compat) {
		nv.args[0] = (__u32)regs->bx;
		nv.args[1] = (__u32)regs->cx;
		nv.args[2] = (__u32)regs->dx;
		nv.args[3] = (__u32)regs->si;
		nv.args[4] = (__u32)regs->di;
		nv.args[5] = (__u32)regs->bp;
	} else {
		nv.args[0] = regs->di;
		nv.args[1] = regs->si;
		nv.args[2] = regs->dx;
		nv.args[3] = regs->r10;
		nv.args[4] = regs->r8;
		nv.args[5] = regs->r9;
	}
	err = bpf_map_update_elem(table, k, &nv, BPF_NOEXIST);
	if (!err)
		return;
	/* another thread of the process made it first */
	if (err == -EEXIST && (v = bpf_map_lookup_elem(table, k))) {
		__sync_fetch_and_add(&v->count, 1);
		return;
	}
	count_overflow(e, k->arch, k->nr);
}

/* The selected arguments' values, masked, into the key. */
static __always_inline void select_args(struct sca_sys_key *k, struct pt_regs *regs, int compat)
{
	__u32 i = sca_sys_slot(k->arch, k->nr);
	struct sca_sys_sel *s;

	if (i >= SCA_SYS_NSLOTS)
		return;
	s = &argsel[i];
	if (!s->idx[0])
		return;
	/* unrolled: older verifiers (6.1) refuse the back-edge a loop with a helper call keeps */
#pragma clang loop unroll(full)
	for (int j = 0; j < SCA_SYS_SEL_MAX; j++) {
		__u32 idx = s->idx[j];
		__u64 a, m = 0;
		switch (idx & 0xff) {
		case 1: a = compat ? (__u32)regs->bx : regs->di; break;
		case 2: a = compat ? (__u32)regs->cx : regs->si; break;
		case 3: a = compat ? (__u32)regs->dx : regs->dx; break;
		case 4: a = compat ? (__u32)regs->si : regs->r10; break;
		case 5: a = compat ? (__u32)regs->di : regs->r8; break;
		case 6: a = compat ? (__u32)regs->bp : regs->r9; break;
		default: continue;
		}
		if (idx & SCA_SYS_SEL_DEREF) {
			/* a page not yet in: the value is not known, the call still counted */
			if (bpf_probe_read_user(&m, sizeof(m), (const void *)(unsigned long)a)) {
				k->flags |= SCA_SYS_KEY_NOVAL;
				continue;
			}
			a = m;
		}
		k->argval[j] = a & s->mask[j];
	}
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sca_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct sca_sys_key k = {};
	int compat;

	if (!selected(t))
		return 0;
	compat = (t->thread_info.status & TS_COMPAT) != 0;
	k.start_ns = t->group_leader->start_time;
	k.tgid = t->tgid;
	k.exec_id = (__u32)t->self_exec_id;
	k.nr = (__s32)id;
	k.arch = compat ? SCA_SYS_ARCH_I386 :
		 (id & SCA_SYS_X32_BIT) ? SCA_SYS_ARCH_X32 : SCA_SYS_ARCH_X86_64;
	if (t->seccomp.mode == 2)    /* SECCOMP_MODE_FILTER */
		k.flags = SCA_SYS_KEY_FILTERED;
	select_args(&k, regs, compat);
	if (epoch & 1)
		count(&calls1, 1, &k, regs, t->pid, compat);
	else
		count(&calls0, 0, &k, regs, t->pid, compat);
	return 0;
}

/* SCA_SYS_SEL_TREE: a child of the tree is in it, before it can run. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sca_sys_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	__u8 one = 1;

	if (child->pid != child->tgid || !bpf_map_lookup_elem(&tree, &ptgid))
		return 0;
	if (bpf_map_update_elem(&tree, &ctgid, &one, BPF_ANY)) {
		__u32 zero = 0;
		__u64 *n = bpf_map_lookup_elem(&tree_full, &zero);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return 0;
}

/* ... and leaves it with its last thread, so a recycled tgid is not in it. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sca_sys_exit, struct task_struct *p)
{
	__u32 tgid = p->tgid;

	if (p->signal->live.counter == 0)
		bpf_map_delete_elem(&tree, &tgid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
