/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source_syscalls.c - see source_syscalls.h. Load and select (rodata, then
 * the tree and the argument table), attach, and once a second drain the
 * table that stopped counting: flip epoch, wait out an RCU grace period so
 * no program still counts in it, then read and delete it whole with no
 * writer beside us. Counts are exact; calls that found the table full were
 * counted per syscall in `overflow` and are delivered without a process
 * (SCA_CALLS_NO_PROCESS); calls the kernel did not run the program for
 * (recursion) are delivered as a loss.
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/membarrier.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/sysargs.h"
#include "proc.h"
#include "libbpf_log.h"
#include "recorder.h"
#include "source_syscalls.h"
#include "syscall_event.h"
#include "syscalls.skel.h"

#define BATCH 4096
#define TABLE_DEFAULT 65536
static const struct {
	uint32_t scmp;        /* libseccomp's arch token */
	uint32_t audit;       /* AUDIT_ARCH_* in the trace */
	bool compat;
} arches[SCA_SYS_NARCH] = {
	[SCA_SYS_ARCH_X86_64] = { SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, false },
	[SCA_SYS_ARCH_I386] = { SCMP_ARCH_X86, AUDIT_ARCH_I386, true },
	[SCA_SYS_ARCH_X32] = { SCMP_ARCH_X32, AUDIT_ARCH_X86_64, false },
};

struct sca_sys_source {
	struct syscalls_bpf *skel;
	int ncpus;
	uint32_t epoch;                  /* our copy of the program's */
	bool detached, filtered_seen;
	uint64_t misses_seen, tree_full_seen;
	struct sca_sys_key *keys;        /* BATCH */
	struct sca_sys_val *vals;
	uint64_t *pcpu;                  /* ncpus */
};

static void sys_close(void *state)
{
	struct sca_sys_source *src = state;

	if (!src)
		return;
	syscalls_bpf__destroy(src->skel);
	free(src->keys);
	free(src->vals);
	free(src->pcpu);
	free(src);
}

/* ---- selection ------------------------------------------------------- */

static uint32_t ns_inode(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint32_t)st.st_ino : 0;
}

/* What the options select, as the program's rodata; the recorder's filter does the rest. */
static void set_selection(struct syscalls_bpf *skel, const struct sca_record_opts *o)
{
	const struct sca_filter *f = &o->filter;
	uint32_t mode = 0;

	if (o->cmd)
		mode |= SCA_SYS_SEL_SES;
	if (f->npids)
		mode |= SCA_SYS_SEL_TREE;
	if (f->ncontainers || f->npods || f->nnamespaces) {
		/* init's: sca itself may run in a pod of its own */
		uint32_t host = ns_inode("/proc/1/ns/mnt");
		if (host) {
			mode |= SCA_SYS_SEL_NOT_HOST;
			skel->rodata->host_mnt_ns = host;
		}
	}
	bool comms = f->ncomms > 0 && f->ncomms <= SCA_SYS_COMMS_MAX;
	for (int i = 0; comms && i < f->ncomms; i++)
		comms = strlen(f->comms[i]) < 16;
	if (comms) {
		mode |= SCA_SYS_SEL_COMM;
		for (int i = 0; i < f->ncomms; i++) {
			char name[16] = { 0 };    /* as the kernel pads comm */
			memcpy(name, f->comms[i], strlen(f->comms[i]));
			memcpy((void *)skel->rodata->comms[i], name, sizeof(name));
		}
		skel->rodata->ncomms = (uint32_t)f->ncomms;
	}
	skel->rodata->sel_mode = mode;
	skel->rodata->self_tgid = (uint32_t)getpid();
}

static void tree_add(int fd, int32_t tgid)
{
	uint32_t k = (uint32_t)tgid;
	uint8_t one = 1;

	bpf_map_update_elem(fd, &k, &one, BPF_ANY);
}

/*
 * --pid's trees as they are now: the pids and, from /proc, their
 * descendants (a child's parent line names its parent). The fork program
 * keeps the trees from here on; one started a moment ago may be missed
 * between the scan and the attach only if its parent was too.
 */
static void seed_tree(struct sca_sys_source *src, const struct sca_filter *f)
{
	int fd = bpf_map__fd(src->skel->maps.tree);
	bool grew = true;

	for (int i = 0; i < f->npids; i++)
		tree_add(fd, f->pids[i]);
	while (grew) {
		DIR *d = opendir("/proc");
		struct dirent *de;
		grew = false;
		while (d && (de = readdir(d))) {
			int pid = atoi(de->d_name);
			uint32_t k = (uint32_t)pid, pk;
			uint8_t v;
			if (pid <= 0 || bpf_map_lookup_elem(fd, &k, &v) == 0)
				continue;
			int ppid = sca_proc__ppid("/proc", pid);
			pk = (uint32_t)ppid;
			if (ppid > 0 && bpf_map_lookup_elem(fd, &pk, &v) == 0) {
				tree_add(fd, pid);
				grew = true;
			}
		}
		if (d)
			closedir(d);
	}
}

/*
 * The argument table (common/sysargs.c), per arch, into the program's
 * global data: the arguments whose values tell calls apart.
 */
static void load_argsel(struct sca_sys_source *src)
{
	size_t n;
	const struct sca_sysarg_rule *rules = sca_sysarg__table(&n);

	for (int a = 0; a < SCA_SYS_NARCH; a++) {
		for (size_t r = 0; r < n; r++) {
			int nr = seccomp_syscall_resolve_name_arch(arches[a].scmp, rules[r].name);
			uint32_t slot = nr < 0 ? SCA_SYS_NSLOTS : sca_sys_slot((uint32_t)a, nr);
			if (slot >= SCA_SYS_NSLOTS)
				continue;
			struct sca_sys_sel *s = &src->skel->bss->argsel[slot];
			for (unsigned f = 0; f < rules[r].nfields && f < SCA_SYS_SEL_MAX; f++) {
				int idx = sca_sysarg__index(&rules[r], f, arches[a].scmp);
				if (idx < 0)
					continue;      /* in memory on this arch: nothing to tell apart */
				s->idx[f] = ((uint32_t)idx + 1) | (rules[r].deref ? SCA_SYS_SEL_DEREF : 0);
				s->mask[f] = rules[r].field[f].mask;
			}
		}
	}
}

/* ---- open ------------------------------------------------------------ */

static int sys_alloc(struct sca_sys_source **out)
{
	struct sca_sys_source *src = calloc(1, sizeof(*src));

	if (!src)
		return -ENOMEM;
	*out = src;
	src->ncpus = libbpf_num_possible_cpus();
	if (src->ncpus <= 0)
		return -ENOMEM;
	src->keys = calloc(BATCH, sizeof(*src->keys));
	src->vals = calloc(BATCH, sizeof(*src->vals));
	src->pcpu = calloc((size_t)src->ncpus, sizeof(*src->pcpu));
	return src->keys && src->vals && src->pcpu ? 0 : -ENOMEM;
}

static int sys_open(void **state, const struct sca_record_opts *o, char *why, size_t whylen)
{
	struct sca_sys_source *src = NULL;
	bool tree = o->filter.npids > 0;
	int err;

	sca_libbpf_log__quiet();
	if ((err = sys_alloc(&src))) {
		snprintf(why, whylen, "out of memory");
		goto cleanup;
	}
	if (!(src->skel = syscalls_bpf__open())) {
		err = -errno;
		snprintf(why, whylen, "opening the BPF object: %s", strerror(errno));
		goto cleanup;
	}
	set_selection(src->skel, o);
	/* the tree's keepers cost every fork and exit: only for --pid */
	bpf_program__set_autoload(src->skel->progs.sca_sys_fork, tree);
	bpf_program__set_autoload(src->skel->progs.sca_sys_exit, tree);
	uint32_t entries = o->syscall_table ? o->syscall_table : TABLE_DEFAULT;
	bpf_map__set_max_entries(src->skel->maps.calls0, entries);
	bpf_map__set_max_entries(src->skel->maps.calls1, entries);
	if ((err = syscalls_bpf__load(src->skel))) {
		snprintf(why, whylen, "loading the sys_enter program: %s", strerror(-err));
		goto cleanup;
	}
	load_argsel(src);
	if (tree)
		seed_tree(src, &o->filter);
	if ((err = syscalls_bpf__attach(src->skel))) {
		snprintf(why, whylen, "attaching to the sys_enter tracepoint: %s", strerror(-err));
		goto cleanup;
	}
	*state = src;
	return 0;
cleanup:
	sys_close(src);
	return err ? err : -EINVAL;
}

static int sys_fd(void *state)
{
	(void)state;
	return -1;    /* nothing is queued: the counts are drained once a second */
}

static int sys_read(void *state, sca_source_cb cb, void *ctx)
{
	(void)state, (void)cb, (void)ctx;
	return 0;
}

static void sys_set_session(void *state, uint32_t ses)
{
	struct sca_sys_source *src = state;

	src->skel->bss->target_ses = ses;
}

static bool sys_lags(void *state)
{
	struct sca_sys_source *src = state;

	/* only a thread under a filter can make an audit record */
	return src->filtered_seen;
}

/* ---- drain ----------------------------------------------------------- */

/*
 * Every program that could still count in the table epoch left began
 * before the flip, inside an RCU read-side section: a grace period later
 * they are done. MEMBARRIER_CMD_GLOBAL is synchronize_rcu(); where it is
 * refused (nohz_full) or a no-op (one CPU, where a preempted program may
 * not have finished), a pause far longer than a program runs stands in.
 */
static void grace_period(const struct sca_sys_source *src)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) != 0 || src->ncpus < 2)
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
}

/* What every CALLS record of (ARCH, NR) says; the process and the first call unknown. */
static void calls_init(uint32_t arch, int32_t nr, uint64_t count, struct sca_calls *c)
{
	memset(c, 0, sizeof(*c));
	c->ev.ppid = -1;
	c->ev.uid = c->ev.gid = c->ev.auid = c->ev.ses = 4294967295u;
	c->ev.arch = arches[arch].audit;
	c->ev.compat = arches[arch].compat;
	c->ev.syscall = nr;
	c->count = count;
}

/* The trace's CALLS record for one table entry. */
static void to_calls(const struct sca_sys_source *src, const struct sca_sys_key *k,
		     const struct sca_sys_val *v, int64_t off, struct sca_calls *c)
{
	uint32_t arch = k->arch < SCA_SYS_NARCH ? k->arch : SCA_SYS_ARCH_X86_64;
	uint32_t slot = sca_sys_slot(arch, k->nr);
	/* the program's own table, mapped: what it told apart, exactly */
	const struct sca_sys_sel *s = slot < SCA_SYS_NSLOTS ? &src->skel->bss->argsel[slot] : NULL;

	calls_init(arch, k->nr, v->count, c);
	c->ev.time_ns = v->first_ns + (uint64_t)off;
	c->ev.pid = (int32_t)k->tgid;
	c->ev.tid = (int32_t)v->tid;
	c->ev.has_args = true;
	memcpy(c->ev.args, v->args, sizeof(c->ev.args));
	c->flags = (k->flags & SCA_SYS_KEY_FILTERED) ? SCA_CALLS_FILTERED : 0;
	for (int j = 0; s && j < SCA_SYS_SEL_MAX; j++) {
		uint32_t i = (s->idx[j] & 0xff) - 1;
		if (i >= 6)
			continue;
		if (s->idx[j] & SCA_SYS_SEL_DEREF) {
			/* the value read from memory stands where its pointer was */
			if (k->flags & SCA_SYS_KEY_NOVAL)
				continue;
			c->ev.args[i] = k->argval[j];
		}
		c->argmask[i] = s->mask[j];
	}
}

static int drain_table(struct sca_sys_source *src, struct bpf_map *map, sca_source_cb cb, void *ctx)
{
	int fd = bpf_map__fd(map), err = 0;
	int64_t off = sca_clock_boot_offset();
	uint32_t in = 0, out = 0;
	bool first = true, done = false;

	while (!done && !err) {
		__u32 n = BATCH;
		int rc = bpf_map_lookup_and_delete_batch(fd, first ? NULL : &in, &out, src->keys, src->vals,
							 &n, NULL);
		if (rc < 0 && errno != ENOENT)
			return -errno;
		done = rc < 0;    /* ENOENT: this was the last part */
		first = false;
		in = out;
		for (__u32 i = 0; i < n && !err; i++) {
			struct sca_record r = { .kind = SCA_RECORD_CALLS };
			to_calls(src, &src->keys[i], &src->vals[i], off, &r.calls);
			if (r.calls.flags & SCA_CALLS_FILTERED)
				src->filtered_seen = true;
			err = cb(ctx, &r);
		}
	}
	return err;
}

/* Calls that found the table full: their syscall, without a process. */
static int drain_overflow(struct sca_sys_source *src, uint32_t epoch, sca_source_cb cb, void *ctx)
{
	int fd = bpf_map__fd(src->skel->maps.overflow), err = 0;
	uint32_t any = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(src->skel->maps.overflow_any), &epoch, src->pcpu))
		return 0;
	for (int c = 0; c < src->ncpus; c++)
		any |= src->pcpu[c] != 0;
	if (!any)
		return 0;
	memset(src->pcpu, 0, (size_t)src->ncpus * sizeof(*src->pcpu));
	bpf_map_update_elem(bpf_map__fd(src->skel->maps.overflow_any), &epoch, src->pcpu, BPF_ANY);
	for (uint32_t slot = 0; slot < SCA_SYS_NSLOTS && !err; slot++) {
		uint32_t key = (epoch & 1) * SCA_SYS_NSLOTS + slot;
		uint64_t total = 0;
		if (bpf_map_lookup_elem(fd, &key, src->pcpu))
			continue;
		for (int c = 0; c < src->ncpus; c++)
			total += src->pcpu[c];
		if (!total)
			continue;
		memset(src->pcpu, 0, (size_t)src->ncpus * sizeof(*src->pcpu));
		bpf_map_update_elem(fd, &key, src->pcpu, BPF_ANY);
		uint32_t arch = slot / SCA_SYS_NR_MAX;
		int32_t nr = (int32_t)(slot % SCA_SYS_NR_MAX) | (arch == SCA_SYS_ARCH_X32 ? SCA_SYS_X32_BIT : 0);
		struct sca_record r = { .kind = SCA_RECORD_CALLS };
		calls_init(arch, nr, total, &r.calls);
		r.calls.ev.time_ns = sca_clock_ns(CLOCK_REALTIME);
		r.calls.flags = SCA_CALLS_NO_PROCESS;
		err = cb(ctx, &r);
	}
	return err;
}

/*
 * --pid's children that found the tree full: their calls were not counted,
 * and how many there were is unknown, so the loss counts processes.
 */
static int drain_tree_full(struct sca_sys_source *src, sca_source_cb cb, void *ctx)
{
	uint32_t zero = 0;
	uint64_t total = 0;

	if (!bpf_program__autoload(src->skel->progs.sca_sys_fork) ||
	    bpf_map_lookup_elem(bpf_map__fd(src->skel->maps.tree_full), &zero, src->pcpu))
		return 0;
	for (int c = 0; c < src->ncpus; c++)
		total += src->pcpu[c];
	if (total <= src->tree_full_seen)
		return 0;
	uint64_t n = total - src->tree_full_seen;
	src->tree_full_seen = total;
	return sca_source_cb__lost(cb, ctx, "syscalls: processes of --pid's trees not followed", n);
}

/* Calls the kernel did not run the program for (it was running already on that CPU). */
static int drain_misses(struct sca_sys_source *src, sca_source_cb cb, void *ctx)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(src->skel->progs.sca_sys_enter), &info, &len))
		return 0;
	if (info.recursion_misses <= src->misses_seen)
		return 0;
	uint64_t n = info.recursion_misses - src->misses_seen;
	src->misses_seen = info.recursion_misses;
	return sca_source_cb__lost(cb, ctx, "syscalls", n);
}

/* The table of epoch E, whole; nobody may be counting in it. */
static int drain_epoch(struct sca_sys_source *src, uint32_t e, sca_source_cb cb, void *ctx)
{
	int err = drain_table(src, e & 1 ? src->skel->maps.calls1 : src->skel->maps.calls0, cb, ctx);

	if (!err)
		err = drain_overflow(src, e & 1, cb, ctx);
	return err;
}

/* What the program could not count: processes not followed, calls not run for. */
static int drain_losses(struct sca_sys_source *src, sca_source_cb cb, void *ctx)
{
	int err = drain_tree_full(src, cb, ctx);

	return err ? err : drain_misses(src, cb, ctx);
}

static int sys_check_drops(void *state, sca_source_cb cb, void *ctx)
{
	struct sca_sys_source *src = state;
	uint32_t old = src->epoch;
	int err;

	if (src->detached)
		return 0;
	src->epoch = old ^ 1;
	__atomic_store_n(&src->skel->bss->epoch, src->epoch, __ATOMIC_SEQ_CST);
	grace_period(src);
	if ((err = drain_epoch(src, old, cb, ctx)))
		return err;
	return drain_losses(src, cb, ctx);
}

/* Detached, no program runs: both tables are ours. */
static int sys_finish(void *state, sca_source_cb cb, void *ctx)
{
	struct sca_sys_source *src = state;
	int err;

	if (src->detached)
		return 0;
	syscalls_bpf__detach(src->skel);
	src->detached = true;
	grace_period(src);
	if ((err = drain_epoch(src, src->epoch ^ 1, cb, ctx)) || (err = drain_epoch(src, src->epoch, cb, ctx)))
		return err;
	return drain_losses(src, cb, ctx);
}

const struct sca_source_ops sca_source_syscalls = {
	.name = "syscalls",
	.caps = "CAP_BPF and CAP_PERFMON, or root",
	.kernel = "BPF tracepoint programs (tp_btf/sys_enter) and BTF",
	.open = sys_open,
	.fd = sys_fd,
	.read = sys_read,
	.check_drops = sys_check_drops,
	.finish = sys_finish,
	.lags = sys_lags,
	.set_session = sys_set_session,
	.close = sys_close,
};
