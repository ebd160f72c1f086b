/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * per_container.c - --per-container: one profile for each container in the
 * traces, and host for the processes in no container, as files in one
 * directory. A group's name is made safe for a file name, and a file name
 * an earlier group took gets a number, so no group's profile replaces
 * another's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen.h"

/* The paths written so far: at most one per group. */
struct taken {
	char **paths;
	size_t n;
};

/* GROUP as a file name: '/' and a leading '.' become '_'. */
static void safe_name(const char *group, char *safe, size_t len)
{
	size_t k = 0;

	for (const char *c = group; *c && k + 1 < len; c++, k++)
		safe[k] = (*c == '/' || (*c == '.' && k == 0)) ? '_' : *c;
	safe[k] = 0;
}

static bool is_taken(const struct taken *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->paths[i], path))
			return true;
	return false;
}

/*
 * DIR/SAFE.EXT, or DIR/SAFE-2.EXT, -3 ... when that is taken: a container
 * called "host", or two names that differ only in characters safe_name()
 * replaced. Returns the number (1: none) with PATH taken, or -ENOMEM.
 */
static int claim_path(struct taken *t, const char *dir, const char *safe, const char *ext, char *path,
		      size_t len)
{
	int dup;

	for (dup = 1;; dup++) {
		if (dup == 1)
			snprintf(path, len, "%s/%s.%s", dir, safe, ext);
		else
			snprintf(path, len, "%s/%s-%d.%s", dir, safe, dup, ext);
		if (!is_taken(t, path))
			break;
	}
	if (!(t->paths[t->n] = strdup(path)))
		return -ENOMEM;
	t->n++;
	return dup;
}

/* Build, validate and write group G's profile; -ENODATA when G kept no events. */
static int write_group(const struct sca_gen_set *s, size_t g, const struct sca_gen_opts *go,
		       const char *dir, const struct sca_gen_output *out, struct taken *t, FILE *notes,
		       char *err, size_t errlen)
{
	struct sca_gen_output o = *out;
	struct sca_profile *p = NULL;
	char path[4096], safe[256], msg[512];
	int rc, dup;

	rc = sca_gen__profile(s, (int)g, go, notes, &p, msg, sizeof(msg));
	if (rc == -ENODATA) {
		snprintf(err, errlen, "%s", msg);
		return rc;
	}
	if (rc || (rc = sca_gen__validate(p, msg, sizeof(msg)))) {
		snprintf(err, errlen, "%s: %s", s->groups[g], msg);
		goto cleanup;
	}
	safe_name(s->groups[g], safe, sizeof(safe));
	if ((dup = claim_path(t, dir, safe, o.spo ? "yaml" : "json", path, sizeof(path))) < 0) {
		rc = dup;
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	if (!o.name)
		o.name = s->groups[g];
	if ((rc = sca_gen__write(p, path, &o, err, errlen)))
		goto cleanup;
	if (dup > 1)
		fprintf(notes, "sca profile-gen: wrote %s (%s %s; its name was taken)\n", path,
			g ? "container" : "processes in no container", s->groups[g]);
	else
		fprintf(notes, "sca profile-gen: wrote %s\n", path);
cleanup:
	sca_profile__free(p);
	return rc;
}

int sca_gen__write_per_container(const struct sca_gen_set *s, const struct sca_gen_opts *go,
				 const char *dir, const struct sca_gen_output *o, FILE *notes, char *err,
				 size_t errlen)
{
	struct taken t = { 0 };
	int rc = 0, written = 0;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(-rc));
		return rc;
	}
	if (!(t.paths = calloc(s->ngroups, sizeof(*t.paths)))) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t g = 0; g < s->ngroups; g++) {
		rc = write_group(s, g, go, dir, o, &t, notes, err, errlen);
		if (rc == -ENODATA)
			continue;     /* err says why, in case no group has events */
		if (rc)
			break;
		written++;
	}
	if (rc == -ENODATA && written)
		rc = 0;
	for (size_t i = 0; i < t.n; i++)
		free(t.paths[i]);
	free(t.paths);
	return rc;
}
