/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>
#include <string.h>

#include "synth.h"

static const struct sca_container conts[3] = {
	{ "runc", "4f1c2a9e8b7d6c5a4f1c2a9e8b7d6c5a4f1c2a9e8b7d6c5a4f1c2a9e8b7d6c5a", "web",
	  "docker.io/library/nginx:1.25", "web-7d9f8", "shop", "2b0f7c1e-61a4-4f9e-9a57-3c1b5e0d2a11" },
	{ "runc", "9a8b7c6d5e4f3a2b1c0d9a8b7c6d5e4f3a2b1c0d9a8b7c6d5e4f3a2b1c0d9a8b", "api",
	  "registry.local/api:2.3", "api-5c4b3", "shop", "8c3e2d1f-7a6b-4c5d-8e9f-0a1b2c3d4e5f" },
	{ "crun", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "redis",
	  "docker.io/library/redis:7", "cache-0", "infra", "11111111-2222-4333-8444-555555555555" },
};

/* x86_64 numbers of a typical server's logged syscalls, most frequent first. */
static const int32_t sys64[SYNTH_SYSCALLS] = {
	0, 1, 232, 281, 44, 45, 3, 257, 9, 11, 202, 228, 7, 20, 19, 4, 5, 8, 72, 39,
};

static uint64_t rnd(struct synth *s)
{
	/* xorshift64*: fast and good enough for a workload model */
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dull;
}

void synth__init(struct synth *s, uint64_t seed, uint64_t start_ns)
{
	static const struct {
		const char *comm, *exe;
		int cont, threads;
	} spec[SYNTH_PROCS] = {
		{ "nginx", "/usr/sbin/nginx", 0, 1 },
		{ "nginx", "/usr/sbin/nginx", 0, 1 },
		{ "api-server", "/app/api-server", 1, 4 },
		{ "api-server", "/app/api-server", 1, 4 },
		{ "redis-server", "/usr/local/bin/redis-server", 2, 3 },
		{ "sshd", "/usr/sbin/sshd", -1, 1 },
		{ "cron", "/usr/sbin/cron", -1, 1 },
		{ "legacy32", "/opt/legacy/bin/legacy32", -1, 1 },
	};
	static const char *cgroups[4] = {
		"/system.slice/runc-4f1c2a9e8b7d.scope",
		"/kubepods.slice/kubepods-burstable.slice/cri-containerd-9a8b7c6d5e4f.scope",
		"/machine.slice/libpod-0123456789ab.scope",
		"/system.slice/ssh.service",
	};
	memset(s, 0, sizeof(*s));
	s->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
	s->t = start_ns;
	s->serial = 1000;
	for (int i = 0; i < SYNTH_PROCS; i++) {
		struct synth_proc *p = &s->procs[i];
		p->pid = 4100 + 37 * i;
		p->ppid = spec[i].cont >= 0 ? 4000 + spec[i].cont : 1;
		p->nthreads = spec[i].threads;
		p->uid = spec[i].cont >= 0 ? 0 : 1000;
		p->comm = spec[i].comm;
		p->exe = spec[i].exe;
		p->container = spec[i].cont >= 0 ? &conts[spec[i].cont] : NULL;
		p->cgroup = cgroups[spec[i].cont >= 0 ? spec[i].cont : 3];
		p->cgroup_id = 7000 + (uint64_t)(spec[i].cont >= 0 ? spec[i].cont : 3);
		p->mnt_ns = spec[i].cont >= 0 ? 4026532000ull + (uint64_t)spec[i].cont : 4026531841ull;
		p->ip_base = 0x7f3a12000000ull + ((uint64_t)i << 24);
	}
}

void synth__next(struct synth *s, struct sca_event *e)
{
	uint64_t r = rnd(s);
	const struct synth_proc *p = &s->procs[r % SYNTH_PROCS];
	/* skewed syscall mix: min of two uniform draws favours low indexes */
	unsigned a = (unsigned)((r >> 8) % SYNTH_SYSCALLS), b = (unsigned)((r >> 16) % SYNTH_SYSCALLS);
	unsigned sc = a < b ? a : b;
	bool compat = p->comm[0] == 'l' && ((r >> 24) & 3) == 0;

	s->t += 1000 + (rnd(s) % 49001);   /* 1-50 us apart, ns resolution */
	memset(e, 0, sizeof(*e));
	e->time_ns = s->t;
	e->serial = s->serial++;
	e->pid = p->pid;
	e->tid = p->pid + (int32_t)((r >> 32) % (uint64_t)p->nthreads);
	e->ppid = p->ppid;
	e->uid = e->gid = p->uid;
	e->auid = p->container ? 4294967295u : 1000;
	e->ses = p->container ? 4294967295u : 3;
	e->mnt_ns = p->mnt_ns;
	e->pid_ns = p->mnt_ns + 3;
	e->cgroup_id = p->cgroup_id;
	e->comm = p->comm;
	e->exe = p->exe;
	e->cgroup = p->cgroup;
	e->container = p->container;
	e->arch = compat ? 0x40000003u : 0xc000003eu;
	e->compat = compat;
	e->syscall = compat ? (int32_t)(3 + sc) : sys64[sc];
	/* mostly logged; some refused with EPERM; rarely killed */
	unsigned act = (unsigned)((r >> 40) % 1000);
	e->code = act < 960 ? 0x7ffc0000u : act < 998 ? 0x00050001u : 0x00000000u;
	e->signr = e->code == 0 ? 31 : 0;
	e->ip = p->ip_base + (uint64_t)sc * 0x1a3;
}

int synth__audit_line(const struct sca_event *e, char *buf, size_t n)
{
	return snprintf(buf, n,
			"type=SECCOMP msg=audit(%llu.%03llu:%llu): auid=%u uid=%u gid=%u ses=%u "
			"subj=unconfined pid=%d comm=\"%s\" exe=\"%s\" sig=%d arch=%x syscall=%d "
			"compat=%d ip=0x%llx code=0x%x\n",
			(unsigned long long)(e->time_ns / 1000000000ull),
			(unsigned long long)(e->time_ns / 1000000ull % 1000),
			(unsigned long long)e->serial, e->auid, e->uid, e->gid, e->ses, e->pid,
			e->comm, e->exe, e->signr, e->arch, e->syscall, e->compat ? 1 : 0,
			(unsigned long long)e->ip, e->code);
}
