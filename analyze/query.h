/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * query.h - the questions `sca analyze` answers, as SQL over the schema of
 * docs/schema.md: counts grouped by keys, event lists, and their filters.
 */
#ifndef SCA_ANALYZE_QUERY_H
#define SCA_ANALYZE_QUERY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter.h"

#define SCA_QUERY_MAX 64

struct sca_query {
	const char *by[SCA_QUERY_MAX];        /* --by keys; empty: syscall */
	int nby;
	const char *columns[SCA_QUERY_MAX];   /* --events columns; empty: default */
	int ncolumns;
	bool events;
	long top;                             /* 0: all */
	bool has_since, has_until;
	uint64_t since_ns, until_ns;

	/* which events count, compiled to SQL with filter/'s meaning */
	struct sca_filter filter;
};

/* The --by keys and --events columns users can name, comma separated. */
extern const char sca_query_by_keys[];
extern const char sca_query_event_columns[];

/*
 * Prepare q against db. On an unknown key or column returns -EINVAL with
 * the name in err. --by counts events and, in a column calls after count
 * when db holds any, the calls of the syscall source (code allow).
 */
int sca_query__prepare(const struct sca_query *q, sqlite3 *db, sqlite3_stmt **st, char *err,
		       size_t errlen);

/*
 * Parse a --since/--until time: ISO 8601 UTC (2026-11-28T02:22:03[.123][Z]),
 * @EPOCH_SECONDS, or a duration (30s, 5m, 2h, 1d; 500ms) counted back from
 * the last event (first_ns..last_ns is the loaded span), or with a leading
 * '+' forward from the first event.
 */
/* Does db hold CALLS records (their roll-up, call_counts, has rows)? */
bool sca_query__has_calls(sqlite3 *db);

int sca_query__parse_time(const char *s, uint64_t first_ns, uint64_t last_ns, uint64_t *ns);

#endif
