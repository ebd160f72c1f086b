/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * analyze.c - see analyze.h. The steps in the order the user sees their
 * failures: loading, then the question, then the output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze.h"
#include "sql.h"
#include "summary.h"

/* -EINVAL is the caller's usage error: a failure must not look like one. */
static int failure(int rc)
{
	return rc == -EINVAL ? -EIO : rc;
}

static int open_db(const struct sca_analyze_opts *o, struct sca_db **db, char *err, size_t errlen)
{
	if (o->reuse)
		return sca_db__open(db, o->inputs[0], err, errlen);
	return sca_db__create_loaded(db, o->inputs, o->ninputs, o->db_path, o->force, o->progress, err,
				     errlen);
}

/* --since and --until, read against the span of what was loaded. */
static int window(const struct sca_analyze_opts *o, sqlite3 *h, struct sca_query *q, char *err,
		  size_t errlen)
{
	uint64_t first, last;

	sca_summary__span(h, &first, &last);
	if (o->since && sca_query__parse_time(o->since, first, last, &q->since_ns)) {
		snprintf(err, errlen, "bad --since '%s'", o->since);
		return -EINVAL;
	}
	if (o->until && sca_query__parse_time(o->until, first, last, &q->until_ns)) {
		snprintf(err, errlen, "bad --until '%s'", o->until);
		return -EINVAL;
	}
	q->has_since = o->since != NULL;
	q->has_until = o->until != NULL;
	return 0;
}

static int prepare_sql(const char *sql, sqlite3 *h, sqlite3_stmt **st, char *err, size_t errlen)
{
	int n = snprintf(err, errlen, "--sql: ");

	return failure(sca_sql__prepare_read_only(h, sql, st, err + n, errlen - (size_t)n));
}

static int prepare_query(const struct sca_analyze_opts *o, sqlite3 *h, sqlite3_stmt **st, char *err,
			 size_t errlen)
{
	struct sca_query q = o->query;
	char name[512] = "";
	int rc;

	if ((rc = window(o, h, &q, err, errlen)))
		return rc;
	rc = sca_query__prepare(&q, h, st, name, sizeof(name));
	if (rc == -EINVAL)
		snprintf(err, errlen, "unknown %s '%s' (one of: %s)", q.events ? "column" : "--by key", name,
			 q.events ? sca_query_event_columns : sca_query_by_keys);
	else if (rc)
		snprintf(err, errlen, "%s", name);
	return rc;
}

/* The header, then the rows. A header that cannot be read is left out:
 * the rows are the answer. */
static int print(const struct sca_analyze_opts *o, sqlite3 *h, sqlite3_stmt *st, char *err,
		 size_t errlen)
{
	struct sca_out out = o->out;
	char *summary = NULL;
	long n;

	if (out.format == SCA_OUT_JSON)
		sca_summary__json(h, &summary);
	else
		sca_summary__print(h, out.format == SCA_OUT_CSV ? stderr : out.f);
	out.summary_json = summary;
	n = sca_out__rows(&out, st, err, errlen);
	free(summary);
	return n < 0 ? failure((int)n) : 0;
}

int sca_analyze__run(const struct sca_analyze_opts *o, char *err, size_t errlen)
{
	struct sca_db *db = NULL;
	sqlite3_stmt *st = NULL;
	sqlite3 *h;
	int rc;

	if ((rc = open_db(o, &db, err, errlen)))
		return failure(rc);
	h = sca_db__handle(db);
	if (o->sql)
		rc = prepare_sql(o->sql, h, &st, err, errlen);
	else
		rc = prepare_query(o, h, &st, err, errlen);
	if (!rc)
		rc = print(o, h, st, err, errlen);
	sqlite3_finalize(st);
	sca_db__close(db);
	return rc;
}
