/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * print.h - the live view of `sca record`: one line per event in chosen
 * columns, or one JSON object per line.
 */
#ifndef SCA_RECORD_PRINT_H
#define SCA_RECORD_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "trace.h"

#define SCA_PRINT_MAX_COLS 32

struct sca_printer {
	FILE *out;
	bool json;
	int ncols;
	int cols[SCA_PRINT_MAX_COLS];
	bool header_done;
};

/* The default columns, as the eBPF gadgets print them. */
#define SCA_PRINT_DEFAULT_COLUMNS "pid,comm,syscall,code"

/*
 * Parse a comma list of column names into p. Returns 0, or -EINVAL with the
 * offending name copied to bad.
 */
int sca_printer__init(struct sca_printer *p, FILE *out, const char *columns, bool json, char *bad,
		      size_t nbad);
void sca_printer__event(struct sca_printer *p, const struct sca_event *e);
/* Syscalls the syscall source counted: CODE says calls=N, JSON has "count". */
void sca_printer__calls(struct sca_printer *p, const struct sca_calls *c);
void sca_printer__lost(struct sca_printer *p, uint64_t time_ns, uint64_t count, const char *source);
/* The column names, comma separated, for --help. */
const char *sca_printer__column_names(void);

#endif
