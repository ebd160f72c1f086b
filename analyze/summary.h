/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * summary.h - the header before `sca analyze`'s rows: which traces were
 * loaded, their host, time span, events, lost events, the syscall source's
 * calls (with those it lost or could not attribute) and the damage the
 * reader skipped, read back from the traces and damage tables.
 */
#ifndef SCA_ANALYZE_SUMMARY_H
#define SCA_ANALYZE_SUMMARY_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

/* The header as "# ..." lines on f. Returns 0 or a negative errno. */
int sca_summary__print(sqlite3 *db, FILE *f);

/* The header as a JSON object in *out (free it). Returns 0 or a negative errno. */
int sca_summary__json(sqlite3 *db, char **out);

/* The loaded span: the first and the last event or call time of all traces (0 when none). */
int sca_summary__span(sqlite3 *db, uint64_t *first_ns, uint64_t *last_ns);

#endif /* SCA_ANALYZE_SUMMARY_H */
