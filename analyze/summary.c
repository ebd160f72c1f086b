/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * summary.c - see summary.h. One pass over the traces table serves both
 * spellings: a trace's line (or object) and its damage, then the totals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "common/json.h"
#include "common/names.h"
#include "output.h"
#include "summary.h"
#include "trace.h"

/* One row of the traces table. */
struct trace_row {
	const char *path, *host;
	int64_t id, events, lost, first, last;
	int64_t calls, calls_lost, calls_no_process;   /* the syscall source's */
	bool has_time, clean;
};

struct totals {
	int64_t events, lost, first, last;
	int64_t calls, calls_lost, calls_no_process;
	int ntraces;
	bool has_time;
};

/* A trace from the syscall source says what it counted; others stay as they were. */
static bool has_calls(int64_t calls, int64_t calls_lost)
{
	return calls || calls_lost;
}

static char *iso(int64_t ns, char *buf, size_t n)
{
	return (char *)sca_time_str((uint64_t)ns, buf, n);
}

static void read_row(sqlite3_stmt *st, struct trace_row *t)
{
	t->path = (const char *)sqlite3_column_text(st, 0);
	t->host = (const char *)sqlite3_column_text(st, 1);
	t->events = sqlite3_column_int64(st, 2);
	t->lost = sqlite3_column_int64(st, 3);
	t->has_time = sqlite3_column_type(st, 4) != SQLITE_NULL;
	t->first = sqlite3_column_int64(st, 4);
	t->last = sqlite3_column_int64(st, 5);
	t->clean = sqlite3_column_int(st, 6);
	t->id = sqlite3_column_int64(st, 9);
	t->calls = sqlite3_column_int64(st, 10);
	t->calls_lost = sqlite3_column_int64(st, 11);
	t->calls_no_process = sqlite3_column_int64(st, 12);
}

static void add_row(struct totals *tot, const struct trace_row *t)
{
	tot->events += t->events;
	tot->lost += t->lost;
	tot->calls += t->calls;
	tot->calls_lost += t->calls_lost;
	tot->calls_no_process += t->calls_no_process;
	if (t->has_time && t->first < tot->first)
		tot->first = t->first;
	if (t->has_time && t->last > tot->last)
		tot->last = t->last;
	tot->has_time |= t->has_time;
	tot->ntraces++;
}

/* The damage lines of the trace dm is bound to, the first few and a sum
 * of the rest; a missing footer is already said on the trace's line. */
static void text_damage(FILE *f, sqlite3_stmt *dm)
{
	int64_t n = 0, more = 0, bytes = 0;

	while (sqlite3_step(dm) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(dm, 0);
		int64_t off = sqlite3_column_int64(dm, 1), len = sqlite3_column_int64(dm, 2);
		if (!strcmp(kind, "no footer (not closed cleanly)"))
			continue;
		if (n++ < SCA_DAMAGE_LINES) {
			fprintf(f, "#   damage: %s at offset %" PRId64 ", %" PRId64 " bytes skipped\n", kind,
				off, len);
		} else {
			more++;
			bytes += len;
		}
	}
	if (more)
		fprintf(f, "#   damage: ... and %" PRId64 " more damaged regions, %" PRId64
			" bytes (all are in the damage table)\n", more, bytes);
}

static void json_damage(FILE *j, sqlite3_stmt *dm)
{
	for (int nd = 0; sqlite3_step(dm) == SQLITE_ROW; nd++) {
		int64_t off = sqlite3_column_int64(dm, 1), len = sqlite3_column_int64(dm, 2);
		fprintf(j, "%s{\"kind\":", nd ? "," : "");
		sca_json_str(j, (const char *)sqlite3_column_text(dm, 0));
		fprintf(j, ",\"offset\":%" PRId64 ",\"length\":%" PRId64 "}", off, len);
	}
}

/* The trace's line; its path and the host it names are escaped (escape.h). */
static void text_trace(FILE *f, const struct trace_row *t, sqlite3_stmt *dm)
{
	fputs("# trace ", f);
	sca_esc_fput(f, t->path ? t->path : "?");
	fputs(": host ", f);
	sca_esc_fput(f, t->host ? t->host : "?");
	fprintf(f, ", %" PRId64 " events, %" PRId64 " lost", t->events, t->lost);
	if (has_calls(t->calls, t->calls_lost))
		fprintf(f, ", %" PRId64 " calls", t->calls);
	fprintf(f, "%s\n", t->clean ? "" : ", not closed cleanly");
	if (t->calls_lost)
		fprintf(f, "#   syscall source: the kernel did not count %" PRId64 " calls (lost; their "
			   "syscalls may be missing)\n", t->calls_lost);
	if (t->calls_no_process)
		fprintf(f, "#   syscall source: %" PRId64 " calls without a process (the table was full: "
			   "their syscalls are known, not which process made them)\n", t->calls_no_process);
	text_damage(f, dm);
}

static void json_calls(FILE *j, int64_t calls, int64_t lost, int64_t no_process)
{
	if (has_calls(calls, lost))
		fprintf(j, ",\"calls\":%" PRId64 ",\"calls_lost\":%" PRId64 ",\"calls_no_process\":%" PRId64,
			calls, lost, no_process);
}

static void json_trace(FILE *j, const struct trace_row *t, sqlite3_stmt *dm, bool first)
{
	char t1[48], t2[48];

	fputs(first ? "{\"path\":" : ",{\"path\":", j);
	sca_json_str(j, t->path ? t->path : "");
	fputs(",\"host\":", j);
	if (t->host)
		sca_json_str(j, t->host);
	else
		fputs("null", j);
	fprintf(j, ",\"events\":%" PRId64 ",\"lost\":%" PRId64, t->events, t->lost);
	json_calls(j, t->calls, t->calls_lost, t->calls_no_process);
	fprintf(j, ",\"clean_close\":%s", t->clean ? "true" : "false");
	if (t->has_time)
		fprintf(j, ",\"first\":\"%s\",\"last\":\"%s\"", iso(t->first, t1, sizeof(t1)),
			iso(t->last, t2, sizeof(t2)));
	fputs(",\"damage\":[", j);
	json_damage(j, dm);
	fputs("]}", j);
}

static void text_totals(FILE *f, const struct totals *tot)
{
	char t1[48], t2[48];
	const char *s = tot->ntraces == 1 ? "" : "s";

	fprintf(f, "# %d trace%s, ", tot->ntraces, s);
	if (tot->has_time)
		fprintf(f, "%s .. %s (%.3f s), ", iso(tot->first, t1, sizeof(t1)),
			iso(tot->last, t2, sizeof(t2)), (double)(tot->last - tot->first) / 1e9);
	if (tot->events)
		fprintf(f, "%" PRId64 " events", tot->events);
	else
		fputs("no events", f);
	fprintf(f, ", %" PRId64 " lost", tot->lost);
	if (has_calls(tot->calls, tot->calls_lost))
		fprintf(f, ", %" PRId64 " calls", tot->calls);
	fputc('\n', f);
}

static void json_totals(FILE *j, const struct totals *tot)
{
	char t1[48], t2[48];

	fprintf(j, "],\"events\":%" PRId64 ",\"lost\":%" PRId64, tot->events, tot->lost);
	json_calls(j, tot->calls, tot->calls_lost, tot->calls_no_process);
	if (tot->has_time)
		fprintf(j, ",\"first\":\"%s\",\"last\":\"%s\"", iso(tot->first, t1, sizeof(t1)),
			iso(tot->last, t2, sizeof(t2)));
	fputc('}', j);
}

/* Every trace, oldest id first, as a line or a JSON object on f. */
static int each_trace(sqlite3 *db, FILE *f, bool json, struct totals *tot)
{
	sqlite3_stmt *st = NULL, *dm = NULL;
	struct trace_row t;

	if (sqlite3_prepare_v2(db,
			       "SELECT path, host, events, lost, first_ns, last_ns, clean_close, "
			       "chunks_skipped, bytes_skipped, id, calls, calls_lost, calls_no_process "
			       "FROM traces ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT kind, offset, length, events FROM damage WHERE trace_id = ?",
			       -1, &dm, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -EIO;
	}
	*tot = (struct totals){ .first = INT64_MAX };
	while (sqlite3_step(st) == SQLITE_ROW) {
		read_row(st, &t);
		add_row(tot, &t);
		sqlite3_bind_int64(dm, 1, t.id);
		if (json)
			json_trace(f, &t, dm, tot->ntraces == 1);
		else
			text_trace(f, &t, dm);
		sqlite3_reset(dm);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(dm);
	return 0;
}

int sca_summary__print(sqlite3 *db, FILE *f)
{
	struct totals tot;
	int rc = each_trace(db, f, false, &tot);

	if (!rc)
		text_totals(f, &tot);
	return rc;
}

int sca_summary__json(sqlite3 *db, char **out)
{
	struct totals tot;
	char *buf = NULL;
	size_t len = 0;
	FILE *j = open_memstream(&buf, &len);
	int rc;

	if (!j)
		return -ENOMEM;
	fputs("{\"traces\":[", j);
	rc = each_trace(db, j, true, &tot);
	if (!rc)
		json_totals(j, &tot);
	fclose(j);
	if (rc)
		free(buf);
	else
		*out = buf;
	return rc;
}

int sca_summary__span(sqlite3 *db, uint64_t *first_ns, uint64_t *last_ns)
{
	sqlite3_stmt *st;

	*first_ns = *last_ns = 0;
	if (sqlite3_prepare_v2(db, "SELECT min(first_ns), max(last_ns) FROM traces", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*first_ns = (uint64_t)sqlite3_column_int64(st, 0);
		*last_ns = (uint64_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}
