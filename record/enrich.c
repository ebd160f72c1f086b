/* SPDX-License-Identifier: BSD-2-Clause */
/* enrich.c - see enrich.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <unistd.h>

#include "common/hash.h"
#include "enrich.h"
#include "proc.h"
#include "tracker.h"

#define SLOTS 4096
#define TTL_NS 1000000000ull

struct proc_info {
	int32_t pid;             /* 0 = empty */
	uint64_t read_ns;
	bool alive;
	int32_t ppid;
	uint64_t mnt_ns, pid_ns, cgroup_id;
	char cgroup[512];
	char exe[PATH_MAX];
	uint64_t stale_exe;      /* hash of a record exe that /proc did not match */
};

struct sca_enricher {
	char root[256];
	struct proc_info *slot;   /* direct-mapped by pid */
};

int sca_enricher__new(struct sca_enricher **out, const char *proc_root)
{
	struct sca_enricher *en = calloc(1, sizeof(*en));
	if (!en)
		return -ENOMEM;
	en->slot = calloc(SLOTS, sizeof(*en->slot));
	if (!en->slot) {
		free(en);
		return -ENOMEM;
	}
	snprintf(en->root, sizeof(en->root), "%s", proc_root ? proc_root : "/proc");
	*out = en;
	return 0;
}

void sca_enricher__free(struct sca_enricher *en)
{
	if (!en)
		return;
	free(en->slot);
	free(en);
}

static void load(struct sca_enricher *en, struct proc_info *p, int32_t pid)
{
	char path[320], buf[1024];
	struct stat st;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	int ppid = sca_proc__ppid(en->root, pid);
	p->ppid = ppid;
	if (ppid < 0)
		return;
	p->alive = true;
	p->ppid = ppid;
	snprintf(path, sizeof(path), "%s/%d/ns/mnt", en->root, pid);
	if (stat(path, &st) == 0)
		p->mnt_ns = st.st_ino;
	snprintf(path, sizeof(path), "%s/%d/ns/pid", en->root, pid);
	if (stat(path, &st) == 0)
		p->pid_ns = st.st_ino;
	snprintf(path, sizeof(path), "%s/%d/cgroup", en->root, pid);
	if (sca_proc__read(path, buf, sizeof(buf)) > 0) {
		char *l = sca_proc__cgroup(buf);
		if (l) {
			snprintf(p->cgroup, sizeof(p->cgroup), "%s", l);
			char cg[sizeof(p->cgroup) + 256];
			const char *root = sca_proc__cgroup2_root();
			snprintf(cg, sizeof(cg), "%s%s", root ? root : "/sys/fs/cgroup", p->cgroup);
			if (root && stat(cg, &st) == 0)
				p->cgroup_id = st.st_ino;   /* the kernel's cgroup id */
		}
	}
	snprintf(path, sizeof(path), "%s/%d/exe", en->root, pid);
	ssize_t n = readlink(path, p->exe, sizeof(p->exe) - 1);
	p->exe[n > 0 ? n : 0] = 0;
}

/*
 * Same program, as far as the record and /proc can tell: the kernel prints
 * the record's exe from inside the process's mount namespace, /proc/PID/exe
 * reads it from ours (a container's binary shows under its rootfs), so the
 * file names are compared, not the paths.
 */
static bool same_program(const char *rec, const char *proc)
{
	if (!rec || !proc[0])
		return true;
	const char *a = strrchr(rec, '/'), *b = strrchr(proc, '/');
	a = a ? a + 1 : rec;
	b = b ? b + 1 : proc;
	size_t n = strlen(a);
	/* "/bin/x (deleted)" is still x */
	return strncmp(a, b, n) == 0 && (b[n] == 0 || b[n] == ' ');
}

/* Never 0, which means "no exe was stale". */
static uint64_t exe_hash(const char *s)
{
	return sca_hash_str(0, s) | 1;
}

void sca_enricher__fill(struct sca_enricher *en, struct sca_event *ev, uint64_t now_ns)
{
	struct proc_info *p = &en->slot[(uint32_t)ev->pid % SLOTS];

	if (ev->pid <= 0)
		return;
	if (p->pid != ev->pid || now_ns - p->read_ns > TTL_NS) {
		load(en, p, ev->pid);
		p->read_ns = now_ns;
	}
	/* Another program than cached: the process exec'd (or the pid was
	 * reused) since we looked; look again, once per such program. */
	if (p->alive && !same_program(ev->exe, p->exe) && p->stale_exe != exe_hash(ev->exe)) {
		load(en, p, ev->pid);
		p->read_ns = now_ns;
		p->stale_exe = exe_hash(ev->exe);
	}
	if (!p->alive)
		return;
	/* still another program: /proc describes someone else; keep the record's */
	if (!same_program(ev->exe, p->exe))
		return;
	struct sca_proc_view v = {
		.pid = p->pid, .ppid = p->ppid, .mnt_ns = p->mnt_ns, .pid_ns = p->pid_ns,
		.cgroup_id = p->cgroup_id, .cgroup = p->cgroup[0] ? p->cgroup : NULL,
		.exe = p->exe[0] ? p->exe : NULL,
	};
	sca_tracker__apply(&v, ev);
}
