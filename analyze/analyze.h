/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * analyze.h - one `sca analyze` run: load the traces into a database (or
 * open a kept one), ask the question (a --by or --events query, or the
 * user's own read-only SQL), then print the header and the rows.
 */
#ifndef SCA_ANALYZE_ANALYZE_H
#define SCA_ANALYZE_ANALYZE_H

#include <stdbool.h>

#include "db.h"
#include "output.h"
#include "query.h"

struct sca_analyze_opts {
	const char *const *inputs;    /* traces and directories of them, or one kept database */
	int ninputs;
	bool reuse;                   /* inputs[0] is a kept database */
	const char *db_path;          /* keep the loaded database here; NULL: temporary */
	bool force;                   /* replace an existing db_path */
	const char *sql;              /* the user's own query, instead of query */
	struct sca_query query;       /* its time window comes from since and until */
	const char *since, *until;    /* read against the loaded span; NULL: open */
	struct sca_out out;           /* the rows; the header too, but csv's goes to stderr */
	struct sca_progress *progress; /* shows the traces loading, or NULL */
};

/*
 * Run o. Returns 0; -EINVAL when the question does not fit the data (an
 * unknown --by key or column, a bad --since or --until): a usage error;
 * another negative errno when something fails. Either way err holds a
 * one-line message.
 */
int sca_analyze__run(const struct sca_analyze_opts *o, char *err, size_t errlen);

#endif /* SCA_ANALYZE_ANALYZE_H */
