/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * run.c - what `sca profile-gen` does once its command line is read: the
 * traces collected through the filter, what they may lack said (or, with
 * --strict, refused), then one profile built, validated, written and
 * compared with an old one, or one profile per container.
 */
#include <errno.h>
#include <stdio.h>

#include "common/cli.h"
#include "common/escape.h"
#include "gen.h"

/* Room for the names of the syscalls of calls without a process, in a message. */
#define NAMES_MAX 160

/* The TRACE arguments (a directory stands for its *.trace files), collected. */
static int collect(const struct sca_gen_job *j, FILE *notes, struct sca_gen_set **out, char *err,
		   size_t errlen)
{
	char **paths;
	int npaths, rc;

	if ((rc = sca_trace_paths(j->traces, j->ntraces, &paths, &npaths, err, errlen)))
		return rc;
	rc = sca_gen__collect((const char *const *)paths, npaths, j->filter, notes, j->progress, out, err,
			      errlen);
	sca_trace_paths_free(paths);
	return rc;
}

static bool filtered(const struct sca_filter *f)
{
	return f && (f->npids || f->ncomms || f->nexes || f->nsyscalls || f->ncodes ||
		     sca_filter__has_container_keys(f));
}

/*
 * Calls without a process were made by what the recording selected: one
 * profile of all of it may allow them; a part of it (a filter, a container)
 * cannot claim them.
 */
static bool unattributed_allowed(const struct sca_gen_job *j)
{
	return !filtered(j->filter) && !j->per_container;
}

/* What the traces may lack, and what became of calls without a process. */
static void warn(const struct sca_gen_job *j, const struct sca_gen_set *s, FILE *notes)
{
	char names[NAMES_MAX];

	if (s->lost)
		fprintf(notes, "sca profile-gen: warning: the traces lost %llu events; syscalls only they "
			       "held are missing from the profile\n", (unsigned long long)s->lost);
	if (s->calls_lost)
		fprintf(notes, "sca profile-gen: warning: the kernel did not count %llu calls (syscall "
			       "source); syscalls only they made are missing from the profile\n",
			(unsigned long long)s->calls_lost);
	if (!s->unattributed)
		return;
	sca_gen__unattributed(s, NULL, names, sizeof(names));
	if (unattributed_allowed(j))
		fprintf(notes, "sca profile-gen: note: %llu calls of %s could not be attributed to a process "
			       "(the syscall table was full); allowed, as the recording selected them\n",
			(unsigned long long)s->unattributed, names);
	else
		fprintf(notes, "sca profile-gen: warning: %llu calls of %s could not be attributed to a "
			       "process (the syscall table was full); left out, so the profile may be "
			       "incomplete\n", (unsigned long long)s->unattributed, names);
}

/* --strict: what was lost or damaged could matter to any profile. */
static int strict_losses(const struct sca_gen_set *s, char *err, size_t errlen)
{
	if (!s->lost && !s->calls_lost && !s->damaged)
		return 0;
	snprintf(err, errlen, "--strict: the traces lost %llu events and %llu calls and have %llu "
			      "damaged regions; the profile may be incomplete, nothing written",
		 (unsigned long long)s->lost, (unsigned long long)s->calls_lost,
		 (unsigned long long)s->damaged);
	return -EIO;
}

/*
 * --strict: calls without a process matter where a profile left out of
 * them does not allow their syscalls anyway. Each profile is built here
 * with its notes dropped; they are said when it is built to be written.
 */
static int strict_unattributed(const struct sca_gen_job *j, const struct sca_gen_set *s, char *err,
			       size_t errlen)
{
	char names[NAMES_MAX], msg[512], group[SCA_ESC_SIZE(64)];
	FILE *quiet;
	int rc = 0;

	if (!s->unattributed || unattributed_allowed(j))
		return 0;
	if (!(quiet = fopen("/dev/null", "w"))) {
		snprintf(err, errlen, "/dev/null: %m");
		return -EIO;
	}
	for (size_t g = 0; g < (j->per_container ? s->ngroups : 1) && !rc; g++) {
		struct sca_profile *p = NULL;
		uint64_t n;
		/* a profile that cannot be built fails when it is built for real */
		if (sca_gen__profile(s, j->per_container ? (int)g : -1, &j->gen, quiet, &p, msg, sizeof(msg)))
			continue;
		if ((n = sca_gen__unattributed(s, p, names, sizeof(names)))) {
			/* a container's name is its runtime's choice: escaped */
			sca_esc(group, sizeof(group), g ? s->groups[g] : "the host");
			snprintf(err, errlen, "--strict: %llu calls of %s could not be attributed to a process "
					      "and the profile%s%s does not allow them; nothing written",
				 (unsigned long long)n, names, j->per_container ? " of " : "",
				 j->per_container ? group : "");
			rc = -EIO;
		}
		sca_profile__free(p);
	}
	fclose(quiet);
	return rc;
}

/* The profile of every group at once, written to j->path and compared with j->diff. */
static int one_profile(const struct sca_gen_job *j, const struct sca_gen_set *s, FILE *notes,
		       struct sca_profile **out, char *err, size_t errlen)
{
	struct sca_gen_output o = j->output;
	struct sca_gen_opts go = j->gen;
	struct sca_profile *p = NULL;
	int rc;

	if (!o.name)
		o.name = "sca-profile";
	go.unattributed = unattributed_allowed(j);
	if ((rc = sca_gen__profile(s, -1, &go, notes, &p, err, errlen)) ||
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
	if (j->strict && ((rc = strict_losses(s, err, errlen)) || (rc = strict_unattributed(j, s, err, errlen)))) {
		sca_gen_set__free(s);
		return rc;
	}
	warn(j, s, notes);
	if (j->per_container)
		rc = sca_gen__write_per_container(s, &j->gen, j->per_container, &j->output, notes, err,
						  errlen);
	else
		rc = one_profile(j, s, notes, out, err, errlen);
	sca_gen_set__free(s);
	return rc;
}
