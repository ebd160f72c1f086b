/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * db.h - sca's SQLite database: the schema of docs/schema.md, loading
 * traces into it, and opening a kept one.
 */
#ifndef SCA_ANALYZE_DB_H
#define SCA_ANALYZE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bumped whenever a table or view changes shape or meaning. */
#define SCA_DB_SCHEMA_VERSION 4

struct sca_db;

/*
 * Create a new database at path, mode 0600 (NULL: a temporary one in sca's
 * private directory, removed on close, at exit and on a fatal signal). An
 * existing regular file at path is refused (-EEXIST) unless force, and is
 * replaced only when sca_db__commit succeeds: until then the data goes to a
 * private directory beside it. Anything but a regular file is refused.
 */
int sca_db__create(struct sca_db **out, const char *path, bool force, char *err, size_t errlen);
/* Open a database kept with --db, read-only. -ENOTSUP: not an sca database. */
int sca_db__open(struct sca_db **out, const char *path, char *err, size_t errlen);

struct sca_load_stats {
	uint64_t events, lost;        /* lost: events the sources lost */
	uint64_t calls, calls_lost;   /* the syscall source's counts, and calls it lost */
	uint64_t chunks_skipped, bytes_skipped;
	bool clean_close;
};
/* Load one trace. A damaged trace loads what is intact and records the damage. */
int sca_db__load(struct sca_db *db, const char *trace, struct sca_load_stats *st, char *err,
		 size_t errlen);
/* After the last load: roll-ups, names, indexes; then rename the file into place. */
int sca_db__commit(struct sca_db *db, char *err, size_t errlen);

struct sca_progress;

/*
 * All of the above: the traces ARGS name (a directory is its *.trace files,
 * sca_trace_paths) into a new database at path (NULL: temporary), committed.
 * progress, when not NULL, shows the loading: the trace (i of n), the
 * share of its bytes read, its events and calls so far; its line is
 * erased on return. On an error *out is not set and the half-written
 * database is removed. path may not name one of the traces, even with
 * force.
 */
int sca_db__create_loaded(struct sca_db **out, const char *const *args, int nargs, const char *path,
			  bool force, struct sca_progress *progress, char *err, size_t errlen);
void sca_db__close(struct sca_db *db);

sqlite3 *sca_db__handle(struct sca_db *db);
/* True if path starts with SQLite's file header. */
bool sca_db__is_sqlite(const char *path);

#endif
