/* SPDX-License-Identifier: BSD-2-Clause */
/* containers.c - see containers.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "common/hash.h"
#include "containers.h"
#include "proc.h"

#define RESCAN_NS 1000000000ull
/* immediate scans for never-seen namespaces, per RESCAN_NS */
#define FRESH_SCANS 16
/* an exited container's last events may still be in flight this long */
#define GRACE_NS 5000000000ull
#define CACHE_SLOTS 4096        /* power of two */
#define ID_BUCKETS 1024         /* power of two */

/* What a state file looked like when it was read: a change means a rewrite. */
struct stamp {
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct entry {
	struct sca_container c;       /* strings owned */
	size_t root;                  /* index into roots */
	char *key;                    /* its directory under the root: "<id>", "<namespace>/<id>" */
	uint64_t id_hash;
	struct entry *id_next;        /* same id bucket */
	char *cgroup;                 /* init's cgroup v2 path; NULL: unknown, or the root */
	uint64_t init_mnt;            /* init's mount namespace, for the liveness check */
	uint64_t mnt_ns;              /* what events match: init_mnt unless it is the host's */
	int32_t pid;
	uint64_t start;               /* init's start time (clock ticks since boot); 0: unknown */
	struct stamp stamp;
	bool live;
	uint64_t exited_ns;           /* when a scan found it gone */
	uint64_t seen;                /* last scan that listed its state directory */
	uint64_t order;               /* when added: the oldest are evicted first */
};

/* A remembered answer for one (mount namespace, cgroup) pair. */
struct slot {
	uint64_t gen;                 /* valid while equal to the table's gen */
	uint64_t mnt_ns, cg;
	struct entry *en;             /* NULL: host or unknown */
};

struct root {
	char *runtime, *path;
};

struct sca_containers {
	struct root *roots;
	size_t nroots;
	char *docker_root;
	struct entry **ents;
	size_t n, cap;
	struct entry *ids[ID_BUCKETS];
	uint64_t host_mnt;            /* no container is matched by this namespace */
	uint64_t gen;                 /* bumped when the table changes: cached answers go stale */
	uint64_t scans, order;
	uint64_t last_scan_ns;
	uint64_t fresh_start_ns;     /* window of the immediate scans */
	unsigned fresh_scans;
	bool timed;                   /* last_scan_ns is set (the first scan has no time) */
	struct slot *cache;
	int watch_fd;                 /* inotify on the roots and their directories; -1: none */
	unsigned nwatch;
};

/* Watches at most: the roots, a namespace level, containers being created. */
#define MAX_WATCHES 4096

static const struct sca_runtime_root default_roots[] = {
	{ "runc", "/run/runc" },
	{ "docker", "/run/docker/runtime-runc/moby" },
	{ "containerd", "/run/containerd/runc" },
	{ "crun", "/run/crun" },
};

static uint64_t ns_inode(const char *path)
{
	struct stat st;
	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

/* Field 22 of /proc/PID/stat; 0 when the process is gone. */
static uint64_t proc_start(int32_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (sca_proc__read(path, buf, sizeof(buf)) <= 0)
		return 0;
	const char *p = sca_proc__stat_fields(buf);
	for (int field = 2; field < 21 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

/* The init still runs: same start time, or (unknown) same mount namespace. */
static bool init_alive(const struct entry *en)
{
	char path[64];

	if (en->pid <= 0)
		return false;
	if (en->start)
		return proc_start(en->pid) == en->start;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", en->pid);
	return en->init_mnt && ns_inode(path) == en->init_mnt;
}

/* The cgroup v2 line "0::/path" of /proc/PID/cgroup. */
static char *proc_cgroup(int32_t pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	if (sca_proc__read(path, buf, sizeof(buf)) <= 0)
		return NULL;
	char *l = sca_proc__cgroup(buf);
	/* the root cgroup holds the host: it names no container */
	if (!l || !*l || !strcmp(l, "/"))
		return NULL;
	return strdup(l);
}

static void stamp_of(const struct stat *st, struct stamp *s)
{
	s->ino = st->st_ino;
	s->size = st->st_size;
	s->mtime = st->st_mtim;
}

static bool stamp_eq(const struct stamp *a, const struct stamp *b)
{
	return a->ino == b->ino && a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A JSON number, or a number in a string (older runc's start time). */
static uint64_t jnum(const json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v) : 0;
	if (json_is_string(v))
		return strtoull(json_string_value(v), NULL, 10);
	return 0;
}

static bool has_k8s(const json_t *ann)
{
	return jstr(ann, "io.kubernetes.pod.name") || jstr(ann, "io.kubernetes.cri.sandbox-name") ||
	       jstr(ann, "io.kubernetes.cri.container-type");
}

/* Add the annotations of the OCI config at PATH that ANN lacks. */
static void add_config_annotations(json_t *ann, const char *path)
{
	json_t *cfg = json_load_file(path, 0, NULL);
	if (!cfg)
		return;
	json_t *a = json_object_get(cfg, "annotations");
	if (json_is_object(a))
		json_object_update_missing(ann, a);
	json_decref(cfg);
}

static int dup_field(const char **f, const char *v)
{
	if (!v || !*v)
		return 0;
	*f = strdup(v);
	return *f ? 0 : -ENOMEM;
}

static void entry_free(struct entry *en)
{
	if (!en)
		return;
	free((char *)en->c.runtime);
	free((char *)en->c.id);
	free((char *)en->c.name);
	free((char *)en->c.image);
	free((char *)en->c.pod);
	free((char *)en->c.pod_namespace);
	free((char *)en->c.pod_uid);
	free(en->cgroup);
	free(en->key);
	free(en);
}

/* Docker's own record of a container: its name and image. */
static int docker_names(const struct sca_containers *c, struct entry *en, const char *id)
{
	char path[PATH_MAX];
	int err = 0;

	if (snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", c->docker_root, id) >=
	    (int)sizeof(path))
		return 0;
	json_t *cfg = json_load_file(path, 0, NULL);
	if (!cfg)
		return 0;
	const char *name = jstr(cfg, "Name");
	if (name && *name == '/')
		name++;
	if (!en->c.name)
		err = dup_field(&en->c.name, name);
	if (!err && !en->c.image)
		err = dup_field(&en->c.image, jstr(json_object_get(cfg, "Config"), "Image"));
	json_decref(cfg);
	return err;
}

/* 64 hex digits (Docker, containerd): shown by its first 12, as docker ps does. */
static int short_id(struct entry *en)
{
	const char *id = en->c.id;
	size_t n = strspn(id, "0123456789abcdef");
	if (n == 64 && !id[n]) {
		en->c.name = strndup(id, 12);
		return en->c.name ? 0 : -ENOMEM;
	}
	return dup_field(&en->c.name, id);
}

/* Names from the annotations, Docker's config, or the id. */
static int name_entry(const struct sca_containers *c, struct entry *en, const json_t *ann)
{
	const char *runtime = c->roots[en->root].runtime, *name = NULL, *type;
	int err = 0;

	if (jstr(ann, "io.kubernetes.pod.name")) {
		/* CRI-O, whichever OCI runtime it runs */
		runtime = "cri-o";
		name = jstr(ann, "io.kubernetes.container.name");
		err = err ?: dup_field(&en->c.pod, jstr(ann, "io.kubernetes.pod.name"));
		err = err ?: dup_field(&en->c.pod_namespace, jstr(ann, "io.kubernetes.pod.namespace"));
		err = err ?: dup_field(&en->c.pod_uid, jstr(ann, "io.kubernetes.pod.uid"));
		err = err ?: dup_field(&en->c.image, jstr(ann, "io.kubernetes.cri-o.ImageName"));
	} else if (has_k8s(ann)) {
		/* containerd's CRI plugin; a sandbox (pause) container has no
		 * container name: call it POD, as CRI-O does */
		name = jstr(ann, "io.kubernetes.cri.container-name");
		type = jstr(ann, "io.kubernetes.cri.container-type");
		if (!name && type && !strcmp(type, "sandbox"))
			name = "POD";
		err = err ?: dup_field(&en->c.pod, jstr(ann, "io.kubernetes.cri.sandbox-name"));
		err = err ?: dup_field(&en->c.pod_namespace, jstr(ann, "io.kubernetes.cri.sandbox-namespace"));
		err = err ?: dup_field(&en->c.pod_uid, jstr(ann, "io.kubernetes.cri.sandbox-uid"));
		err = err ?: dup_field(&en->c.image, jstr(ann, "io.kubernetes.cri.image-name"));
	} else {
		name = jstr(ann, "nerdctl/name");
	}
	err = err ?: dup_field(&en->c.runtime, runtime);
	err = err ?: dup_field(&en->c.name, name);
	if (!err && !strcmp(runtime, "docker"))
		err = docker_names(c, en, en->c.id);
	if (!err && !en->c.name)
		err = short_id(en);
	return err;
}

/*
 * Read the container whose state is FILE (runc's state.json, or crun's
 * status) in DIR. Its init may be gone: the entry then matches nothing but
 * remembers the state file, so it is not read again.
 */
static int entry_load(const struct sca_containers *c, size_t root, const char *dir, const char *id,
		      const char *file, bool crun, struct entry **out)
{
	json_t *st = NULL, *ann = NULL;
	struct entry *en = NULL;
	const char *bundle = NULL;
	char path[PATH_MAX];
	int err;

	st = json_load_file(file, 0, NULL);
	ann = json_object();
	en = calloc(1, sizeof(*en));
	if (!st || !ann || !en) {
		err = st ? -ENOMEM : -EINVAL;
		goto cleanup;
	}
	en->root = root;
	if (crun) {
		en->pid = (int32_t)jnum(json_object_get(st, "pid"));
		en->start = jnum(json_object_get(st, "process-start-time"));
		bundle = jstr(st, "bundle");
		/* crun keeps the config it ran in its state directory */
		if (snprintf(path, sizeof(path), "%s/config.json", dir) < (int)sizeof(path))
			add_config_annotations(ann, path);
	} else {
		size_t i;
		json_t *v;
		en->pid = (int32_t)jnum(json_object_get(st, "init_process_pid"));
		en->start = jnum(json_object_get(st, "init_process_start"));
		/* runc keeps the bundle and every annotation as "key=value" labels */
		json_array_foreach(json_object_get(json_object_get(st, "config"), "labels"), i, v) {
			const char *s = json_string_value(v), *eq = s ? strchr(s, '=') : NULL;
			char key[256];
			if (!eq || (size_t)(eq - s) >= sizeof(key))
				continue;
			memcpy(key, s, (size_t)(eq - s));
			key[eq - s] = 0;
			if (!strcmp(key, "bundle"))
				bundle = eq + 1;
			else
				json_object_set_new(ann, key, json_string(eq + 1));
		}
	}
	/* runtimes that keep no annotations in their state: the bundle's config */
	if (!has_k8s(ann) && bundle && snprintf(path, sizeof(path), "%s/config.json", bundle) < (int)sizeof(path))
		add_config_annotations(ann, path);

	if ((err = dup_field(&en->c.id, id)) || (err = name_entry(c, en, ann)))
		goto cleanup;
	if (en->pid > 0 && (!en->start || proc_start(en->pid) == en->start)) {
		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", en->pid);
		en->init_mnt = ns_inode(path);
		en->live = en->init_mnt != 0;
		/* a container without a mount namespace of its own goes by cgroup */
		en->mnt_ns = en->init_mnt != c->host_mnt ? en->init_mnt : 0;
		en->cgroup = proc_cgroup(en->pid);
	}
	*out = en;
	en = NULL;
	err = 0;
cleanup:
	entry_free(en);
	json_decref(ann);
	json_decref(st);
	return err;
}

static struct entry **bucket(struct sca_containers *c, uint64_t h)
{
	return &c->ids[h & (ID_BUCKETS - 1)];
}

/* The newest entry for KEY in ROOT, a live one first. */
static struct entry *find(struct sca_containers *c, size_t root, const char *key, uint64_t h)
{
	struct entry *best = NULL;
	for (struct entry *en = *bucket(c, h); en; en = en->id_next) {
		if (en->id_hash != h || en->root != root || strcmp(en->key, key))
			continue;
		if (!best || (en->live && !best->live) || (en->live == best->live && en->order > best->order))
			best = en;
	}
	return best;
}

static void evict(struct sca_containers *c, size_t i)
{
	struct entry *en = c->ents[i];
	for (struct entry **p = bucket(c, en->id_hash); *p; p = &(*p)->id_next)
		if (*p == en) {
			*p = en->id_next;
			break;
		}
	c->ents[i] = c->ents[--c->n];
	entry_free(en);
}

/*
 * Add EN; when full, a running one takes the place of the oldest exited
 * entry. Otherwise EN is freed (an exited one is not worth an eviction: it
 * would come back at the next scan and evict another). Returns whether added.
 */
static bool add(struct sca_containers *c, struct entry *en, uint64_t h)
{
	if (c->n >= SCA_CONTAINERS_MAX) {
		size_t old = c->n;
		if (!en->live) {
			entry_free(en);
			return false;
		}
		for (size_t i = 0; i < c->n; i++)
			if (!c->ents[i]->live && (old == c->n || c->ents[i]->order < c->ents[old]->order))
				old = i;
		if (old == c->n) {
			entry_free(en);
			return false;
		}
		evict(c, old);
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct entry **e = realloc(c->ents, cap * sizeof(*e));
		if (!e) {
			entry_free(en);
			return false;
		}
		c->ents = e;
		c->cap = cap;
	}
	en->id_hash = h;
	en->order = ++c->order;
	en->id_next = *bucket(c, h);
	*bucket(c, h) = en;
	c->ents[c->n++] = en;
	return true;
}

static void mark_exited(struct sca_containers *c, struct entry *en, uint64_t now)
{
	en->live = false;
	en->exited_ns = now;
	c->gen++;
}

/*
 * One container directory, KEY under its root: known and running costs a
 * stat, new ones a read.
 */
static void visit(struct sca_containers *c, size_t root, const char *dir, const char *key, const char *id,
		  const char *file, const struct stat *st, bool crun, uint64_t now)
{
	uint64_t h = sca_hash_str(0, key);
	struct entry *known = find(c, root, key, h), *en = NULL;
	struct stamp s;

	stamp_of(st, &s);
	if (known && known->live) {
		known->seen = c->scans;
		if (init_alive(known))
			return;
		mark_exited(c, known, now);
	}
	if (known && stamp_eq(&known->stamp, &s))
		return;
	/* new, or rewritten since: a restart under the same id, or a state update */
	if (entry_load(c, root, dir, id, file, crun, &en))
		return;
	if (!(en->key = strdup(key))) {
		entry_free(en);
		return;
	}
	en->stamp = s;
	en->seen = c->scans;
	if (known && known->pid == en->pid && known->start == en->start) {
		known->stamp = s;
		entry_free(en);
		return;
	}
	if (!en->live)
		en->exited_ns = now;
	if (add(c, en, h))
		c->gen++;
}

/* PARENT: the namespace directory's name at depth 1 (containerd), else NULL. */
static void scan_dir(struct sca_containers *c, size_t root, const char *path, const char *parent, uint64_t now)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char dir[PATH_MAX], file[PATH_MAX + 16], key[2 * NAME_MAX + 2];
		struct stat st;
		bool crun = false;

		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		if (snprintf(dir, sizeof(dir), "%s/%s", path, de->d_name) >= (int)sizeof(dir))
			continue;
		snprintf(file, sizeof(file), "%s/state.json", dir);
		if (stat(file, &st)) {
			snprintf(file, sizeof(file), "%s/status", dir);
			crun = true;
			if (stat(file, &st)) {
				/* containerd: <root>/<namespace>/<id> */
				if (!parent)
					scan_dir(c, root, dir, de->d_name, now);
				continue;
			}
		}
		/* ids are unique per namespace only */
		snprintf(key, sizeof(key), "%s%s%s", parent ? parent : "", parent ? "/" : "", de->d_name);
		visit(c, root, dir, key, de->d_name, file, &st, crun, now);
	}
	closedir(d);
}

static void scan(struct sca_containers *c, uint64_t now)
{
	c->scans++;
	for (size_t r = 0; r < c->nroots; r++)
		scan_dir(c, r, c->roots[r].path, NULL, now);
	/* state directory gone: the runtime deleted the container */
	for (size_t i = 0; i < c->n; i++)
		if (c->ents[i]->live && c->ents[i]->seen != c->scans)
			mark_exited(c, c->ents[i], now);
	c->last_scan_ns = now;
}

/*
 * A runtime writes a container's state when it creates it, and removes it
 * when the container is deleted, which for `runc run` of a short command is
 * milliseconds later: a scan on demand may come too late. inotify says when
 * a directory appears under a root and when a state file is written in it.
 */
static void watch(struct sca_containers *c, const char *path)
{
	if (c->watch_fd < 0 || c->nwatch >= MAX_WATCHES)
		return;
	if (inotify_add_watch(c->watch_fd, path, IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR) >= 0)
		c->nwatch++;
}

static void watch_roots(struct sca_containers *c)
{
	c->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	for (size_t r = 0; r < c->nroots; r++)
		watch(c, c->roots[r].path);
}

int sca_containers__watch_fd(const struct sca_containers *c)
{
	return c ? c->watch_fd : -1;
}

/* The path a watch descriptor stands for is not kept: a new directory under
 * any watched one is watched too (a container, or containerd's namespace
 * level), found by listing the roots again. */
static void watch_new_dirs(struct sca_containers *c, const char *path, int depth)
{
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char sub[PATH_MAX];
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		watch(c, sub);       /* the kernel returns the same watch for a watched one */
		if (depth < 1)
			watch_new_dirs(c, sub, depth + 1);
	}
	closedir(d);
}

bool sca_containers__poll(struct sca_containers *c, uint64_t now_ns)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool dirs = false, state = false;
	ssize_t n;

	if (!c || c->watch_fd < 0)
		return false;
	while ((n = read(c->watch_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_ISDIR)
				dirs = true;
			else if (ev->len && strcmp(ev->name, "state.json") == 0)
				state = true;
			if (ev->mask & IN_IGNORED && c->nwatch)
				c->nwatch--;
		}
	}
	for (size_t r = 0; dirs && r < c->nroots; r++)
		watch_new_dirs(c, c->roots[r].path, 0);
	/* a state file written before its directory was watched is found by the scan */
	if (state || dirs)
		scan(c, now_ns);
	return state || dirs;
}

int sca_containers__new(struct sca_containers **out, const struct sca_runtime_root *roots, size_t n,
			const char *docker_root)
{
	struct sca_containers *c;
	int err = -ENOMEM;

	if (!roots || !n) {
		roots = default_roots;
		n = sizeof(default_roots) / sizeof(default_roots[0]);
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->watch_fd = -1;
	c->roots = calloc(n, sizeof(*c->roots));
	c->cache = calloc(CACHE_SLOTS, sizeof(*c->cache));
	c->docker_root = strdup(docker_root ? docker_root : "/var/lib/docker");
	if (!c->roots || !c->cache || !c->docker_root)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		if (!roots[i].runtime || !roots[i].path || !*roots[i].runtime || !*roots[i].path) {
			err = -EINVAL;
			goto cleanup;
		}
		c->nroots++;
		if (!(c->roots[i].runtime = strdup(roots[i].runtime)) || !(c->roots[i].path = strdup(roots[i].path)))
			goto cleanup;
	}
	/* the host's mount namespace: init's, or ours when init's is hidden */
	if (!(c->host_mnt = ns_inode("/proc/1/ns/mnt")))
		c->host_mnt = ns_inode("/proc/self/ns/mnt");
	c->gen = 1;   /* cache slots start at gen 0: all stale */
	watch_roots(c);
	/* read every state file now, before events wait on it */
	scan(c, 0);
	*out = c;
	return 0;
cleanup:
	sca_containers__free(c);
	return err;
}

void sca_containers__free(struct sca_containers *c)
{
	if (!c)
		return;
	if (c->watch_fd >= 0)
		close(c->watch_fd);
	for (size_t i = 0; i < c->n; i++)
		entry_free(c->ents[i]);
	for (size_t i = 0; i < c->nroots; i++) {
		free(c->roots[i].runtime);
		free(c->roots[i].path);
	}
	free(c->ents);
	free(c->roots);
	free(c->cache);
	free(c->docker_root);
	free(c);
}

static bool expired(const struct entry *en, uint64_t now)
{
	return !en->live && now > en->exited_ns && now - en->exited_ns >= GRACE_NS;
}

static bool under(const char *path, const char *top)
{
	size_t n = strlen(top);
	return strncmp(path, top, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/*
 * The best match: a running container before an exited one, its mount
 * namespace before its cgroup, the deepest cgroup among cgroups. A mount
 * namespace only counts when the cgroups agree (when both are known): a
 * freed namespace's inode number is soon reused.
 */
static struct entry *match(const struct sca_containers *c, const struct sca_event *e, uint64_t now)
{
	struct entry *best = NULL;
	int best_rank = 0;
	size_t best_len = 0;

	for (size_t i = 0; i < c->n; i++) {
		struct entry *en = c->ents[i];
		if (expired(en, now))
			continue;
		bool cg_known = en->cgroup && e->cgroup;
		bool cg = cg_known && under(e->cgroup, en->cgroup);
		int rank;
		if (en->mnt_ns && e->mnt_ns == en->mnt_ns && (cg || !cg_known))
			rank = 2;
		else if (cg)
			rank = 1;
		else
			continue;
		rank += en->live ? 4 : 0;
		size_t len = cg ? strlen(en->cgroup) : 0;
		if (rank > best_rank || (rank == best_rank && len > best_len)) {
			best = en;
			best_rank = rank;
			best_len = len;
		}
	}
	return best;
}

static const struct sca_container *lookup(struct sca_containers *c, const struct sca_event *e,
					 uint64_t now_ns, bool retry_miss);

const struct sca_container *sca_containers__lookup(struct sca_containers *c, const struct sca_event *e,
						   uint64_t now_ns)
{
	return lookup(c, e, now_ns, false);
}

void sca_containers__learn(struct sca_containers *c, const struct sca_event *e, uint64_t now_ns)
{
	lookup(c, e, now_ns, true);
}

/* RETRY_MISS: a cached miss does not stand; a fresh scan may still run. */
static const struct sca_container *lookup(struct sca_containers *c, const struct sca_event *e,
					 uint64_t now_ns, bool retry_miss)
{
	if (!c || (!e->mnt_ns && !(e->cgroup && *e->cgroup)))
		return NULL;
	uint64_t cg = e->cgroup ? sca_hash_str(0, e->cgroup) : 0;
	struct slot *s = &c->cache[(sca_hash_u64(e->mnt_ns) ^ cg) & (CACHE_SLOTS - 1)];
	bool hit = s->gen == c->gen && s->mnt_ns == e->mnt_ns && s->cg == cg &&
		   !(s->en && expired(s->en, now_ns));
	if (hit && s->en)
		return &s->en->c;
	if (retry_miss)
		hit = false;
	bool due = !c->timed || now_ns >= c->last_scan_ns + RESCAN_NS;
	/* A namespace/cgroup never seen is most likely a container that just
	 * started: look now rather than within a second, a few times a second
	 * at most, so a storm of new namespaces cannot turn into a scan storm. */
	if (!hit && !due) {
		if (now_ns >= c->fresh_start_ns + RESCAN_NS) {
			c->fresh_start_ns = now_ns;
			c->fresh_scans = 0;
		}
		if (c->fresh_scans < FRESH_SCANS) {
			c->fresh_scans++;
			due = true;
		}
	}
	if (hit && !due)
		return NULL;
	struct entry *en = hit ? NULL : match(c, e, now_ns);
	if (!en && due) {
		scan(c, now_ns);
		c->timed = true;
		en = match(c, e, now_ns);
	}
	s->gen = c->gen;
	s->mnt_ns = e->mnt_ns;
	s->cg = cg;
	s->en = en;
	return en ? &en->c : NULL;
}

void sca_containers__stats(const struct sca_containers *c, struct sca_containers_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->scans = c->scans;
	st->known = c->n;
	for (size_t i = 0; i < c->n; i++)
		st->live += c->ents[i]->live;
}
