/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sql.c - see sql.h. The authorizer is the real fence; query_only and the
 * read-only flag catch what an authorizer rule might miss.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql.h"

/* Pragmas that only describe the schema, so may take an argument. */
static bool describes_schema(const char *pragma)
{
	static const char *const describe[] = {
		"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
		"foreign_key_list", "table_list", "database_list", "collation_list",
		"function_list", "module_list", "pragma_list",
	};

	for (size_t i = 0; pragma && i < sizeof(describe) / sizeof(describe[0]); i++)
		if (!strcasecmp(pragma, describe[i]))
			return true;
	return false;
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
	case SQLITE_PRAGMA:
		/* other pragmas with a value write */
		return describes_schema(a1) || !a2 ? SQLITE_OK : SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

static bool only_space(const char *tail)
{
	while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';' || *tail == '\r'))
		tail++;
	return !tail || !*tail;
}

int sca_sql__prepare_read_only(sqlite3 *db, const char *sql, sqlite3_stmt **st, char *err,
			       size_t errlen)
{
	const char *tail = NULL;
	int rc;

	*st = NULL;
	sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL);
	sqlite3_set_authorizer(db, read_only_auth, NULL);
	rc = sqlite3_prepare_v2(db, sql, -1, st, &tail);
	if (rc == SQLITE_AUTH || (rc == SQLITE_OK && *st && !sqlite3_stmt_readonly(*st))) {
		snprintf(err, errlen, "only read-only queries are allowed");
		rc = -EPERM;
	} else if (rc != SQLITE_OK || !*st) {
		snprintf(err, errlen, "%s", *st || rc != SQLITE_OK ? sqlite3_errmsg(db) : "empty query");
		rc = -EINVAL;
	} else if (!only_space(tail)) {
		snprintf(err, errlen, "one statement at a time");
		rc = -EPERM;
	} else {
		return 0;
	}
	sqlite3_finalize(*st);
	*st = NULL;
	return rc;
}
