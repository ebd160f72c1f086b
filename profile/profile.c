/* SPDX-License-Identifier: BSD-2-Clause */
/* The profile model: memory, Docker's rule conditions, the libseccomp filter. */
#include <errno.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>

#include "internal.h"

int profile_err(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		/* messages quote the input; keep them one line whatever it holds */
		for (char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	return ret;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void profile_cond_free(struct sca_profile_cond *c)
{
	strv_free(c->caps, c->ncaps);
	strv_free(c->arches, c->narches);
	free(c->min_kernel);
}

void profile_rule_free(struct sca_profile_rule *r)
{
	strv_free(r->names, r->nnames);
	free(r->args);
	profile_cond_free(&r->includes);
	profile_cond_free(&r->excludes);
	free(r->comment);
}

void sca_profile__free(struct sca_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++)
		profile_rule_free(&p->rules[i]);
	free(p->rules);
	free(p->arches);
	for (size_t i = 0; i < p->narch_map; i++)
		free(p->arch_map[i].sub);
	free(p->arch_map);
	free(p->source);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p->api_version);
	free(p->spo_name);
	free(p->spo_namespace);
	free(p->base_profile_name);
	free(p);
}

/* ---- building in memory ---------------------------------------------- */

struct sca_profile *sca_profile__new(uint32_t default_action)
{
	struct sca_profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->default_action = default_action & 0xffff0000u;
	return p;
}

struct sca_profile_rule *sca_profile__add_rule(struct sca_profile *p, uint32_t action)
{
	struct sca_profile_rule *r;

	r = realloc(p->rules, (p->nrules + 1) * sizeof(*r));
	if (!r)
		return NULL;
	p->rules = r;
	r = &p->rules[p->nrules++];
	memset(r, 0, sizeof(*r));
	r->action = action & 0xffff0000u;
	return r;
}

int sca_profile_rule__add_name(struct sca_profile_rule *r, const char *name)
{
	char **v, *s;

	s = strdup(name);
	if (!s)
		return -ENOMEM;
	v = realloc(r->names, (r->nnames + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return -ENOMEM;
	}
	v[r->nnames++] = s;
	r->names = v;
	return 0;
}

bool sca_profile_rule__has_name(const struct sca_profile_rule *r, const char *name)
{
	for (size_t i = 0; i < r->nnames; i++)
		if (!strcmp(r->names[i], name))
			return true;
	return false;
}

bool sca_profile_rule__drop_name(struct sca_profile_rule *r, const char *name)
{
	for (size_t i = 0; i < r->nnames; i++)
		if (!strcmp(r->names[i], name)) {
			free(r->names[i]);
			memmove(&r->names[i], &r->names[i + 1], (r->nnames - i - 1) * sizeof(*r->names));
			r->nnames--;
			return true;
		}
	return false;
}

bool sca_profile_rule__has_includes(const struct sca_profile_rule *r)
{
	const struct sca_profile_cond *in = &r->includes, *ex = &r->excludes;

	return in->ncaps || in->narches || in->min_kernel || ex->ncaps || ex->narches || ex->min_kernel;
}

bool sca_profile_action__permissive(uint32_t action)
{
	return action == SCMP_ACT_ALLOW || action == SCMP_ACT_LOG;
}

int sca_profile_rule__add_arg(struct sca_profile_rule *r, const struct sca_profile_arg *arg)
{
	struct sca_profile_arg *a;

	if (arg->index >= SCA_PROFILE_MAX_ARGS || !sca_profile_op__name(arg->op))
		return -EINVAL;
	a = realloc(r->args, (r->nargs + 1) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	a[r->nargs++] = *arg;
	r->args = a;
	return 0;
}

int sca_profile__add_arch(struct sca_profile *p, uint32_t arch)
{
	struct sca_profile_arch *a;
	const char *name = sca_profile_arch__name(arch);

	if (!name)
		return -ENOENT;
	a = realloc(p->arches, (p->narches + 1) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	a[p->narches].arch = arch;
	a[p->narches].name = name;
	p->narches++;
	p->arches = a;
	return 0;
}

/* ---- actions --------------------------------------------------------- */

/* runc and crun: ERRNO and TRACE without a value return EPERM. */
static uint32_t scmp_action(uint32_t action, bool has_data, uint32_t data)
{
	action &= 0xffff0000u;
	if (action == SCMP_ACT_ERRNO(0))
		return SCMP_ACT_ERRNO(has_data ? data : EPERM);
	if (action == SCMP_ACT_TRACE(0))
		return SCMP_ACT_TRACE(has_data ? data : EPERM);
	return action;
}

uint32_t sca_profile__default_scmp_action(const struct sca_profile *p)
{
	return scmp_action(p->default_action, p->has_default_errno, p->default_errno);
}

uint32_t sca_profile_rule__scmp_action(const struct sca_profile_rule *r)
{
	return scmp_action(r->action, r->has_errno_ret, r->errno_ret);
}

/* ---- Docker's includes / excludes ------------------------------------ */

int sca_profile_env__host(struct sca_profile_env *env)
{
	struct utsname u;
	unsigned v[3];

	memset(env, 0, sizeof(*env));
	env->native_arch = seccomp_arch_native();
	/* Docker tests caps against the container's bounding set; ours is the closest */
	for (unsigned c = 0; c < 64; c++) {
		int r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
		if (r < 0)
			break;         /* EINVAL past the last capability this kernel has */
		if (r == 1)
			env->caps |= 1ull << c;
	}
	if (uname(&u) < 0)
		return -errno;
	if (profile_kernel_parse(u.release, v) == 0)
		memcpy(env->kernel, v, sizeof(v));
	return 0;
}

int sca_profile_kernel__parse(const char *s, unsigned v[3])
{
	return profile_kernel_parse(s, v);
}

static bool strv_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static bool env_has_cap(const struct sca_profile_env *env, const char *name)
{
	unsigned c;

	/* a capability this build does not know cannot be held */
	return sca_profile_cap__parse(name, &c) == 0 && (env->caps >> c & 1);
}

/* Whether the running kernel is at least MIN; malformed counts as not. */
static bool env_kernel_ge(const struct sca_profile_env *env, const char *min, bool *ok)
{
	unsigned v[3];

	*ok = profile_kernel_parse(min, v) == 0;
	if (!*ok)
		return false;
	for (int i = 0; i < 3; i++)
		if (env->kernel[i] != v[i])
			return env->kernel[i] > v[i];
	return true;
}

bool sca_profile_rule__applies(const struct sca_profile_rule *r, const struct sca_profile_env *env)
{
	const char *arch = sca_profile_arch__docker_name(env->native_arch);
	const struct sca_profile_cond *ex = &r->excludes, *in = &r->includes;
	bool ok;

	/* the order and the any/all logic follow Docker's setupSeccomp() */
	if (ex->narches && arch && strv_has(ex->arches, ex->narches, arch))
		return false;
	for (size_t i = 0; i < ex->ncaps; i++)
		if (env_has_cap(env, ex->caps[i]))
			return false;
	if (ex->min_kernel && (env_kernel_ge(env, ex->min_kernel, &ok) || !ok))
		return false;
	if (in->narches && (!arch || !strv_has(in->arches, in->narches, arch)))
		return false;
	for (size_t i = 0; i < in->ncaps; i++)
		if (!env_has_cap(env, in->caps[i]))
			return false;
	if (in->min_kernel && !env_kernel_ge(env, in->min_kernel, &ok))
		return false;
	return true;
}

size_t sca_profile__filter_arches(const struct sca_profile *p, uint32_t native,
				  uint32_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < p->narches; i++, n++)
		if (n < max)
			out[n] = p->arches[i].arch;
	for (size_t i = 0; i < p->narch_map; i++) {
		const struct sca_profile_archmap *m = &p->arch_map[i];

		if (m->arch.arch != native)
			continue;
		if (n < max)
			out[n] = m->arch.arch;
		n++;
		for (size_t j = 0; j < m->nsub; j++, n++)
			if (n < max)
				out[n] = m->sub[j].arch;
		break;
	}
	return n;
}

/* ---- the filter ------------------------------------------------------ */

struct build {
	const struct sca_profile *p;
	scmp_filter_ctx ctx;
	struct sca_profile_build_stats *st;
	char *err;
	size_t errlen;
};

static const char *src_name(const struct sca_profile *p)
{
	return p->source ? p->source : "profile";
}

/* "FILE:LINE" for a rule read from a file, "FILE" for one built in memory */
/*
 * Where rule R (the RI-th of P as built) is, for messages: its source's
 * file, line and place in "syscalls" (which sorting and merging do not
 * change), or its place in a profile built in memory.
 */
static const char *rule_at(const struct sca_profile *p, const struct sca_profile_rule *r, size_t ri,
			   char *buf, size_t n)
{
	if (r->line && r->src_index)
		snprintf(buf, n, "%s:%u: syscalls[%u]", src_name(p), r->line, r->src_index - 1);
	else if (r->src_index)
		snprintf(buf, n, "%s: syscalls[%u]", src_name(p), r->src_index - 1);
	else
		snprintf(buf, n, "%s: rule %zu of the profile built", src_name(p), ri + 1);
	return buf;
}

static int build_flags(struct build *b)
{
	static const struct {
		unsigned flag;
		enum scmp_filter_attr attr;
	} map[] = {
		{ SECCOMP_FILTER_FLAG_TSYNC, SCMP_FLTATR_CTL_TSYNC },
		{ SECCOMP_FILTER_FLAG_LOG, SCMP_FLTATR_CTL_LOG },
		{ SECCOMP_FILTER_FLAG_SPEC_ALLOW, SCMP_FLTATR_CTL_SSB },
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
		{ SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, SCMP_FLTATR_CTL_WAITKILL },
#endif
	};
	unsigned left = b->p->flags;
	int ret;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!(left & map[i].flag))
			continue;
		left &= ~map[i].flag;
		ret = seccomp_attr_set(b->ctx, map[i].attr, 1);
		if (ret < 0)
			return profile_err(b->err, b->errlen, ret, "%s: flag %s: %s", src_name(b->p),
					   sca_profile_flag__name(map[i].flag), strerror(-ret));
	}
	if (left) {
		unsigned bit = left & -left;
		const char *name = sca_profile_flag__name(bit);

		return profile_err(b->err, b->errlen, -EOPNOTSUPP,
				   "%s: flag %s is not supported by libseccomp %d.%d",
				   src_name(b->p), name ? name : "?", SCMP_VER_MAJOR, SCMP_VER_MINOR);
	}
	return 0;
}

static int build_rule(struct build *b, size_t ri, uint32_t act)
{
	const struct sca_profile_rule *r = &b->p->rules[ri];
	unsigned per_arg[SCA_PROFILE_MAX_ARGS] = { 0 };
	struct scmp_arg_cmp *cmp = NULL;
	char at[PATH_MAX + 16];
	bool split = false;
	int ret = 0;

	if (r->nargs) {
		cmp = calloc(r->nargs, sizeof(*cmp));
		if (!cmp)
			return profile_err(b->err, b->errlen, -ENOMEM, "%s: out of memory", src_name(b->p));
	}
	for (size_t i = 0; i < r->nargs; i++) {
		const struct sca_profile_arg *a = &r->args[i];

		if (a->index >= SCA_PROFILE_MAX_ARGS) {
			ret = profile_err(b->err, b->errlen, -EINVAL,
					  "%s: args[%zu]: index %u out of range 0-5",
					  rule_at(b->p, r, ri, at, sizeof(at)), i, a->index);
			goto cleanup;
		}
		cmp[i] = (struct scmp_arg_cmp){ a->index, a->op, a->value, a->value_two };
		if (++per_arg[a->index] > 1)
			split = true;
	}

	for (size_t n = 0; n < r->nnames; n++) {
		int nr = seccomp_syscall_resolve_name(r->names[n]);

		/* libseccomp's table spans every arch: no number here means no arch has it */
		if (nr == __NR_SCMP_ERROR) {
			b->st->names_unknown++;
			continue;
		}
		if (!split) {
			ret = seccomp_rule_add_array(b->ctx, act, nr, (unsigned)r->nargs, cmp);
		} else {
			/* runc's reading: conditions on one argument are alternatives */
			for (size_t i = 0; i < r->nargs && !ret; i++)
				ret = seccomp_rule_add_array(b->ctx, act, nr, 1, &cmp[i]);
		}
		if (ret < 0) {
			profile_err(b->err, b->errlen, ret, "%s: %s: cannot add rule: %s",
				    rule_at(b->p, r, ri, at, sizeof(at)), r->names[n], strerror(-ret));
			goto cleanup;
		}
	}

cleanup:
	free(cmp);
	return ret;
}

int sca_profile__build_env(const struct sca_profile *p, const struct sca_profile_env *env,
			   scmp_filter_ctx *ctx, struct sca_profile_build_stats *st,
			   char *err, size_t errlen)
{
	struct sca_profile_build_stats dummy;
	struct sca_profile_env host;
	struct build b = { .p = p, .st = st ? st : &dummy, .err = err, .errlen = errlen };
	uint32_t def, *arches = NULL;
	size_t narch;
	int ret;

	*ctx = NULL;
	memset(b.st, 0, sizeof(*b.st));
	if (!env) {
		ret = sca_profile_env__host(&host);
		if (ret < 0)
			return profile_err(err, errlen, ret, "%s: cannot read the host's kernel version: %s",
					   src_name(p), strerror(-ret));
		env = &host;
	}

	def = sca_profile__default_scmp_action(p);
	b.ctx = seccomp_init(def);
	if (!b.ctx) {
		const char *name = sca_profile_action__name(def);

		return profile_err(err, errlen, -EINVAL, "%s: libseccomp refuses default action %s",
				   src_name(p), name ? name : "?");
	}

	narch = sca_profile__filter_arches(p, env->native_arch, NULL, 0);
	if (narch) {
		arches = calloc(narch, sizeof(*arches));
		if (!arches) {
			ret = profile_err(err, errlen, -ENOMEM, "%s: out of memory", src_name(p));
			goto cleanup;
		}
		sca_profile__filter_arches(p, env->native_arch, arches, narch);
	}
	for (size_t i = 0; i < narch; i++) {
		ret = seccomp_arch_add(b.ctx, arches[i]);
		if (ret == -EEXIST)
			continue;  /* the native arch, or listed twice */
		if (ret == -EINVAL) {
			/* an arch this libseccomp cannot build for can run nothing here either */
			b.st->arches_unsupported++;
			continue;
		}
		if (ret < 0) {
			ret = profile_err(err, errlen, ret, "%s: architecture %s: %s", src_name(p),
					  sca_profile_arch__name(arches[i]), strerror(-ret));
			goto cleanup;
		}
	}

	ret = build_flags(&b);
	if (ret < 0)
		goto cleanup;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct sca_profile_rule *r = &p->rules[i];
		uint32_t act;

		if (!sca_profile_rule__applies(r, env)) {
			b.st->rules_excluded++;
			continue;
		}
		act = sca_profile_rule__scmp_action(r);
		/* libseccomp refuses rules that repeat the default; they change nothing */
		if (act == def) {
			b.st->rules_default++;
			continue;
		}
		ret = build_rule(&b, i, act);
		if (ret < 0)
			goto cleanup;
	}

	free(arches);
	*ctx = b.ctx;
	return 0;

cleanup:
	free(arches);
	seccomp_release(b.ctx);
	return ret;
}

int sca_profile__build(const struct sca_profile *p, scmp_filter_ctx *ctx, unsigned *skipped,
		       char *err, size_t errlen)
{
	struct sca_profile_build_stats st;
	int ret;

	ret = sca_profile__build_env(p, NULL, ctx, &st, err, errlen);
	if (skipped)
		*skipped = ret < 0 ? 0 : st.names_unknown;
	return ret;
}

void sca_profile__remove_rule(struct sca_profile *p, size_t i)
{
	profile_rule_free(&p->rules[i]);
	memmove(&p->rules[i], &p->rules[i + 1], (p->nrules - i - 1) * sizeof(*p->rules));
	p->nrules--;
}

void sca_profile__drop_empty_rules(struct sca_profile *p)
{
	for (size_t r = 0; r < p->nrules;) {
		if (p->rules[r].nnames)
			r++;
		else
			sca_profile__remove_rule(p, r);
	}
}

void sca_profile_rule__clear_conds(struct sca_profile_rule *r)
{
	profile_cond_free(&r->includes);
	profile_cond_free(&r->excludes);
	memset(&r->includes, 0, sizeof(r->includes));
	memset(&r->excludes, 0, sizeof(r->excludes));
}

void sca_profile__clear_arches(struct sca_profile *p)
{
	free(p->arches);
	for (size_t i = 0; i < p->narch_map; i++)
		free(p->arch_map[i].sub);
	free(p->arch_map);
	p->arches = NULL;
	p->arch_map = NULL;
	p->narches = p->narch_map = 0;
}
