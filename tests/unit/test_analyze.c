/* SPDX-License-Identifier: BSD-2-Clause */
/* analyze/: loading (process interning across chunks, roll-up, lost and
 * damage rows, CALLS records), the query builder and its filters, the --sql
 * sandbox, the header, time parsing, and hostile strings in the three
 * output formats. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "common/names.h"
#include "db.h"
#include "filter.h"
#include "output.h"
#include "query.h"
#include "sql.h"
#include "summary.h"
#include "trace.h"

static const struct sca_container web = { "runc", "abcdef012345", "web", NULL, "web-0", "shop", NULL };

/* 1000 events: 4 processes (one in a container) x 5 syscalls, chunks of 7
 * events so every process is defined again in every chunk; 2 lost records. */
static void write_trace(const char *path, const char *host)
{
	struct sca_trace_meta m = { .host = host, .source = "test" };
	struct sca_writer_opts o = { .sz = sizeof(o), .chunk_events = 7 };
	struct sca_writer *w = sca_writer__create(path, &m, &o);
	assert_non_null(w);
	static const int32_t sys[5] = { 0, 1, 83, 272, 39 };
	for (int i = 0; i < 1000; i++) {
		struct sca_event e = { 0 };
		e.time_ns = 1700000000000000000ull + (uint64_t)i * 1000;
		e.pid = e.tid = 100 + i % 4;
		e.ppid = 1;
		e.comm = i % 4 == 3 ? "nginx" : "worker";
		e.exe = "/bin/x";
		e.container = i % 4 == 3 ? &web : NULL;
		e.arch = i % 10 == 9 ? 0x40000003 : 0xc000003e;
		e.syscall = sys[i % 5];
		e.code = i % 5 == 3 ? 0 : i % 5 == 2 ? 0x00050001 : 0x7ffc0000;
		if (i % 5 == 3) {      /* as the BPF source gives them: unshare's flags */
			e.has_args = true;
			e.args[0] = 0x04000000;
			e.args[5] = UINT64_MAX;
		}
		assert_int_equal(sca_writer__add_event(w, &e), 0);
		if (i == 500 || i == 900) {
			struct sca_lost l = { e.time_ns, 10, "audit" };
			assert_int_equal(sca_writer__add_lost(w, &l), 0);
		}
	}
	assert_int_equal(sca_writer__close(w), 0);
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_load(void **state)
{
	(void)state;
	char a[256], b[256], dbp[256], err[256];
	snprintf(a, sizeof(a), "%s/a.trace", dir);
	snprintf(b, sizeof(b), "%s/b.trace", dir);
	snprintf(dbp, sizeof(dbp), "%s/x.db", dir);
	write_trace(a, "host-a");
	write_trace(b, "host-b");

	struct sca_db *db;
	struct sca_load_stats ls;
	assert_int_equal(sca_db__create(&db, dbp, false, err, sizeof(err)), 0);
	assert_int_equal(sca_db__load(db, a, &ls, err, sizeof(err)), 0);
	assert_int_equal(ls.events, 1000);
	assert_int_equal(ls.lost, 20);
	assert_int_equal(sca_db__load(db, b, &ls, err, sizeof(err)), 0);
	/* not yet in place: the database is written to x.db.tmp */
	assert_int_equal(access(dbp, F_OK), -1);
	assert_int_equal(sca_db__commit(db, err, sizeof(err)), 0);
	assert_int_equal(access(dbp, F_OK), 0);
	sqlite3 *h = sca_db__handle(db);

	assert_int_equal(scalar(h, "SELECT count(*) FROM events"), 2000);
	/* 143 chunks each define the processes again: still 4 per trace */
	assert_int_equal(scalar(h, "SELECT count(*) FROM processes"), 8);
	assert_int_equal(scalar(h, "SELECT count(*) FROM containers"), 1);
	assert_int_equal(scalar(h, "SELECT sum(count) FROM lost"), 40);
	assert_int_equal(scalar(h, "SELECT sum(n) FROM counts"), 2000);
	assert_int_equal(scalar(h, "SELECT count(*) FROM ev WHERE host = 'host-b'"), 1000);
	assert_int_equal(scalar(h, "SELECT count(*) FROM ev WHERE syscall = 'unshare' AND code = 'kill_thread'"), 400);
	assert_int_equal(scalar(h, "SELECT count(*) FROM ev WHERE code = 'errno(1)' AND errno = 1"), 400);
	/* arguments where the source read them, NULL elsewhere; u64 kept as its bits */
	assert_int_equal(scalar(h, "SELECT count(*) FROM ev WHERE syscall = 'unshare' AND a0 = 67108864 AND a5 = -1"), 400);
	assert_int_equal(scalar(h, "SELECT count(*) FROM ev WHERE a0 IS NULL"), 1600);
	/* i386 39 is mkdir, x86_64 39 getpid: named per arch */
	assert_int_equal(scalar(h, "SELECT count(*) FROM ev WHERE arch = 'i386' AND syscall = 'mkdir'"), 200);
	assert_int_equal(scalar(h, "SELECT count(*) FROM ev WHERE arch = 'x86_64' AND syscall = 'getpid'"), 200);
	assert_int_equal(scalar(h, "SELECT count(*) FROM ev WHERE container = 'web' AND pod = 'web-0'"), 500);
	/* the roll-up agrees with the events */
	assert_int_equal(scalar(h, "SELECT count(*) FROM (SELECT arch, nr, code, count(*) c FROM events "
				   "GROUP BY 1, 2, 3 EXCEPT SELECT arch, nr, code, sum(n) FROM counts GROUP BY 1, 2, 3)"),
			 0);

	struct sca_query q = { 0 };
	sqlite3_stmt *st;
	q.by[q.nby++] = "syscall";
	q.filter.syscalls[q.filter.nsyscalls++] = "read";
	assert_int_equal(sca_query__prepare(&q, h, &st, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "read");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "log");
	assert_int_equal(sqlite3_column_int64(st, 2), 400);   /* nr 0 on x86_64 only: 2 x 200 */
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);

	struct sca_query bad = { 0 };
	bad.by[bad.nby++] = "colour";
	assert_int_equal(sca_query__prepare(&bad, h, &st, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "colour");

	/* a time window needs the events: the same answer, from them */
	struct sca_query tq = { 0 };
	tq.has_since = tq.has_until = true;
	tq.since_ns = 1700000000000000000ull;
	tq.until_ns = 1700000000000000000ull + 99 * 1000;
	tq.by[tq.nby++] = "host";
	assert_int_equal(sca_query__prepare(&tq, h, &st, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 1), 100);
	sqlite3_finalize(st);
	sca_db__close(db);

	assert_int_equal(sca_db__open(&db, dbp, err, sizeof(err)), 0);
	assert_int_equal(scalar(sca_db__handle(db), "SELECT count(*) FROM events"), 2000);
	sca_db__close(db);
	assert_int_equal(sca_db__open(&db, a, err, sizeof(err)) < 0, 1);
	sca_names__cleanup();
}

static void test_times(void **state)
{
	(void)state;
	uint64_t ns, first = 1700000000000000000ull, last = first + 3600000000000ull;
	assert_int_equal(sca_query__parse_time("2023-11-14T22:13:20Z", first, last, &ns), 0);
	assert_int_equal(ns, 1700000000000000000ull);
	assert_int_equal(sca_query__parse_time("2023-11-14T22:13:20.5", first, last, &ns), 0);
	assert_int_equal(ns, 1700000000500000000ull);
	assert_int_equal(sca_query__parse_time("2023-11-14 22:13:21", first, last, &ns), 0);
	assert_int_equal(ns, 1700000001000000000ull);
	assert_int_equal(sca_query__parse_time("@1700000002", first, last, &ns), 0);
	assert_int_equal(ns, 1700000002000000000ull);
	assert_int_equal(sca_query__parse_time("5m", first, last, &ns), 0);
	assert_int_equal(ns, last - 300000000000ull);
	assert_int_equal(sca_query__parse_time("-2h", first, last, &ns), 0);
	assert_int_equal(ns, last - 7200000000000ull);
	assert_int_equal(sca_query__parse_time("100000d", first, last, &ns), 0);
	assert_int_equal(ns, 0);          /* before the epoch: no limit */
	assert_int_equal(sca_query__parse_time("+500ms", first, last, &ns), 0);
	assert_int_equal(ns, first + 500000000ull);
	assert_int_equal(sca_query__parse_time("yesterday", first, last, &ns), -EINVAL);
	assert_int_equal(sca_query__parse_time("5 minutes", first, last, &ns), -EINVAL);
	assert_int_equal(sca_query__parse_time("2023-11-14T22:13:20Zjunk", first, last, &ns), -EINVAL);
}

/* A database of one write_trace() trace, from the directory holding it. */
static struct sca_db *load_one(void)
{
	char sub[256], path[300], err[256];
	struct sca_db *db = NULL;
	const char *args[] = { sub };
	sqlite3_stmt *st;
	int rows = 0;

	snprintf(sub, sizeof(sub), "%s/one", dir);
	snprintf(path, sizeof(path), "%s/1.trace", sub);
	if (access(path, F_OK)) {
		assert_int_equal(mkdir(sub, 0700), 0);
		write_trace(path, "host-a");
	}
	assert_int_equal(sca_db__create_loaded(&db, args, 1, NULL, false, NULL, err, sizeof(err)), 0);
	/* the directory stood for its one trace, loaded whole */
	assert_int_equal(sqlite3_prepare_v2(sca_db__handle(db), "SELECT path, events FROM traces", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows++;
		assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "/one/1.trace"));
		assert_int_equal(sqlite3_column_int64(st, 1), 1000);
	}
	sqlite3_finalize(st);
	assert_int_equal(rows, 1);
	return db;
}

/* Events a query counts (--by host: one row per host, or none). */
static int64_t counted(sqlite3 *h, struct sca_query *q)
{
	sqlite3_stmt *st;
	char err[256];
	int64_t n = 0;

	q->by[q->nby++] = "host";
	assert_int_equal(sca_query__prepare(q, h, &st, err, sizeof(err)), 0);
	while (sqlite3_step(st) == SQLITE_ROW)
		n += sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return n;
}

/* Events that pass KEY ARG, from the roll-up and, in a time window, from the events. */
static int64_t kept(sqlite3 *h, enum sca_filter_key key, const char *arg)
{
	struct sca_query q = { 0 };
	char buf[128], err[256];
	int64_t n;

	snprintf(buf, sizeof(buf), "%s", arg);
	assert_int_equal(sca_filter__add(&q.filter, key, buf, err, sizeof(err)), 0);
	n = counted(h, &q);
	q.nby = 0;
	q.has_since = true;
	assert_int_equal(counted(h, &q), n);
	return n;
}

static void test_filters(void **state)
{
	(void)state;
	struct sca_db *db = load_one();
	sqlite3 *h = sca_db__handle(db);
	struct sca_query q = { 0 };

	assert_int_equal(kept(h, SCA_FILTER_SYSCALL, "read,mkdir"), 500);
	/* an action matches it with any data; errno(N) that one only */
	assert_int_equal(kept(h, SCA_FILTER_CODE, "errno"), 200);
	assert_int_equal(kept(h, SCA_FILTER_CODE, "errno(1)"), 200);
	assert_int_equal(kept(h, SCA_FILTER_CODE, "errno(2)"), 0);
	assert_int_equal(kept(h, SCA_FILTER_CODE, "kill,log"), 800);
	assert_int_equal(kept(h, SCA_FILTER_COMM, "nginx"), 250);
	assert_int_equal(kept(h, SCA_FILTER_PID, "100,101"), 500);
	assert_int_equal(kept(h, SCA_FILTER_EXE, "/bin/x"), 1000);
	assert_int_equal(kept(h, SCA_FILTER_EXE, "/bin/y"), 0);
	/* a container by name, or an id prefix in any case, never as a pattern */
	assert_int_equal(kept(h, SCA_FILTER_CONTAINER, "web"), 250);
	assert_int_equal(kept(h, SCA_FILTER_CONTAINER, "WEB"), 0);
	assert_int_equal(kept(h, SCA_FILTER_CONTAINER, "abcdef012345"), 250);
	assert_int_equal(kept(h, SCA_FILTER_CONTAINER, "ABCdef"), 250);
	assert_int_equal(kept(h, SCA_FILTER_CONTAINER, "abcdef0123456"), 0);
	assert_int_equal(kept(h, SCA_FILTER_CONTAINER, "abc%"), 0);
	assert_int_equal(kept(h, SCA_FILTER_CONTAINER, "%"), 0);
	assert_int_equal(kept(h, SCA_FILTER_CONTAINER, "a_cdef"), 0);
	assert_int_equal(kept(h, SCA_FILTER_POD, "web-0"), 250);
	assert_int_equal(kept(h, SCA_FILTER_NAMESPACE, "shop,other"), 250);
	/* only processes in no container, whatever the other container keys say */
	q.filter.host_only = true;
	q.filter.containers[q.filter.ncontainers++] = "web";
	assert_int_equal(counted(h, &q), 750);
	/* keys combine with AND */
	memset(&q, 0, sizeof(q));
	q.filter.comms[q.filter.ncomms++] = "worker";
	q.filter.codes[q.filter.ncodes++] = (struct sca_filter_code){ .action = SECCOMP_RET_LOG };
	assert_int_equal(counted(h, &q), 450);
	sca_db__close(db);
	sca_names__cleanup();
}

/* --sql's verdict on q: 0 for a query that ran to its end, or the refusal
 * with its reason in err. */
static int sql_verdict(sqlite3 *h, const char *q, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = sca_sql__prepare_read_only(h, q, &st, err, errlen);

	if (rc) {
		assert_null(st);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		fail_msg("%s: %s", q, sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return 0;
}

static void assert_refused(sqlite3 *h, const char *q, int want, const char *reason)
{
	char err[512];
	int rc = sql_verdict(h, q, err, sizeof(err));

	if (rc != want || strcmp(err, reason))
		fail_msg("%s: %d '%s', want %d '%s'", q, rc, rc ? err : "", want, reason);
}

#define SCHEMA_PRAGMAS \
	"(only index_info, index_list, index_xinfo, table_info, table_list, table_xinfo)"
#define NOT_PURE "is not allowed (only pure functions are)"
#define READ_ONLY "only read-only queries are allowed, not "

static void test_sql(void **state)
{
	(void)state;
	struct sca_db *db = load_one();
	sqlite3 *h = sca_db__handle(db);
	sqlite3_stmt *st;
	char err[256], vacuum[512];
	/* every kind of statement that writes, each named */
	const char *const refused[][2] = {
		{ "DELETE FROM events", "DELETE" },
		{ "DROP TABLE events", "DROP TABLE" },
		{ "INSERT INTO meta VALUES ('x', 'y')", "INSERT" },
		{ "UPDATE meta SET value = 'x'", "UPDATE" },
		{ "WITH x AS (SELECT 1) DELETE FROM events", "DELETE" },
		{ "EXPLAIN DELETE FROM events", "DELETE" },
		{ "WITH x AS (SELECT 1) INSERT INTO sqlite_master VALUES (1, 2, 3, 4, 5)",
		  "INSERT" },
		{ "ATTACH DATABASE ':memory:' AS evil", "ATTACH" },
		{ "DETACH DATABASE main", "DETACH" },
		{ "CREATE TEMP TABLE t(x)", "CREATE TEMP TABLE" },
		{ "create temporary view v as select 1", "CREATE TEMPORARY VIEW" },
		{ "CREATE INDEX i ON events(nr)", "CREATE INDEX" },
		{ "CREATE VIRTUAL TABLE f USING fts4(x)", "CREATE VIRTUAL TABLE" },
		{ "ALTER TABLE events ADD COLUMN x", "ALTER TABLE" },
		{ "BEGIN", "BEGIN" },
		{ "SAVEPOINT s", "SAVEPOINT" },
		{ "ANALYZE", "ANALYZE" },
		{ "REINDEX", "REINDEX" },
		{ "VACUUM", "VACUUM" },
		{ vacuum, "VACUUM" },
	};

	snprintf(vacuum, sizeof(vacuum), "/* c */ VACUUM INTO '%s/vacuum.db'", dir);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char want[128];
		snprintf(want, sizeof(want), READ_ONLY "%s", refused[i][1]);
		assert_refused(h, refused[i][0], -EPERM, want);
	}
	snprintf(vacuum, sizeof(vacuum), "%s/vacuum.db", dir);
	assert_int_equal(access(vacuum, F_OK), -1);
	/* one statement; what follows it may be blank, ';' or comments */
	assert_refused(h, "SELECT 1; DELETE FROM events", -EPERM, "one statement at a time");
	assert_refused(h, "SELECT 1; SELECT 2 -- c", -EPERM, "one statement at a time");
	assert_int_equal(sql_verdict(h, "SELECT 1; -- c", err, sizeof(err)), 0);
	assert_int_equal(sql_verdict(h, "SELECT 1 -- c\n;\n/* d */ ; ", err, sizeof(err)), 0);
	assert_int_equal(sql_verdict(h, "SELECT 1; /* runs to the end", err, sizeof(err)), 0);
	assert_int_equal(sca_sql__prepare_read_only(h, "SELEC nonsense", &st, err, sizeof(err)), -EINVAL);
	assert_refused(h, " ; ", -EINVAL, "empty query");
	assert_refused(h, "-- nothing", -EINVAL, "empty query");
	/* reads pass */
	assert_int_equal(sca_sql__prepare_read_only(h, "SELECT count(*) FROM ev;\n", &st, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), 1000);
	sqlite3_finalize(st);
	assert_int_equal(sql_verdict(h, "SELECT sql FROM sqlite_schema", err, sizeof(err)), 0);
	assert_int_equal(
		sql_verdict(h,
			    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
			    "WHERE x < 10) SELECT sum(x) FROM c",
			    err, sizeof(err)),
		0);
	assert_int_equal(scalar(h, "SELECT count(*) FROM events"), 1000);
	sca_db__close(db);
	sca_names__cleanup();
}

/* Pure functions pass; the others are refused by name, also from a view. */
static void test_sql_functions(void **state)
{
	(void)state;
	struct sca_db *db = load_one();
	sqlite3 *h = sca_db__handle(db);
	char err[256];
	static const char *const pure[] = {
		"SELECT abs(-1), round(2.5), sqrt(4), pow(2, 10), floor(1.5), pi(), mod(7, 3), sign(-2)",
		"SELECT hex(randomblob(4)), length(zeroblob(4)), random() IS NOT NULL, printf('%d', 1), "
		"format('%s', 'a'), iif(1, 'a', 'b'), coalesce(NULL, 1), ifnull(NULL, 2), nullif(1, 1)",
		"SELECT 'a' LIKE 'A', 'a' GLOB 'a', instr('ab', 'b'), substr('abc', 2), replace('a', 'a', 'b'), "
		"upper('a'), lower('A'), trim(' a '), quote('x'), typeof(1), unicode('a'), char(97)",
		"SELECT strftime('%s', 'now') > 0, date('now'), time('now'), datetime(0, 'unixepoch'), "
		"julianday('now') > 0, unixepoch() > 0, CURRENT_TIMESTAMP IS NOT NULL",
		"SELECT '{\"a\":1}' ->> '$.a', '[1]' -> '$[0]', json_extract('[1]', '$[0]'), json_array(1), "
		"json_object('a', 1), json_type('1'), json_valid('{}'), json_set('{}', '$.a', 1)",
		"SELECT count(*), sum(n), total(n), avg(n), min(n), max(n), group_concat(comm), "
		"json_group_array(comm), json_group_object(comm || pid, n) FROM summary",
		"SELECT comm, row_number() OVER w, rank() OVER w, dense_rank() OVER w, lag(n) OVER w, "
		"lead(n) OVER w, first_value(n) OVER w, ntile(2) OVER w, sum(n) OVER w FROM summary "
		"WINDOW w AS (ORDER BY n)",
		"SELECT e.key, t.value FROM json_each(json_array(1, 2)) e, json_tree('{\"a\":[1]}') t",
	};

	for (size_t i = 0; i < sizeof(pure) / sizeof(pure[0]); i++)
		if (sql_verdict(h, pure[i], err, sizeof(err)))
			fail_msg("%s: %s", pure[i], err);
	/* a library pointer, read and written; code from a file */
	assert_refused(h, "SELECT hex(fts3_tokenizer('simple'))", -EPERM,
		       "function fts3_tokenizer() " NOT_PURE);
	assert_refused(h, "SELECT fts3_tokenizer('evil', x'4141414141414141')", -EPERM,
		       "function fts3_tokenizer() " NOT_PURE);
	assert_refused(h, "SELECT load_extension('/nonexistent.so')", -EPERM,
		       "function load_extension() " NOT_PURE);
	assert_refused(h, "SELECT changes()", -EPERM, "function changes() " NOT_PURE);
	assert_refused(h, "SELECT sqlite_version()", -EPERM, "function sqlite_version() " NOT_PURE);
	assert_refused(h, "SELECT 1 MATCH 2", -EPERM, "function match() " NOT_PURE);
	assert_refused(h, "SELECT * FROM dbstat", -EPERM,
		       "virtual table dbstat is not allowed (only json_each, json_tree)");
	/* even with the authorizer gone, the connection refuses the pointer */
	sqlite3_set_authorizer(h, NULL, NULL);
	assert_int_not_equal(sqlite3_exec(h, "SELECT fts3_tokenizer('evil', x'4141414141414141')",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	sca_db__close(db);
	sca_names__cleanup();
}

/* A database's own view is checked as the query that uses it: a database
 * file may come from anyone. */
static void test_sql_view(void **state)
{
	(void)state;
	struct sca_db *db = load_one();
	sqlite3 *h = sca_db__handle(db);
	char err[256];

	assert_int_equal(
		sqlite3_exec(h,
			     "CREATE VIEW counter AS SELECT changes() AS n;"
			     "CREATE VIEW \"es\x1b[2Jc\" AS SELECT total_changes() AS n;"
			     "CREATE VIEW fine AS SELECT printf('%d', count(*)) AS n FROM ev",
			     NULL, NULL, NULL),
		SQLITE_OK);
	assert_refused(h, "SELECT n FROM counter", -EPERM,
		       "function changes() in counter " NOT_PURE);
	assert_refused(h, "SELECT * FROM \"es\x1b[2Jc\"", -EPERM,
		       "function total_changes() in es?[2Jc " NOT_PURE);
	assert_int_equal(sql_verdict(h, "SELECT n FROM fine", err, sizeof(err)), 0);
	sca_db__close(db);
	sca_names__cleanup();
}

/* Only the pragmas that describe the schema, in either form. */
static void test_sql_pragmas(void **state)
{
	(void)state;
	struct sca_db *db = load_one();
	sqlite3 *h = sca_db__handle(db);
	char err[256];
	static const char *const schema[] = {
		"PRAGMA table_info(events)",
		"PRAGMA main.table_xinfo(ev)",
		"PRAGMA index_list(counts)",
		"PRAGMA index_info(counts_nr)",
		"PRAGMA index_xinfo(counts_nr)",
		"PRAGMA table_list",
		"SELECT name FROM pragma_table_info('events')",
		"SELECT count(*) FROM pragma_index_list('counts')",
	};
	static const char *const other[][2] = {
		{ "PRAGMA query_only = OFF", "query_only" },
		{ "PRAGMA writable_schema = ON", "writable_schema" },
		{ "PRAGMA trusted_schema = ON", "trusted_schema" },
		{ "PRAGMA user_version", "user_version" },
		{ "PRAGMA optimize", "optimize" },
		{ "PRAGMA database_list", "database_list" },
		{ "PRAGMA temp_store_directory = '/tmp'", "temp_store_directory" },
		{ "SELECT * FROM pragma_user_version", "user_version" },
		{ "SELECT count(*) FROM pragma_database_list", "database_list" },
		{ "SELECT * FROM pragma_table_info('events'), pragma_function_list",
		  "function_list" },
	};

	for (size_t i = 0; i < sizeof(schema) / sizeof(schema[0]); i++)
		if (sql_verdict(h, schema[i], err, sizeof(err)))
			fail_msg("%s: %s", schema[i], err);
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		char want[256];
		snprintf(want, sizeof(want), "PRAGMA %s is not allowed " SCHEMA_PRAGMAS,
			 other[i][1]);
		assert_refused(h, other[i][0], -EPERM, want);
	}
	sca_db__close(db);
	sca_names__cleanup();
}

/* The connection's own fences, each without the authorizer's help. */
static void test_sql_limits(void **state)
{
	(void)state;
	struct sca_db *db = load_one();
	sqlite3 *h = sca_db__handle(db);
	char err[256], *q;
	size_t len = 0, size = 200 << 10;
	sqlite3_stmt *st;
	int on = -1;

	assert_int_equal(sca_sql__restrict(h, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, -1, &on), SQLITE_OK);
	assert_int_equal(on, 0);
	assert_int_equal(sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, -1, &on),
			 SQLITE_OK);
	assert_int_equal(on, 0);
	assert_int_equal(sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, -1, &on),
			 SQLITE_OK);
	assert_int_equal(on, 0);
	assert_int_equal(sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, -1, &on), SQLITE_OK);
	assert_int_equal(on, 1);
	/* a value is at most 64 MiB */
	assert_int_equal(sca_sql__prepare_read_only(h, "SELECT length(zeroblob(67108865))", &st,
						    err, sizeof(err)),
			 0);
	assert_int_equal(sqlite3_step(st), SQLITE_TOOBIG);
	sqlite3_finalize(st);
	/* printf() answers NULL */
	assert_int_equal(sca_sql__prepare_read_only(h, "SELECT printf('%.*c', 100000000, 'x')", &st,
						    err, sizeof(err)),
			 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
	sqlite3_finalize(st);
	assert_int_equal(sql_verdict(h, "SELECT length(zeroblob(67108864))", err, sizeof(err)), 0);
	/* a query is at most 128 KiB */
	q = malloc(size);
	assert_non_null(q);
	memset(q, ' ', 128 << 10);
	memcpy(q, "SELECT 1", 8);
	q[128 << 10] = '\0';
	assert_int_equal(sql_verdict(h, q, err, sizeof(err)), 0);
	q[128 << 10] = ' ';
	q[(128 << 10) + 1] = '\0';
	assert_refused(h, q, -EINVAL, "query too long (over 131072 bytes)");
	/* at most 250,000 instructions: 14 nested doubling CTEs make 311,294 */
	len = (size_t)snprintf(q, size, "WITH a0(x) AS NOT MATERIALIZED (SELECT 1)");
	for (int i = 1; i <= 14; i++)
		len += (size_t)snprintf(
			q + len, size - len,
			", a%d(x) AS NOT MATERIALIZED (SELECT count(*) FROM a%d UNION ALL SELECT x FROM a%d)",
			i, i - 1, i - 1);
	snprintf(q + len, size - len, " SELECT count(*) FROM a14");
	assert_refused(h, q, -ENOMEM,
		       "query too large (over 250000 instructions) or out of memory");
	free(q);
	/* no database can be attached, even past the authorizer */
	sqlite3_set_authorizer(h, NULL, NULL);
	assert_int_equal(sqlite3_exec(h, "ATTACH DATABASE ':memory:' AS evil", NULL, NULL, NULL),
			 SQLITE_ERROR);
	assert_string_equal(sqlite3_errmsg(h), "too many attached databases - max 0");
	sca_db__close(db);
	sca_names__cleanup();
}

static void test_summary(void **state)
{
	(void)state;
	struct sca_db *db = load_one();
	sqlite3 *h = sca_db__handle(db);
	uint64_t first, last;
	char *text = NULL, *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(sca_summary__print(h, f), 0);
	fclose(f);
	assert_non_null(strstr(text, ": host host-a, 1000 events, 20 lost\n"));
	assert_non_null(strstr(text, "\n# 1 trace, 2023-11-14T22:13:20.000000000Z .. "
				     "2023-11-14T22:13:20.000999000Z (0.001 s), 1000 events, 20 lost\n"));
	assert_int_equal(sca_summary__json(h, &json), 0);
	assert_non_null(strstr(json, "\"host\":\"host-a\",\"events\":1000,\"lost\":20,\"clean_close\":true"));
	assert_non_null(strstr(json, "\"damage\":[]}],\"events\":1000,\"lost\":20,\"first\":"));
	assert_int_equal(sca_summary__span(h, &first, &last), 0);
	assert_true(first == 1700000000000000000ull && last == first + 999000);
	free(text);
	free(json);
	sca_db__close(db);
	sca_names__cleanup();
}

/* The rows of SQL (on an empty in-memory database) in FORMAT, COLUMNS wide. */
static char *rows(const char *sql, enum sca_out_format format, int columns)
{
	char *text = NULL, err[256];
	size_t len = 0;
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	FILE *f = open_memstream(&text, &len);
	struct sca_out o = { .f = f, .format = format, .width = columns };

	assert_non_null(f);
	assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_true(sca_out__rows(&o, st, err, sizeof(err)) >= 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	fclose(f);
	return text;
}

/* A comm that retitles and clears the terminal, an exe with a newline and a byte that is no UTF-8. */
#define HOSTILE "SELECT char(27) || ']0;PWNED' || char(7) || char(27) || '[2J' AS comm, " \
		"CAST(x'2f612f0a46414b45ff' AS TEXT) AS exe, -1 AS ret, '=1+1' AS f, 'caf' || char(233) AS u"

static void test_output(void **state)
{
	char *t;

	(void)state;
	/* table: escaped, widths of the escaped form, no row but the one */
	t = rows(HOSTILE, SCA_OUT_TABLE, 0);
	assert_string_equal(t, "comm                    exe           ret f    u\n"
			       "\\x1b]0;PWNED\\x07\\x1b[2J /a/\\nFAKE\\xff  -1 =1+1 caf\xc3\xa9\n");
	free(t);
	/* cut to fit: never inside an escape; the "~" says so */
	t = rows("SELECT 'ab' || char(27) || 'cdef' AS x, 1 AS y", SCA_OUT_TABLE, 10);
	assert_string_equal(t, "x        y\nab\\x1bc~ 1\n");
	free(t);
	t = rows("SELECT 'abcd' || char(27) || 'ef' AS x, 1 AS y", SCA_OUT_TABLE, 10);
	assert_string_equal(t, "x        y\nabcd~    1\n");
	free(t);
	/* column names from --sql are escaped too */
	t = rows("SELECT 1 AS \"" "\x1b" "[2J\"", SCA_OUT_TABLE, 0);
	assert_string_equal(t, "\\x1b[2J\n      1\n");
	free(t);
	/* csv: the bytes, a formula neutralized, a number left alone */
	t = rows(HOSTILE, SCA_OUT_CSV, 0);
	assert_string_equal(t, "comm,exe,ret,f,u\r\n"
			       "\x1b]0;PWNED\x07\x1b[2J,\"/a/\nFAKE\xff\",-1,\"'=1+1\",caf\xc3\xa9\r\n");
	free(t);
	t = rows("SELECT '-1' AS t, -1.5 AS r, '@x' AS a, NULL AS n", SCA_OUT_CSV, 0);
	assert_string_equal(t, "t,r,a,n\r\n\"'-1\",-1.5,\"'@x\",\r\n");
	free(t);
	/* json: valid whatever the bytes (\u00XX for a byte that is no UTF-8) */
	t = rows(HOSTILE, SCA_OUT_JSON, 0);
	assert_non_null(strstr(t, "\"comm\":\"\\u001b]0;PWNED\\u0007\\u001b[2J\",\"exe\":\"/a/\\u000aFAKE\\u00ff\","
				  "\"ret\":-1,\"f\":\"=1+1\",\"u\":\"caf\xc3\xa9\""));
	free(t);
}

static void test_summary_hostile(void **state)
{
	char sub[256], path[300], err[256], *text = NULL;
	const char *args[] = { sub };
	struct sca_db *db = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/evil", dir);
	snprintf(path, sizeof(path), "%s/1.trace", sub);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_trace(path, "evil\x1b[2J\nhost");
	assert_int_equal(sca_db__create_loaded(&db, args, 1, NULL, false, NULL, err, sizeof(err)), 0);
	assert_non_null(f = open_memstream(&text, &len));
	assert_int_equal(sca_summary__print(sca_db__handle(db), f), 0);
	fclose(f);
	assert_non_null(strstr(text, ": host evil\\x1b[2J\\nhost, 1000 events"));
	assert_null(strchr(text, '\x1b'));
	free(text);
	sca_db__close(db);
	sca_names__cleanup();
}

/* Calls of the syscall source beside audit events: two processes (one in a
 * container), a syscall counted over three intervals, arguments, an i386
 * call, calls without a process, and losses of both kinds. */
static void write_calls_trace(const char *path)
{
	struct sca_trace_meta m = { .host = "host-c", .source = "test" };
	struct sca_writer_opts o = { .sz = sizeof(o), .chunk_events = 3 };
	struct sca_writer *w = sca_writer__create(path, &m, &o);
	const uint64_t t0 = 1700000000000000000ull;
	struct sca_event worker = { .pid = 200, .tid = 200, .ppid = 1, .uid = 4294967295u,
				    .gid = 4294967295u, .auid = 4294967295u, .ses = 4294967295u,
				    .comm = "worker", .exe = "/bin/w", .arch = 0xc000003e };
	struct sca_event nginx = worker;
	struct sca_lost l1 = { t0 + 5, 3, "syscalls" }, l2 = { t0 + 6, 2, "audit" };

	assert_non_null(w);
	nginx.pid = nginx.tid = 201;
	nginx.comm = "nginx";
	nginx.container = &web;
	/* an audit event of the worker: the same process as its calls */
	struct sca_event refused = worker;
	refused.time_ns = t0;
	refused.code = 0x00050001;    /* errno(1) */
	assert_int_equal(sca_writer__add_event(w, &refused), 0);
	for (int i = 0; i < 3; i++) {      /* read, over three intervals: 10 + 20 + 30 */
		struct sca_calls c = { .ev = worker, .count = 10 * (uint64_t)(i + 1) };
		c.ev.time_ns = t0 + 1000000000ull * (uint64_t)i;
		assert_int_equal(sca_writer__add_calls(w, &c), 0);
	}
	struct sca_calls sock = { .ev = nginx, .count = 5, .flags = SCA_CALLS_FILTERED };
	sock.ev.time_ns = t0 + 10;
	sock.ev.syscall = 41;             /* socket(AF_INET, SOCK_STREAM) */
	sock.ev.has_args = true;
	sock.ev.args[0] = 2;
	sock.ev.args[1] = 1;
	sock.ev.args[5] = UINT64_MAX;
	sock.argmask[0] = sock.argmask[1] = UINT64_MAX;
	assert_int_equal(sca_writer__add_calls(w, &sock), 0);
	struct sca_calls mk = { .ev = nginx, .count = 2 };
	mk.ev.time_ns = t0 + 20;
	mk.ev.arch = 0x40000003;          /* i386 39 is mkdir */
	mk.ev.syscall = 39;
	mk.ev.compat = true;
	assert_int_equal(sca_writer__add_calls(w, &mk), 0);
	struct sca_calls lone = { .count = 4, .flags = SCA_CALLS_NO_PROCESS };
	lone.ev.time_ns = t0 + 30;
	lone.ev.arch = 0xc000003e;
	lone.ev.syscall = 202;            /* futex */
	assert_int_equal(sca_writer__add_calls(w, &lone), 0);
	assert_int_equal(sca_writer__add_lost(w, &l1), 0);
	assert_int_equal(sca_writer__add_lost(w, &l2), 0);
	assert_int_equal(sca_writer__close(w), 0);
}

static struct sca_db *load_calls(void)
{
	char path[256], err[256];
	const char *args[] = { path };
	struct sca_db *db = NULL;

	snprintf(path, sizeof(path), "%s/calls.trace", dir);
	if (access(path, F_OK))
		write_calls_trace(path);
	assert_int_equal(sca_db__create_loaded(&db, args, 1, NULL, false, NULL, err, sizeof(err)), 0);
	return db;
}

/* The --by rows of q as "key,key,...:count:calls" lines (keys NULL as "-"). */
static char *by_rows(sqlite3 *h, struct sca_query *q)
{
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	sqlite3_stmt *st;

	assert_non_null(f);
	assert_int_equal(sca_query__prepare(q, h, &st, err, sizeof(err)), 0);
	int n = sqlite3_column_count(st);
	assert_string_equal(sqlite3_column_name(st, n - 5), "count");
	assert_string_equal(sqlite3_column_name(st, n - 4), "calls");
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < n - 5; c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			fprintf(f, "%s%s", c ? "," : "", v ? v : "-");
		}
		fprintf(f, ":%lld:%lld\n", (long long)sqlite3_column_int64(st, n - 5),
			(long long)sqlite3_column_int64(st, n - 4));
	}
	sqlite3_finalize(st);
	fclose(f);
	return text;
}

static void assert_by(sqlite3 *h, struct sca_query *q, const char *want)
{
	char *got = by_rows(h, q);

	if (strcmp(got, want))
		fail_msg("--by rows:\n%swant:\n%s", got, want);
	free(got);
}

static void test_calls_load(void **state)
{
	(void)state;
	struct sca_db *db = load_calls();
	sqlite3 *h = sca_db__handle(db);

	assert_int_equal(scalar(h, "SELECT count(*) FROM calls"), 6);
	assert_int_equal(scalar(h, "SELECT sum(count) FROM calls"), 71);
	/* calls are no events: the roll-up and the events stay the audit's */
	assert_int_equal(scalar(h, "SELECT count(*) FROM events"), 1);
	assert_int_equal(scalar(h, "SELECT sum(n) FROM counts"), 1);
	/* the worker's event and calls share its process row */
	assert_int_equal(scalar(h, "SELECT count(*) FROM processes"), 2);
	assert_int_equal(scalar(h, "SELECT count(DISTINCT process) FROM calls WHERE process IN "
				   "(SELECT process FROM events)"), 1);
	/* counts summed over intervals, named per arch */
	assert_int_equal(scalar(h, "SELECT sum(count) FROM calls_ev WHERE comm = 'worker' AND syscall = 'read'"), 60);
	assert_int_equal(scalar(h, "SELECT count FROM calls_ev WHERE arch = 'i386' AND syscall = 'mkdir' AND compat = 1"), 2);
	assert_int_equal(scalar(h, "SELECT count(*) FROM calls_ev WHERE container = 'web' AND pod = 'web-0'"), 2);
	/* flags, arguments and their masks; NULL without arguments */
	assert_int_equal(scalar(h, "SELECT count(*) FROM calls WHERE filtered = 1"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM calls_ev WHERE syscall = 'socket' AND a0 = 2 AND a1 = 1 "
				   "AND a5 = -1 AND m0 = -1 AND m1 = -1 AND m2 = 0"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM calls WHERE a0 IS NULL AND m0 IS NULL"), 5);
	/* a call without a process has none */
	assert_int_equal(scalar(h, "SELECT count(*) FROM calls_ev WHERE no_process = 1 AND process IS NULL "
				   "AND pid IS NULL AND comm IS NULL AND syscall = 'futex' AND count = 4"), 1);
	assert_int_equal(scalar(h, "SELECT count(*) FROM calls_ev WHERE code = 'allow' AND code_raw = 2147418112"), 6);
	/* the roll-up: one row per process, arch, syscall and filter, sums kept */
	assert_int_equal(scalar(h, "SELECT count(*) FROM call_counts"), 4);
	assert_int_equal(scalar(h, "SELECT sum(n) FROM call_counts"), 71);
	assert_int_equal(scalar(h, "SELECT n FROM calls_summary WHERE comm = 'worker' AND syscall = 'read' "
				   "AND last_ns - first_ns = 2000000000 AND filtered = 0"), 60);
	assert_int_equal(scalar(h, "SELECT n FROM calls_summary WHERE container = 'web' AND syscall = 'socket' "
				   "AND filtered = 1"), 5);
	assert_int_equal(scalar(h, "SELECT count(*) FROM calls_summary WHERE no_process = 1 AND process IS NULL "
				   "AND pid IS NULL AND syscall = 'futex' AND n = 4"), 1);
	/* the trace's totals: events lost apart from calls lost */
	assert_int_equal(scalar(h, "SELECT calls FROM traces"), 71);
	assert_int_equal(scalar(h, "SELECT calls_lost FROM traces"), 3);
	assert_int_equal(scalar(h, "SELECT calls_no_process FROM traces"), 4);
	assert_int_equal(scalar(h, "SELECT lost FROM traces"), 2);
	assert_int_equal(scalar(h, "SELECT sum(count) FROM lost"), 5);
	assert_int_equal(scalar(h, "SELECT last_ns - first_ns FROM traces"), 2000000000);
	sca_db__close(db);
	sca_names__cleanup();
}

static void test_calls_by(void **state)
{
	(void)state;
	struct sca_db *db = load_calls();
	sqlite3 *h = sca_db__handle(db);
	struct sca_query q = { 0 };
	char buf[64], err[256];

	/* beside the events, code allow; most frequent first, events and calls alike */
	assert_by(h, &q, "read,allow:0:60\nsocket,allow:0:5\nfutex,allow:0:4\n"
			 "mkdir,allow:0:2\nread,errno(1):1:0\n");
	q.by[q.nby++] = "comm";
	assert_by(h, &q, "worker:1:60\nnginx:0:7\n-:0:4\n");
	q.by[0] = "container";
	assert_by(h, &q, "-:1:64\nweb:0:7\n");
	/* calls are code allow: --code log or errno leaves them out */
	memset(&q, 0, sizeof(q));
	q.by[q.nby++] = "comm";
	snprintf(buf, sizeof(buf), "allow");
	assert_int_equal(sca_filter__add(&q.filter, SCA_FILTER_CODE, buf, err, sizeof(err)), 0);
	assert_by(h, &q, "worker:0:60\nnginx:0:7\n-:0:4\n");
	memset(&q, 0, sizeof(q));
	q.by[q.nby++] = "comm";
	snprintf(buf, sizeof(buf), "errno,log");
	assert_int_equal(sca_filter__add(&q.filter, SCA_FILTER_CODE, buf, err, sizeof(err)), 0);
	assert_by(h, &q, "worker:1:0\n");
	/* a process filter keeps no call without a process; --syscall does */
	memset(&q, 0, sizeof(q));
	q.by[q.nby++] = "pid";
	q.filter.pids[q.filter.npids++] = 200;
	assert_by(h, &q, "200:1:60\n");
	memset(&q, 0, sizeof(q));
	q.by[q.nby++] = "comm";
	q.filter.host_only = true;
	assert_by(h, &q, "worker:1:60\n");
	memset(&q, 0, sizeof(q));
	q.by[q.nby++] = "comm";
	q.filter.containers[q.filter.ncontainers++] = "web";
	assert_by(h, &q, "nginx:0:7\n");
	memset(&q, 0, sizeof(q));
	q.by[q.nby++] = "syscall";
	q.filter.syscalls[q.filter.nsyscalls++] = "futex";
	q.filter.syscalls[q.filter.nsyscalls++] = "mkdir";
	assert_by(h, &q, "futex,allow:0:4\nmkdir,allow:0:2\n");
	/* a time window: each record by its first call */
	memset(&q, 0, sizeof(q));
	q.by[q.nby++] = "comm";
	q.has_since = true;
	q.since_ns = 1700000000000000000ull + 1;
	q.has_until = true;
	q.until_ns = 1700000000000000000ull + 1000000000ull;
	assert_by(h, &q, "worker:0:20\nnginx:0:7\n-:0:4\n");
	sca_db__close(db);
	sca_names__cleanup();
}

/* A trace without calls keeps its --by columns as they were. */
static void test_calls_none(void **state)
{
	(void)state;
	struct sca_db *db = load_one();
	sqlite3 *h = sca_db__handle(db);
	struct sca_query q = { 0 };
	sqlite3_stmt *st;
	char err[256];

	assert_false(sca_query__has_calls(h));
	assert_int_equal(sca_query__prepare(&q, h, &st, err, sizeof(err)), 0);
	assert_int_equal(sqlite3_column_count(st), 6);
	assert_string_equal(sqlite3_column_name(st, 2), "count");
	assert_string_equal(sqlite3_column_name(st, 3), "processes");
	sqlite3_finalize(st);
	sca_db__close(db);
	sca_names__cleanup();
}

static void test_calls_summary(void **state)
{
	(void)state;
	struct sca_db *db = load_calls();
	sqlite3 *h = sca_db__handle(db);
	char *text = NULL, *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(sca_summary__print(h, f), 0);
	fclose(f);
	assert_non_null(strstr(text, ": host host-c, 1 events, 2 lost, 71 calls\n"
				     "#   syscall source: the kernel did not count 3 calls (lost; their "
				     "syscalls may be missing)\n"
				     "#   syscall source: 4 calls without a process (the table was full: "
				     "their syscalls are known, not which process made them)\n"));
	assert_non_null(strstr(text, "\n# 1 trace, 2023-11-14T22:13:20.000000000Z .. "
				     "2023-11-14T22:13:22.000000000Z (2.000 s), 1 events, 2 lost, 71 calls\n"));
	assert_int_equal(sca_summary__json(h, &json), 0);
	assert_non_null(strstr(json, "\"events\":1,\"lost\":2,\"calls\":71,\"calls_lost\":3,"
				     "\"calls_no_process\":4,\"clean_close\":true"));
	assert_non_null(strstr(json, "],\"events\":1,\"lost\":2,\"calls\":71,\"calls_lost\":3,"
				     "\"calls_no_process\":4,\"first\":"));
	free(text);
	free(json);
	sca_db__close(db);
	sca_names__cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),	      cmocka_unit_test(test_times),
		cmocka_unit_test(test_filters),	      cmocka_unit_test(test_sql),
		cmocka_unit_test(test_sql_functions), cmocka_unit_test(test_sql_view),
		cmocka_unit_test(test_sql_pragmas),   cmocka_unit_test(test_sql_limits),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_summary_hostile),
		cmocka_unit_test(test_calls_load),
		cmocka_unit_test(test_calls_by),
		cmocka_unit_test(test_calls_none),
		cmocka_unit_test(test_calls_summary),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
