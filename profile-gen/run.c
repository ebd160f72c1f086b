/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * run.c - what `sca profile-gen` does once its command line is read: the
 * traces collected through the filter, then one profile built, validated,
 * written and compared with an old one, or one profile per container.
 */
#include <errno.h>
#include <stdio.h>

#include "common/cli.h"
#include "gen.h"

/* The TRACE arguments (a directory stands for its *.trace files), collected. */
static int collect(const struct sca_gen_job *j, FILE *notes, struct sca_gen_set **out, char *err,
		   size_t errlen)
{
	char **paths;
	int npaths, rc;

	if ((rc = sca_trace_paths(j->traces, j->ntraces, &paths, &npaths, err, errlen)))
		return rc;
	rc = sca_gen__collect((const char *const *)paths, npaths, j->filter, notes, out, err, errlen);
	sca_trace_paths_free(paths);
	if (!rc && (*out)->lost)
		fprintf(notes, "sca profile-gen: warning: the traces lost %llu events; syscalls only they "
			       "held are missing from the profile\n", (unsigned long long)(*out)->lost);
	return rc;
}

/* The profile of every group at once, written to j->path and compared with j->diff. */
static int one_profile(const struct sca_gen_job *j, const struct sca_gen_set *s, FILE *notes,
		       struct sca_profile **out, char *err, size_t errlen)
{
	struct sca_gen_output o = j->output;
	struct sca_profile *p = NULL;
	int rc;

	if (!o.name)
		o.name = "sca-profile";
	if ((rc = sca_gen__profile(s, -1, &j->gen, notes, &p, err, errlen)) ||
	    (rc = sca_gen__validate(p, err, errlen)) || (rc = sca_gen__write(p, j->path, &o, err, errlen))) {
		sca_profile__free(p);
		return rc;
	}
	/* the profile is written and stands, whatever the comparison says */
	if (j->diff && sca_gen__diff(p, j->diff, notes, err, errlen))
		fprintf(notes, "sca profile-gen: --diff: %s\n", err);
	*out = p;
	return 0;
}

int sca_gen__run(const struct sca_gen_job *j, FILE *notes, struct sca_profile **out, char *err,
		 size_t errlen)
{
	struct sca_gen_set *s = NULL;
	int rc;

	*out = NULL;
	if (errlen)
		*err = 0;
	if ((rc = collect(j, notes, &s, err, errlen)))
		return rc;
	if (j->per_container)
		rc = sca_gen__write_per_container(s, &j->gen, j->per_container, &j->output, notes, err,
						  errlen);
	else
		rc = one_profile(j, s, notes, out, err, errlen);
	sca_gen_set__free(s);
	return rc;
}
