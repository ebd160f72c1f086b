/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * db.c - see db.h.
 *
 * Loading is tuned for bulk: one transaction per trace, prepared statements,
 * no journal, no sync, indexes and roll-ups built after the rows are in.
 * Processes are interned (the reader's proc_key makes most lookups one hash
 * probe), so the events and calls tables hold only integers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/action.h"
#include "common/escape.h"
#include "common/cli.h"
#include "common/hash.h"
#include "common/names.h"
#include "common/outfile.h"
#include "common/privdir.h"
#include "common/progress.h"
#include "db.h"
#include "sql.h"
#include "trace.h"

static const char schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);\n"
	"CREATE TABLE traces(id INTEGER PRIMARY KEY, path TEXT, host TEXT, kernel TEXT,\n"
	"  source TEXT, recorder TEXT, cmdline TEXT, native_arch INTEGER, started_ns INTEGER,\n"
	"  format TEXT, events INTEGER, lost INTEGER, chunks INTEGER, chunks_skipped INTEGER,\n"
	"  bytes_skipped INTEGER, clean_close INTEGER, first_ns INTEGER, last_ns INTEGER,\n"
	"  calls INTEGER, calls_lost INTEGER, calls_no_process INTEGER);\n"
	"CREATE TABLE damage(trace_id INTEGER, kind TEXT, offset INTEGER, length INTEGER,\n"
	"  events INTEGER);\n"
	"CREATE TABLE containers(id INTEGER PRIMARY KEY, runtime TEXT, container_id TEXT,\n"
	"  name TEXT, image TEXT, pod TEXT, namespace TEXT, pod_uid TEXT);\n"
	"CREATE TABLE processes(id INTEGER PRIMARY KEY, trace_id INTEGER, pid INTEGER,\n"
	"  ppid INTEGER, uid INTEGER, gid INTEGER, auid INTEGER, ses INTEGER, mnt_ns INTEGER,\n"
	"  pid_ns INTEGER, cgroup_id INTEGER, comm TEXT, exe TEXT, cgroup TEXT,\n"
	"  container INTEGER);\n"
	"CREATE TABLE events(trace_id INTEGER, time_ns INTEGER, serial INTEGER,\n"
	"  process INTEGER, tid INTEGER, arch INTEGER, nr INTEGER, code INTEGER, sig INTEGER,\n"
	"  ip INTEGER, compat INTEGER);\n"
	"CREATE TABLE lost(trace_id INTEGER, time_ns INTEGER, count INTEGER, source TEXT);\n"
	/* CALLS records, as the syscall source counted them: process NULL for
	 * calls it could not attribute, a0..a5 and m0..m5 NULL without args */
	"CREATE TABLE calls(trace_id INTEGER, time_ns INTEGER, process INTEGER, tid INTEGER,\n"
	"  arch INTEGER, nr INTEGER, compat INTEGER, count INTEGER, filtered INTEGER,\n"
	"  no_process INTEGER, a0 INTEGER, a1 INTEGER, a2 INTEGER, a3 INTEGER, a4 INTEGER,\n"
	"  a5 INTEGER, m0 INTEGER, m1 INTEGER, m2 INTEGER, m3 INTEGER, m4 INTEGER, m5 INTEGER);\n"
	/* only events whose source read them (BPF): a row per such event */
	"CREATE TABLE args(event INTEGER PRIMARY KEY, a0 INTEGER, a1 INTEGER, a2 INTEGER,\n"
	"  a3 INTEGER, a4 INTEGER, a5 INTEGER);\n"
	"CREATE TABLE counts(trace_id INTEGER, process INTEGER, arch INTEGER, nr INTEGER,\n"
	"  code INTEGER, n INTEGER, first_ns INTEGER, last_ns INTEGER);\n"
	/* calls summed: the roll-up of calls, as counts is of events */
	"CREATE TABLE call_counts(trace_id INTEGER, process INTEGER, arch INTEGER, nr INTEGER,\n"
	"  filtered INTEGER, n INTEGER, first_ns INTEGER, last_ns INTEGER);\n"
	"CREATE TABLE syscalls(arch INTEGER, nr INTEGER, name TEXT, PRIMARY KEY(arch, nr))\n"
	"  WITHOUT ROWID;\n"
	"CREATE TABLE arches(arch INTEGER PRIMARY KEY, name TEXT);\n"
	/* rows from common/action.h's table (insert_actions) */
	"CREATE TABLE actions(action INTEGER PRIMARY KEY, name TEXT);\n"
	/* code as users read it, as sca_code_str() spells it: errno carries its value */
	"CREATE VIEW codes AS SELECT DISTINCT code, CASE WHEN (code >> 16) = 5\n"
	"  THEN 'errno(' || (code & 65535) || ')'\n"
	"  ELSE coalesce((SELECT name FROM actions WHERE action = (code >> 16) << 16),\n"
	"  printf('0x%08x', code)) END AS name FROM (SELECT DISTINCT code FROM counts);\n"
	"CREATE VIEW ev AS SELECT e.rowid AS id, t.host, e.trace_id,\n"
	"  e.time_ns, strftime('%Y-%m-%dT%H:%M:%S', e.time_ns / 1000000000, 'unixepoch')\n"
	"  || printf('.%09dZ', e.time_ns % 1000000000) AS time,\n"
	"  e.serial, p.pid, e.tid, p.ppid, p.uid, p.gid, p.auid, p.ses, p.comm, p.exe,\n"
	"  p.cgroup, p.cgroup_id, p.mnt_ns, p.pid_ns, c.runtime, c.name AS container,\n"
	"  c.container_id, c.image, c.pod, c.namespace,\n"
	"  coalesce(a.name, printf('0x%08x', e.arch)) AS arch, e.arch AS arch_raw, e.nr,\n"
	"  coalesce(s.name, e.nr) AS syscall, k.name AS code, e.code AS code_raw,\n"
	"  CASE WHEN (e.code >> 16) = 5 THEN e.code & 65535 END AS errno,\n"
	"  e.sig, e.compat, e.ip, g.a0, g.a1, g.a2, g.a3, g.a4, g.a5\n"
	"  FROM events e JOIN traces t ON t.id = e.trace_id\n"
	"  JOIN processes p ON p.id = e.process LEFT JOIN containers c ON c.id = p.container\n"
	"  LEFT JOIN arches a ON a.arch = e.arch LEFT JOIN syscalls s ON s.arch = e.arch\n"
	"  AND s.nr = e.nr LEFT JOIN codes k ON k.code = e.code LEFT JOIN args g ON g.event = e.rowid;\n"
	"CREATE VIEW summary AS SELECT t.host, n.trace_id, p.pid, p.uid, p.comm, p.exe,\n"
	"  c.runtime, c.name AS container, c.container_id, c.pod, c.namespace,\n"
	"  coalesce(a.name, printf('0x%08x', n.arch)) AS arch, n.nr,\n"
	"  coalesce(s.name, n.nr) AS syscall, k.name AS code, n.code AS code_raw, n.n,\n"
	"  n.first_ns, n.last_ns, n.process\n"
	"  FROM counts n JOIN traces t ON t.id = n.trace_id\n"
	"  JOIN processes p ON p.id = n.process LEFT JOIN containers c ON c.id = p.container\n"
	"  LEFT JOIN arches a ON a.arch = n.arch LEFT JOIN syscalls s ON s.arch = n.arch\n"
	"  AND s.nr = n.nr LEFT JOIN codes k ON k.code = n.code;\n"
	/* calls ran: seccomp decides before sys_enter, so their code is allow */
	"CREATE VIEW calls_ev AS SELECT l.rowid AS id, t.host, l.trace_id, l.time_ns,\n"
	"  strftime('%Y-%m-%dT%H:%M:%S', l.time_ns / 1000000000, 'unixepoch')\n"
	"  || printf('.%09dZ', l.time_ns % 1000000000) AS time,\n"
	"  p.pid, l.tid, p.ppid, p.uid, p.gid, p.auid, p.ses, p.comm, p.exe, p.cgroup,\n"
	"  p.cgroup_id, p.mnt_ns, p.pid_ns, c.runtime, c.name AS container, c.container_id,\n"
	"  c.image, c.pod, c.namespace,\n"
	"  coalesce(a.name, printf('0x%08x', l.arch)) AS arch, l.arch AS arch_raw, l.nr,\n"
	"  coalesce(s.name, l.nr) AS syscall, 'allow' AS code, 2147418112 AS code_raw,\n"
	"  l.compat, l.count, l.filtered, l.no_process, l.a0, l.a1, l.a2, l.a3, l.a4, l.a5,\n"
	"  l.m0, l.m1, l.m2, l.m3, l.m4, l.m5, l.process\n"
	"  FROM calls l JOIN traces t ON t.id = l.trace_id\n"
	"  LEFT JOIN processes p ON p.id = l.process LEFT JOIN containers c ON c.id = p.container\n"
	"  LEFT JOIN arches a ON a.arch = l.arch LEFT JOIN syscalls s ON s.arch = l.arch\n"
	"  AND s.nr = l.nr;\n"
	"CREATE VIEW calls_summary AS SELECT t.host, n.trace_id, p.pid, p.uid, p.comm, p.exe,\n"
	"  c.runtime, c.name AS container, c.container_id, c.pod, c.namespace,\n"
	"  coalesce(a.name, printf('0x%08x', n.arch)) AS arch, n.nr,\n"
	"  coalesce(s.name, n.nr) AS syscall, 'allow' AS code, 2147418112 AS code_raw,\n"
	"  n.filtered, n.process IS NULL AS no_process, n.n, n.first_ns, n.last_ns, n.process\n"
	"  FROM call_counts n JOIN traces t ON t.id = n.trace_id\n"
	"  LEFT JOIN processes p ON p.id = n.process LEFT JOIN containers c ON c.id = p.container\n"
	"  LEFT JOIN arches a ON a.arch = n.arch LEFT JOIN syscalls s ON s.arch = n.arch\n"
	"  AND s.nr = n.nr;\n";

/* ---- small hash maps --------------------------------------------------- */

struct proc_ent {
	uint64_t hash;
	int64_t id;
	struct sca_event e;         /* strings owned: comm, exe, cgroup */
	int64_t container;
};

struct key_ent {
	uint64_t key;               /* 0 = empty */
	int64_t id;
};

struct count_ent {
	int64_t process;            /* 0 = empty; -1: none (calls without a process) */
	uint32_t arch, code;        /* calls: code is the filtered flag */
	int32_t nr;
	uint64_t n, first, last;
};

/* A roll-up built in memory while a trace loads: n per (process, arch, nr, code). */
struct roll {
	struct count_ent *e;
	size_t mask, n;
};

struct cont_ent {
	uint64_t hash;
	int64_t id;
	char *f[7];
};

struct sca_db {
	sqlite3 *db;
	char *path;                 /* final path (--db), or NULL */
	struct sca_outfile *out;    /* path being built; NULL once committed */
	char *tmp;                  /* a temporary database's file */
	bool readonly;
	int64_t next_proc, next_cont, trace_id;

	struct proc_ent *procs;     /* open addressing by content hash */
	size_t proc_mask, nprocs;
	struct key_ent *keys;       /* reader proc_key -> process id */
	size_t key_mask, nkeys;
	struct roll counts;         /* events per (process, arch, nr, code) */
	struct roll call_counts;    /* calls per (process, arch, nr, filtered) */
	struct cont_ent *conts;
	size_t cont_mask, nconts;
	/* the trace being loaded: what its CALLS and lost records add up to */
	uint64_t calls, calls_lost, calls_no_process, lost;
	struct sca_progress *progress;   /* shows it, or NULL */
	int trace_no, ntraces;           /* it is trace_no (from 1) of ntraces */

	sqlite3_stmt *ins_event, *ins_proc, *ins_cont, *ins_lost, *ins_args, *ins_calls;
};

/* The first size of the interning tables (sca_table__grow). */
#define TABLE_FIRST 4096

static uint64_t proc_hash_of(const void *e) { return ((const struct proc_ent *)e)->hash; }
static bool proc_used(const void *e) { return ((const struct proc_ent *)e)->id != 0; }
static uint64_t key_hash_of(const void *e) { return sca_hash_mix(0, ((const struct key_ent *)e)->key); }
static bool key_used(const void *e) { return ((const struct key_ent *)e)->key != 0; }
static uint64_t cont_hash_of(const void *e) { return ((const struct cont_ent *)e)->hash; }
static bool cont_used(const void *e) { return ((const struct cont_ent *)e)->id != 0; }

static uint64_t count_hash(int64_t process, uint32_t arch, int32_t nr, uint32_t code)
{
	return sca_hash_mix(sca_hash_mix(sca_hash_mix(0, (uint64_t)process), arch), ((uint64_t)(uint32_t)nr << 32) | code);
}

static uint64_t count_hash_of(const void *p)
{
	const struct count_ent *c = p;
	return count_hash(c->process, c->arch, c->nr, c->code);
}

static bool count_used(const void *e) { return ((const struct count_ent *)e)->process != 0; }

/* ---- statements -------------------------------------------------------- */

static int exec(struct sca_db *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db->db));
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

static int prepare(struct sca_db *db, const char *sql, sqlite3_stmt **st, char *err, size_t errlen)
{
	if (sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db->db));
		return -EIO;
	}
	return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int step_reset(struct sca_db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	(void)db;
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* ---- interning --------------------------------------------------------- */

static int intern_container(struct sca_db *db, const struct sca_container *c, int64_t *id)
{
	if (!c) {
		*id = 0;
		return 0;
	}
	const char *f[7] = { c->runtime, c->id, c->name, c->image, c->pod, c->pod_namespace, c->pod_uid };
	uint64_t h = 0x1234;
	for (int i = 0; i < 7; i++)
		h = sca_hash_str(h, f[i]);
	if (db->nconts * 2 >= db->cont_mask &&
	    sca_table__grow((void **)&db->conts, &db->cont_mask, sizeof(*db->conts), TABLE_FIRST, cont_hash_of, cont_used))
		return -ENOMEM;
	size_t j = h & db->cont_mask;
	for (; db->conts[j].id; j = (j + 1) & db->cont_mask) {
		struct cont_ent *e = &db->conts[j];
		bool same = e->hash == h;
		for (int i = 0; same && i < 7; i++)
			same = sca_str_eq(e->f[i], f[i]);
		if (same) {
			*id = e->id;
			return 0;
		}
	}
	struct cont_ent *e = &db->conts[j];
	e->hash = h;
	e->id = ++db->next_cont;
	for (int i = 0; i < 7; i++)
		e->f[i] = f[i] ? strdup(f[i]) : NULL;
	db->nconts++;
	sqlite3_stmt *st = db->ins_cont;
	sqlite3_bind_int64(st, 1, e->id);
	for (int i = 0; i < 7; i++)
		bind_text(st, i + 2, f[i]);
	*id = e->id;
	return step_reset(db, st);
}

static bool proc_same(const struct sca_event *a, const struct sca_event *b)
{
	return a->pid == b->pid && a->ppid == b->ppid && a->uid == b->uid && a->gid == b->gid &&
	       a->auid == b->auid && a->ses == b->ses && a->mnt_ns == b->mnt_ns &&
	       a->pid_ns == b->pid_ns && a->cgroup_id == b->cgroup_id && sca_str_eq(a->comm, b->comm) &&
	       sca_str_eq(a->exe, b->exe) && sca_str_eq(a->cgroup, b->cgroup);
}

/* The process id of e: by the reader's proc_key first, then by content. */
static int intern_process(struct sca_db *db, const struct sca_event *e, int64_t *id)
{
	if (db->nkeys * 2 >= db->key_mask &&
	    sca_table__grow((void **)&db->keys, &db->key_mask, sizeof(*db->keys), TABLE_FIRST, key_hash_of, key_used))
		return -ENOMEM;
	size_t k = sca_hash_mix(0, e->proc_key) & db->key_mask;
	for (; db->keys[k].key; k = (k + 1) & db->key_mask)
		if (db->keys[k].key == e->proc_key) {
			*id = db->keys[k].id;
			return 0;
		}

	int64_t cont;
	int err = intern_container(db, e->container, &cont);
	if (err)
		return err;
	uint64_t h = sca_hash_mix(sca_hash_mix(sca_hash_mix(sca_hash_mix(0, (uint32_t)e->pid), (uint32_t)e->ppid), e->uid), e->mnt_ns);
	h = sca_hash_mix(sca_hash_mix(sca_hash_mix(h, e->auid), e->ses), e->cgroup_id);
	h = sca_hash_mix(sca_hash_str(sca_hash_str(sca_hash_str(h, e->comm), e->exe), e->cgroup), (uint64_t)cont);
	h = sca_hash_mix(h, (uint64_t)db->trace_id);
	if (db->nprocs * 2 >= db->proc_mask &&
	    sca_table__grow((void **)&db->procs, &db->proc_mask, sizeof(*db->procs), TABLE_FIRST, proc_hash_of, proc_used))
		return -ENOMEM;
	size_t j = h & db->proc_mask;
	for (; db->procs[j].id; j = (j + 1) & db->proc_mask) {
		struct proc_ent *p = &db->procs[j];
		if (p->hash == h && p->container == cont && proc_same(&p->e, e))
			goto found;
	}
	struct proc_ent *p = &db->procs[j];
	p->hash = h;
	p->id = ++db->next_proc;
	p->e = *e;
	p->e.comm = e->comm ? strdup(e->comm) : NULL;
	p->e.exe = e->exe ? strdup(e->exe) : NULL;
	p->e.cgroup = e->cgroup ? strdup(e->cgroup) : NULL;
	p->container = cont;
	db->nprocs++;
	sqlite3_stmt *st = db->ins_proc;
	int64_t v[] = { p->id, db->trace_id, e->pid, e->ppid, e->uid, e->gid, e->auid, e->ses,
			(int64_t)e->mnt_ns, (int64_t)e->pid_ns, (int64_t)e->cgroup_id };
	for (int i = 0; i < 11; i++)
		sqlite3_bind_int64(st, i + 1, v[i]);
	bind_text(st, 12, e->comm);
	bind_text(st, 13, e->exe);
	bind_text(st, 14, e->cgroup);
	if (cont)
		sqlite3_bind_int64(st, 15, cont);
	else
		sqlite3_bind_null(st, 15);
	if ((err = step_reset(db, st)))
		return err;
found:
	db->keys[k].key = e->proc_key;
	db->keys[k].id = db->procs[j].id;
	db->nkeys++;
	*id = db->procs[j].id;
	return 0;
}

/* Add n at time t to the entry of (process, e's arch and syscall, code). */
static int roll_add(struct roll *r, int64_t process, const struct sca_event *e, uint32_t code, uint64_t n)
{
	if (r->n * 2 >= r->mask &&
	    sca_table__grow((void **)&r->e, &r->mask, sizeof(*r->e), TABLE_FIRST, count_hash_of, count_used))
		return -ENOMEM;
	size_t j = count_hash(process, e->arch, e->syscall, code) & r->mask;
	for (; r->e[j].process; j = (j + 1) & r->mask) {
		struct count_ent *c = &r->e[j];
		if (c->process == process && c->arch == e->arch && c->nr == e->syscall && c->code == code) {
			c->n += n;
			if (e->time_ns < c->first)
				c->first = e->time_ns;
			if (e->time_ns > c->last)
				c->last = e->time_ns;
			return 0;
		}
	}
	r->e[j] = (struct count_ent){ process, e->arch, code, e->syscall, n, e->time_ns, e->time_ns };
	r->n++;
	return 0;
}

/* ---- create / open ----------------------------------------------------- */

static int insert_actions(struct sca_db *db, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = prepare(db, "INSERT INTO actions VALUES (?,?)", &st, err, errlen);

	for (size_t i = 0; !rc && i < SCA_NACTIONS; i++) {
		sqlite3_bind_int64(st, 1, sca_actions[i].action);
		sqlite3_bind_text(st, 2, sca_actions[i].name, -1, SQLITE_STATIC);
		if ((rc = step_reset(db, st)))
			snprintf(err, errlen, "%s", sqlite3_errmsg(db->db));
	}
	sqlite3_finalize(st);
	return rc;
}

static int setup_bulk(struct sca_db *db, char *err, size_t errlen)
{
	/* no journal and no sync: the file is renamed into place only when whole */
	/* page_size first: set after cache_size it resets the cache's bound,
	 * and memory grows with the database */
	return exec(db,
		    "PRAGMA page_size=65536; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		    "PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;",
		    err, errlen);
}

/* Queries sort and group in temporary files once past the cache, in sca's
 * private directory: a user's ORDER BY over millions of rows stays bounded. */
static int setup_query(struct sca_db *db, char *err, size_t errlen)
{
	return exec(db, "PRAGMA temp_store=FILE; PRAGMA cache_size=-16384;", err, errlen);
}

/* sca uses one connection from one thread: SQLite's mutexes and memory
 * statistics are pure cost (about a tenth of load time). Only effective
 * before SQLite initializes, so this runs before any open. */
static void sqlite_tune(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* SQLite's own temporary files (sorts, temp tables) go to sca's private
	 * directory, never to a $TMPDIR others can watch */
	const char *tmp = sca_privdir__tmp();
	if (tmp)
		sqlite3_temp_directory = sqlite3_mprintf("%s", tmp);
}

/* The file SQLite builds: in a private directory, beside path or in sca's own. */
static int create_file(struct sca_db *db, const char *path, bool force, const char **name, char *err,
		       size_t errlen)
{
	static unsigned seq;
	const char *dir;
	int rc;

	if (path) {
		if (!(db->path = strdup(path)))
			return -ENOMEM;
		if ((rc = sca_outfile__open(&db->out, path, force ? SCA_OUTFILE_FORCE : 0, 0600, err, errlen)))
			return rc;
		*name = sca_outfile__tmp_path(db->out);
		return 0;
	}
	if (!(dir = sca_privdir__tmp())) {
		rc = -errno;
		snprintf(err, errlen, "cannot create a private temporary directory: %s", strerror(-rc));
		return rc;
	}
	if (asprintf(&db->tmp, "%s/analyze-%u.db", dir, seq++) < 0) {
		db->tmp = NULL;
		return -ENOMEM;
	}
	*name = db->tmp;
	return 0;
}

int sca_db__create(struct sca_db **out, const char *path, bool force, char *err, size_t errlen)
{
	struct sca_db *db = calloc(1, sizeof(*db));
	const char *name = NULL;
	int rc = -ENOMEM;

	sqlite_tune();

	if (!db)
		return -ENOMEM;
	if ((rc = create_file(db, path, force, &name, err, errlen)))
		goto cleanup;
	/* NOFOLLOW: the name is sca's own, in a directory only sca can enter */
	if (sqlite3_open_v2(name, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path ? path : name,
			 db->db ? sqlite3_errmsg(db->db) : "cannot open");
		rc = -EIO;
		goto cleanup;
	}
	if ((rc = setup_bulk(db, err, errlen)) || (rc = exec(db, schema_sql, err, errlen)) ||
	    (rc = insert_actions(db, err, errlen)))
		goto cleanup;
	char ver[128];
	snprintf(ver, sizeof(ver), "INSERT INTO meta VALUES ('schema_version', '%d');", SCA_DB_SCHEMA_VERSION);
	if ((rc = exec(db, ver, err, errlen)) ||
	    (rc = prepare(db, "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)", &db->ins_event, err, errlen)) ||
	    (rc = prepare(db, "INSERT INTO processes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &db->ins_proc, err, errlen)) ||
	    (rc = prepare(db, "INSERT INTO containers VALUES (?,?,?,?,?,?,?,?)", &db->ins_cont, err, errlen)) ||
	    (rc = prepare(db, "INSERT INTO lost VALUES (?,?,?,?)", &db->ins_lost, err, errlen)) ||
	    (rc = prepare(db, "INSERT INTO args VALUES (?,?,?,?,?,?,?)", &db->ins_args, err, errlen)) ||
	    (rc = prepare(db, "INSERT INTO calls VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			  &db->ins_calls, err, errlen)))
		goto cleanup;
	*out = db;
	return 0;
cleanup:
	sca_db__close(db);
	return rc;
}

bool sca_db__is_sqlite(const char *path)
{
	char buf[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == 16 && memcmp(buf, "SQLite format 3", 16) == 0;
}

int sca_db__open(struct sca_db **out, const char *path, char *err, size_t errlen)
{
	struct sca_db *db = calloc(1, sizeof(*db));
	sqlite3_stmt *st = NULL;
	int rc = -ENOTSUP;

	if (!db)
		return -ENOMEM;
	sqlite_tune();
	db->readonly = true;
	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db->db ? sqlite3_errmsg(db->db) : "cannot open");
		rc = -EIO;
		goto cleanup;
	}
	if (sqlite3_prepare_v2(db->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errlen, "%s: not an sca database", path);
		goto cleanup;
	}
	if (sqlite3_column_int(st, 0) != SCA_DB_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: sca database schema %d, this sca reads %d", path,
			 sqlite3_column_int(st, 0), SCA_DB_SCHEMA_VERSION);
		goto cleanup;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* a database from elsewhere: its views and schema are not trusted */
	if ((rc = setup_query(db, err, errlen)) || (rc = sca_sql__restrict(db->db, err, errlen)))
		goto cleanup;
	*out = db;
	return 0;
cleanup:
	sqlite3_finalize(st);
	sca_db__close(db);
	return rc;
}

/* ---- load ---------------------------------------------------------------- */

/* The roll-up R of the trace into TABLE, then emptied for the next trace. */
static int flush_roll(struct sca_db *db, struct roll *r, const char *table, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	char sql[64];
	int rc;

	snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (?,?,?,?,?,?,?,?)", table);
	if ((rc = prepare(db, sql, &st, err, errlen)))
		return rc;
	for (size_t i = 0; r->mask && i <= r->mask && !rc; i++) {
		const struct count_ent *c = &r->e[i];
		if (!c->process)
			continue;
		int64_t v[] = { db->trace_id, c->process, c->arch, c->nr, c->code, (int64_t)c->n,
				(int64_t)c->first, (int64_t)c->last };
		for (int k = 0; k < 8; k++)
			sqlite3_bind_int64(st, k + 1, v[k]);
		if (c->process < 0)
			sqlite3_bind_null(st, 2);
		rc = step_reset(db, st);
	}
	sqlite3_finalize(st);
	if (rc)
		snprintf(err, errlen, "%s", sqlite3_errmsg(db->db));
	if (r->e)
		memset(r->e, 0, (r->mask + 1) * sizeof(*r->e));
	r->n = 0;
	return rc;
}

static int insert_lost(struct sca_db *db, const struct sca_lost *l)
{
	/* calls the kernel did not count are no events lost: said apart */
	if (l->source && !strcmp(l->source, "syscalls"))
		db->calls_lost += l->count;
	else
		db->lost += l->count;
	sqlite3_bind_int64(db->ins_lost, 1, db->trace_id);
	sqlite3_bind_int64(db->ins_lost, 2, (int64_t)l->time_ns);
	sqlite3_bind_int64(db->ins_lost, 3, (int64_t)l->count);
	bind_text(db->ins_lost, 4, l->source);
	return step_reset(db, db->ins_lost);
}

static int insert_event(struct sca_db *db, const struct sca_event *e)
{
	sqlite3_stmt *ev = db->ins_event;
	int64_t proc;
	int rc;

	if ((rc = intern_process(db, e, &proc)) || (rc = roll_add(&db->counts, proc, e, e->code, 1)))
		return rc;
	sqlite3_bind_int64(ev, 1, db->trace_id);
	sqlite3_bind_int64(ev, 2, (int64_t)e->time_ns);
	sqlite3_bind_int64(ev, 3, (int64_t)e->serial);
	sqlite3_bind_int64(ev, 4, proc);
	sqlite3_bind_int64(ev, 5, e->tid);
	sqlite3_bind_int64(ev, 6, e->arch);
	sqlite3_bind_int64(ev, 7, e->syscall);
	sqlite3_bind_int64(ev, 8, e->code);
	sqlite3_bind_int64(ev, 9, e->signr);
	sqlite3_bind_int64(ev, 10, (int64_t)e->ip);
	sqlite3_bind_int(ev, 11, e->compat);
	if (sqlite3_step(ev) != SQLITE_DONE)
		return -EIO;
	sqlite3_reset(ev);
	if (!e->has_args)
		return 0;
	sqlite3_bind_int64(db->ins_args, 1, sqlite3_last_insert_rowid(db->db));
	for (int a = 0; a < 6; a++)
		sqlite3_bind_int64(db->ins_args, a + 2, (int64_t)e->args[a]);
	return step_reset(db, db->ins_args);
}

/* A CALLS record: its process interned, unless the source could not name one. */
static int insert_calls(struct sca_db *db, const struct sca_calls *c)
{
	const struct sca_event *e = &c->ev;
	sqlite3_stmt *st = db->ins_calls;
	bool no_process = c->flags & SCA_CALLS_NO_PROCESS;
	int64_t proc = 0;
	int rc;

	if (!no_process && (rc = intern_process(db, e, &proc)))
		return rc;
	if ((rc = roll_add(&db->call_counts, no_process ? -1 : proc, e, !!(c->flags & SCA_CALLS_FILTERED),
			   c->count)))
		return rc;
	db->calls += c->count;
	if (no_process)
		db->calls_no_process += c->count;
	sqlite3_bind_int64(st, 1, db->trace_id);
	sqlite3_bind_int64(st, 2, (int64_t)e->time_ns);
	if (no_process)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_int64(st, 3, proc);
	sqlite3_bind_int64(st, 4, e->tid);
	sqlite3_bind_int64(st, 5, e->arch);
	sqlite3_bind_int64(st, 6, e->syscall);
	sqlite3_bind_int(st, 7, e->compat);
	sqlite3_bind_int64(st, 8, (int64_t)c->count);
	sqlite3_bind_int(st, 9, !!(c->flags & SCA_CALLS_FILTERED));
	sqlite3_bind_int(st, 10, no_process);
	for (int a = 0; a < 6; a++) {
		if (!e->has_args) {
			sqlite3_bind_null(st, 11 + a);
			sqlite3_bind_null(st, 17 + a);
			continue;
		}
		sqlite3_bind_int64(st, 11 + a, (int64_t)e->args[a]);
		sqlite3_bind_int64(st, 17 + a, (int64_t)c->argmask[a]);
	}
	return step_reset(db, st);
}

/* "loading [trace I of N: ]NAME: P%, E events[, C calls]" */
static void show_load(struct sca_db *db, struct sca_reader *r, const char *trace)
{
	char name[SCA_ESC_SIZE(256)], of[48] = "", pct[16] = "", calls[32] = "";
	struct sca_reader_totals t;
	uint64_t off, size;
	int pc;

	sca_reader__position(r, &off, &size);
	sca_reader__totals(r, &t);
	/* a trace's name may come from a directory anyone writes to */
	sca_esc(name, sizeof(name), trace);
	if (db->ntraces > 1)
		snprintf(of, sizeof(of), "trace %d of %d: ", db->trace_no, db->ntraces);
	if ((pc = sca_progress__percent(off, size)) >= 0)
		snprintf(pct, sizeof(pct), "%d%%, ", pc);
	if (db->calls)
		snprintf(calls, sizeof(calls), ", %" PRIu64 " calls", db->calls);
	sca_progress__show(db->progress, "loading %s%s: %s%" PRIu64 " events%s", of, name, pct, t.events,
			   calls);
}

/* Every record of r into the tables. Returns 0, a negative errno of the
 * database (or memory), or in *read_err one of the reader. */
static int insert_records(struct sca_db *db, struct sca_reader *r, const char *trace, int *read_err)
{
	const struct sca_record *rec;
	int rc = 0, n;

	while ((n = sca_reader__next(r, &rec)) > 0) {
		if (rec->kind == SCA_RECORD_LOST)
			rc = insert_lost(db, &rec->lost);
		else if (rec->kind == SCA_RECORD_CALLS)
			rc = insert_calls(db, &rec->calls);
		else if (rec->kind == SCA_RECORD_EVENT)
			rc = insert_event(db, &rec->event);
		if (rc)
			return rc;
		if (db->progress && sca_progress__due(db->progress))
			show_load(db, r, trace);
	}
	*read_err = n;
	return 0;
}

/* The trace's own row, from its header and the reader's totals, and its damage. */
static int insert_trace(struct sca_db *db, struct sca_reader *r, const char *trace,
			const struct sca_reader_totals *t, char *err, size_t errlen)
{
	const struct sca_trace_meta *m = sca_reader__meta(r);
	const struct sca_damage *d;
	size_t nd = sca_reader__damage(r, &d);
	sqlite3_stmt *st = NULL;
	unsigned major, minor;
	char fmt[32];
	int rc;

	sca_reader__version(r, &major, &minor);
	snprintf(fmt, sizeof(fmt), "%u.%u", major, minor);
	if ((rc = prepare(db, "INSERT INTO traces VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			  &st, err, errlen)))
		return rc;
	sqlite3_bind_int64(st, 1, db->trace_id);
	bind_text(st, 2, trace);
	bind_text(st, 3, m->host);
	bind_text(st, 4, m->kernel);
	bind_text(st, 5, m->source);
	bind_text(st, 6, m->recorder);
	bind_text(st, 7, m->cmdline);
	sqlite3_bind_int64(st, 8, m->native_arch);
	sqlite3_bind_int64(st, 9, (int64_t)m->wall_base_ns);
	bind_text(st, 10, fmt);
	sqlite3_bind_int64(st, 11, (int64_t)t->events);
	sqlite3_bind_int64(st, 12, (int64_t)db->lost);
	sqlite3_bind_int64(st, 13, (int64_t)t->chunks);
	sqlite3_bind_int64(st, 14, (int64_t)t->chunks_skipped);
	sqlite3_bind_int64(st, 15, (int64_t)t->bytes_skipped);
	sqlite3_bind_int(st, 16, t->clean_close);
	if (t->events || t->calls) {
		sqlite3_bind_int64(st, 17, (int64_t)t->time_min);
		sqlite3_bind_int64(st, 18, (int64_t)t->time_max);
	}
	sqlite3_bind_int64(st, 19, (int64_t)db->calls);
	sqlite3_bind_int64(st, 20, (int64_t)db->calls_lost);
	sqlite3_bind_int64(st, 21, (int64_t)db->calls_no_process);
	rc = step_reset(db, st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc || (rc = prepare(db, "INSERT INTO damage VALUES (?,?,?,?,?)", &st, err, errlen)))
		return rc;
	for (size_t i = 0; i < nd && !rc; i++) {
		sqlite3_bind_int64(st, 1, db->trace_id);
		bind_text(st, 2, sca_damage_kind__str(d[i].kind));
		sqlite3_bind_int64(st, 3, (int64_t)d[i].offset);
		sqlite3_bind_int64(st, 4, (int64_t)d[i].length);
		sqlite3_bind_int64(st, 5, (int64_t)d[i].events);
		rc = step_reset(db, st);
	}
	sqlite3_finalize(st);
	return rc;
}

int sca_db__load(struct sca_db *db, const char *trace, struct sca_load_stats *out, char *err,
		 size_t errlen)
{
	struct sca_reader *r = sca_reader__open(trace);
	struct sca_reader_totals t;
	int rc = 0, n = 0;

	if (!r) {
		snprintf(err, errlen, "%s: %s", trace, sca_reader__strerror(errno));
		return -errno;
	}
	if ((rc = exec(db, "BEGIN", err, errlen)))
		goto cleanup;
	db->trace_id++;
	db->calls = db->calls_lost = db->calls_no_process = db->lost = 0;
	if (db->keys)
		memset(db->keys, 0, (db->key_mask + 1) * sizeof(*db->keys));
	db->nkeys = 0;

	rc = insert_records(db, r, trace, &n);
	if (n < 0 && !rc) {
		snprintf(err, errlen, "%s: read error: %s", trace, strerror(-n));
		rc = n;
		goto cleanup;
	}
	if (rc) {
		snprintf(err, errlen, "%s: loading: %s", trace,
			 rc == -ENOMEM ? "out of memory" : sqlite3_errmsg(db->db));
		goto cleanup;
	}
	sca_reader__totals(r, &t);
	if ((rc = flush_roll(db, &db->counts, "counts", err, errlen)) ||
	    (rc = flush_roll(db, &db->call_counts, "call_counts", err, errlen)) ||
	    (rc = insert_trace(db, r, trace, &t, err, errlen)) ||
	    (rc = exec(db, "COMMIT", err, errlen)))
		goto cleanup;
	if (out)
		*out = (struct sca_load_stats){ t.events, db->lost, db->calls, db->calls_lost,
						t.chunks_skipped, t.bytes_skipped, t.clean_close };
cleanup:
	if (rc && sqlite3_get_autocommit(db->db) == 0)
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	sca_reader__close(r);
	return rc;
}

/* Names for every (arch, nr) and arch present: libseccomp, resolved once. */
static int fill_names(struct sca_db *db, char *err, size_t errlen)
{
	sqlite3_stmt *sel = NULL, *ins = NULL, *ina = NULL;
	int rc;
	if ((rc = prepare(db, "SELECT arch, nr FROM counts UNION SELECT arch, nr FROM call_counts", &sel,
			  err, errlen)) ||
	    (rc = prepare(db, "INSERT OR IGNORE INTO syscalls VALUES (?,?,?)", &ins, err, errlen)) ||
	    (rc = prepare(db, "INSERT OR IGNORE INTO arches VALUES (?,?)", &ina, err, errlen)))
		goto cleanup;
	while (!rc && sqlite3_step(sel) == SQLITE_ROW) {
		uint32_t arch = (uint32_t)sqlite3_column_int64(sel, 0);
		int32_t nr = sqlite3_column_int(sel, 1);
		char buf[32], abuf[16];
		sqlite3_bind_int64(ins, 1, arch);
		sqlite3_bind_int64(ins, 2, nr);
		bind_text(ins, 3, sca_syscall_name(arch, nr, buf, sizeof(buf)));
		rc = step_reset(db, ins);
		sqlite3_bind_int64(ina, 1, arch);
		bind_text(ina, 2, sca_arch_name(arch, abuf, sizeof(abuf)));
		if (!rc)
			rc = step_reset(db, ina);
	}
	if (rc)
		snprintf(err, errlen, "%s", sqlite3_errmsg(db->db));
cleanup:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	sqlite3_finalize(ina);
	return rc;
}

int sca_db__commit(struct sca_db *db, char *err, size_t errlen)
{
	int rc;
	if ((rc = exec(db, "BEGIN", err, errlen)) || (rc = fill_names(db, err, errlen)) ||
	    (rc = exec(db,
		       /* events keep no index: the roll-up answers --by, and a time
			* filter scans once; an index would cost more load time
			* than it saves */
		       "CREATE INDEX counts_nr ON counts(arch, nr);"
		       "COMMIT;",
		       err, errlen)))
		return rc;
	sqlite3_finalize(db->ins_event);
	sqlite3_finalize(db->ins_proc);
	sqlite3_finalize(db->ins_cont);
	sqlite3_finalize(db->ins_lost);
	sqlite3_finalize(db->ins_args);
	sqlite3_finalize(db->ins_calls);
	db->ins_event = db->ins_proc = db->ins_cont = db->ins_lost = db->ins_args = db->ins_calls = NULL;
	if (db->out) {
		/* read-only from here on; the finished file replaces the old one
		 * at once, or not at all */
		sqlite3_close(db->db);
		db->db = NULL;
		if (sqlite3_open_v2(sca_outfile__tmp_path(db->out), &db->db,
				    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", db->path, sqlite3_errmsg(db->db));
			return -EIO;
		}
		rc = sca_outfile__commit(db->out, err, errlen);
		db->out = NULL;
		if (rc)
			return rc;
	}
	return setup_query(db, err, errlen);
}

/* --db naming a trace would destroy the input, even with --force */
static int refuse_input(const char *path, char *const *traces, int ntraces, char *err, size_t errlen)
{
	for (int i = 0; path && i < ntraces; i++) {
		if (sca_outfile__same_file(path, traces[i])) {
			snprintf(err, errlen, "%s: is one of the traces to load; not replaced", path);
			return -EEXIST;
		}
	}
	return 0;
}

int sca_db__create_loaded(struct sca_db **out, const char *const *args, int nargs, const char *path,
			  bool force, struct sca_progress *progress, char *err, size_t errlen)
{
	struct sca_db *db = NULL;
	char **traces;
	int ntraces, rc;

	if ((rc = sca_trace_paths(args, nargs, &traces, &ntraces, err, errlen)))
		return rc;
	if ((rc = refuse_input(path, traces, ntraces, err, errlen)) ||
	    (rc = sca_db__create(&db, path, force, err, errlen)))
		goto cleanup;
	db->progress = progress;
	db->ntraces = ntraces;
	for (int i = 0; i < ntraces; i++) {
		db->trace_no = i + 1;
		if ((rc = sca_db__load(db, traces[i], NULL, err, errlen)))
			goto cleanup;
	}
	if ((rc = sca_db__commit(db, err, errlen)))
		goto cleanup;
	db->progress = NULL;        /* the caller's, and done with */
	*out = db;
	db = NULL;
cleanup:
	/* the rows or the error come next, on a clean line */
	sca_progress__clear(progress);
	sca_trace_paths_free(traces);
	sca_db__close(db);
	return rc;
}

void sca_db__close(struct sca_db *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->ins_event);
	sqlite3_finalize(db->ins_proc);
	sqlite3_finalize(db->ins_cont);
	sqlite3_finalize(db->ins_lost);
	sqlite3_finalize(db->ins_args);
	sqlite3_finalize(db->ins_calls);
	sqlite3_close(db->db);
	sca_outfile__discard(db->out);  /* never committed: PATH stays as it was */
	if (db->tmp)
		unlink(db->tmp);
	for (size_t i = 0; db->proc_mask && i <= db->proc_mask; i++) {
		if (!db->procs[i].id)
			continue;
		free((char *)db->procs[i].e.comm);
		free((char *)db->procs[i].e.exe);
		free((char *)db->procs[i].e.cgroup);
	}
	for (size_t i = 0; db->cont_mask && i <= db->cont_mask; i++)
		for (int k = 0; db->conts[i].id && k < 7; k++)
			free(db->conts[i].f[k]);
	free(db->procs);
	free(db->keys);
	free(db->counts.e);
	free(db->call_counts.e);
	free(db->conts);
	free(db->path);
	free(db->tmp);
	free(db);
}

sqlite3 *sca_db__handle(struct sca_db *db)
{
	return db->db;
}
