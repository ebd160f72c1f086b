/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * diff.c - --diff: the syscalls a new profile lets through that an old one
 * does not, the reverse, and those both let through on other conditions, so
 * a change can be reviewed before the new profile replaces the old. What
 * lets a name through is every permissive rule naming it, each with its
 * conditions as text (sca_profile_rule__args_str); one without conditions
 * makes it "any arguments". Includes/excludes are not resolved: such rules
 * count as written.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "gen.h"

/* One way a name gets through: a permissive rule naming it. */
struct way {
	const char *name;          /* the profile's */
	char *cond;                /* the rule's conditions; NULL: any arguments */
};

struct ways {
	struct way *w;
	size_t n;
};

static int cmp_arg(const void *pa, const void *pb)
{
	const struct sca_profile_arg *a = pa, *b = pb;

	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->value_two != b->value_two)
		return a->value_two < b->value_two ? -1 : 1;
	return 0;
}

/*
 * R's conditions as text, its args sorted first (an old profile written by
 * hand need not be normalized, and their order means nothing); NULL with
 * *rc 0 when it has none, NULL with *rc -ENOMEM on failure.
 */
static char *rule_cond(const struct sca_profile_rule *r, int *rc)
{
	struct sca_profile_rule sorted = { .nargs = r->nargs };
	size_t len = r->nargs * 100 + 16;   /* args_str: under 96 bytes an arg, " && " between */
	char *buf = NULL;

	*rc = 0;
	if (!r->nargs)
		return NULL;
	sorted.args = malloc(r->nargs * sizeof(*r->args));
	buf = malloc(len);
	if (!sorted.args || !buf) {
		free(buf);
		buf = NULL;
		*rc = -ENOMEM;
	} else {
		memcpy(sorted.args, r->args, r->nargs * sizeof(*r->args));
		qsort(sorted.args, sorted.nargs, sizeof(*sorted.args), cmp_arg);
		sca_profile_rule__args_str(&sorted, buf, len);
	}
	free(sorted.args);
	return buf;
}

/* By name, then conditions, none first: a name's unconditional way leads its group. */
static int cmp_way(const void *pa, const void *pb)
{
	const struct way *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c || a->cond == b->cond)
		return c;
	if (!a->cond || !b->cond)
		return a->cond ? 1 : -1;
	return strcmp(a->cond, b->cond);
}

static void ways__free(struct ways *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->w[i].cond);
	free(s->w);
}

/*
 * Keep per name either its one unconditional way or its distinct
 * conditions: what is left compares name by name as sorted sets.
 */
static void ways__reduce(struct ways *s)
{
	size_t u = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct way *last = u ? &s->w[u - 1] : NULL;
		if (last && !strcmp(last->name, s->w[i].name) && (!last->cond || !cmp_way(last, &s->w[i]))) {
			free(s->w[i].cond);
			continue;
		}
		s->w[u++] = s->w[i];
	}
	s->n = u;
}

/* Every way P lets a name through, reduced and sorted. Returns 0 or -ENOMEM. */
static int ways__collect(const struct sca_profile *p, struct ways *s)
{
	size_t total = 0;
	int rc = 0;

	for (size_t r = 0; r < p->nrules; r++)
		if (sca_profile_action__permissive(p->rules[r].action))
			total += p->rules[r].nnames;
	if (!(s->w = calloc(total + 1, sizeof(*s->w))))
		return -ENOMEM;
	for (size_t r = 0; r < p->nrules && !rc; r++) {
		const struct sca_profile_rule *rule = &p->rules[r];
		if (!sca_profile_action__permissive(rule->action))
			continue;
		for (size_t i = 0; i < rule->nnames && !rc; i++) {
			s->w[s->n].name = rule->names[i];
			s->w[s->n].cond = rule_cond(rule, &rc);
			s->n++;
		}
	}
	qsort(s->w, s->n, sizeof(*s->w), cmp_way);
	ways__reduce(s);
	return rc;
}

/* How many ways from W on (N left) share its name. */
static size_t group_len(const struct way *w, size_t n)
{
	size_t k = 1;

	while (k < n && !strcmp(w[k].name, w[0].name))
		k++;
	return k;
}

static bool group_same(const struct way *a, size_t na, const struct way *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!a[i].cond != !b[i].cond || (a[i].cond && strcmp(a[i].cond, b[i].cond)))
			return false;
	return true;
}

/* "any arguments", or "(C1, or C2 ...)" */
static void put_conds(FILE *out, const struct way *w, size_t n)
{
	if (!w[0].cond) {
		fputs("any arguments", out);
		return;
	}
	fputc('(', out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", or " : "", w[i].cond);
	fputc(')', out);
}

/* "+ NAME" or "- NAME", with its conditions when it has some. */
static void put_one(FILE *out, char sign, const struct way *w, size_t n)
{
	fprintf(out, "%c ", sign);
	/* names as the profiles spell them, which an old profile may spell badly */
	sca_esc_fput(out, w[0].name);
	if (w[0].cond) {
		fputc(' ', out);
		put_conds(out, w, n);
	}
	fputc('\n', out);
}

static void put_changed(FILE *out, const struct way *a, size_t na, const struct way *b, size_t nb)
{
	fputs("~ ", out);
	sca_esc_fput(out, a[0].name);
	fputs(": now ", out);
	put_conds(out, a, na);
	fputs("; was ", out);
	put_conds(out, b, nb);
	fputc('\n', out);
}

/* Print the new ways A and the old B apart; count[0..2]: added, removed, changed. */
static void print_apart(const struct ways *a, const struct ways *b, FILE *out, size_t count[3])
{
	size_t i = 0, j = 0;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->w[i].name, b->w[j].name);
		size_t ka = c <= 0 ? group_len(&a->w[i], a->n - i) : 0;
		size_t kb = c >= 0 ? group_len(&b->w[j], b->n - j) : 0;

		if (c < 0) {
			put_one(out, '+', &a->w[i], ka);
			count[0]++;
		} else if (c > 0) {
			put_one(out, '-', &b->w[j], kb);
			count[1]++;
		} else if (!group_same(&a->w[i], ka, &b->w[j], kb)) {
			put_changed(out, &a->w[i], ka, &b->w[j], kb);
			count[2]++;
		}
		i += ka;
		j += kb;
	}
}

int sca_gen__diff(const struct sca_profile *p, const char *old_path, FILE *out, char *err, size_t errlen)
{
	struct sca_profile *old = NULL;
	struct ways a = { 0 }, b = { 0 };
	size_t count[3] = { 0 };
	int rc;

	if ((rc = sca_profile__load(old_path, &old, err, errlen)))
		return rc;
	if ((rc = ways__collect(p, &a)) || (rc = ways__collect(old, &b))) {
		snprintf(err, errlen, "out of memory");
		goto cleanup;
	}
	print_apart(&a, &b, out, count);
	fputs("sca profile-gen: against ", out);
	sca_esc_fput(out, old_path);
	fprintf(out, ": %zu syscalls added, %zu removed, %zu with other conditions\n", count[0], count[1],
		count[2]);
cleanup:
	ways__free(&a);
	ways__free(&b);
	sca_profile__free(old);
	return rc;
}
