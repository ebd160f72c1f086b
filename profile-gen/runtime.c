/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * runtime.c - what a container profile must allow whatever one recording
 * showed: a runtime's init loads the container's filter and then makes a
 * few calls before it execs the workload (runc's Go init may take a signal,
 * wait on a futex, yield between the two), and any process that takes a
 * signal returns from its handler through rt_sigreturn (sigreturn on
 * i386) and resumes an interrupted sleep through restart_syscall. One
 * recording misses what happens only sometimes, and the default action
 * then kills the container at start. The runtimes' calls are measured
 * (scripts/runtime-needs.sh) and compiled in from profile-gen/runtime/.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "gen.h"
#include "profile.h"
#include "runtime_data.h"          /* generated from runtime/RUNTIME.txt: needs_runc, needs_crun */

/*
 * The kernel's own: rt_sigreturn ends every signal handler (the restorer
 * libc installs calls it); restart_syscall is what the kernel makes a
 * thread call when a signal interrupted nanosleep, clock_nanosleep, poll
 * or futex's wait with a timeout (-ERESTART_RESTARTBLOCK); sigreturn is
 * rt_sigreturn's i386 form, for handlers installed without SA_SIGINFO
 * (libseccomp skips it on arches that have none).
 */
static const char *const signal_needs[] = { "rt_sigreturn", "restart_syscall", "sigreturn", NULL };

enum { RT_RUNC = 1, RT_CRUN = 2, RT_ANY = RT_RUNC | RT_CRUN, RT_UNKNOWN = 4 };

static const struct {
	const char *name;
	unsigned kind;
	const char *const *needs;
} runtimes[] = {
	{ "runc", RT_RUNC, needs_runc },
	{ "crun", RT_CRUN, needs_crun },
};

struct sca_gen_runtimes {
	unsigned char *kind;       /* per group, RT_* */
	size_t cap;
};

/* What ran a container the trace says RUNTIME ran: Docker's and
 * containerd's state roots are runc's; anything else may be either. */
static unsigned kind_of(const char *runtime)
{
	if (!runtime)
		return RT_ANY | RT_UNKNOWN;
	if (!strcmp(runtime, "runc") || !strcmp(runtime, "docker") || !strcmp(runtime, "containerd"))
		return RT_RUNC;
	if (!strcmp(runtime, "crun"))
		return RT_CRUN;
	return RT_ANY | RT_UNKNOWN;
}

int sca_gen_runtime__note(struct sca_gen_set *s, int group, const char *runtime)
{
	struct sca_gen_runtimes *r = s->runtimes;
	size_t g = (size_t)group;

	if (!r && !(r = s->runtimes = calloc(1, sizeof(*r))))
		return -ENOMEM;
	if (g >= r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		while (cap <= g)
			cap *= 2;
		unsigned char *k = realloc(r->kind, cap);
		if (!k)
			return -ENOMEM;
		memset(k + r->cap, 0, cap - r->cap);
		r->kind = k;
		r->cap = cap;
	}
	r->kind[g] |= (unsigned char)kind_of(runtime);
	return 0;
}

void sca_gen_runtime__free(struct sca_gen_set *s)
{
	if (!s->runtimes)
		return;
	free(s->runtimes->kind);
	free(s->runtimes);
	s->runtimes = NULL;
}

const char *const *sca_gen_runtime__needs(const char *runtime)
{
	for (size_t i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++)
		if (runtime && !strcmp(runtimes[i].name, runtime))
			return runtimes[i].needs;
	return NULL;
}

/* Does GROUP (-1: any) have a call or event that counts? */
static bool has_calls(const struct sca_gen_set *s, int group)
{
	for (size_t i = 0; i < s->ncalls; i++) {
		const struct sca_gen_call *c = &s->calls[i];
		if (c->group == group && (c->allowed || c->denied || c->calls))
			return true;
	}
	return false;
}

/*
 * The runtimes of GROUP; for -1 (one profile of what the filters kept),
 * of every container, but none when the host's processes are in it too:
 * that is no container's profile. 0 for the host.
 */
static unsigned kinds_of(const struct sca_gen_set *s, int group)
{
	const struct sca_gen_runtimes *r = s->runtimes;
	unsigned k = 0;

	if (!r || group == 0 || (group < 0 && has_calls(s, 0)))
		return 0;
	for (size_t g = group < 0 ? 1 : (size_t)group; g < s->ngroups && g < r->cap; g++) {
		k |= r->kind[g];
		if (group > 0)
			break;
	}
	return k;
}

/* Did GROUP (-1: any) see NAME refused? Then the recording says it stays so. */
static bool seen_denied(const struct sca_gen_set *s, int group, const char *name)
{
	for (size_t i = 0; i < s->ncalls; i++) {
		const struct sca_gen_call *c = &s->calls[i];
		if ((group < 0 || c->group == group) && c->denied && c->name && !strcmp(c->name, name))
			return true;
	}
	return false;
}

/* Does a rule of P name NAME: a permissive one (*allows), or any? */
static bool decided(const struct sca_profile *p, const char *name, bool *allows)
{
	bool any = false;

	*allows = false;
	for (size_t r = 0; r < p->nrules; r++) {
		if (!sca_profile_rule__has_name(&p->rules[r], name))
			continue;
		any = true;
		*allows |= sca_profile_action__permissive(p->rules[r].action);
	}
	return any;
}

/* Does BASE let NAME through with any arguments, on any kernel, without a capability? */
static bool base_allows(const struct sca_profile *base, const char *name)
{
	if (sca_profile_action__permissive(base->default_action))
		return true;
	for (size_t r = 0; r < base->nrules; r++) {
		const struct sca_profile_rule *rule = &base->rules[r];
		if (sca_profile_action__permissive(rule->action) && sca_profile_rule__has_name(rule, name) &&
		    !rule->nargs && !sca_profile_rule__has_includes(rule))
			return true;
	}
	return false;
}

/* The runtimes in KINDS, as "runc, crun". */
static void kinds_str(unsigned kinds, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++)
		if (kinds & runtimes[i].kind)
			sca_gen__list_add(buf, len, runtimes[i].name);
}

struct adder {
	const struct sca_gen_set *s;
	int group;
	struct sca_profile *p;
	struct sca_profile_rule *allow;
	struct sca_profile *base;
	char added[512], kept[256], denied[256];
};

/* NAME into the allow rule unless a rule decides it already or the base does not allow it. */
static int add_one(struct adder *a, const char *name)
{
	bool allows;
	int rc;

	if (decided(a->p, name, &allows)) {
		if (!allows)
			sca_gen__list_add(a->kept, sizeof(a->kept), name);
		return 0;
	}
	if (seen_denied(a->s, a->group, name)) {
		sca_gen__list_add(a->denied, sizeof(a->denied), name);
		return 0;
	}
	if (a->base && !base_allows(a->base, name)) {
		sca_gen__list_add(a->kept, sizeof(a->kept), name);
		return 0;
	}
	if ((rc = sca_profile_rule__add_name(a->allow, name)))
		return rc;
	sca_gen__list_add(a->added, sizeof(a->added), name);
	return 0;
}

int sca_gen_runtime__add(struct sca_profile *p, size_t allow_idx, const struct sca_gen_set *s, int group,
			 const struct sca_gen_opts *o, FILE *notes)
{
	struct adder a = { .s = s, .group = group, .p = p, .allow = &p->rules[allow_idx] };
	unsigned kinds = kinds_of(s, group);
	char err[256], who[64];
	int rc = 0;

	if (!o->runtime_needs || !kinds || sca_profile_action__permissive(p->default_action))
		return 0;
	if (o->base && sca_profile__load(o->base, &a.base, err, sizeof(err))) {
		fprintf(notes, "sca profile-gen: note: the runtime's needs not added: %s\n", err);
		return 0;
	}
	for (size_t i = 0; !rc && signal_needs[i]; i++)
		rc = add_one(&a, signal_needs[i]);
	for (size_t r = 0; r < sizeof(runtimes) / sizeof(runtimes[0]); r++)
		for (size_t i = 0; !rc && (kinds & runtimes[r].kind) && runtimes[r].needs[i]; i++)
			rc = add_one(&a, runtimes[r].needs[i]);
	sca_profile__free(a.base);
	if (rc)
		return rc;
	if (!a.added[0] && !a.kept[0] && !a.denied[0])
		return 0;
	kinds_str(kinds, who, sizeof(who));
	fputs("sca profile-gen: ", notes);
	if (group > 0) {
		fputs("container ", notes);
		sca_esc_fput(notes, s->groups[group]);
		fputs(": ", notes);
	}
	fprintf(notes, "runtime needs (%s%s)", who, kinds & RT_UNKNOWN ? ": the runtime is not known, so both" : "");
	if (a.added[0])
		fprintf(notes, ": added %s", a.added);
	if (a.kept[0])
		fprintf(notes, "%s the base refuses %s", a.added[0] ? ";" : ":", a.kept);
	if (a.denied[0])
		fprintf(notes, "%s seen refused, so left refused: %s", a.added[0] || a.kept[0] ? ";" : ":", a.denied);
	fputs(" (what its init calls under the filter before exec, and signal return;"
	      " --no-runtime-needs leaves them out)\n", notes);
	return 0;
}
