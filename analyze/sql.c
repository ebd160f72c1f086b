/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sql.c - see sql.h. The authorizer is the real fence, and it lists what a
 * query may use rather than what it may not: a function, pragma or statement
 * SQLite adds later is refused until it is listed here. query_only, the
 * statement's read-only flag and the connection's limits catch what a rule
 * might miss.
 */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Functions a query may call: those that compute their result from their
 * arguments (and, for random()/randomblob()/zeroblob() and the date/time
 * functions given 'now', the clock or the generator) and touch nothing
 * else. Each size they can reach is bounded by SQLITE_LIMIT_LENGTH. Left out,
 * on purpose: fts3_tokenizer (reads and registers C pointers),
 * load_extension (runs a library's code), the shell's readfile, writefile,
 * edit and the like (files, processes), sqlite_offset (file layout),
 * changes, total_changes, last_insert_rowid (connection state),
 * sqlite_version, sqlite_source_id, sqlite_compileoption_* (the library,
 * not the data), subtype, sqlite_log, and the helpers of FTS3/4/5 and
 * R-Tree (match, snippet, offsets, matchinfo, highlight, bm25, fts5,
 * rtreenode, ...: they serve tables sca never creates, and parse blobs).
 * Names of newer SQLite versions are listed so the list need not follow
 * the library; one the library lacks is simply "no such function".
 */
static const char *const pure_functions[] = {
	/* core scalar */
	"abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "if", "ifnull",
	"iif", "instr", "length", "like", "likelihood", "likely", "lower", "ltrim", "max", "min",
	"nullif", "octet_length", "printf", "quote", "random", "randomblob", "replace", "round",
	"rtrim", "sign", "soundex", "substr", "substring", "trim", "typeof", "unhex", "unicode",
	"unlikely", "upper", "zeroblob",
	/* math */
	"acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos",
	"cosh", "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow",
	"power", "radians", "sin", "sinh", "sqrt", "tan", "tanh", "trunc",
	/* date and time */
	"current_date", "current_time", "current_timestamp", "date", "datetime", "julianday",
	"strftime", "time", "timediff", "unixepoch",
	/* aggregate */
	"avg", "count", "group_concat", "string_agg", "sum", "total",
	/* window */
	"cume_dist", "dense_rank", "first_value", "lag", "last_value", "lead", "nth_value", "ntile",
	"percent_rank", "rank", "row_number",
	/* JSON, and its operators */
	"->", "->>", "json", "json_array", "json_array_length", "json_error_position",
	"json_extract", "json_group_array", "json_group_object", "json_insert", "json_object",
	"json_patch", "json_pretty", "json_quote", "json_remove", "json_replace", "json_set",
	"json_type", "json_valid", "jsonb", "jsonb_array", "jsonb_extract", "jsonb_group_array",
	"jsonb_group_object", "jsonb_insert", "jsonb_object", "jsonb_patch", "jsonb_remove",
	"jsonb_replace", "jsonb_set",
};

/* Table-valued functions: the JSON walkers. Other virtual tables (dbstat,
 * sqlite_stmt, ...) describe the library or the file, not the data. */
static const char *const table_functions[] = { "json_each", "json_tree" };

/* Pragmas that describe the schema and nothing else; every other pragma
 * reads or sets the connection, the library or the file. */
static const char *const schema_pragmas[] = {
	"index_info", "index_list", "index_xinfo", "table_info", "table_list", "table_xinfo",
};

#define PRAGMA_TABLE "pragma_" /* a pragma's table-valued form */

/*
 * Bounds on what one query may cost, where SQLite's defaults are far from
 * what a query over traces needs. Expression depth, compound selects and
 * function arguments keep SQLite's defaults, which already bound the parser.
 */
#define MAX_QUERY (128 << 10)
#define MAX_PROGRAM 250000

static const struct {
	int id, value;
} limits[] = {
	{ SQLITE_LIMIT_ATTACHED, 0 },
	/* one value: far above any a query over traces makes (the longest
	 * stored strings are paths and command lines); SQLite's default lets
	 * one zeroblob() or printf() take 1 GB */
	{ SQLITE_LIMIT_LENGTH, 64 << 20 },
	/* Linux passes no longer argument (MAX_ARG_STRLEN) */
	{ SQLITE_LIMIT_SQL_LENGTH, MAX_QUERY },
	/* the compiled program: a thousand times the largest query in
	 * docs/schema.md; SQLite's default, 250 M, is gigabytes */
	{ SQLITE_LIMIT_VDBE_OP, MAX_PROGRAM },
};

/* What the authorizer refused last. One connection from one thread (see
 * db.c), and the authorizer outlives the call that sets it, so it is
 * static. */
static struct {
	int action;
	char name[64];  /* the function, pragma or table */
	char where[64]; /* the view it was used in, or "" */
} refused;

static bool listed(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; name && i < n; i++)
		if (!strcasecmp(name, list[i]))
			return true;
	return false;
}

/* A name for an error message: it may come from a hostile database's
 * schema, so control bytes do not reach the terminal. */
static void copy_name(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	for (; src && *src && n + 1 < size; src++)
		dst[n++] = *src >= 0x20 && *src < 0x7f ? *src : '?';
	dst[n] = '\0';
}

static int refuse(int action, const char *name, const char *where)
{
	refused.action = action;
	copy_name(refused.name, sizeof(refused.name), name);
	copy_name(refused.where, sizeof(refused.where), where);
	return SQLITE_DENY;
}

static bool allowed_table(const char *table)
{
	if (!table || strncasecmp(table, PRAGMA_TABLE, strlen(PRAGMA_TABLE)))
		return true;
	return listed(table + strlen(PRAGMA_TABLE), schema_pragmas, ARRAY_SIZE(schema_pragmas));
}

/* Reads only: SELECT, reading tables, pure functions, schema pragmas. */
static int read_only_auth(void *ctx, int action, const char *a1, const char *a2, const char *db,
			  const char *inner)
{
	(void)ctx;
	(void)db;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_RECURSIVE: return SQLITE_OK;
	case SQLITE_READ:
		if (!allowed_table(a1))
			return refuse(SQLITE_PRAGMA, a1 + strlen(PRAGMA_TABLE), inner);
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		if (!listed(a2, pure_functions, ARRAY_SIZE(pure_functions)))
			return refuse(action, a2, inner);
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		if (!listed(a1, schema_pragmas, ARRAY_SIZE(schema_pragmas)))
			return refuse(action, a1, inner);
		return SQLITE_OK;
	default: return refuse(action, a1, inner);
	}
}

/* Past white space, ';' and comments, as SQLite's tokenizer skips them (a
 * block comment may run to the end). */
static const char *skip_blank(const char *s)
{
	for (;;) {
		if (*s == ';' || isspace((unsigned char)*s)) {
			s++;
		} else if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *end = strstr(s + 2, "*/");
			s = end ? end + 2 : s + strlen(s);
		} else {
			return s;
		}
	}
}

/* The words a query may start with, and hide a write behind. */
static bool is_query(const char *word)
{
	static const char *const query[] = { "WITH", "EXPLAIN", "SELECT", "VALUES" };

	return listed(word, query, ARRAY_SIZE(query));
}

/* The next keyword of sql, upper-cased, appended to out. */
static const char *next_word(const char *sql, char *out, size_t size)
{
	size_t n = strlen(out);

	sql = skip_blank(sql);
	if (n && n + 1 < size)
		out[n++] = ' ';
	for (; isalpha((unsigned char)*sql); sql++)
		if (n + 1 < size)
			out[n++] = (char)toupper((unsigned char)*sql);
	out[n] = '\0';
	return sql;
}

static const char *const writes[] = {
	[SQLITE_DELETE] = "DELETE", [SQLITE_INSERT] = "INSERT", [SQLITE_UPDATE] = "UPDATE",
};

static bool is_write(int action)
{
	return action >= 0 && (size_t)action < ARRAY_SIZE(writes) && writes[action];
}

/*
 * The statement's name for a message: its first keyword, and for CREATE,
 * DROP and ALTER the words up to the kind of object ("CREATE TEMP TABLE").
 * A query that hides a write behind WITH or EXPLAIN is named by the write
 * the authorizer refused.
 */
static void statement_name(const char *sql, char *out, size_t size)
{
	static const char *const ddl[] = { "CREATE", "DROP", "ALTER" };
	static const char *const object[] = { "TABLE", "INDEX", "VIEW", "TRIGGER" };
	const char *last;

	out[0] = '\0';
	sql = next_word(sql, out, size);
	if (is_query(out) && is_write(refused.action)) {
		snprintf(out, size, "%s", writes[refused.action]);
		return;
	}
	if (!listed(out, ddl, ARRAY_SIZE(ddl)))
		return;
	for (int words = 1; words < 4; words++) {
		sql = next_word(sql, out, size);
		last = strrchr(out, ' ');
		if (!last || listed(last + 1, object, ARRAY_SIZE(object)))
			return;
	}
}

/*
 * The virtual table a query was refused for. SQLite builds one on first
 * use through a nested CREATE, so the authorizer sees a write to the
 * schema and not the table: take its name from SQLite's message, or else
 * the first pragma's table in the query that is not listed. False for a
 * write to the schema that is no such table.
 */
static bool virtual_table_name(const char *sql, const char *sqlite_msg, char *out, size_t size)
{
	static const char ctor[] = "vtable constructor failed: ";
	const size_t len = strlen(PRAGMA_TABLE);
	char word[48];

	if (!strncmp(sqlite_msg, ctor, strlen(ctor))) {
		copy_name(out, size, sqlite_msg + strlen(ctor));
		return true;
	}
	for (const char *s = sql; (s = strcasestr(s, PRAGMA_TABLE)); s += len) {
		int n = 0;

		while (isalnum((unsigned char)s[len + n]) || s[len + n] == '_')
			n++;
		snprintf(word, sizeof(word), "%.*s", n, s + len);
		if (!listed(word, schema_pragmas, ARRAY_SIZE(schema_pragmas))) {
			snprintf(out, size, PRAGMA_TABLE "%s", word);
			return true;
		}
	}
	return false;
}

static void join(char *out, size_t size, const char *const *list, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "", list[i]);
}

/* The one-line reason a prepared query is refused. */
static void explain(const char *sql, const char *sqlite_msg, char *err, size_t errlen)
{
	static const char *const schema[] = { "sqlite_master", "sqlite_temp_master" };
	char where[80] = "", list[256], name[64], first[16] = "", table[64];

	if (refused.where[0])
		snprintf(where, sizeof(where), " in %s", refused.where);
	next_word(sql, first, sizeof(first));
	if (is_query(first) && is_write(refused.action) &&
	    listed(refused.name, schema, ARRAY_SIZE(schema)) &&
	    virtual_table_name(sql, sqlite_msg, table, sizeof(table))) {
		if (strncasecmp(table, PRAGMA_TABLE, strlen(PRAGMA_TABLE))) {
			join(list, sizeof(list), table_functions, ARRAY_SIZE(table_functions));
			snprintf(err, errlen, "virtual table %s is not allowed (only %s)", table,
				 list);
			return;
		}
		refused.action = SQLITE_PRAGMA;
		copy_name(refused.name, sizeof(refused.name), table + strlen(PRAGMA_TABLE));
	}
	statement_name(sql, name, sizeof(name));
	if (refused.action == SQLITE_FUNCTION) {
		snprintf(err, errlen, "function %s()%s is not allowed (only pure functions are)",
			 refused.name, where);
	} else if (refused.action == SQLITE_PRAGMA) {
		join(list, sizeof(list), schema_pragmas, ARRAY_SIZE(schema_pragmas));
		snprintf(err, errlen, "PRAGMA %s%s is not allowed (only %s)", refused.name, where,
			 list);
	} else {
		snprintf(err, errlen, "only read-only queries are allowed, not %s", name);
	}
}

/*
 * Make SQLite's own table-valued functions exist before the authorizer is
 * set: SQLite builds one on first use through a nested CREATE that the
 * authorizer refuses, so any not built here stays unusable.
 */
static void build_table_functions(sqlite3 *db)
{
	char sql[64];
	sqlite3_stmt *st;

	for (size_t i = 0; i < ARRAY_SIZE(table_functions) + ARRAY_SIZE(schema_pragmas); i++) {
		if (i < ARRAY_SIZE(table_functions))
			snprintf(sql, sizeof(sql), "SELECT 1 FROM %s", table_functions[i]);
		else
			snprintf(sql, sizeof(sql), "SELECT 1 FROM " PRAGMA_TABLE "%s",
				 schema_pragmas[i - ARRAY_SIZE(table_functions)]);
		/* preparing is enough, and a missing argument is no matter */
		sqlite3_prepare_v2(db, sql, -1, &st, NULL);
		sqlite3_finalize(st);
	}
}

/* Set a boolean option and read it back: an option this SQLite lacks fails. */
static bool db_option(sqlite3 *db, int op, int value)
{
	int now = -1;

	return sqlite3_db_config(db, op, value, &now) == SQLITE_OK && now == value;
}

int sca_sql__restrict(sqlite3 *db, char *err, size_t errlen)
{
	/* schema-defined views may call only innocuous functions; no C
	 * pointers through fts3_tokenizer; no extensions; no writes to the
	 * schema or to the file's pages even with a pragma */
	sqlite3_set_authorizer(db, NULL, NULL);
	if (!db_option(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0) ||
	    !db_option(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0) ||
	    !db_option(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0) ||
	    !db_option(db, SQLITE_DBCONFIG_DEFENSIVE, 1) ||
	    sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot restrict the database connection: %s",
			 sqlite3_errmsg(db));
		return -EIO;
	}
	for (size_t i = 0; i < ARRAY_SIZE(limits); i++)
		sqlite3_limit(db, limits[i].id, limits[i].value);
	build_table_functions(db);
	sqlite3_set_authorizer(db, read_only_auth, NULL);
	return 0;
}

int sca_sql__prepare_read_only(sqlite3 *db, const char *sql, sqlite3_stmt **st, char *err,
			       size_t errlen)
{
	const char *tail = NULL;
	int rc;

	*st = NULL;
	if ((rc = sca_sql__restrict(db, err, errlen)))
		return rc;
	memset(&refused, 0, sizeof(refused));
	rc = sqlite3_prepare_v2(db, sql, -1, st, &tail);
	if (rc == SQLITE_OK && !*st) {
		snprintf(err, errlen, "empty query");
		rc = -EINVAL;
	} else if (refused.action || rc == SQLITE_AUTH ||
		   (rc == SQLITE_OK && !sqlite3_stmt_readonly(*st))) {
		explain(sql, sqlite3_errmsg(db), err, errlen);
		rc = -EPERM;
	} else if (rc == SQLITE_TOOBIG) {
		snprintf(err, errlen, "query too long (over %d bytes)", MAX_QUERY);
		rc = -EINVAL;
	} else if (rc == SQLITE_NOMEM) {
		/* what SQLite says when a program outgrows SQLITE_LIMIT_VDBE_OP */
		snprintf(err, errlen, "query too large (over %d instructions) or out of memory",
			 MAX_PROGRAM);
		rc = -ENOMEM;
	} else if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		rc = -EINVAL;
	} else if (*skip_blank(tail)) {
		snprintf(err, errlen, "one statement at a time");
		rc = -EPERM;
	} else {
		return 0;
	}
	sqlite3_finalize(*st);
	*st = NULL;
	return rc;
}
