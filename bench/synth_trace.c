/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * synth_trace: write N events of the synthetic workload (synth.h) to a
 * trace, for demos and for benchmarks of the tools that read traces.
 *
 *   synth_trace [-n EVENTS] [-s SEED] [-H HOST] [-C NAME] [-c [-U] [-L] [-A]] -o FILE
 *
 * -C renames the "web" container to NAME (tests of names that collide).
 * -c writes the workload as the syscall source records it under a filter
 * that refuses x86_64 fcntl and getpid: those stay events, refused (EPERM
 * where the workload's were logged); every other call went through and is
 * counted in CALLS records, per process and syscall every 500 events, made
 * under a filter in containers. Each container's process also makes one
 * pivot_root before its filter is loaded, as a runtime's init does. -U adds calls
 * without a process (ptrace, getrandom: the kernel table was full), -L a
 * loss of 5 calls the kernel did not count. -A gives the calls of the
 * syscalls whose arguments the source tells apart (common/sysargs.h; here
 * mmap) their values, as the source does: prot PROT_READ, PROT_READ|WRITE or
 * PROT_READ|EXEC, one record per value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#include "common/sysargs.h"
#include "synth.h"
#include "trace.h"

#define USAGE "usage: synth_trace [-n EVENTS] [-s SEED] [-H HOST] [-C NAME] [-c [-U] [-L] [-A]] -o FILE\n"
#define LOG_CODE 0x7ffc0000u
#define EPERM_CODE 0x00050001u
#define CALLS_EVERY 500
#define NR_PIVOT_ROOT 155

/* The calls of one interval: per process, arch and syscall, the first and how many. */
struct tally {
	struct sca_calls c[SYNTH_PROCS * SYNTH_SYSCALLS * 2 * 3];   /* x3: -A's values */
	int n;
};

/* -A: the told-apart arguments of E's syscall, a few values each, as the source keeps them. */
static void told_apart(struct sca_calls *c, const struct sca_event *e)
{
	static const uint64_t values[3] = { 1, 3, 5 };  /* prot: R, RW, RX */
	const char *name = seccomp_syscall_resolve_num_arch(e->arch, e->syscall);
	const struct sca_sysarg_rule *r = name ? sca_sysarg__find(name) : NULL;

	free((void *)name);
	if (!r || r->deref)
		return;
	c->ev.has_args = true;
	for (unsigned f = 0; f < r->nfields; f++) {
		int i = sca_sysarg__index(r, f, e->arch);
		if (i < 0)
			continue;
		c->ev.args[i] = values[e->serial % 3] & r->field[f].mask;
		c->argmask[i] = r->field[f].mask;
	}
}

static void tally_add(struct tally *t, const struct sca_event *e, bool args)
{
	struct sca_calls one = { .ev = *e };

	memset(one.ev.args, 0, sizeof(one.ev.args));
	one.ev.has_args = false;
	if (args)
		told_apart(&one, e);
	for (int i = 0; i < t->n; i++) {
		struct sca_calls *c = &t->c[i];
		if (c->ev.pid == e->pid && c->ev.arch == e->arch && c->ev.syscall == e->syscall &&
		    !memcmp(c->ev.args, one.ev.args, sizeof(c->ev.args))) {
			c->count++;
			return;
		}
	}
	struct sca_calls *c = &t->c[t->n++];
	*c = one;
	/* sys_enter has no audit fields, nor uid and gid */
	c->ev.serial = 0;
	c->ev.code = 0;
	c->ev.signr = 0;
	c->ev.ip = 0;
	c->ev.uid = c->ev.gid = 4294967295u;
	c->count = 1;
	c->flags = e->container ? SCA_CALLS_FILTERED : 0;
}

static int tally_flush(struct sca_writer *w, struct tally *t)
{
	int err = 0;

	for (int i = 0; i < t->n && !err; i++)
		err = sca_writer__add_calls(w, &t->c[i]);
	t->n = 0;
	return err;
}

/* -c's filter: x86_64 fcntl and getpid are refused, the rest goes through. */
static bool refused(const struct sca_event *e)
{
	return e->arch == 0xc000003eu && (e->syscall == 72 || e->syscall == 39);
}

/* What a runtime's init makes in each container before the filter is loaded. */
static int before_filters(struct sca_writer *w, const struct synth *s)
{
	int err = 0;

	for (int i = 0; i < SYNTH_PROCS && !err; i++) {
		const struct synth_proc *p = &s->procs[i];
		struct sca_calls c = { .count = 1 };
		if (!p->container)
			continue;
		c.ev.time_ns = s->t;
		c.ev.pid = c.ev.tid = p->pid;
		c.ev.ppid = p->ppid;
		c.ev.uid = c.ev.gid = c.ev.auid = c.ev.ses = 4294967295u;
		c.ev.comm = p->comm;
		c.ev.exe = p->exe;
		c.ev.cgroup = p->cgroup;
		c.ev.cgroup_id = p->cgroup_id;
		c.ev.mnt_ns = p->mnt_ns;
		c.ev.pid_ns = p->mnt_ns + 3;
		c.ev.container = p->container;
		c.ev.arch = 0xc000003eu;
		c.ev.syscall = NR_PIVOT_ROOT;
		err = sca_writer__add_calls(w, &c);
	}
	return err;
}

/* Calls the source could not attribute (-U), and calls it lost (-L). */
static int troubles(struct sca_writer *w, uint64_t t, bool unattributed, bool lost)
{
	static const int32_t nr[2] = { 101, 318 };   /* ptrace, getrandom */
	int err = 0;

	for (int i = 0; unattributed && i < 2 && !err; i++) {
		struct sca_calls c = { .count = 7 - 4 * (uint64_t)i, .flags = SCA_CALLS_NO_PROCESS };
		c.ev.time_ns = t;
		c.ev.arch = 0xc000003eu;
		c.ev.syscall = nr[i];
		err = sca_writer__add_calls(w, &c);
	}
	if (lost && !err) {
		struct sca_lost l = { t, 5, "syscalls" };
		err = sca_writer__add_lost(w, &l);
	}
	return err;
}

int main(int argc, char **argv)
{
	long n = 100000;
	unsigned long long seed = 42;
	const char *out = NULL, *host = "synthetic-host", *cname = NULL;
	struct sca_container renamed;
	static struct tally tally;
	bool calls = false, unattributed = false, lost = false, args = false;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:o:H:C:cULAh")) != -1) {
		switch (opt) {
		case 'H': host = optarg; break;
		case 'C': cname = optarg; break;
		case 'c': calls = true; break;
		case 'U': unattributed = true; break;
		case 'L': lost = true; break;
		case 'A': args = true; break;
		case 'n': n = atol(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'o': out = optarg; break;
		default:
			fputs(USAGE, stderr);
			return 2;
		}
	}
	if (!out || n < 0 || ((unattributed || lost || args) && !calls)) {
		fputs(USAGE, stderr);
		return 2;
	}
	const struct sca_trace_meta meta = {
		.host = host, .kernel = "6.18.0", .source = "synthetic",
		.recorder = "synth_trace", .cmdline = "synth_trace", .native_arch = 0xc000003e,
		.wall_base_ns = 1700000000000000000ull,
	};
	struct sca_writer *w = sca_writer__create(out, &meta, NULL);
	if (!w) {
		fprintf(stderr, "synth_trace: %s: %s\n", out, strerror(errno));
		return 1;
	}
	struct synth s;
	struct sca_event e;
	int err = 0;
	synth__init(&s, seed, meta.wall_base_ns);
	for (int i = 0; cname && i < SYNTH_PROCS; i++) {
		const struct sca_container *c = s.procs[i].container;
		if (c && !strcmp(c->name, "web")) {
			renamed = *c;
			renamed.name = cname;
			s.procs[i].container = &renamed;
		}
	}
	if (calls)
		err = before_filters(w, &s);
	for (long i = 0; i < n && !err; i++) {
		synth__next(&s, &e);
		if (calls && !refused(&e)) {
			tally_add(&tally, &e, args);
		} else {
			if (calls && e.code == LOG_CODE)
				e.code = EPERM_CODE;
			err = sca_writer__add_event(w, &e);
		}
		if (!err && (i + 1) % CALLS_EVERY == 0)
			err = tally_flush(w, &tally);
	}
	if (!err && calls)
		err = tally_flush(w, &tally);
	if (!err && calls)
		err = troubles(w, s.t, unattributed, lost);
	int cerr = sca_writer__close(w);
	if (err || cerr) {
		fprintf(stderr, "synth_trace: %s: %s\n", out, strerror(-(err ? err : cerr)));
		unlink(out);
		return 1;
	}
	return 0;
}
