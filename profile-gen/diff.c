/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * diff.c - --diff: the syscalls a new profile lets through that an old one
 * does not, and the reverse, by name (sca_gen__allowed_names), so a change
 * can be reviewed before the new profile replaces the old.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/escape.h"
#include "gen.h"

/* Print the sorted name lists A and B apart; *add, *del: how many each way. */
static void print_apart(char **a, size_t na, char **b, size_t nb, FILE *out, size_t *add, size_t *del)
{
	size_t i = 0, j = 0;

	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);
		/* names as the profiles spell them, which an old profile may spell badly */
		if (c < 0) {
			fputs("+ ", out);
			sca_esc_fput(out, a[i++]);
			fputc('\n', out);
			(*add)++;
		} else if (c > 0) {
			fputs("- ", out);
			sca_esc_fput(out, b[j++]);
			fputc('\n', out);
			(*del)++;
		} else {
			i++;
			j++;
		}
	}
}

int sca_gen__diff(const struct sca_profile *p, const char *old_path, FILE *out, char *err, size_t errlen)
{
	struct sca_profile *old = NULL;
	char **a = NULL, **b = NULL;
	size_t na = 0, nb = 0, add = 0, del = 0;
	int rc;

	if ((rc = sca_profile__load(old_path, &old, err, errlen)))
		return rc;
	a = sca_gen__allowed_names(p, &na);
	b = sca_gen__allowed_names(old, &nb);
	if (!a || !b) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	print_apart(a, na, b, nb, out, &add, &del);
	fputs("sca profile-gen: against ", out);
	sca_esc_fput(out, old_path);
	fprintf(out, ": %zu syscalls added, %zu removed\n", add, del);
cleanup:
	sca_gen__free_names(a, na);
	sca_gen__free_names(b, nb);
	sca_profile__free(old);
	return rc;
}
