/* SPDX-License-Identifier: BSD-2-Clause */
/* query.c - see query.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/action.h"
#include "common/cli.h"
#include "query.h"

/* --by key -> expression over the summary / ev views (same column names) */
static const struct {
	const char *key, *expr;
} by_keys[] = {
	{ "syscall", "syscall" },
	{ "code", "code" },
	{ "arch", "arch" },
	{ "comm", "comm" },
	{ "exe", "exe" },
	{ "pid", "pid" },
	{ "uid", "uid" },
	{ "container", "container" },
	{ "pod", "pod" },
	{ "namespace", "namespace" },
	{ "host", "host" },
};

const char sca_query_by_keys[] = "syscall,code,arch,comm,exe,pid,uid,container,pod,namespace,host";

/* --events column -> expression over ev, named as record's live columns */
static const struct {
	const char *name, *expr;
} ev_cols[] = {
	{ "time", "time" },
	{ "host", "host" },
	{ "pid", "pid" },
	{ "tid", "tid" },
	{ "ppid", "ppid" },
	{ "uid", "uid" },
	{ "gid", "gid" },
	{ "auid", "auid" },
	{ "ses", "ses" },
	{ "comm", "comm" },
	{ "exe", "exe" },
	{ "arch", "arch" },
	{ "syscall", "syscall" },
	{ "nr", "nr" },
	{ "code", "code" },
	{ "sig", "sig" },
	{ "ip", "printf('0x%x', ip)" },
	{ "args", "CASE WHEN a0 IS NOT NULL THEN printf('0x%x,0x%x,0x%x,0x%x,0x%x,0x%x', a0, a1, a2, a3, a4, a5) END" },
	{ "cgroup", "cgroup" },
	{ "mntns", "mnt_ns" },
	{ "runtime.containername", "runtime || '.' || container" },
	{ "k8s.namespace", "namespace" },
	{ "k8s.pod", "pod" },
	{ "k8s.container", "CASE WHEN pod IS NOT NULL THEN container END" },
};

const char sca_query_event_columns[] =
	"time,host,pid,tid,ppid,uid,gid,auid,ses,comm,exe,arch,syscall,nr,code,sig,ip,args,cgroup,"
	"mntns,runtime.containername,k8s.namespace,k8s.pod,k8s.container";

static const char *default_ev_cols[] = { "time", "pid", "comm", "syscall", "code" };

/* Bind values in order, as the placeholders appear: texts (copied, so a
 * spelled code need not outlive this) and integers. At most one per value
 * of six keys and three per code and per container, then the time window;
 * twice when --by reads events and calls. */
struct binds {
	int n;
	struct {
		bool text;
		const char *s;
		int64_t i;
	} v[(SCA_FILTER_MAX * 12 + 4) * 2];
	char names[SCA_FILTER_MAX][SCA_CODE_STR_MAX];     /* a code's spelling */
	char opens[SCA_FILTER_MAX][SCA_CODE_STR_MAX + 1]; /* an action's, with its "(" */
};

static void add_text(struct binds *b, const char *s)
{
	b->v[b->n].text = true;
	b->v[b->n++].s = s;
}

static void add_int(struct binds *b, int64_t i)
{
	b->v[b->n].text = false;
	b->v[b->n++].i = i;
}

static void in_texts(FILE *f, struct binds *b, const char *col, const char *const *vals, int n)
{
	if (!n)
		return;
	fprintf(f, " AND %s IN (", col);
	for (int i = 0; i < n; i++) {
		fputs(i ? ",?" : "?", f);
		add_text(b, vals[i]);
	}
	fputc(')', f);
}

static void in_pids(FILE *f, struct binds *b, const int32_t *pids, int n)
{
	if (!n)
		return;
	fputs(" AND pid IN (", f);
	for (int i = 0; i < n; i++) {
		fputs(i ? ",?" : "?", f);
		add_int(b, pids[i]);
	}
	fputc(')', f);
}

/* The code column spells a code as sca_code_str() does: an action without
 * data matches it alone or with any data ("errno" is every "errno(N)"). */
static void codes(FILE *f, struct binds *b, const struct sca_filter *flt)
{
	if (!flt->ncodes)
		return;
	fputs(" AND (", f);
	for (int i = 0; i < flt->ncodes; i++) {
		const struct sca_filter_code *c = &flt->codes[i];
		char *name = b->names[i], *open = b->opens[i];
		if (i)
			fputs(" OR ", f);
		if (c->has_data) {
			fputs("code = ?", f);
			add_text(b, sca_code_str(c->action | c->data, name, SCA_CODE_STR_MAX));
			continue;
		}
		/* "errno" and "errno(": the action alone, and the start of it with data */
		const char *action = sca_action_name(c->action, name, SCA_CODE_STR_MAX);
		snprintf(open, SCA_CODE_STR_MAX + 1, "%s(", action);
		fputs("code = ? OR substr(code, 1, ?) = ?", f);
		add_text(b, action);
		add_int(b, (int64_t)strlen(open));
		add_text(b, open);
	}
	fputc(')', f);
}

/* SQLite's substr() counts characters, not bytes. */
static int64_t utf8_chars(const char *s)
{
	int64_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* A name exactly, or an id prefix in any case (NOCASE folds ASCII, as
 * filter/'s strncasecmp does): compared, not a LIKE pattern, so '%' and
 * '_' in it are themselves. */
static void containers(FILE *f, struct binds *b, const struct sca_filter *flt)
{
	if (!flt->ncontainers)
		return;
	fputs(" AND (", f);
	for (int i = 0; i < flt->ncontainers; i++) {
		fputs(i ? " OR " : "", f);
		fputs("container = ? OR substr(container_id, 1, ?) = ? COLLATE NOCASE", f);
		add_text(b, flt->containers[i]);
		add_int(b, utf8_chars(flt->containers[i]));
		add_text(b, flt->containers[i]);
	}
	fputc(')', f);
}

static void container_keys(FILE *f, struct binds *b, const struct sca_filter *flt)
{
	if (flt->host_only) {
		/* no container: filter/ ignores the other container keys then; and
		 * a known process (calls the source could not attribute may be any) */
		fputs(" AND runtime IS NULL AND container IS NULL AND container_id IS NULL"
		      " AND pod IS NULL AND namespace IS NULL AND pid IS NOT NULL", f);
		return;
	}
	containers(f, b, flt);
	in_texts(f, b, "pod", flt->pods, flt->npods);
	in_texts(f, b, "namespace", flt->namespaces, flt->nnamespaces);
}

static void filters(FILE *f, struct binds *b, const struct sca_query *q, bool events)
{
	const struct sca_filter *flt = &q->filter;

	fputs(" WHERE 1", f);
	in_texts(f, b, "syscall", flt->syscalls, flt->nsyscalls);
	codes(f, b, flt);
	in_texts(f, b, "comm", flt->comms, flt->ncomms);
	in_pids(f, b, flt->pids, flt->npids);
	in_texts(f, b, "exe", flt->exes, flt->nexes);
	container_keys(f, b, flt);
	if (events && q->has_since) {
		fputs(" AND time_ns >= ?", f);
		add_int(b, (int64_t)q->since_ns);
	}
	if (events && q->has_until) {
		fputs(" AND time_ns <= ?", f);
		add_int(b, (int64_t)q->until_ns);
	}
}

/* The columns --by may group, filter and count by, in both of its branches. */
#define BY_COLUMNS "host, trace_id, pid, uid, comm, exe, runtime, container, container_id, pod, " \
		   "namespace, arch, syscall, code"

/*
 * What --by counts, one branch per kind: events and, when there are any,
 * calls, which count as code allow; each from its roll-up, or from each
 * event and CALLS record when a time window needs them. Filters go into
 * each branch.
 */
static void by_rows(const struct sca_query *q, FILE *f, struct binds *b, bool with_calls)
{
	/* time filters need events; otherwise the roll-up answers at once */
	bool events = q->has_since || q->has_until;

	fputs("(SELECT " BY_COLUMNS ", ", f);
	if (events)
		fputs("1 AS n, 0 AS calls, time_ns AS first_ns, time_ns AS last_ns FROM ev", f);
	else
		fputs("n, 0 AS calls, first_ns, last_ns FROM summary", f);
	filters(f, b, q, events);
	if (with_calls) {
		fputs(" UNION ALL SELECT " BY_COLUMNS ", 0, ", f);
		if (events)
			fputs("count, time_ns, time_ns FROM calls_ev", f);
		else
			fputs("n, first_ns, last_ns FROM calls_summary", f);
		filters(f, b, q, events);
	}
	fputc(')', f);
}

static int build_by(const struct sca_query *q, FILE *f, struct binds *b, bool with_calls, char *err,
		    size_t errlen)
{
	const char *keys[SCA_QUERY_MAX + 1];
	int nkeys = 0;
	bool has_syscall = false, has_code = false;

	if (!q->nby)
		keys[nkeys++] = "syscall";
	for (int i = 0; i < q->nby; i++) {
		bool ok = false;
		for (size_t k = 0; k < sizeof(by_keys) / sizeof(by_keys[0]); k++)
			ok |= !strcmp(q->by[i], by_keys[k].key);
		if (!ok) {
			snprintf(err, errlen, "%s", q->by[i]);
			return -EINVAL;
		}
		keys[nkeys++] = q->by[i];
	}
	for (int i = 0; i < nkeys; i++) {
		has_syscall |= !strcmp(keys[i], "syscall");
		has_code |= !strcmp(keys[i], "code");
	}
	/* a syscall's row is per code: a logged and a killed call differ */
	if (has_syscall && !has_code)
		keys[nkeys++] = "code";

	fputs("SELECT ", f);
	for (int i = 0; i < nkeys; i++)
		fprintf(f, "%s, ", keys[i]);
	fputs("sum(n) AS count, ", f);
	if (with_calls)
		fputs("sum(calls) AS calls, ", f);
	/* calls no process could be named for make no process */
	fputs("count(DISTINCT trace_id || ':' || pid) AS processes, "
	      "strftime('%Y-%m-%dT%H:%M:%S', min(first_ns) / 1000000000, 'unixepoch') || "
	      "printf('.%09dZ', min(first_ns) % 1000000000) AS first, "
	      "strftime('%Y-%m-%dT%H:%M:%S', max(last_ns) / 1000000000, 'unixepoch') || "
	      "printf('.%09dZ', max(last_ns) % 1000000000) AS last FROM ",
	      f);
	by_rows(q, f, b, with_calls);
	fputs(" GROUP BY ", f);
	for (int i = 0; i < nkeys; i++)
		fprintf(f, "%s%s", i ? ", " : "", keys[i]);
	/* calls are what went through, as logged events are: one measure of how often */
	fputs(with_calls ? " ORDER BY sum(n) + sum(calls) DESC" : " ORDER BY count DESC", f);
	for (int i = 0; i < nkeys; i++)
		fprintf(f, ", %s", keys[i]);
	return 0;
}

static int build_events(const struct sca_query *q, FILE *f, struct binds *b, char *err, size_t errlen)
{
	const char *const *cols = q->ncolumns ? q->columns : default_ev_cols;
	int ncols = q->ncolumns ? q->ncolumns : (int)(sizeof(default_ev_cols) / sizeof(*default_ev_cols));

	fputs("SELECT ", f);
	for (int i = 0; i < ncols; i++) {
		const char *expr = NULL;
		for (size_t k = 0; k < sizeof(ev_cols) / sizeof(ev_cols[0]); k++)
			if (!strcasecmp(cols[i], ev_cols[k].name))
				expr = ev_cols[k].expr;
		if (!expr) {
			snprintf(err, errlen, "%s", cols[i]);
			return -EINVAL;
		}
		fprintf(f, "%s%s AS \"%s\"", i ? ", " : "", expr, cols[i]);
	}
	fputs(" FROM ev", f);
	filters(f, b, q, true);
	fputs(" ORDER BY time_ns, id", f);
	return 0;
}

bool sca_query__has_calls(sqlite3 *db)
{
	sqlite3_stmt *st;
	bool has = false;

	if (sqlite3_prepare_v2(db, "SELECT EXISTS (SELECT 1 FROM call_counts)", -1, &st, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW)
		has = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return has;
}

int sca_query__prepare(const struct sca_query *q, sqlite3 *db, sqlite3_stmt **st, char *err,
		       size_t errlen)
{
	struct binds b = { 0 };
	char *sql = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&sql, &len);
	int rc;

	if (!f)
		return -ENOMEM;
	rc = q->events ? build_events(q, f, &b, err, errlen) :
			 build_by(q, f, &b, sca_query__has_calls(db), err, errlen);
	if (!rc && q->top > 0)
		fprintf(f, " LIMIT %ld", q->top);
	fclose(f);
	if (rc)
		goto cleanup;
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		rc = -EIO;
		goto cleanup;
	}
	for (int i = 0; i < b.n; i++) {
		if (b.v[i].text)
			sqlite3_bind_text(*st, i + 1, b.v[i].s, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(*st, i + 1, b.v[i].i);
	}
cleanup:
	free(sql);
	return rc;
}

int sca_query__parse_time(const char *s, uint64_t first_ns, uint64_t last_ns, uint64_t *ns)
{
	uint64_t d;
	if (s[0] == '@') {
		char *end;
		errno = 0;
		double v = strtod(s + 1, &end);
		if (errno || *end || end == s + 1 || v < 0)
			return -EINVAL;
		*ns = (uint64_t)(v * 1e9);
		return 0;
	}
	if (s[0] == '+') {
		if (sca_parse_duration(s + 1, 0, &d))
			return -EINVAL;
		*ns = first_ns + d;
		return 0;
	}
	if (sca_parse_duration(s[0] == '-' ? s + 1 : s, 0, &d) == 0) {
		*ns = d > last_ns ? 0 : last_ns - d;
		return 0;
	}
	struct tm tm = { 0 };
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	if (!p) {
		memset(&tm, 0, sizeof(tm));
		p = strptime(s, "%Y-%m-%d", &tm);
	}
	if (!p)
		return -EINVAL;
	uint64_t frac = 0;
	if (*p == '.') {
		uint64_t scale = 100000000;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			frac += (uint64_t)(*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p == 'Z')
		p++;
	if (*p)
		return -EINVAL;
	time_t t = timegm(&tm);
	if (t < 0)
		return -EINVAL;
	*ns = (uint64_t)t * 1000000000ull + frac;
	return 0;
}
