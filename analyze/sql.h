/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sql.h - a user's own SQL (`sca analyze --sql`), prepared read-only three
 * times over: the connection's query_only pragma, an authorizer that lets
 * through only reads, pure functions and the pragmas that describe the
 * schema, and the statement's own read-only flag. One statement at a time,
 * on a connection whose limits bound what one query may cost.
 */
#ifndef SCA_ANALYZE_SQL_H
#define SCA_ANALYZE_SQL_H

#include <sqlite3.h>
#include <stddef.h>

/*
 * Restrict DB for queries from outside (a user's SQL, or a database file's
 * own views): query_only, the authorizer, no trusted schema, no
 * fts3_tokenizer pointers, no extensions, defensive mode, and limits on
 * value and query size, attached databases and program length. Every
 * statement prepared on DB afterwards is checked. Returns 0, or -EIO with
 * the reason in err when this SQLite cannot be restricted.
 */
int sca_sql__restrict(sqlite3 *db, char *err, size_t errlen);

/*
 * Prepare SQL on DB, which stays restricted (sca_sql__restrict()).
 * Returns 0 with *st set; -EPERM for a statement that would write, calls
 * a function that is not pure, uses another pragma, or for more than one
 * statement; -EINVAL for one SQLite cannot compile, or none; -ENOMEM for
 * one too large to compile; -EIO when DB cannot be restricted. The
 * one-line reason, naming what was refused, is in err.
 */
int sca_sql__prepare_read_only(sqlite3 *db, const char *sql, sqlite3_stmt **st, char *err,
			       size_t errlen);

#endif /* SCA_ANALYZE_SQL_H */
