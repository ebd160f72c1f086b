/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * args.c - see args.h. A set holds each distinct tuple of field values
 * with its calls per class (audit event, call under a filter, call before
 * one), and the calls whose values are not known, per class. Memory is
 * bounded: past ARGSET_MAX tuples a set only notes that it overflowed,
 * which leaves the syscall unconditional anyway (every rule's max_values
 * is smaller).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "common/names.h"
#include "common/sysargs.h"

#define ARGSET_MAX 64
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ENOSYS_NR 38               /* what libc's clone3 fallback waits for */

enum { CLASS_EVENT, CLASS_FILTERED, CLASS_UNFILTERED, NCLASS };

struct tuple {
	uint64_t v[SCA_SYSARG_FIELDS];
	uint64_t n[NCLASS];
};

struct sca_gen_argset {
	const struct sca_sysarg_rule *rule;
	uint64_t unknown[NCLASS];      /* calls whose values are not known */
	bool overflow[NCLASS];
	size_t ntuples;
	struct tuple t[ARGSET_MAX];
};

static int set_get(struct sca_gen_argset **a, const struct sca_sysarg_rule *rule)
{
	if (!*a && !(*a = calloc(1, sizeof(**a))))
		return -ENOMEM;
	(*a)->rule = rule;
	return 0;
}

static void set_count(struct sca_gen_argset *a, const uint64_t v[SCA_SYSARG_FIELDS], int cls, uint64_t n)
{
	for (size_t i = 0; i < a->ntuples; i++)
		if (!memcmp(a->t[i].v, v, sizeof(a->t[i].v))) {
			a->t[i].n[cls] += n;
			return;
		}
	if (a->ntuples == ARGSET_MAX) {
		a->overflow[cls] = true;
		return;
	}
	memcpy(a->t[a->ntuples].v, v, sizeof(a->t[0].v));
	a->t[a->ntuples++].n[cls] = n;
}

/* The fields of a call on ARCH: false when one of them is not known. */
static bool fields_of(const struct sca_sysarg_rule *r, uint32_t arch, const uint64_t args[6],
		      const uint64_t mask[6], uint64_t v[SCA_SYSARG_FIELDS])
{
	memset(v, 0, SCA_SYSARG_FIELDS * sizeof(*v));
	for (unsigned f = 0; f < r->nfields; f++)
		if (!sca_sysarg__value(r, f, arch, args, mask, &v[f]))
			return false;
	return true;
}

int sca_gen_args__new(const char *name, struct sca_gen_argset **a)
{
	const struct sca_sysarg_rule *r = name ? sca_sysarg__find(name) : NULL;

	*a = NULL;
	return r ? set_get(a, r) : 0;
}

static void add(struct sca_gen_argset *a, uint32_t arch, bool has, const uint64_t args[6], const uint64_t mask[6],
		int cls, uint64_t n)
{
	uint64_t v[SCA_SYSARG_FIELDS];

	if (has && fields_of(a->rule, arch, args, mask, v))
		set_count(a, v, cls, n);
	else
		a->unknown[cls] += n;
}

void sca_gen_args__add_calls(struct sca_gen_argset *a, const struct sca_calls *rc)
{
	int cls = rc->flags & SCA_CALLS_FILTERED ? CLASS_FILTERED : CLASS_UNFILTERED;

	add(a, rc->ev.arch, rc->ev.has_args, rc->ev.args, rc->argmask, cls, rc->count);
}

void sca_gen_args__add_event(struct sca_gen_argset *a, const struct sca_event *e)
{
	/* an event's arguments, when it has them, are whole */
	static const uint64_t all[6] = { ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull };

	add(a, e->arch, e->has_args, e->args, all, CLASS_EVENT, 1);
}

int sca_gen_args__merge(struct sca_gen_argset **dst, const struct sca_gen_argset *src, bool cut)
{
	int rc;

	if (!src)
		return 0;
	if ((rc = set_get(dst, src->rule)))
		return rc;
	for (int c = 0; c < NCLASS; c++) {
		if (cut && c == CLASS_UNFILTERED)
			continue;              /* the runtime's calls before the filter */
		(*dst)->unknown[c] += src->unknown[c];
		(*dst)->overflow[c] |= src->overflow[c];
		for (size_t i = 0; i < src->ntuples; i++)
			if (src->t[i].n[c])
				set_count(*dst, src->t[i].v, c, src->t[i].n[c]);
	}
	return 0;
}

void sca_gen_args__free(struct sca_gen_argset *a)
{
	free(a);
}

/* ---- generate ----------------------------------------------------------- */

static uint64_t tuple_calls(const struct tuple *t)
{
	return t->n[CLASS_EVENT] + t->n[CLASS_FILTERED] + t->n[CLASS_UNFILTERED];
}

static int cmp_tuple(const void *a, const void *b)
{
	const struct tuple *x = a, *y = b;
	for (int f = 0; f < SCA_SYSARG_FIELDS; f++)
		if (x->v[f] != y->v[f])
			return x->v[f] < y->v[f] ? -1 : 1;
	return 0;
}

/* A's tuples on their first NF fields, merged and sorted, into OUT; how many. */
static size_t project(const struct sca_gen_argset *a, unsigned nf, struct tuple *out)
{
	size_t n = 0;

	for (size_t i = 0; i < a->ntuples; i++) {
		struct tuple t;
		memset(&t, 0, sizeof(t));
		size_t k;
		memcpy(t.v, a->t[i].v, nf * sizeof(t.v[0]));
		t.n[CLASS_EVENT] = tuple_calls(&a->t[i]);
		if (!t.n[CLASS_EVENT])
			continue;
		for (k = 0; k < n && cmp_tuple(&out[k], &t); k++)
			;
		if (k == n)
			out[n++] = t;
		else
			out[k].n[CLASS_EVENT] += t.n[CLASS_EVENT];
	}
	qsort(out, n, sizeof(*out), cmp_tuple);
	return n;
}

/* The argument of FIELD on every arch of the filter, or -1 when they differ or one has none. */
static int common_index(const struct sca_sysarg_rule *r, unsigned f, const uint32_t *arches, size_t n,
			uint32_t *bad)
{
	int idx = (int)r->field[f].index;

	for (size_t i = 0; i < n; i++) {
		int x = sca_sysarg__filter_index(r, f, arches[i]);
		if (i == 0)
			idx = x;
		if (x < 0 || x != idx) {
			*bad = arches[i];
			return -1;
		}
	}
	return idx;
}

static void explain_head(FILE *ex, const char *name)
{
	fprintf(ex, "sca profile-gen: explain: %s: ", name);
}

/* "family AF_INET (2), type SOCK_STREAM (1)" */
static void tuple_str(const struct sca_sysarg_rule *r, unsigned nf, const struct tuple *t, char *buf,
		      size_t len)
{
	size_t used = 0;
	char v[96];

	buf[0] = '\0';
	for (unsigned f = 0; f < nf && used < len; f++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s", f ? ", " : "", r->field[f].what,
					 sca_sysarg__value_str(&r->field[f], t->v[f], v, sizeof(v)));
}

static int add_cond_rule(struct sca_profile *p, const char *name, const struct sca_profile_arg *args,
			 unsigned nargs, const char *comment)
{
	struct sca_profile_rule *rule = sca_profile__add_rule(p, SCMP_ACT_ALLOW);
	int rc;

	if (!rule || !(rule->comment = strdup(comment)))
		return -ENOMEM;
	if ((rc = sca_profile_rule__add_name(rule, name)))
		return rc;
	for (unsigned i = 0; i < nargs; i++)
		if ((rc = sca_profile_rule__add_arg(rule, &args[i])))
			return rc;
	return 0;
}

static bool has_value(const struct tuple *t, size_t n, uint64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v[0] == v)
			return true;
	return false;
}

/* The values R's implies add to the N of T (no calls: not seen), sorted; the new count. */
static size_t add_implied(const struct sca_sysarg_rule *r, struct tuple *t, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(r->implies) && r->implies[i].why && n < ARGSET_MAX; i++) {
		const struct sca_sysarg_imply *im = &r->implies[i];
		if (!has_value(t, n, im->seen) || has_value(t, n, im->also))
			continue;
		memset(&t[n], 0, sizeof(t[n]));
		t[n++].v[0] = im->also;
	}
	qsort(t, n, sizeof(*t), cmp_tuple);
	return n;
}

static const char *implied_why(const struct sca_sysarg_rule *r, uint64_t v)
{
	for (size_t i = 0; i < ARRAY_SIZE(r->implies) && r->implies[i].why; i++)
		if (r->implies[i].also == v)
			return r->implies[i].why;
	return "";
}

/* One rule per tuple seen (or implied): each field masked-equal to its value. */
static int allow_values(struct sca_profile *p, const char *name, const struct sca_sysarg_rule *r, unsigned nf,
			const int *idx, const struct tuple *t, size_t n, FILE *ex)
{
	char what[256], comment[320];
	int rc;

	if (ex) {
		explain_head(ex, name);
		fprintf(ex, "only the values seen; why: %s\n", r->why);
	}
	for (size_t i = 0; i < n; i++) {
		struct sca_profile_arg args[SCA_SYSARG_FIELDS];
		for (unsigned f = 0; f < nf; f++)
			args[f] = (struct sca_profile_arg){ (unsigned)idx[f], r->field[f].mask, t[i].v[f],
							    SCMP_CMP_MASKED_EQ };
		tuple_str(r, nf, &t[i], what, sizeof(what));
		snprintf(comment, sizeof(comment), "sca: learnt: %s", what);
		if ((rc = add_cond_rule(p, name, args, nf, comment)))
			return rc;
		if (ex && !t[i].n[CLASS_EVENT])
			fprintf(ex, "sca profile-gen: explain:   %s: not seen, allowed: %s\n", what,
				implied_why(r, t[i].v[0]));
		else if (ex)
			fprintf(ex, "sca profile-gen: explain:   %s: %llu call%s\n", what,
				(unsigned long long)t[i].n[CLASS_EVENT], t[i].n[CLASS_EVENT] == 1 ? "" : "s");
	}
	return 0;
}

/* W^X: two rules, not executable or not writable; none if a mapping was both. */
static int allow_wx(struct sca_profile *p, const char *name, const struct sca_sysarg_rule *r, int idx,
		    const struct tuple *t, size_t n, FILE *ex, bool *done)
{
	uint64_t calls = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		calls += t[i].n[CLASS_EVENT];
		if ((t[i].v[0] & 0x6) == 0x6) {
			if (ex) {
				explain_head(ex, name);
				fprintf(ex, "any arguments: %llu call%s made a mapping writable and executable\n",
					(unsigned long long)t[i].n[CLASS_EVENT], t[i].n[CLASS_EVENT] == 1 ? "" : "s");
			}
			return 0;
		}
	}
	const struct sca_profile_arg noexec = { (unsigned)idx, 0x4, 0, SCMP_CMP_MASKED_EQ };
	const struct sca_profile_arg nowrite = { (unsigned)idx, 0x2, 0, SCMP_CMP_MASKED_EQ };
	if ((rc = add_cond_rule(p, name, &noexec, 1, "sca: learnt: W^X, not executable")) ||
	    (rc = add_cond_rule(p, name, &nowrite, 1, "sca: learnt: W^X, not writable")))
		return rc;
	if (ex) {
		explain_head(ex, name);
		fprintf(ex, "W^X, none of %llu call%s asked for memory both writable and executable; why: %s\n",
			(unsigned long long)calls, calls == 1 ? "" : "s", r->why);
	}
	*done = true;
	return 0;
}

/* Why A cannot give conditions, or NULL when it can; *NF: the fields a filter can check, then those it tells apart. */
static const char *why_not(const struct sca_gen_argset *a, struct tuple *t, size_t *n, unsigned *nf, char *buf,
			   size_t len)
{
	const struct sca_sysarg_rule *r = a->rule;
	uint64_t unknown = a->unknown[0] + a->unknown[1] + a->unknown[2];

	if (unknown) {
		snprintf(buf, len, "%llu call%s without known arguments (audit events carry none)",
			 (unsigned long long)unknown, unknown == 1 ? "" : "s");
		return buf;
	}
	if (a->overflow[0] || a->overflow[1] || a->overflow[2]) {
		snprintf(buf, len, "more than %d distinct values", ARGSET_MAX);
		return buf;
	}
	/* too many tuples: tell fewer fields apart (a socket's family without its type) */
	for (; *nf > 0; (*nf)--) {
		*n = project(a, *nf, t);
		if (r->kind == SCA_SYSARG_WX || *n <= r->max_values)
			return *n ? NULL : "no call counted";
	}
	snprintf(buf, len, "%zu distinct %ss, more than %u", project(a, 1, t), r->field[0].what, r->max_values);
	return buf;
}

/*
 * The leading fields of R a filter for every one of ARCHES can check, with
 * their argument in IDX; said on EXPLAIN where an arch stops them.
 */
static unsigned usable_fields(const struct sca_sysarg_rule *r, const char *name, const uint32_t *arches,
			      size_t narches, int *idx, FILE *explain)
{
	uint32_t bad = 0;
	unsigned n = 0;
	char an[32];

	while (n < r->nfields && (idx[n] = common_index(r, n, arches, narches, &bad)) >= 0)
		n++;
	if (n == r->nfields || !explain)
		return n;
	explain_head(explain, name);
	if (!n)
		fprintf(explain, "any arguments: the profile's arch %s has its %s elsewhere or out of a "
				 "filter's reach\n", sca_arch_name(bad, an, sizeof(an)), r->field[0].what);
	else
		fprintf(explain, "its %s is not checked: a filter for the profile's arch %s cannot\n",
			r->field[n].what, sca_arch_name(bad, an, sizeof(an)));
	return n;
}

int sca_gen_args__allow(struct sca_profile *p, const char *name, const struct sca_gen_argset *a,
			const uint32_t *arches, size_t narches, FILE *explain, bool *done)
{
	struct tuple t[ARGSET_MAX];
	int idx[SCA_SYSARG_FIELDS];
	size_t n = 0;
	unsigned nf;
	char why[128];
	const char *no;

	*done = false;
	if (!a || a->rule->deref)
		return 0;          /* no filter reads memory: clone3 is sca_gen_args__fold_clone3's */
	/* an arch whose filter cannot check a field leaves only the fields before it */
	if (!(nf = usable_fields(a->rule, name, arches, narches, idx, explain)))
		return 0;
	if ((no = why_not(a, t, &n, &nf, why, sizeof(why)))) {
		if (explain) {
			explain_head(explain, name);
			fprintf(explain, "any arguments: %s\n", no);
		}
		return 0;
	}
	if (a->rule->kind == SCA_SYSARG_WX)
		return allow_wx(p, name, a->rule, idx[0], t, n, explain, done);
	*done = true;
	if (nf == 1)
		n = add_implied(a->rule, t, n);
	return allow_values(p, name, a->rule, nf, idx, t, n, explain);
}

/* ---- clone3 ------------------------------------------------------------- */

static struct sca_gen_call *agg_find(struct sca_gen_call *agg, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (agg[i].name && !strcmp(agg[i].name, name))
			return &agg[i];
	return NULL;
}

/* Why clone could not stand in for A's calls (clone3's), or NULL. */
static const char *no_fallback(const struct sca_gen_argset *a, char *buf, size_t len)
{
	const uint64_t only_clone3 = 0xffffffff00000000ull | 0x80;   /* CLONE_NEWTIME, CLONE_INTO_CGROUP ... */
	uint64_t unknown = a->unknown[0] + a->unknown[1] + a->unknown[2];

	if (unknown) {
		snprintf(buf, len, "the flags of %llu call%s are not known", (unsigned long long)unknown,
			 unknown == 1 ? "" : "s");
		return buf;
	}
	if (a->overflow[0] || a->overflow[1] || a->overflow[2])
		return "too many distinct flags";
	for (size_t i = 0; i < a->ntuples; i++)
		if (tuple_calls(&a->t[i]) && (a->t[i].v[0] & only_clone3)) {
			snprintf(buf, len, "flags 0x%llx, which clone cannot carry",
				 (unsigned long long)(a->t[i].v[0] & only_clone3));
			return buf;
		}
	return NULL;
}

int sca_gen_args__fold_clone3(struct sca_gen_call *agg, size_t *nagg, FILE *explain, bool *enosys)
{
	static char clone_name[] = "clone";
	struct sca_gen_call *c3 = agg_find(agg, *nagg, "clone3"), *cl;
	char why[96];
	const char *no = "its flags are not known";
	int rc;

	*enosys = true;
	if (!c3 || (!c3->allowed && !c3->calls))
		return 0;          /* never ran: ENOSYS takes nothing from the workload */
	if (!c3->args || (no = no_fallback(c3->args, why, sizeof(why))) != NULL) {
		*enosys = false;
		if (explain)
			fprintf(explain, "sca profile-gen: explain: clone3: any arguments: %s; clone's conditions "
					 "do not bind it\n", no);
		return 0;
	}
	if (!(cl = agg_find(agg, *nagg, "clone"))) {
		/* in name order, clone before clone3 */
		size_t at = (size_t)(c3 - agg);
		memmove(&agg[at + 1], &agg[at], (*nagg - at) * sizeof(*agg));
		cl = &agg[at];
		c3 = &agg[at + 1];
		*cl = (struct sca_gen_call){ .group = c3->group, .arch = c3->arch, .name = clone_name };
		(*nagg)++;
	}
	if ((rc = set_get(&cl->args, sca_sysarg__find("clone"))))
		return rc;
	for (size_t i = 0; i < c3->args->ntuples; i++)
		for (int c = 0; c < NCLASS; c++)
			if (c3->args->t[i].n[c])
				set_count(cl->args, c3->args->t[i].v, c, c3->args->t[i].n[c]);
	cl->calls += c3->calls + c3->allowed;
	if (explain)
		fprintf(explain, "sca profile-gen: explain: clone3: its %llu call%s count as clone's: answered "
				 "ENOSYS, libc makes them as clone\n", (unsigned long long)(c3->calls + c3->allowed),
			c3->calls + c3->allowed == 1 ? "" : "s");
	return 0;
}

int sca_gen_args__clone3(struct sca_profile *p, bool enosys, FILE *explain)
{
	bool restricted = false;
	struct sca_profile_rule *rule;
	int rc;

	if (!enosys)
		return 0;
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sca_profile_rule *r = &p->rules[i];
		if (!sca_profile_rule__has_name(r, "clone"))
			continue;
		if (sca_profile_action__permissive(r->action) && !r->nargs)
			return 0;      /* clone with any flags: clone3 adds nothing */
		restricted |= sca_profile_action__permissive(r->action);
	}
	for (size_t i = 0; i < p->nrules; i++)
		if (sca_profile_rule__has_name(&p->rules[i], "clone3") &&
		    !sca_profile_action__permissive(p->rules[i].action) && !p->rules[i].nargs)
			restricted = false;    /* refused already: leave the base's answer */
	if (!restricted)
		return 0;
	for (size_t i = 0; i < p->nrules; i++)
		if (sca_profile_action__permissive(p->rules[i].action))
			sca_profile_rule__drop_name(&p->rules[i], "clone3");
	if (!(rule = sca_profile__add_rule(p, SCMP_ACT_ERRNO(0))))
		return -ENOMEM;
	rule->has_errno_ret = true;
	rule->errno_ret = ENOSYS_NR;
	if (!(rule->comment = strdup("sca: clone is allowed only with the flags seen; clone3's flags are out of a "
				     "filter's reach, so it answers ENOSYS and libc falls back to clone")))
		return -ENOMEM;
	if ((rc = sca_profile_rule__add_name(rule, "clone3")))
		return rc;
	if (explain)
		fputs("sca profile-gen: explain: clone3: errno ENOSYS: its flags are in memory, out of a "
		      "filter's reach; libc then falls back to clone, whose flags the profile checks\n",
		      explain);
	return 0;
}
