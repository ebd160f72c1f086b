/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * per_container.c - --per-container: one profile for each container in the
 * traces, and host for the processes in no container, as files in one
 * directory. A container's name is whatever its runtime (or a trace) says:
 * it is made a safe file name and, for SPO, a Kubernetes name no longer
 * than a DNS-1123 label (common/escape.h), and is shown escaped. A file
 * name an earlier group took gets a number, so no group's profile replaces
 * another's; a group that fails is said and the others are still written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/escape.h"
#include "gen.h"

/* The paths written so far: at most one per group. */
struct taken {
	char **paths;
	size_t n;
};

static bool is_taken(const struct taken *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->paths[i], path))
			return true;
	return false;
}

/*
 * DIR/SAFE.EXT, or DIR/SAFE-2.EXT, -3 ... when that is taken: a container
 * called "host", or two names that differ only in bytes sca_file_name()
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

/* "container NAME" (escaped) or "processes in no container", for G on F. */
static void say_group(FILE *f, const struct sca_gen_set *s, size_t g)
{
	if (!g) {
		fputs("processes in no container", f);
		return;
	}
	fputs("container ", f);
	sca_esc_fput(f, s->groups[g]);
}

/* Build, validate and write group G's profile; -ENODATA when G kept no events. */
static int write_group(const struct sca_gen_set *s, size_t g, const struct sca_gen_opts *go,
		       const char *dir, const struct sca_gen_output *out, struct taken *t, FILE *notes,
		       char *err, size_t errlen)
{
	struct sca_gen_output o = *out;
	struct sca_profile *p = NULL;
	char path[4096], safe[SCA_FILE_NAME_MAX + 1], label[SCA_DNS_SUBDOMAIN_MAX + 1];
	bool relabeled = false;
	int rc, dup;

	rc = sca_gen__profile(s, (int)g, go, notes, &p, err, errlen);
	if (rc || (rc = sca_gen__validate(p, err, errlen)))
		goto cleanup;
	sca_file_name(safe, s->groups[g]);
	if ((dup = claim_path(t, dir, safe, o.spo ? "yaml" : "json", path, sizeof(path))) < 0) {
		rc = dup;
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	if (!o.name) {
		/* at most a label's 63 bytes: short enough for SPO's NAME.json on a node */
		sca_dns_name(label, s->groups[g], SCA_DNS_LABEL_MAX);
		o.name = label;
		relabeled = o.spo && strcmp(label, s->groups[g]);
	}
	if ((rc = sca_gen__write(p, path, &o, err, errlen)))
		goto cleanup;
	fputs("sca profile-gen: wrote ", notes);
	sca_esc_fput(notes, path);
	if (dup > 1 || relabeled || strcmp(safe, s->groups[g])) {
		/* the file's name, or the one in it, is not the group's: say whose it is */
		fputs(" (", notes);
		say_group(notes, s, g);
		if (relabeled)
			fprintf(notes, ", SeccompProfile %s", label);
		fputs(dup > 1 ? "; its name was taken)" : ")", notes);
	}
	fputc('\n', notes);
cleanup:
	sca_profile__free(p);
	return rc;
}

int sca_gen__write_per_container(const struct sca_gen_set *s, const struct sca_gen_opts *go,
				 const char *dir, const struct sca_gen_output *o, FILE *notes, char *err,
				 size_t errlen)
{
	struct taken t = { 0 };
	char msg[512];
	int rc = 0, first = 0;
	size_t written = 0, failed = 0;

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
		rc = write_group(s, g, go, dir, o, &t, notes, msg, sizeof(msg));
		if (rc == -ENODATA) {
			/* said only when no group has events */
			snprintf(err, errlen, "%s", msg);
			continue;
		}
		if (rc) {
			/* one group's failure (a bad name, a full disk) is no reason to drop the others */
			fputs("sca profile-gen: ", notes);
			say_group(notes, s, g);
			fprintf(notes, ": %s\n", msg);
			if (!failed++)
				first = rc;
			continue;
		}
		written++;
	}
	if (failed) {
		snprintf(err, errlen, "%zu of %zu profiles not written (said above)", failed, failed + written);
		rc = first;
	} else if (written) {
		rc = 0;
	}
	for (size_t i = 0; i < t.n; i++)
		free(t.paths[i]);
	free(t.paths);
	return rc;
}
