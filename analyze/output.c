/* SPDX-License-Identifier: BSD-2-Clause */
/* output.c - see output.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/escape.h"
#include "common/json.h"
#include "output.h"

/* A table is laid out from its first rows; later rows use those widths. */
#define LAYOUT_ROWS 10000
#define MIN_COL 6

int sca_out_format__parse(const char *s, enum sca_out_format *f)
{
	if (!strcmp(s, "table"))
		*f = SCA_OUT_TABLE;
	else if (!strcmp(s, "csv"))
		*f = SCA_OUT_CSV;
	else if (!strcmp(s, "json"))
		*f = SCA_OUT_JSON;
	else
		return -EINVAL;
	return 0;
}

int sca_out__term_width(FILE *f)
{
	int w = sca_term_width(f);
	if (w)
		return w;
	const char *c = getenv("COLUMNS");
	return c ? atoi(c) : 0;
}

/* ---- table ------------------------------------------------------------- */

struct cell {
	char *s;             /* escaped for the terminal; NULL: SQL NULL */
};

struct table {
	int ncols;
	int *width;
	bool *numeric;
	struct cell *cells;  /* LAYOUT_ROWS x ncols */
	long nrows;
};

static void table_layout(struct table *t, char **names, int term)
{
	for (int c = 0; c < t->ncols; c++)
		t->width[c] = (int)sca_esc_width(names[c]);
	for (long r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c].s;
			int n = s ? (int)sca_esc_width(s) : 0;
			if (n > t->width[c])
				t->width[c] = n;
		}
	if (term <= 0)
		return;
	/* shrink the widest column until the table fits, down to MIN_COL */
	for (;;) {
		int total = t->ncols - 1, widest = -1;
		for (int c = 0; c < t->ncols; c++) {
			total += t->width[c];
			if (widest < 0 || t->width[c] > t->width[widest])
				widest = c;
		}
		if (total <= term || t->width[widest] <= MIN_COL)
			break;
		int cut = total - term;
		int room = t->width[widest] - MIN_COL;
		t->width[widest] -= cut < room ? cut : room;
	}
}

/* S is escaped: widths count what the terminal shows, and a cut never splits an escape. */
static void table_cell(FILE *f, const char *s, int w, bool right, bool last)
{
	int n = (int)sca_esc_width(s);
	if (n > w) {
		/* cut, and say so: a table never shows a shortened value as whole */
		size_t filled, keep = sca_esc_cut(s, (size_t)(w - 1), &filled);
		fwrite(s, 1, keep, f);
		fputc('~', f);
		/* an escape that does not fit whole leaves columns to pad */
		for (size_t k = filled + 1; !last && k < (size_t)w; k++)
			fputc(' ', f);
	} else if (last && !right) {
		fputs(s, f);
	} else {
		sca_esc_pad(f, s, (size_t)w, right);
	}
	if (!last)
		fputc(' ', f);
}

static void table_row(struct table *t, FILE *f, struct cell *row)
{
	for (int c = 0; c < t->ncols; c++)
		table_cell(f, row[c].s ? row[c].s : "", t->width[c], t->numeric[c], c + 1 == t->ncols);
	fputc('\n', f);
}

/* Column C of the row as the table shows it: escaped (escape.h). */
static char *cell_text(sqlite3_stmt *st, int c)
{
	const unsigned char *s = sqlite3_column_text(st, c);
	return s ? sca_esc_dup((const char *)s) : NULL;
}

static long out_table(struct sca_out *o, sqlite3_stmt *st, char *err, size_t errlen)
{
	struct table t = { .ncols = sqlite3_column_count(st) };
	char **names = calloc((size_t)t.ncols + 1, sizeof(*names));
	long printed = 0;
	int rc = SQLITE_ROW;

	t.width = calloc((size_t)t.ncols + 1, sizeof(*t.width));
	t.numeric = calloc((size_t)t.ncols + 1, sizeof(*t.numeric));
	t.cells = calloc((size_t)LAYOUT_ROWS * (size_t)(t.ncols ? t.ncols : 1), sizeof(*t.cells));
	if (!names || !t.width || !t.numeric || !t.cells) {
		printed = -ENOMEM;
		goto cleanup;
	}
	/* --sql names its columns as it likes */
	for (int c = 0; c < t.ncols; c++)
		if (!(names[c] = sca_esc_dup(sqlite3_column_name(st, c)))) {
			printed = -ENOMEM;
			goto cleanup;
		}
	for (int c = 0; c < t.ncols; c++)
		t.numeric[c] = true;
	while (t.nrows < LAYOUT_ROWS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < t.ncols; c++) {
			int ty = sqlite3_column_type(st, c);
			if (ty != SQLITE_INTEGER && ty != SQLITE_FLOAT && ty != SQLITE_NULL)
				t.numeric[c] = false;
			t.cells[t.nrows * t.ncols + c].s = cell_text(st, c);
		}
		t.nrows++;
	}
	table_layout(&t, names, o->width);
	for (int c = 0; c < t.ncols; c++)
		table_cell(o->f, names[c], t.width[c], t.numeric[c], c + 1 == t.ncols);
	fputc('\n', o->f);
	for (long r = 0; r < t.nrows; r++)
		table_row(&t, o->f, &t.cells[r * t.ncols]);
	printed = t.nrows;
	if (rc == SQLITE_ROW) {
		struct cell *row = t.cells;   /* reuse the first row's slots */
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (int c = 0; c < t.ncols; c++) {
				free(row[c].s);
				row[c].s = cell_text(st, c);
			}
			table_row(&t, o->f, row);
			printed++;
		}
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(sqlite3_db_handle(st)));
		printed = -EIO;
	}
cleanup:
	for (long r = 0; t.cells && r < (t.nrows < LAYOUT_ROWS ? t.nrows : LAYOUT_ROWS); r++)
		for (int c = 0; c < t.ncols; c++)
			free(t.cells[r * t.ncols + c].s);
	for (int c = 0; names && c < t.ncols; c++)
		free(names[c]);
	free(names);
	free(t.cells);
	free(t.width);
	free(t.numeric);
	return printed;
}

/* ---- csv and json -------------------------------------------------------- */

static long out_csv(struct sca_out *o, sqlite3_stmt *st, char *err, size_t errlen)
{
	int n = sqlite3_column_count(st), rc;
	long printed = 0;
	for (int c = 0; c < n; c++) {
		if (c)
			fputc(',', o->f);
		sca_csv_cell(o->f, sqlite3_column_name(st, c), true);
	}
	fputs("\r\n", o->f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < n; c++) {
			if (c)
				fputc(',', o->f);
			/* numbers as they are: -1 stays a number, not a neutralized formula */
			int ty = sqlite3_column_type(st, c);
			const unsigned char *s = sqlite3_column_text(st, c);
			if (s)
				sca_csv_cell(o->f, (const char *)s, ty != SQLITE_INTEGER && ty != SQLITE_FLOAT);
		}
		fputs("\r\n", o->f);
		printed++;
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(sqlite3_db_handle(st)));
		return -EIO;
	}
	return printed;
}

static void json_value(FILE *f, sqlite3_stmt *st, int c)
{
	switch (sqlite3_column_type(st, c)) {
	case SQLITE_NULL:
		fputs("null", f);
		break;
	case SQLITE_INTEGER:
		fprintf(f, "%lld", (long long)sqlite3_column_int64(st, c));
		break;
	case SQLITE_FLOAT:
		fprintf(f, "%.17g", sqlite3_column_double(st, c));
		break;
	default:
		sca_json_str(f, (const char *)sqlite3_column_text(st, c));
	}
}

static long out_json(struct sca_out *o, sqlite3_stmt *st, char *err, size_t errlen)
{
	int n = sqlite3_column_count(st), rc;
	long printed = 0;
	fputs("{", o->f);
	if (o->summary_json)
		fprintf(o->f, "\"summary\":%s,", o->summary_json);
	fputs("\"columns\":[", o->f);
	for (int c = 0; c < n; c++) {
		if (c)
			fputc(',', o->f);
		sca_json_str(o->f, sqlite3_column_name(st, c));
	}
	fputs("],\"rows\":[", o->f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(printed ? ",\n{" : "\n{", o->f);
		for (int c = 0; c < n; c++) {
			if (c)
				fputc(',', o->f);
			sca_json_str(o->f, sqlite3_column_name(st, c));
			fputc(':', o->f);
			json_value(o->f, st, c);
		}
		fputc('}', o->f);
		printed++;
	}
	fputs("]}\n", o->f);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(sqlite3_db_handle(st)));
		return -EIO;
	}
	return printed;
}

long sca_out__rows(struct sca_out *o, sqlite3_stmt *st, char *err, size_t errlen)
{
	switch (o->format) {
	case SCA_OUT_CSV: return out_csv(o, st, err, errlen);
	case SCA_OUT_JSON: return out_json(o, st, err, errlen);
	default: return out_table(o, st, err, errlen);
	}
}
