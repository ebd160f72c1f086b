/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * output.h - rows of a query as a table fitted to the terminal, as CSV
 * (RFC 4180), or as JSON.
 */
#ifndef SCA_ANALYZE_OUTPUT_H
#define SCA_ANALYZE_OUTPUT_H

#include <sqlite3.h>
#include <stdio.h>

enum sca_out_format { SCA_OUT_TABLE, SCA_OUT_CSV, SCA_OUT_JSON };

int sca_out_format__parse(const char *s, enum sca_out_format *f);

struct sca_out {
	FILE *f;
	enum sca_out_format format;
	int width;                 /* table: terminal columns; 0 = no limit */
	const char *summary_json;  /* json: the "summary" object, or NULL */
};

/*
 * Step st to the end, printing its rows. Returns rows printed, or a negative
 * errno (message in err) when a step fails.
 */
long sca_out__rows(struct sca_out *o, sqlite3_stmt *st, char *err, size_t errlen);

/* The terminal width of f, or 0 when it is not a terminal (then COLUMNS). */
int sca_out__term_width(FILE *f);

#endif
