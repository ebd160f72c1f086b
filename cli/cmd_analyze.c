/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_analyze.c - `sca analyze`: its options, checked, into one
 * sca_analyze__run() (analyze/analyze.c), and the exit code of the result.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze.h"
#include "cli/cmd.h"
#include "common/cli.h"
#include "common/progress.h"
#include "filter.h"

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
	"                     rows give count (events), distinct processes, first\n"
	"                     and last time, most frequent first. Traces of the\n"
	"                     syscall source add a column calls after count: the\n"
	"                     calls it counted, summed per group, with code allow\n"
	"                     (they ran: seccomp refuses before they are counted);\n"
	"                     rows are then ordered by count + calls\n"
	"  --events           list events instead, oldest first (calls are not\n"
	"                     events: ask --sql over calls_ev for them)\n"
	"  --columns LIST     --events columns (default time,pid,comm,syscall,code);\n"
	"                     one of: time, host, pid, tid, ppid, uid, gid, auid, ses,\n"
	"                     comm, exe, arch, syscall, nr, code, sig, ip, args (BPF\n"
	"                     source only), cgroup,\n"
	"                     mntns, runtime.containername, k8s.namespace, k8s.pod,\n"
	"                     k8s.container\n"
	"  --sql QUERY        run a read-only SQL query (writing ones are refused)\n"
	"  --db FILE          keep the database in FILE, mode 0600 (built in a\n"
	"                     private directory beside it, then renamed into place);\n"
	"                     later, `sca analyze FILE` reuses it. FILE must not\n"
	"                     exist, or be a regular file with --force\n"
	"  --force            with --db, replace an existing FILE (never a trace being\n"
	"                     loaded)\n"
	"  --format F         table (default, fitted to the terminal), csv, or json\n"
	"  --top N            at most N rows\n"
	"  --since T, --until T\n"
	"                     only events (and calls records, by their first call)\n"
	"                     in this time range: 2026-11-28T02:22:03Z,\n"
	"                     @EPOCH_SECONDS, a duration before the last event (30s,\n"
	"                     5m, 2h, 1d, 500ms), or +DURATION after the first event\n"
	"  --syscall S, --code C, --comm C, --pid P, --container C\n"
	"                     only these (repeat, or comma lists); --code takes log,\n"
	"                     kill_thread, kill_process, trap, errno, errno(N), ...,\n"
	"                     and calls are code allow; --container a name or an id\n"
	"                     prefix. Calls without a process match no --pid,\n"
	"                     --comm or --container\n"
	"  -h, --help         show this help\n"
	"\n"
	"Before the rows, a header states the traces, their time span, events, lost\n"
	"events, the syscall source's calls, those it did not count and those\n"
	"without a process, and any damage the reader skipped (csv: on stderr;\n"
	"json: a \"summary\" object). A damaged trace loads what is intact.\n"
	"\n"
	"Exit status: 0 ok, 1 a trace or database cannot be read or a query fails,\n"
	"2 usage error.\n";

/* Options past O_FILTER are filter keys: O_FILTER + enum sca_filter_key. */
enum { O_BY = 256, O_EVENTS, O_COLUMNS, O_SQL, O_DB, O_FORCE, O_FORMAT, O_TOP, O_SINCE, O_UNTIL,
       O_FILTER = 512 };

static const struct option opts[] = {
	{ "by", required_argument, NULL, O_BY },
	{ "events", no_argument, NULL, O_EVENTS },
	{ "columns", required_argument, NULL, O_COLUMNS },
	{ "sql", required_argument, NULL, O_SQL },
	{ "db", required_argument, NULL, O_DB },
	{ "force", no_argument, NULL, O_FORCE },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "top", required_argument, NULL, O_TOP },
	{ "since", required_argument, NULL, O_SINCE },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "syscall", required_argument, NULL, O_FILTER + SCA_FILTER_SYSCALL },
	{ "code", required_argument, NULL, O_FILTER + SCA_FILTER_CODE },
	{ "comm", required_argument, NULL, O_FILTER + SCA_FILTER_COMM },
	{ "pid", required_argument, NULL, O_FILTER + SCA_FILTER_PID },
	{ "container", required_argument, NULL, O_FILTER + SCA_FILTER_CONTAINER },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* One option into o. Returns -1 to go on, or the exit code. */
static int parse_opt(int opt, struct sca_analyze_opts *o, char **argv)
{
	struct sca_query *q = &o->query;
	char msg[512], *end;
	int err = 0;

	if (opt >= O_FILTER) {
		if (sca_filter__add(&q->filter, opt - O_FILTER, optarg, msg, sizeof(msg)))
			return sca_usage_err("analyze", "%s", msg);
		return -1;
	}
	switch (opt) {
	case O_BY: err = sca_cli_split(optarg, q->by, &q->nby, SCA_QUERY_MAX); break;
	case O_EVENTS: q->events = true; break;
	case O_COLUMNS: err = sca_cli_split(optarg, q->columns, &q->ncolumns, SCA_QUERY_MAX); break;
	case O_SQL: o->sql = optarg; break;
	case O_DB: o->db_path = optarg; break;
	case O_FORCE: o->force = true; break;
	case O_FORMAT:
		if (sca_out_format__parse(optarg, &o->out.format))
			return sca_usage_err("analyze", "unknown --format '%s' (table, csv, json)", optarg);
		break;
	case O_TOP:
		q->top = strtol(optarg, &end, 10);
		if (*end || q->top <= 0)
			return sca_usage_err("analyze", "bad --top '%s'", optarg);
		break;
	case O_SINCE: o->since = optarg; break;
	case O_UNTIL: o->until = optarg; break;
	case 'h':
		return sca_print_usage(stdout, cmd_analyze_usage) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
	default:
		return sca_usage_err("analyze", "unknown option '%s'", argv[optind - 1]);
	}
	if (err)
		return sca_usage_err("analyze", "too many values (at most %d)", SCA_QUERY_MAX);
	return -1;
}

static bool filtered(const struct sca_filter *f)
{
	return f->npids || f->ncomms || f->nexes || f->nsyscalls || f->ncodes ||
	       sca_filter__has_container_keys(f);
}

/* The options that go together, and the inputs. Returns -1 to go on, or the exit code. */
static int check_opts(int argc, char **argv, struct sca_analyze_opts *o)
{
	const struct sca_query *q = &o->query;

	if ((o->sql != NULL) + q->events + (q->nby > 0) > 1)
		return sca_usage_err("analyze", "--by, --events and --sql are different questions: pick one");
	if (o->sql && (q->top || o->since || o->until || filtered(&q->filter)))
		return sca_usage_err("analyze", "--sql takes no filters or --top: put them in the query");
	if (o->force && !o->db_path)
		return sca_usage_err("analyze", "--force goes with --db");
	if (q->ncolumns && !q->events)
		return sca_usage_err("analyze", "--columns goes with --events");
	if (optind >= argc)
		return sca_usage_err("analyze", "no TRACE given");
	o->inputs = (const char *const *)&argv[optind];
	o->ninputs = argc - optind;
	o->reuse = sca_db__is_sqlite(o->inputs[0]);
	if (o->reuse && o->ninputs > 1)
		return sca_usage_err("analyze", "a database is read alone: no traces beside it");
	if (o->reuse && o->db_path)
		return sca_usage_err("analyze", "%s is already a database: drop --db", o->inputs[0]);
	return -1;
}

int cmd_analyze(int argc, char **argv)
{
	struct sca_analyze_opts o = { .out = { .f = stdout, .format = SCA_OUT_TABLE } };
	char msg[1024];
	int opt, rc = -1;

	opterr = 0;
	optind = 1;
	while (rc < 0 && (opt = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		rc = parse_opt(opt, &o, argv);
	if (rc >= 0 || (rc = check_opts(argc, argv, &o)) >= 0)
		return rc;
	if (o.out.format == SCA_OUT_TABLE)
		o.out.width = sca_out__term_width(stdout);
	/* a terminal's stderr shows the traces loading */
	o.progress = sca_progress__new(stderr, "analyze");
	rc = sca_analyze__run(&o, msg, sizeof(msg));
	sca_progress__free(o.progress);
	if (rc == -EINVAL)
		return sca_usage_err("analyze", "%s", msg);
	if (rc) {
		sca_cmd_err("analyze", "%s", msg);
		return SCA_EXIT_FAILURE;
	}
	return fflush(stdout) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
}
