/*
 * cmd_analyze.c - `sca analyze`: load traces into SQLite (analyze/db.c),
 * ask a question (analyze/query.c), print the answer (analyze/output.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "common/cli.h"
#include "common/names.h"
#include "db.h"
#include "output.h"
#include "query.h"

const char cmd_analyze_usage[] =
	"usage: sca analyze TRACE... [--by KEYS | --events | --sql QUERY] [--db FILE]\n"
	"                   [--format table|csv|json] [--top N] [--since T] [--until T]\n"
	"                   [--syscall S] [--code C] [--comm C] [--pid P] [--container C]\n"
	"       sca analyze FILE.db [the same questions]\n"
	"\n"
	"Load traces (several hosts' traces merge, each keeping its host) into\n"
	"SQLite and answer a question. The tables are documented in docs/schema.md.\n"
	"A TRACE that is a directory stands for the *.trace files in it, in name\n"
	"order (e.g. the files of sca record --rotate).\n"
	"\n"
	"  --by KEYS          count events grouped by a comma list of: syscall, code,\n"
	"                     arch, comm, exe, pid, uid, container, pod, namespace,\n"
	"                     host (default: syscall, which also splits by code);\n"
	"                     rows give count, distinct processes, first and last\n"
	"                     time, most frequent first\n"
	"  --events           list events instead, oldest first\n"
	"  --columns LIST     --events columns (default time,pid,comm,syscall,code);\n"
	"                     one of: time, host, pid, tid, ppid, uid, gid, auid, ses,\n"
	"                     comm, exe, arch, syscall, nr, code, sig, ip, args (BPF\n"
	"                     source only), cgroup,\n"
	"                     mntns, runtime.containername, k8s.namespace, k8s.pod,\n"
	"                     k8s.container\n"
	"  --sql QUERY        run a read-only SQL query (writing ones are refused)\n"
	"  --db FILE          keep the database in FILE (written whole, then renamed\n"
	"                     into place); later, `sca analyze FILE` reuses it\n"
	"  --format F         table (default, fitted to the terminal), csv, or json\n"
	"  --top N            at most N rows\n"
	"  --since T, --until T\n"
	"                     only events in this time range: 2026-11-28T02:22:03Z,\n"
	"                     @EPOCH_SECONDS, a duration before the last event (30s,\n"
	"                     5m, 2h, 1d, 500ms), or +DURATION after the first event\n"
	"  --syscall S, --code C, --comm C, --pid P, --container C\n"
	"                     only these (repeat, or comma lists); --code takes log,\n"
	"                     kill_thread, kill_process, trap, errno, errno(N), ...;\n"
	"                     --container a name or an id prefix\n"
	"  -h, --help         show this help\n"
	"\n"
	"Before the rows, a header states the traces, their time span, events, lost\n"
	"events and any damage the reader skipped (csv: on stderr; json: a\n"
	"\"summary\" object). A damaged trace loads what is intact.\n"
	"\n"
	"Exit status: 0 ok, 1 a trace or database cannot be read or a query fails,\n"
	"2 usage error.\n";

static char *iso(int64_t ns, char *buf, size_t n)
{
	return (char *)sca_time_str((uint64_t)ns, buf, n);
}

/* The header: which traces, their span, events, losses, damage. */
static int print_summary(sqlite3 *db, FILE *f, bool json, char **json_out)
{
	sqlite3_stmt *st = NULL, *dm = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *j = json ? open_memstream(&buf, &len) : NULL;
	char t1[48], t2[48];
	int64_t events = 0, lost = 0, first = INT64_MAX, last = 0;
	int ntraces = 0;

	if (json && !j)
		return -ENOMEM;
	if (sqlite3_prepare_v2(db,
			       "SELECT path, host, events, lost, first_ns, last_ns, clean_close, "
			       "chunks_skipped, bytes_skipped, id FROM traces ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT kind, offset, length, events FROM damage WHERE trace_id = ?",
			       -1, &dm, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		if (j)
			fclose(j);
		free(buf);
		return -EIO;
	}
	if (j)
		fputs("{\"traces\":[", j);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 0);
		const char *host = (const char *)sqlite3_column_text(st, 1);
		int64_t ev = sqlite3_column_int64(st, 2), lo = sqlite3_column_int64(st, 3);
		bool has_time = sqlite3_column_type(st, 4) != SQLITE_NULL;
		int64_t fi = sqlite3_column_int64(st, 4), la = sqlite3_column_int64(st, 5);
		bool clean = sqlite3_column_int(st, 6);
		events += ev;
		lost += lo;
		if (has_time && fi < first)
			first = fi;
		if (has_time && la > last)
			last = la;
		if (j) {
			fputs(ntraces ? ",{\"path\":" : "{\"path\":", j);
			sca_out__json_str(j, path ? path : "");
			fputs(",\"host\":", j);
			if (host)
				sca_out__json_str(j, host);
			else
				fputs("null", j);
			fprintf(j, ",\"events\":%" PRId64 ",\"lost\":%" PRId64 ",\"clean_close\":%s", ev, lo,
				clean ? "true" : "false");
			if (has_time)
				fprintf(j, ",\"first\":\"%s\",\"last\":\"%s\"", iso(fi, t1, sizeof(t1)),
					iso(la, t2, sizeof(t2)));
			fputs(",\"damage\":[", j);
		} else {
			fprintf(f, "# trace %s: host %s, %" PRId64 " events, %" PRId64 " lost%s\n",
				path ? path : "?", host ? host : "?", ev, lo,
				clean ? "" : ", not closed cleanly");
		}
		sqlite3_bind_int64(dm, 1, sqlite3_column_int64(st, 9));
		int nd = 0;
		while (sqlite3_step(dm) == SQLITE_ROW) {
			const char *kind = (const char *)sqlite3_column_text(dm, 0);
			int64_t off = sqlite3_column_int64(dm, 1), dl = sqlite3_column_int64(dm, 2);
			if (j) {
				fprintf(j, "%s{\"kind\":", nd ? "," : "");
				sca_out__json_str(j, kind);
				fprintf(j, ",\"offset\":%" PRId64 ",\"length\":%" PRId64 "}", off, dl);
			} else if (strcmp(kind, "no footer (not closed cleanly)")) {
				fprintf(f, "#   damage: %s at offset %" PRId64 ", %" PRId64 " bytes skipped\n", kind,
					off, dl);
			}
			nd++;
		}
		sqlite3_reset(dm);
		if (j)
			fputs("]}", j);
		ntraces++;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(dm);
	if (j) {
		fprintf(j, "],\"events\":%" PRId64 ",\"lost\":%" PRId64, events, lost);
		if (events)
			fprintf(j, ",\"first\":\"%s\",\"last\":\"%s\"", iso(first, t1, sizeof(t1)),
				iso(last, t2, sizeof(t2)));
		fputc('}', j);
		fclose(j);
		*json_out = buf;
	} else if (events) {
		fprintf(f, "# %d trace%s, %s .. %s (%.3f s), %" PRId64 " events, %" PRId64 " lost\n",
			ntraces, ntraces == 1 ? "" : "s", iso(first, t1, sizeof(t1)), iso(last, t2, sizeof(t2)),
			(double)(last - first) / 1e9, events, lost);
	} else {
		fprintf(f, "# %d trace%s, no events, %" PRId64 " lost\n", ntraces, ntraces == 1 ? "" : "s",
			lost);
	}
	return 0;
}

static int span(sqlite3 *db, uint64_t *first, uint64_t *last)
{
	sqlite3_stmt *st;
	*first = *last = 0;
	if (sqlite3_prepare_v2(db, "SELECT min(first_ns), max(last_ns) FROM traces", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*first = (uint64_t)sqlite3_column_int64(st, 0);
		*last = (uint64_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Reads only: SELECT, reading tables and functions, and reading pragmas. */
static int read_only_auth(void *ctx, int action, const char *a1, const char *a2, const char *db,
			  const char *trigger)
{
	(void)ctx;
	(void)db;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_FUNCTION:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_PRAGMA: {
		/* pragmas that only describe the schema may take an argument */
		static const char *const describe[] = {
			"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
			"foreign_key_list", "table_list", "database_list", "collation_list",
			"function_list", "module_list", "pragma_list",
		};
		for (size_t i = 0; a1 && i < sizeof(describe) / sizeof(describe[0]); i++)
			if (!strcasecmp(a1, describe[i]))
				return SQLITE_OK;
		return a2 ? SQLITE_DENY : SQLITE_OK;   /* other pragmas with a value write */
	}
	default:
		return SQLITE_DENY;
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_analyze(int argc, char **argv)
{
	enum { O_BY = 256, O_EVENTS, O_COLUMNS, O_SQL, O_DB, O_FORMAT, O_TOP, O_SINCE, O_UNTIL,
	       O_SYSCALL, O_CODE, O_COMM, O_PID, O_CONTAINER };
	static const struct option opts[] = {
		{ "by", required_argument, NULL, O_BY },
		{ "events", no_argument, NULL, O_EVENTS },
		{ "columns", required_argument, NULL, O_COLUMNS },
		{ "sql", required_argument, NULL, O_SQL },
		{ "db", required_argument, NULL, O_DB },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "top", required_argument, NULL, O_TOP },
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "syscall", required_argument, NULL, O_SYSCALL },
		{ "code", required_argument, NULL, O_CODE },
		{ "comm", required_argument, NULL, O_COMM },
		{ "pid", required_argument, NULL, O_PID },
		{ "container", required_argument, NULL, O_CONTAINER },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct sca_query q = { 0 };
	const char *sql = NULL, *dbpath = NULL, *since = NULL, *until = NULL;
	const char *pids[SCA_QUERY_MAX];
	int npids = 0, opt, err = 0;
	struct sca_out out = { .f = stdout, .format = SCA_OUT_TABLE };
	char msg[512];

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case O_BY: err = sca_cli_split(optarg, q.by, &q.nby, SCA_QUERY_MAX); break;
		case O_EVENTS: q.events = true; break;
		case O_COLUMNS: err = sca_cli_split(optarg, q.columns, &q.ncolumns, SCA_QUERY_MAX); break;
		case O_SQL: sql = optarg; break;
		case O_DB: dbpath = optarg; break;
		case O_FORMAT:
			if (sca_out_format__parse(optarg, &out.format))
				return sca_usage_err("analyze", "unknown --format '%s' (table, csv, json)", optarg);
			break;
		case O_TOP: {
			char *end;
			q.top = strtol(optarg, &end, 10);
			if (*end || q.top <= 0)
				return sca_usage_err("analyze", "bad --top '%s'", optarg);
			break;
		}
		case O_SINCE: since = optarg; break;
		case O_UNTIL: until = optarg; break;
		case O_SYSCALL: err = sca_cli_split(optarg, q.syscalls, &q.nsyscalls, SCA_QUERY_MAX); break;
		case O_CODE: err = sca_cli_split(optarg, q.codes, &q.ncodes, SCA_QUERY_MAX); break;
		case O_COMM: err = sca_cli_split(optarg, q.comms, &q.ncomms, SCA_QUERY_MAX); break;
		case O_PID: err = sca_cli_split(optarg, pids, &npids, SCA_QUERY_MAX); break;
		case O_CONTAINER: err = sca_cli_split(optarg, q.containers, &q.ncontainers, SCA_QUERY_MAX); break;
		case 'h':
			return sca_print_usage(stdout, cmd_analyze_usage) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
		default:
			return sca_usage_err("analyze", "unknown option '%s'", argv[optind - 1]);
		}
		if (err)
			return sca_usage_err("analyze", "too many values (at most %d)", SCA_QUERY_MAX);
	}
	for (int i = 0; i < npids; i++) {
		char *end;
		long v = strtol(pids[i], &end, 10);
		if (*end || v <= 0)
			return sca_usage_err("analyze", "bad --pid '%s'", pids[i]);
		q.pids[q.npids++] = v;
	}
	if ((sql != NULL) + q.events + (q.nby > 0) > 1)
		return sca_usage_err("analyze", "--by, --events and --sql are different questions: pick one");
	if (sql && (q.top || since || until || q.nsyscalls || q.ncodes || q.ncomms || npids ||
		    q.ncontainers))
		return sca_usage_err("analyze", "--sql takes no filters or --top: put them in the query");
	if (q.ncolumns && !q.events)
		return sca_usage_err("analyze", "--columns goes with --events");
	if (optind >= argc)
		return sca_usage_err("analyze", "no TRACE given");

	struct sca_db *db = NULL;
	int rc = SCA_EXIT_FAILURE;
	bool reuse = sca_db__is_sqlite(argv[optind]);
	if (reuse) {
		if (argc - optind > 1)
			return sca_usage_err("analyze", "a database is read alone: no traces beside it");
		if (dbpath)
			return sca_usage_err("analyze", "%s is already a database: drop --db", argv[optind]);
		if ((err = sca_db__open(&db, argv[optind], msg, sizeof(msg)))) {
			sca_cmd_err("analyze", "%s", msg);
			return SCA_EXIT_FAILURE;
		}
	} else {
		bool progress = isatty(STDERR_FILENO);
		char **traces;
		int ntraces;
		err = sca_trace_paths((const char *const *)&argv[optind], argc - optind, &traces, &ntraces, msg,
				      sizeof(msg));
		if (err) {
			sca_cmd_err("analyze", "%s", msg);
			return SCA_EXIT_FAILURE;
		}
		if ((err = sca_db__create(&db, dbpath, msg, sizeof(msg)))) {
			sca_trace_paths_free(traces);
			sca_cmd_err("analyze", "%s", msg);
			return SCA_EXIT_FAILURE;
		}
		for (int i = 0; i < ntraces; i++) {
			struct sca_load_stats ls;
			double t0 = now_s();
			if (progress)
				fprintf(stderr, "sca analyze: loading %s ...", traces[i]);
			if ((err = sca_db__load(db, traces[i], &ls, msg, sizeof(msg)))) {
				if (progress)
					fputc('\n', stderr);
				sca_cmd_err("analyze", "%s", msg);
				sca_trace_paths_free(traces);
				goto cleanup;
			}
			if (progress)
				fprintf(stderr, " %" PRIu64 " events in %.2f s\n", ls.events, now_s() - t0);
		}
		sca_trace_paths_free(traces);
		if ((err = sca_db__commit(db, msg, sizeof(msg)))) {
			sca_cmd_err("analyze", "%s", msg);
			goto cleanup;
		}
	}

	sqlite3 *h = sca_db__handle(db);
	uint64_t first, last;
	span(h, &first, &last);
	if (since && sca_query__parse_time(since, first, last, &q.since_ns)) {
		rc = sca_usage_err("analyze", "bad --since '%s'", since);
		goto cleanup;
	}
	if (until && sca_query__parse_time(until, first, last, &q.until_ns)) {
		rc = sca_usage_err("analyze", "bad --until '%s'", until);
		goto cleanup;
	}
	q.has_since = since != NULL;
	q.has_until = until != NULL;

	sqlite3_stmt *st = NULL;
	if (sql) {
		/* Read-only three times over: query_only, an authorizer that lets
		 * through reads alone, and the statement's own read-only flag. */
		const char *tail = NULL;
		sqlite3_exec(h, "PRAGMA query_only = ON", NULL, NULL, NULL);
		sqlite3_set_authorizer(h, read_only_auth, NULL);
		int prc = sqlite3_prepare_v2(h, sql, -1, &st, &tail);
		if (prc == SQLITE_AUTH || (prc == SQLITE_OK && st && !sqlite3_stmt_readonly(st))) {
			sqlite3_finalize(st);
			sca_cmd_err("analyze", "--sql: only read-only queries are allowed");
			goto cleanup;
		}
		if (prc != SQLITE_OK || !st) {
			sca_cmd_err("analyze", "--sql: %s", st || prc != SQLITE_OK ? sqlite3_errmsg(h) : "empty query");
			sqlite3_finalize(st);
			goto cleanup;
		}
		while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';' || *tail == '\r'))
			tail++;
		if (tail && *tail) {
			sqlite3_finalize(st);
			sca_cmd_err("analyze", "--sql: one statement at a time");
			goto cleanup;
		}
	} else if ((err = sca_query__prepare(&q, h, &st, msg, sizeof(msg)))) {
		if (err == -EINVAL)
			rc = sca_usage_err("analyze", "unknown %s '%s' (one of: %s)",
					   q.events ? "column" : "--by key", msg,
					   q.events ? sca_query_event_columns : sca_query_by_keys);
		else
			sca_cmd_err("analyze", "%s", msg);
		goto cleanup;
	}

	char *summary = NULL;
	if (out.format == SCA_OUT_JSON)
		print_summary(h, stdout, true, &summary);
	else
		print_summary(h, out.format == SCA_OUT_CSV ? stderr : stdout, false, NULL);
	out.summary_json = summary;
	if (out.format == SCA_OUT_TABLE)
		out.width = sca_out__term_width(stdout);
	long n = sca_out__rows(&out, st, msg, sizeof(msg));
	sqlite3_finalize(st);
	free(summary);
	if (n < 0) {
		sca_cmd_err("analyze", "%s", msg);
		goto cleanup;
	}
	rc = fflush(stdout) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
cleanup:
	sca_db__close(db);
	return rc;
}
