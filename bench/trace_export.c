/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace_export: write a trace's events as text, for benchmarks that compare
 * `sca analyze` with other tools on the same events.
 *
 *   trace_export -f csv TRACE OUT     rows of analyze/db.c's events table:
 *                                     trace_id,time_ns,serial,process,tid,
 *                                     arch,nr,code,sig,ip,compat (no header)
 *   trace_export -f audit TRACE OUT   auditd raw log lines (type=SECCOMP)
 *
 * Processes are numbered from 1 in order of first appearance, one id per
 * distinct description (pid, ppid, ids, namespaces, cgroup, comm, exe,
 * container), as `sca analyze` interns them; trace_id is 1. CALLS records
 * (the syscall source's counts) are no events, in neither format: they are
 * counted and left out, and the summary says how many.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/hash.h"
#include "synth.h"
#include "trace.h"

struct proc {
	uint64_t hash;
	int64_t id;                 /* 0 = empty */
	struct sca_event e;         /* process fields; strings owned */
	char *cont[7];
};

struct key {
	uint64_t key;               /* reader proc_key; 0 = empty */
	int64_t id;
};

static struct proc *procs;
static size_t proc_mask, nprocs;
static struct key *keys;
static size_t key_mask, nkeys;

static char *xstrdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d) {
		perror("trace_export");
		exit(1);
	}
	return d;
}

static void cont_fields(const struct sca_container *c, const char *f[7])
{
	const char *none[7] = { 0 };
	if (!c) {
		memcpy(f, none, sizeof(none));
		return;
	}
	const char *v[7] = { c->runtime, c->id, c->name, c->image, c->pod, c->pod_namespace, c->pod_uid };
	memcpy(f, v, sizeof(v));
}

static bool same(const struct proc *p, const struct sca_event *e, const char *cf[7])
{
	const struct sca_event *a = &p->e;
	if (a->pid != e->pid || a->ppid != e->ppid || a->uid != e->uid || a->gid != e->gid ||
	    a->auid != e->auid || a->ses != e->ses || a->mnt_ns != e->mnt_ns ||
	    a->pid_ns != e->pid_ns || a->cgroup_id != e->cgroup_id || !sca_str_eq(a->comm, e->comm) ||
	    !sca_str_eq(a->exe, e->exe) || !sca_str_eq(a->cgroup, e->cgroup) ||
	    (a->container != NULL) != (e->container != NULL))
		return false;
	for (int i = 0; i < 7; i++)
		if (!sca_str_eq(p->cont[i], cf[i]))
			return false;
	return true;
}

/* Grow a table (common/hash.h), or give up: this is a benchmark tool. */
static void grow(void **tab, size_t *mask, size_t esize, bool (*used)(const void *),
		 uint64_t (*hash_of)(const void *))
{
	if (sca_table__grow(tab, mask, esize, 1024, hash_of, used)) {
		perror("trace_export");
		exit(1);
	}
}

static bool proc_used(const void *p) { return ((const struct proc *)p)->id != 0; }
static uint64_t proc_hash(const void *p) { return ((const struct proc *)p)->hash; }
static bool key_used(const void *k) { return ((const struct key *)k)->key != 0; }
static uint64_t key_hash(const void *k) { return sca_hash_mix(0, ((const struct key *)k)->key); }

/* The process id of e: by the reader's proc_key first, then by content. */
static int64_t process_id(const struct sca_event *e)
{
	if (nkeys * 2 >= key_mask)
		grow((void **)&keys, &key_mask, sizeof(*keys), key_used, key_hash);
	size_t k = sca_hash_mix(0, e->proc_key) & key_mask;
	for (; keys[k].key; k = (k + 1) & key_mask)
		if (keys[k].key == e->proc_key)
			return keys[k].id;

	const char *cf[7];
	cont_fields(e->container, cf);
	uint64_t h = sca_hash_mix(sca_hash_mix(sca_hash_mix(sca_hash_mix(0, (uint32_t)e->pid), (uint32_t)e->ppid), e->uid), e->gid);
	h = sca_hash_mix(sca_hash_mix(sca_hash_mix(sca_hash_mix(sca_hash_mix(h, e->auid), e->ses), e->mnt_ns), e->pid_ns), e->cgroup_id);
	h = sca_hash_str(sca_hash_str(sca_hash_str(h, e->comm), e->exe), e->cgroup);
	for (int i = 0; i < 7; i++)
		h = sca_hash_str(h, cf[i]);
	if (nprocs * 2 >= proc_mask)
		grow((void **)&procs, &proc_mask, sizeof(*procs), proc_used, proc_hash);
	size_t j = h & proc_mask;
	for (; procs[j].id; j = (j + 1) & proc_mask)
		if (procs[j].hash == h && same(&procs[j], e, cf))
			goto found;
	struct proc *p = &procs[j];
	p->hash = h;
	p->id = (int64_t)++nprocs;
	p->e = *e;
	p->e.comm = xstrdup(e->comm);
	p->e.exe = xstrdup(e->exe);
	p->e.cgroup = xstrdup(e->cgroup);
	for (int i = 0; i < 7; i++)
		p->cont[i] = xstrdup(cf[i]);
found:
	keys[k].key = e->proc_key;
	keys[k].id = procs[j].id;
	nkeys++;
	return procs[j].id;
}

/* Decimal digits of v into the end of buf; returns the start. */
static char *utoa(uint64_t v, char *end)
{
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

static char *put_i64(char *o, int64_t v)
{
	char tmp[24], *s;
	if (v < 0) {
		*o++ = '-';
		s = utoa(-(uint64_t)v, tmp + sizeof(tmp));
	} else {
		s = utoa((uint64_t)v, tmp + sizeof(tmp));
	}
	size_t n = (size_t)(tmp + sizeof(tmp) - s);
	memcpy(o, s, n);
	return o + n;
}

static void usage(void)
{
	fprintf(stderr, "usage: trace_export -f csv|audit TRACE OUT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *fmt = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "f:h")) != -1) {
		if (opt == 'f')
			fmt = optarg;
		else
			usage();
	}
	if (!fmt || argc - optind != 2)
		usage();
	bool csv = strcmp(fmt, "csv") == 0;
	if (!csv && strcmp(fmt, "audit"))
		usage();

	const char *in = argv[optind], *outp = argv[optind + 1];
	struct sca_reader *r = sca_reader__open(in);
	if (!r) {
		fprintf(stderr, "trace_export: %s: %s\n", in, strerror(errno));
		return 1;
	}
	FILE *out = fopen(outp, "w");
	static char obuf[1 << 20];
	if (!out || setvbuf(out, obuf, _IOFBF, sizeof(obuf))) {
		fprintf(stderr, "trace_export: %s: %s\n", outp, strerror(errno));
		return 1;
	}

	const struct sca_record *rec;
	char line[1024];
	uint64_t events = 0, calls = 0;
	int n;
	while ((n = sca_reader__next(r, &rec)) > 0) {
		calls += rec->kind == SCA_RECORD_CALLS;
		if (rec->kind != SCA_RECORD_EVENT)
			continue;
		const struct sca_event *e = &rec->event;
		size_t len;
		if (csv) {
			/* as analyze/db.c binds them: 64-bit signed integers */
			char *o = line;
			const int64_t v[11] = { 1, (int64_t)e->time_ns, (int64_t)e->serial, process_id(e),
						e->tid, e->arch, e->syscall, e->code, e->signr,
						(int64_t)e->ip, e->compat };
			for (int i = 0; i < 11; i++) {
				o = put_i64(o, v[i]);
				*o++ = i < 10 ? ',' : '\n';
			}
			len = (size_t)(o - line);
		} else {
			int l = synth__audit_line(e, line, sizeof(line));
			if (l < 0 || (size_t)l >= sizeof(line)) {
				fprintf(stderr, "trace_export: event %" PRIu64 ": line too long\n", events);
				return 1;
			}
			len = (size_t)l;
		}
		if (fwrite(line, 1, len, out) != len)
			break;
		events++;
	}
	if (n < 0) {
		fprintf(stderr, "trace_export: %s: read error: %s\n", in, strerror(-n));
		return 1;
	}
	if (ferror(out) | fclose(out)) {
		fprintf(stderr, "trace_export: %s: write error\n", outp);
		unlink(outp);
		return 1;
	}
	sca_reader__close(r);
	fprintf(stderr, "trace_export: %" PRIu64 " events, %zu processes", events, nprocs);
	if (calls)
		fprintf(stderr, "; %" PRIu64 " CALLS records left out (not events)", calls);
	fputc('\n', stderr);
	return 0;
}
