/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sql.h - a user's own SQL (`sca analyze --sql`), prepared read-only three
 * times over: the connection's query_only pragma, an authorizer that lets
 * reads alone through, and the statement's own read-only flag. One
 * statement at a time.
 */
#ifndef SCA_ANALYZE_SQL_H
#define SCA_ANALYZE_SQL_H

#include <sqlite3.h>
#include <stddef.h>

/*
 * Prepare SQL on DB, which stays query_only with the authorizer set.
 * Returns 0 with *st set; -EPERM for a statement that would write, or for
 * more than one; -EINVAL for one SQLite cannot compile, or none. The
 * one-line reason is in err.
 */
int sca_sql__prepare_read_only(sqlite3 *db, const char *sql, sqlite3_stmt **st, char *err,
			       size_t errlen);

#endif /* SCA_ANALYZE_SQL_H */
