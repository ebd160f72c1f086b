/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracker.c - see tracker.h. A process is a chain of generations: one per
 * fork and one per exec (what it runs, and its comm, change), newest first,
 * linked to the earlier holders of its pid. Generations live in a ring:
 * the oldest is overwritten when it is full, so memory is fixed; a running
 * process that loses its generation is still in /proc, an exited one is
 * lost, and counted when that happens within KEEP_NS of its exit. Lookups
 * probe a small window of the pid index, strings are interned: every
 * operation is bounded.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/hash.h"
#include "proc.h"
#include "proc_event.h"
#include "tracker.h"

#define NGENS (1u << 16)           /* generations kept: ~6 MiB */
#define NPIDS (2 * NGENS)          /* pid index slots */
#define NSTRS (1u << 14)           /* distinct programs and cgroups */
#define PROBE 32                   /* window of every open-addressed lookup */
#define CHAIN 8                    /* holders of one pid looked at */
#define KEEP_NS 10000000000ull     /* an exited process evicted sooner is counted */
/* a clock-conversion error allowed on top of the stamps' own lag */
#define EPS_NS 1000000ull

struct gen {
	uint32_t seq;                 /* 0: empty; else this slot's use number */
	int32_t pid, ppid;
	uint32_t ses;
	bool exited;                  /* ended by exit, not by an exec */
	uint64_t start, end;
	uint64_t mnt_ns, pid_ns, cgroup_id;
	const char *cgroup, *exe;
	char comm[SCA_PROC_COMM_LEN];
	uint32_t prev, prev_seq;      /* the generation before, of this pid */
};

struct pent {
	int32_t pid;
	uint32_t slot, seq;           /* its newest generation */
};

struct str {
	uint64_t key;                 /* a string's hash, or a cgroup id */
	char *s;
};

struct sca_tracker {
	struct gen *gens;
	uint32_t head, seq;
	struct pent *pids;
	struct str *strs, *cgroups;
	int cgroup_fd;                /* the cgroup v2 mount, to resolve ids */
	const char *cgroup_root;      /* its path */
	int64_t boot_offset;
	uint64_t lag;                 /* how far an audit stamp may precede its event */
	struct sca_proc_view view;    /* what sca_tracker__add returns */
	struct gen *last;             /* the last lookup's answer: a busy process asks again */
	uint32_t last_seq;
	struct sca_tracker_stats st;
};

int sca_tracker__new(struct sca_tracker **out, int64_t boot_offset_ns)
{
	struct sca_tracker *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->gens = calloc(NGENS, sizeof(*t->gens));
	t->pids = calloc(NPIDS, sizeof(*t->pids));
	t->strs = calloc(NSTRS, sizeof(*t->strs));
	t->cgroups = calloc(NSTRS, sizeof(*t->cgroups));
	t->boot_offset = boot_offset_ns;
	/* audit stamps its records from the coarse clock, cut to the millisecond:
	 * a tick behind on a busy CPU, more on one that just left idle (measured
	 * here: beyond 6 ms for a few of 20 records with a 4 ms tick), so the
	 * window is two ticks and a millisecond, and never under 20 ms */
	struct timespec res;
	uint64_t tick = clock_getres(CLOCK_REALTIME_COARSE, &res) == 0 && res.tv_sec == 0 ?
				(uint64_t)res.tv_nsec : 10000000ull;
	t->lag = 2 * tick + 1000000ull > 20000000ull ? 2 * tick + 1000000ull : 20000000ull;
	t->cgroup_root = sca_proc__cgroup2_root();
	t->cgroup_fd = t->cgroup_root ? open(t->cgroup_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (!t->gens || !t->pids || !t->strs || !t->cgroups) {
		sca_tracker__free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

void sca_tracker__set_offset(struct sca_tracker *t, int64_t boot_offset_ns)
{
	t->boot_offset = boot_offset_ns;
}

/* A cgroup id that could not be resolved: not asked again. */
static char unresolved[1];

static void free_strs(struct str *s)
{
	for (size_t i = 0; s && i < NSTRS; i++)
		if (s[i].s != unresolved)
			free(s[i].s);
	free(s);
}

void sca_tracker__free(struct sca_tracker *t)
{
	if (!t)
		return;
	if (t->cgroup_fd >= 0)
		close(t->cgroup_fd);
	free_strs(t->strs);
	free_strs(t->cgroups);
	free(t->gens);
	free(t->pids);
	free(t);
}

/* The slot for KEY in a string table: its own, or a free one; NULL if full. */
static struct str *str_slot(struct str *tab, uint64_t key)
{
	for (uint32_t i = 0; i < PROBE; i++) {
		struct str *s = &tab[(sca_hash_u64(key) + i) & (NSTRS - 1)];
		if (!s->s || s->key == key)
			return s;
	}
	return NULL;
}

/* S, interned; NULL when S is empty or the table is full (then unknown). */
static const char *intern(struct sca_tracker *t, const char *s)
{
	if (!s || !*s)
		return NULL;
	uint64_t h = sca_hash_str(0, s);
	struct str *e = str_slot(t->strs, h);
	if (!e)
		return NULL;
	if (e->s)
		return strcmp(e->s, s) ? NULL : e->s;     /* a collision stays unknown */
	e->key = h;
	e->s = strdup(s);
	return e->s;
}

/* A cgroup id's path ("/system.slice/x"), from a handle on the cgroup v2 mount. */
static char *cgroup_path(int mountfd, const char *root, uint64_t id)
{
	size_t rl = strlen(root);
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(uint64_t), .handle_type = 0xfe /* FILEID_KERNFS */ } };
	char link[64], buf[4096];
	int fd;

	memcpy(h.fh.f_handle, &id, sizeof(id));
	if ((fd = open_by_handle_at(mountfd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NULL;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || (size_t)n < rl || strncmp(buf, root, rl))
		return NULL;
	buf[n] = 0;
	return strdup((size_t)n == rl ? "/" : buf + rl);
}

/* ID's path, resolved once; PATH, when known (from /proc), saves the lookup. */
static const char *cgroup_of(struct sca_tracker *t, uint64_t id, const char *path)
{
	struct str *e = id ? str_slot(t->cgroups, id) : NULL;

	if (!e)
		return NULL;
	if (!e->s) {
		e->s = path ? strdup(path) : t->cgroup_fd >= 0 ? cgroup_path(t->cgroup_fd, t->cgroup_root, id) : NULL;
		if (!e->s)
			e->s = unresolved;   /* gone already, or no privilege: once is enough */
		e->key = id;
	} else if (e->s == unresolved && path && (e->s = strdup(path)) == NULL) {
		e->s = unresolved;
	}
	return e->s == unresolved ? NULL : e->s;
}

static struct gen *gen_at(struct sca_tracker *t, uint32_t slot, uint32_t seq, int32_t pid)
{
	struct gen *g = &t->gens[slot];
	return seq && g->seq == seq && g->pid == pid ? g : NULL;
}

/* PID's index slot: its own, else a free or stale one in the window. */
static struct pent *pid_slot(struct sca_tracker *t, int32_t pid, bool add)
{
	struct pent *free_p = NULL;

	for (uint32_t i = 0; i < PROBE; i++) {
		struct pent *p = &t->pids[(sca_hash_u64((uint64_t)pid) + i) & (NPIDS - 1)];
		bool live = p->pid && gen_at(t, p->slot, p->seq, p->pid);
		if (live && p->pid == pid)
			return p;
		if (!live && !free_p)
			free_p = p;
	}
	return add ? free_p : NULL;
}

static struct gen *newest(struct sca_tracker *t, int32_t pid)
{
	struct pent *p = pid_slot(t, pid, false);
	return p ? gen_at(t, p->slot, p->seq, pid) : NULL;
}

/* A fresh generation for PID, linked to its newest one. */
static struct gen *push(struct sca_tracker *t, int32_t pid, uint64_t now)
{
	struct pent *p = pid_slot(t, pid, true);
	struct gen *g = &t->gens[t->head], *prev = newest(t, pid);

	if (!p) {
		t->st.no_room++;
		return NULL;
	}
	if (g->seq && g->exited && now - g->end < KEEP_NS)
		t->st.evicted++;
	/* taken before the slot is overwritten, which may be prev itself */
	uint32_t prev_slot = prev && prev != g ? (uint32_t)(prev - t->gens) : 0;
	uint32_t prev_seq = prev && prev != g ? prev->seq : 0;
	uint32_t slot = t->head;
	t->head = (t->head + 1) & (NGENS - 1);
	if (++t->seq == 0)
		t->seq = 1;
	*g = (struct gen){ .seq = t->seq, .pid = pid, .prev = prev_slot, .prev_seq = prev_seq };
	*p = (struct pent){ .pid = pid, .slot = slot, .seq = t->seq };
	return g;
}

static void set_from(struct sca_tracker *t, struct gen *g, const struct sca_proc_event *e)
{
	g->ppid = (int32_t)e->ppid;
	g->ses = e->sessionid;
	g->start = e->ts_boot_ns;
	g->mnt_ns = e->mnt_ns;
	g->pid_ns = e->pid_ns;
	g->cgroup_id = e->cgroup_id;
	g->cgroup = cgroup_of(t, e->cgroup_id, NULL);
	memcpy(g->comm, e->comm, sizeof(g->comm));
	g->comm[sizeof(g->comm) - 1] = 0;
}

static void view_of(const struct gen *g, struct sca_proc_view *v)
{
	*v = (struct sca_proc_view){
		.pid = g->pid, .ppid = g->ppid, .ses = g->ses, .mnt_ns = g->mnt_ns, .pid_ns = g->pid_ns,
		.cgroup_id = g->cgroup_id, .cgroup = g->cgroup, .exe = g->exe, .comm = g->comm,
		.start_ns = g->start, .end_ns = g->end,
	};
}

const struct sca_proc_view *sca_tracker__add(struct sca_tracker *t, const struct sca_proc_event *e)
{
	int32_t pid = (int32_t)e->tgid;
	struct gen *g, *old = newest(t, pid);

	t->st.events++;
	if (e->kind == SCA_PROC_EXIT) {
		if (old && !old->end) {
			old->end = e->ts_boot_ns;
			old->exited = true;
		}
		return NULL;
	}
	if (!(g = push(t, pid, e->ts_boot_ns)))
		return NULL;
	set_from(t, g, e);
	if (e->kind == SCA_PROC_EXEC) {
		g->exe = intern(t, e->exe);
		if (old && !old->end)
			old->end = e->ts_boot_ns;         /* it runs another program now */
	} else if (e->exe[0]) {
		g->exe = intern(t, e->exe);               /* read from /proc */
	} else {
		/* a fork runs what its forker ran (runc's clones use CLONE_PARENT) */
		struct gen *parent = newest(t, (int32_t)(e->forker ? e->forker : e->ppid));
		g->exe = parent ? parent->exe : NULL;
	}
	view_of(g, &t->view);
	return &t->view;
}

void sca_tracker__add_drops(struct sca_tracker *t, uint64_t n)
{
	t->st.drops += n;
}

/*
 * How well G fits a record stamped AT. The event happened in [AT, AT+lag)
 * (a stamp only lags), and G ran in [start, end): the length they share;
 * 0 when G could not have made it.
 */
static uint64_t overlap(const struct gen *g, uint64_t at, uint64_t lag)
{
	uint64_t lo = g->start > at ? g->start : at, hi = at + lag;

	if (g->end && g->end + EPS_NS < hi)
		hi = g->end + EPS_NS;
	return hi > lo ? hi - lo : 0;
}

static bool comm_is(const struct gen *g, const char *comm)
{
	return comm && !strcmp(comm, g->comm);
}

/*
 * Among PID's holders: the comm's before others, then the one that shares
 * the most of the stamp's window (a pid taken again within milliseconds).
 */
static struct gen *choose(struct sca_tracker *t, int32_t pid, uint64_t at, const char *comm, uint64_t lag)
{
	struct gen *g = newest(t, pid), *best = NULL;
	uint64_t best_ov = 0;

	for (int i = 0; g && i < CHAIN; i++) {
		uint64_t ov = overlap(g, at, lag);
		if (ov && (!best || (comm_is(g, comm) && !comm_is(best, comm)) ||
			   (comm_is(g, comm) == comm_is(best, comm) && ov > best_ov))) {
			best = g;
			best_ov = ov;
		}
		g = gen_at(t, g->prev, g->prev_seq, pid);
	}
	return best;
}

static int found(struct sca_tracker *t, struct gen *g, const char *comm, struct sca_proc_view *out)
{
	if (!g) {
		t->st.missed++;
		return 0;
	}
	t->st.found++;
	t->last = g;
	t->last_seq = g->seq;
	view_of(g, out);
	return !comm || comm_is(g, comm) ? 2 : 1;
}

int sca_tracker__find(struct sca_tracker *t, int32_t pid, uint64_t time_ns, const char *comm,
		      struct sca_proc_view *out)
{
	uint64_t at = time_ns - (uint64_t)t->boot_offset;
	struct gen *g = t->last;

	/* the same process again, still the newest of its pid: no probing */
	if (!(g && g->seq == t->last_seq && g->pid == pid && !g->end && g->start + t->lag <= at &&
	      comm_is(g, comm)))
		g = choose(t, pid, at, comm, t->lag);
	return found(t, g, comm, out);
}

int sca_tracker__find_exact(struct sca_tracker *t, int32_t pid, uint64_t time_ns, struct sca_proc_view *out)
{
	/* a kernel stamp does not lag: the holder that ran at that instant */
	return found(t, choose(t, pid, time_ns - (uint64_t)t->boot_offset, NULL, 1), NULL, out) ? 1 : 0;
}

void sca_tracker__apply(const struct sca_proc_view *v, struct sca_event *ev)
{
	if (ev->ppid < 0)
		ev->ppid = v->ppid;
	if (!ev->mnt_ns)
		ev->mnt_ns = v->mnt_ns;
	if (!ev->pid_ns)
		ev->pid_ns = v->pid_ns;
	if (!ev->cgroup_id)
		ev->cgroup_id = v->cgroup_id;
	if (!ev->cgroup)
		ev->cgroup = v->cgroup;
	if (!ev->exe)
		ev->exe = v->exe;
}

void sca_tracker__stats(const struct sca_tracker *t, struct sca_tracker_stats *st)
{
	*st = t->st;
}

/* ---- the processes that ran before the tracker ------------------------- */

static uint64_t ns_ino(const char *root, int pid, const char *ns)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%d/ns/%s", root, pid, ns);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* /proc/PID/stat: ppid, comm and start time (boot clock); false if gone. */
static bool read_stat(const char *root, int pid, struct sca_proc_event *e)
{
	char path[128], buf[1024];
	unsigned long long start;
	int ppid;

	snprintf(path, sizeof(path), "%s/%d/stat", root, pid);
	if (sca_proc__read(path, buf, sizeof(buf)) <= 0)
		return false;
	const char *f = sca_proc__stat_fields(buf), *lp = strchr(buf, '(');
	if (!f || !lp ||
	    sscanf(f, " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &ppid, &start) != 2)
		return false;
	snprintf(e->comm, sizeof(e->comm), "%.*s", (int)(f - lp - 2 > 15 ? 15 : f - lp - 2), lp + 1);
	e->ppid = (uint32_t)ppid;
	e->ts_boot_ns = start * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
	return true;
}

int sca_tracker__read_proc(struct sca_tracker *t, const char *root, int pid, struct sca_proc_event *e)
{
	char path[128], buf[1024];
	struct stat st;

	*e = (struct sca_proc_event){ .kind = SCA_PROC_FORK, .tgid = (uint32_t)pid,
				      .sessionid = SCA_PROC_ID_UNSET };
	if (!read_stat(root, pid, e))
		return -ESRCH;
	/* a zombie still has its stat, but its namespaces are gone: as good as gone */
	if (!(e->mnt_ns = (uint32_t)ns_ino(root, pid, "mnt")))
		return -ESRCH;
	e->pid_ns = (uint32_t)ns_ino(root, pid, "pid_for_children");
	snprintf(path, sizeof(path), "%s/%d/sessionid", root, pid);
	if (sca_proc__read(path, buf, sizeof(buf)) > 0)
		e->sessionid = (uint32_t)strtoul(buf, NULL, 10);
	snprintf(path, sizeof(path), "%s/%d/cgroup", root, pid);
	char *cg = sca_proc__read(path, buf, sizeof(buf)) > 0 ? sca_proc__cgroup(buf) : NULL;
	char cgdir[sizeof(buf) + 256];
	snprintf(cgdir, sizeof(cgdir), "%s%s", t->cgroup_root ? t->cgroup_root : "", cg ? cg : "");
	if (cg && t->cgroup_root && stat(cgdir, &st) == 0) {
		e->cgroup_id = st.st_ino;
		cgroup_of(t, e->cgroup_id, cg);   /* the path, without a handle lookup */
	}
	snprintf(path, sizeof(path), "%s/%d/exe", root, pid);
	ssize_t n = readlink(path, e->exe, sizeof(e->exe) - 1);
	e->exe[n > 0 ? n : 0] = 0;
	return 0;
}

int sca_tracker__fork_of(struct sca_tracker *t, int32_t parent, uint64_t ts_boot_ns, struct sca_proc_event *e)
{
	struct sca_proc_view v;

	if (!found(t, choose(t, parent, ts_boot_ns, NULL, 1), NULL, &v))
		return -ESRCH;
	*e = (struct sca_proc_event){ .kind = SCA_PROC_FORK, .ppid = (uint32_t)parent, .forker = (uint32_t)parent,
				      .sessionid = v.ses, .mnt_ns = (uint32_t)v.mnt_ns,
				      .pid_ns = (uint32_t)v.pid_ns, .cgroup_id = v.cgroup_id,
				      .ts_boot_ns = ts_boot_ns };
	snprintf(e->comm, sizeof(e->comm), "%s", v.comm ? v.comm : "");
	snprintf(e->exe, sizeof(e->exe), "%s", v.exe ? v.exe : "");
	return 0;
}

int sca_tracker__seed(struct sca_tracker *t, const char *proc_root)
{
	DIR *d = opendir(proc_root);
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		/* a process that began after the tracker is better known from its fork */
		struct sca_proc_event e;
		if (!newest(t, (int32_t)pid) && sca_tracker__read_proc(t, proc_root, (int)pid, &e) == 0)
			sca_tracker__add(t, &e);
	}
	closedir(d);
	return 0;
}
