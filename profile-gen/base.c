/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * base.c - a base profile resolved for what reads the profile (base.h):
 * Docker's includes/excludes evaluated for --caps, the native arch and
 * --kernel where the target cannot read them, rules left both refusing and
 * allowing a name settled for the refusal, a listenerPath the SPO CRD
 * forbids left out, a baseProfileName read from the file beside the base,
 * and names that are no syscall anywhere said.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base.h"
#include "common/action.h"
#include "common/escape.h"
#include "gen.h"
#include "profile.h"

/* The six kinds of Docker's conditions, in the order they are said. */
enum cond_kind { K_IN_CAPS, K_EX_CAPS, K_IN_ARCHES, K_EX_ARCHES, K_IN_KERNEL, K_EX_KERNEL, K_MAX };

static const char *const cond_kind_name[K_MAX] = {
	"includes caps", "excludes caps", "includes arches", "excludes arches",
	"includes minKernel", "excludes minKernel",
};

/* R with only its condition of kind K (none if it has none), for sca_profile_rule__applies(). */
static bool only_cond(const struct sca_profile_rule *r, int k, struct sca_profile_rule *t,
		      char *values, size_t len)
{
	const struct sca_profile_cond *c = k % 2 ? &r->excludes : &r->includes;
	struct sca_profile_cond *tc = k % 2 ? &t->excludes : &t->includes;

	memset(t, 0, sizeof(*t));
	if (k <= K_EX_CAPS && c->ncaps) {
		tc->caps = c->caps;
		tc->ncaps = c->ncaps;
		for (size_t i = 0; i < c->ncaps; i++)
			sca_gen__list_add(values, len, c->caps[i]);
		return true;
	}
	if ((k == K_IN_ARCHES || k == K_EX_ARCHES) && c->narches) {
		tc->arches = c->arches;
		tc->narches = c->narches;
		for (size_t i = 0; i < c->narches; i++)
			sca_gen__list_add(values, len, c->arches[i]);
		return true;
	}
	if (k >= K_IN_KERNEL && c->min_kernel) {
		tc->min_kernel = c->min_kernel;
		sca_gen__list_add(values, len, c->min_kernel);
		return true;
	}
	return false;
}


/* The environment the conditions are read in: the profile's native arch, --caps, --kernel. */
static int resolve_env(const struct sca_gen_set *s, const struct sca_gen_opts *o, struct sca_profile_env *env)
{
	int rc = sca_profile_env__host(env);

	env->native_arch = s->native_arch;
	env->caps = o->caps;
	if (o->has_kernel)
		memcpy(env->kernel, o->kernel, sizeof(env->kernel));
	return rc;
}

/* What a condition was read against, for the note on K. */
static void resolved_for(const struct sca_profile_env *env, const struct sca_gen_opts *o, int k, char *buf,
			 size_t len)
{
	const char *arch = sca_profile_arch__docker_name(env->native_arch);

	if (k <= K_EX_CAPS)
		snprintf(buf, len, o->caps ? "for the capabilities of --caps" : "none granted; --caps to grant");
	else if (k <= K_EX_ARCHES)
		snprintf(buf, len, "for %s, the native arch", arch ? arch : "an arch Docker has no word for");
	else
		snprintf(buf, len, "for kernel %u.%u%s", env->kernel[0], env->kernel[1],
			 o->has_kernel ? " of --kernel" : ", this host's; --kernel to change");
}

/*
 * Runtimes and the SPO CRD have no includes/excludes: a rule that holds
 * for the target loses them, the others go. Dropping them alone would let
 * every container do what Docker allows only some (mount with
 * CAP_SYS_ADMIN ...). Each kind is said in one line.
 */
static int resolve_conds(struct sca_profile *p, const struct sca_gen_set *s, const struct sca_gen_opts *o,
			 FILE *notes)
{
	unsigned kept[K_MAX] = { 0 }, left[K_MAX] = { 0 };
	char values[K_MAX][160] = { { 0 } }, how[96];
	struct sca_profile_env env;
	int rc;

	if ((rc = resolve_env(s, o, &env)))
		return rc;
	for (size_t i = 0; i < p->nrules;) {
		struct sca_profile_rule *r = &p->rules[i], t;

		if (!sca_profile_rule__has_includes(r)) {
			i++;
			continue;
		}
		for (int k = 0; k < K_MAX; k++)
			if (only_cond(r, k, &t, values[k], sizeof(values[k])))
				(sca_profile_rule__applies(&t, &env) ? kept : left)[k]++;
		if (sca_profile_rule__applies(r, &env)) {
			sca_profile_rule__clear_conds(r);
			i++;
		} else {
			sca_profile__remove_rule(p, i);
		}
	}
	for (int k = 0; k < K_MAX; k++) {
		if (!kept[k] && !left[k])
			continue;
		resolved_for(&env, o, k, how, sizeof(how));
		/* the base's words: a profile is input, escaped like every printed name */
		fprintf(notes, "sca profile-gen: resolved %s ", cond_kind_name[k]);
		sca_esc_fput(notes, values[k]);
		fprintf(notes, ": %u rule%s left out, %u kept (%s)\n", left[k], left[k] == 1 ? "" : "s",
			kept[k], how);
	}
	return 0;
}

/*
 * A name both refused and allowed without conditions: libseccomp keeps the
 * rule added first, Docker's readers differ; never the wider one.
 */
static void resolve_conflicts(struct sca_profile *p, FILE *notes)
{
	char names[256] = "";
	unsigned n = 0;

	for (size_t d = 0; d < p->nrules; d++) {
		const struct sca_profile_rule *deny = &p->rules[d];
		if (sca_profile_action__permissive(deny->action) || deny->nargs || sca_profile_rule__has_includes(deny))
			continue;
		for (size_t k = 0; k < deny->nnames; k++) {
			bool dropped = false;
			for (size_t a = 0; a < p->nrules; a++) {
				struct sca_profile_rule *allow = &p->rules[a];
				if (sca_profile_action__permissive(allow->action) && !allow->nargs && !sca_profile_rule__has_includes(allow))
					dropped |= sca_profile_rule__drop_name(allow, deny->names[k]);
			}
			if (dropped) {
				n++;
				sca_gen__list_add(names, sizeof(names), deny->names[k]);
			}
		}
	}
	sca_profile__drop_empty_rules(p);
	if (n) {
		fprintf(notes, "sca profile-gen: %u syscall%s both refused and allowed by the base without "
			       "conditions: refused (", n, n == 1 ? "" : "s");
		sca_esc_fput(notes, names);
		fputs(")\n", notes);
	}
}

/* Names in the base that no arch libseccomp knows has (a tracer's event names ...): kept, said once. */
static void warn_unknown_names(const struct sca_profile *p, FILE *notes)
{
	char names[256] = "";
	unsigned n = 0;

	for (size_t r = 0; r < p->nrules; r++)
		for (size_t i = 0; i < p->rules[r].nnames; i++)
			if (seccomp_syscall_resolve_name(p->rules[r].names[i]) == __NR_SCMP_ERROR) {
				size_t before = strlen(names);
				sca_gen__list_add(names, sizeof(names), p->rules[r].names[i]);
				n += strlen(names) != before || strstr(names, "...");
			}
	if (n) {
		fprintf(notes, "sca profile-gen: warning: the base names %u syscall%s this libseccomp knows on no "
			       "architecture (newer ones, or no syscalls at all): ", n, n == 1 ? "" : "s");
		sca_esc_fput(notes, names);
		fputs("; kept as they are\n", notes);
	}
}

/* The SPO CRD's listenerPath pattern: ^/var/run/security-profiles-operator/[a-zA-Z0-9_\-\.]+$ */
static bool spo_listener_ok(const char *path)
{
	static const char dir[] = "/var/run/security-profiles-operator/";
	const char *c = path + sizeof(dir) - 1;

	if (strncmp(path, dir, sizeof(dir) - 1) || !*c)
		return false;
	return strspn(c, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == strlen(c);
}

static void resolve_listener(struct sca_profile *p, const struct sca_gen_opts *o, FILE *notes)
{
	if (o->target != SCA_GEN_SPO || !p->listener_path || spo_listener_ok(p->listener_path))
		return;
	fputs("sca profile-gen: note: the base's listenerPath ", notes);
	sca_esc_fput(notes, p->listener_path);
	fprintf(notes, "%s is not one the SeccompProfile CRD accepts (a socket in "
		       "/var/run/security-profiles-operator/): left out of the SPO output\n",
		p->listener_metadata ? " and its listenerMetadata" : "");
	free(p->listener_path);
	free(p->listener_metadata);
	p->listener_path = p->listener_metadata = NULL;
}

/*
 * OCI JSON cannot name a base profile: an SPO base's baseProfileName is
 * read from a file of that name beside the base and its rules added (the
 * operator's union); without one the profile cannot be written.
 */
static int resolve_base_name(struct sca_profile *p, const struct sca_gen_opts *o, FILE *notes, char *err,
			     size_t errlen)
{
	static const char *const ext[] = { ".yaml", ".yml", ".json" };
	const char *slash = strrchr(o->base, '/');
	int dirlen = slash ? (int)(slash - o->base + 1) : 0;
	struct sca_profile *q = NULL;
	char path[4096], bn[SCA_ESC_SIZE(256)];
	int rc = -ENOENT;

	if (o->target == SCA_GEN_SPO || !p->base_profile_name)
		return 0;
	if (strchr(p->base_profile_name, '/') || !strcmp(p->base_profile_name, ".."))
		goto missing;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]) && rc == -ENOENT; i++) {
		snprintf(path, sizeof(path), "%.*s%s%s", dirlen, o->base, p->base_profile_name, ext[i]);
		if (access(path, F_OK) == 0)
			rc = sca_profile__load(path, &q, err, errlen);
	}
	if (rc == -ENOENT)
		goto missing;
	if (rc)
		return rc;
	struct sca_profile_rule *rules = realloc(p->rules, (p->nrules + q->nrules + 1) * sizeof(*rules));
	if (!rules) {
		sca_profile__free(q);
		return -ENOMEM;
	}
	p->rules = rules;
	memcpy(p->rules + p->nrules, q->rules, q->nrules * sizeof(*rules));
	p->nrules += q->nrules;
	q->nrules = 0;
	sca_profile__free(q);
	fputs("sca profile-gen: note: the base's baseProfileName ", notes);
	sca_esc_fput(notes, p->base_profile_name);
	fputs(" read from ", notes);
	sca_esc_fput(notes, path);
	fputs(": its rules added, as the operator does\n", notes);
	free(p->base_profile_name);
	p->base_profile_name = NULL;
	return 0;
missing:
	sca_esc(bn, sizeof(bn), p->base_profile_name);
	sca_esc(path, sizeof(path), o->base);
	snprintf(err, errlen, "%s: baseProfileName %s: no %s.yaml, .yml or .json beside it, and OCI JSON "
			      "cannot name a base profile (--format spo keeps it)", path, bn, bn);
	return -ENOENT;
}

int sca_gen_base__resolve(struct sca_profile *p, const struct sca_gen_set *s, const struct sca_gen_opts *o,
			FILE *notes, char *err, size_t errlen)
{
	int rc;

	if ((rc = resolve_base_name(p, o, notes, err, errlen)))
		return rc;
	warn_unknown_names(p, notes);
	resolve_listener(p, o, notes);
	if (o->target != SCA_GEN_DOCKER && (rc = resolve_conds(p, s, o, notes))) {
		snprintf(err, errlen, "resolving the base's includes/excludes: %s", strerror(-rc));
		return rc;
	}
	resolve_conflicts(p, notes);
	return 0;
}

