/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The model back into documents: OCI seccomp JSON and the Security Profiles
 * Operator's SeccompProfile YAML, and the normal form that makes equal
 * profiles print the same bytes.
 *
 * Output is meant to live in git: keys in a fixed order, fixed indentation
 * (tabs in JSON, as Docker's default.json and `jq --tab` have it; two
 * spaces in YAML), one name per line, a trailing newline. The model is
 * checked before anything is written, so a profile that could not be read
 * back leaves the stream untouched.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "common/json.h"
#include "internal.h"

#define SPO_GROUP "security-profiles-operator.x-k8s.io/"

/* ---- checks ----------------------------------------------------------- */

/*
 * 0, -EINVAL for a missing string, -EILSEQ for one that is not UTF-8: the
 * parsers on the other side (jansson, libyaml) refuse it.
 */
static int check_str(const char *s, bool required)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	if (!s)
		return required ? -EINVAL : 0;
	for (; *u; u += n) {
		n = sca_utf8_decode(u, &cp);
		if (!n)
			return -EILSEQ;
	}
	return 0;
}

static int check_strv(char *const *v, size_t n)
{
	int ret;

	for (size_t i = 0; i < n; i++) {
		ret = check_str(v[i], true);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int check_cond(const struct sca_profile_cond *c)
{
	int ret = check_strv(c->caps, c->ncaps);

	if (ret == 0)
		ret = check_strv(c->arches, c->narches);
	if (ret == 0)
		ret = check_str(c->min_kernel, false);
	return ret;
}

static int check_arch(const struct sca_profile_arch *a)
{
	return sca_profile_arch__name(a->arch) ? 0 : -EINVAL;
}

/* Whatever the parser would refuse, or a writer could not spell, is refused here. */
static int check_profile(const struct sca_profile *p)
{
	unsigned flags = p->flags;
	int ret;

	if (!sca_profile_action__name(p->default_action))
		return -EINVAL;
	if (p->has_default_errno && p->default_errno > 0xffff)
		return -ERANGE;
	/* which arches apply would be unclear; the parser refuses both too */
	if (p->narches && p->narch_map)
		return -EINVAL;
	for (size_t i = 0; i < p->narches; i++)
		if (check_arch(&p->arches[i]) < 0)
			return -EINVAL;
	for (size_t i = 0; i < p->narch_map; i++) {
		if (check_arch(&p->arch_map[i].arch) < 0)
			return -EINVAL;
		for (size_t j = 0; j < p->arch_map[i].nsub; j++)
			if (check_arch(&p->arch_map[i].sub[j]) < 0)
				return -EINVAL;
	}
	while (flags) {
		unsigned bit = flags & -flags;

		if (!sca_profile_flag__name(bit))
			return -EINVAL;
		flags &= ~bit;
	}
	ret = check_str(p->listener_path, false);
	if (ret == 0)
		ret = check_str(p->listener_metadata, false);
	if (ret < 0)
		return ret;

	for (size_t i = 0; i < p->nrules; i++) {
		const struct sca_profile_rule *r = &p->rules[i];

		if (!sca_profile_rule__action_name(r))
			return -EINVAL;
		if (r->has_errno_ret && r->errno_ret > 0xffff)
			return -ERANGE;
		for (size_t j = 0; j < r->nargs; j++)
			if (r->args[j].index >= SCA_PROFILE_MAX_ARGS || !sca_profile_op__name(r->args[j].op))
				return -EINVAL;
		ret = check_strv(r->names, r->nnames);
		if (ret == 0)
			ret = check_str(r->comment, false);
		if (ret == 0)
			ret = check_cond(&r->includes);
		if (ret == 0)
			ret = check_cond(&r->excludes);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* ---- shared ----------------------------------------------------------- */

/* The default action as read, if that spelling still fits (SCMP_ACT_KILL). */
static const char *default_action_name(const struct sca_profile *p)
{
	uint32_t a;

	if (p->default_action_name && sca_profile_action__parse(p->default_action_name, &a) == 0 &&
	    a == (p->default_action & 0xffff0000u))
		return p->default_action_name;
	return sca_profile_action__name(p->default_action);
}

static bool cond_empty(const struct sca_profile_cond *c)
{
	return !c->ncaps && !c->narches && !c->min_kernel;
}

static bool has_comment(const struct sca_profile_rule *r)
{
	return r->comment && r->comment[0];
}

static void indent(FILE *f, char c, unsigned n)
{
	while (n--)
		fputc(c, f);
}

/*
 * stdio keeps a failed write in the stream's error flag; flush so that a
 * full disk is noticed here and not at the caller's fclose().
 */
static int finish(FILE *f)
{
	if (fflush(f) == EOF || ferror(f))
		return errno > 0 ? -errno : -EIO;
	return 0;
}

/* ---- OCI JSON --------------------------------------------------------- */

/* Start member KEY of the object at DEPTH; *FIRST tracks the comma. */
static void json_key(FILE *f, unsigned depth, bool *first, const char *key)
{
	fputs(*first ? "\n" : ",\n", f);
	*first = false;
	indent(f, '\t', depth);
	fprintf(f, "\"%s\": ", key);
}

/* Start item I of the list at DEPTH (its '[' written). */
static void json_item(FILE *f, unsigned depth, size_t i)
{
	fputs(i ? ",\n" : "\n", f);
	indent(f, '\t', depth + 1);
}

/* Close the object or list at DEPTH with N entries: "[]" when empty. */
static void json_close(FILE *f, unsigned depth, size_t n, char c)
{
	if (n) {
		fputc('\n', f);
		indent(f, '\t', depth);
	}
	fputc(c, f);
}

static void json_strv(FILE *f, unsigned depth, char *const *v, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		json_item(f, depth, i);
		sca_json_str(f, v[i]);
	}
	json_close(f, depth, n, ']');
}

static void json_arches(FILE *f, unsigned depth, const struct sca_profile_arch *a, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		json_item(f, depth, i);
		sca_json_str(f, sca_profile_arch__name(a[i].arch));
	}
	json_close(f, depth, n, ']');
}

static void json_archmap(FILE *f, unsigned depth, const struct sca_profile *p)
{
	fputc('[', f);
	for (size_t i = 0; i < p->narch_map; i++) {
		const struct sca_profile_archmap *m = &p->arch_map[i];
		bool first = true;

		json_item(f, depth, i);
		fputc('{', f);
		json_key(f, depth + 2, &first, "architecture");
		sca_json_str(f, sca_profile_arch__name(m->arch.arch));
		/* always there: Docker's struct has no omitempty on it */
		json_key(f, depth + 2, &first, "subArchitectures");
		json_arches(f, depth + 2, m->sub, m->nsub);
		json_close(f, depth + 1, 1, '}');
	}
	json_close(f, depth, p->narch_map, ']');
}

static void json_flags(FILE *f, unsigned depth, unsigned flags)
{
	size_t n = 0;

	fputc('[', f);
	/* bit order: the same flags always print the same way */
	for (unsigned bit = 1; bit && bit <= flags; bit <<= 1) {
		if (!(flags & bit))
			continue;
		json_item(f, depth, n++);
		sca_json_str(f, sca_profile_flag__name(bit));
	}
	json_close(f, depth, n, ']');
}

static void json_cond(FILE *f, unsigned depth, const struct sca_profile_cond *c)
{
	bool first = true;

	fputc('{', f);
	if (c->ncaps) {
		json_key(f, depth + 1, &first, "caps");
		json_strv(f, depth + 1, c->caps, c->ncaps);
	}
	if (c->narches) {
		json_key(f, depth + 1, &first, "arches");
		json_strv(f, depth + 1, c->arches, c->narches);
	}
	if (c->min_kernel) {
		json_key(f, depth + 1, &first, "minKernel");
		sca_json_str(f, c->min_kernel);
	}
	json_close(f, depth, !first, '}');
}

static void json_args(FILE *f, unsigned depth, const struct sca_profile_rule *r)
{
	fputc('[', f);
	for (size_t i = 0; i < r->nargs; i++) {
		const struct sca_profile_arg *a = &r->args[i];
		bool first = true;

		json_item(f, depth, i);
		fputc('{', f);
		json_key(f, depth + 2, &first, "index");
		fprintf(f, "%u", a->index);
		/* uint64 exactly: a double would round values above 2^53 */
		json_key(f, depth + 2, &first, "value");
		fprintf(f, "%" PRIu64, a->value);
		json_key(f, depth + 2, &first, "valueTwo");
		fprintf(f, "%" PRIu64, a->value_two);
		json_key(f, depth + 2, &first, "op");
		sca_json_str(f, sca_profile_op__name(a->op));
		json_close(f, depth + 1, 1, '}');
	}
	json_close(f, depth, r->nargs, ']');
}

static void json_rule(FILE *f, unsigned depth, const struct sca_profile_rule *r)
{
	bool first = true;

	fputc('{', f);
	json_key(f, depth + 1, &first, "names");
	json_strv(f, depth + 1, r->names, r->nnames);
	json_key(f, depth + 1, &first, "action");
	sca_json_str(f, sca_profile_rule__action_name(r));
	if (r->has_errno_ret) {
		json_key(f, depth + 1, &first, "errnoRet");
		fprintf(f, "%u", r->errno_ret);
	}
	if (r->nargs) {
		json_key(f, depth + 1, &first, "args");
		json_args(f, depth + 1, r);
	}
	if (has_comment(r)) {
		json_key(f, depth + 1, &first, "comment");
		sca_json_str(f, r->comment);
	}
	if (!cond_empty(&r->includes)) {
		json_key(f, depth + 1, &first, "includes");
		json_cond(f, depth + 1, &r->includes);
	}
	if (!cond_empty(&r->excludes)) {
		json_key(f, depth + 1, &first, "excludes");
		json_cond(f, depth + 1, &r->excludes);
	}
	json_close(f, depth, 1, '}');
}

int sca_profile__write_oci(const struct sca_profile *p, FILE *f)
{
	bool first = true;
	int ret;

	ret = check_profile(p);
	if (ret < 0)
		return ret;
	errno = 0;

	fputc('{', f);
	json_key(f, 1, &first, "defaultAction");
	sca_json_str(f, default_action_name(p));
	if (p->has_default_errno) {
		json_key(f, 1, &first, "defaultErrnoRet");
		fprintf(f, "%u", p->default_errno);
	}
	if (p->narch_map) {
		json_key(f, 1, &first, "archMap");
		json_archmap(f, 1, p);
	} else if (p->narches) {
		json_key(f, 1, &first, "architectures");
		json_arches(f, 1, p->arches, p->narches);
	}
	if (p->flags) {
		json_key(f, 1, &first, "flags");
		json_flags(f, 1, p->flags);
	}
	if (p->listener_path) {
		json_key(f, 1, &first, "listenerPath");
		sca_json_str(f, p->listener_path);
	}
	if (p->listener_metadata) {
		json_key(f, 1, &first, "listenerMetadata");
		sca_json_str(f, p->listener_metadata);
	}
	json_key(f, 1, &first, "syscalls");
	fputc('[', f);
	for (size_t i = 0; i < p->nrules; i++) {
		json_item(f, 1, i);
		json_rule(f, 2, &p->rules[i]);
	}
	json_close(f, 1, p->nrules, ']');
	json_close(f, 0, 1, '}');
	fputc('\n', f);
	return finish(f);
}

/* ---- SPO YAML --------------------------------------------------------- */

/*
 * S double-quoted: a name such as "on", "y", "null" or "0x10" stays a
 * string under YAML 1.1. Escaped are what the YAML reader refuses (C0/C1
 * controls, DEL, U+FFFE/U+FFFF), what it would fold as a line break (NEL,
 * U+2028, U+2029) and the BOM; the rest is UTF-8 as is (checked by
 * check_str()).
 */
static void yaml_str(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	fputc('"', f);
	for (; *u; u += n) {
		n = sca_utf8_decode(u, &cp);
		if (!n)
			break;
		if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (int)cp);
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			fprintf(f, "\\x%02x", (unsigned)cp);
		else if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
			fprintf(f, "\\u%04x", (unsigned)cp);
		else
			fwrite(u, 1, n, f);
	}
	fputc('"', f);
}

/* "KEY:" at DEPTH levels of two spaces. */
static void yaml_key(FILE *f, unsigned depth, const char *key)
{
	indent(f, ' ', 2 * depth);
	fprintf(f, "%s:", key);
}

/* "- " for a list item at DEPTH. */
static void yaml_item(FILE *f, unsigned depth)
{
	indent(f, ' ', 2 * depth);
	fputs("- ", f);
}

static void yaml_strv(FILE *f, unsigned depth, char *const *v, size_t n)
{
	if (!n) {
		fputs(" []\n", f);
		return;
	}
	fputc('\n', f);
	for (size_t i = 0; i < n; i++) {
		yaml_item(f, depth);
		yaml_str(f, v[i]);
		fputc('\n', f);
	}
}

static bool arch_listed(const uint32_t *v, size_t n, uint32_t arch)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == arch)
			return true;
	return false;
}

/*
 * SeccompProfile has no archMap: take every arch an entry names, once, in
 * order. Filters then cover all of them on every host, a superset of what
 * Docker picks for one host; the rules are the same on each. *V is NULL
 * when there are none.
 */
static int spo_arches(const struct sca_profile *p, uint32_t **v, size_t *n)
{
	size_t max = p->narches;

	*v = NULL;
	*n = 0;
	for (size_t i = 0; i < p->narch_map; i++)
		max += 1 + p->arch_map[i].nsub;
	if (!max)
		return 0;
	*v = calloc(max, sizeof(**v));
	if (!*v)
		return -ENOMEM;
	for (size_t i = 0; i < p->narches; i++)
		(*v)[(*n)++] = p->arches[i].arch;
	for (size_t i = 0; i < p->narch_map; i++) {
		const struct sca_profile_archmap *m = &p->arch_map[i];

		if (!arch_listed(*v, *n, m->arch.arch))
			(*v)[(*n)++] = m->arch.arch;
		for (size_t j = 0; j < m->nsub; j++)
			if (!arch_listed(*v, *n, m->sub[j].arch))
				(*v)[(*n)++] = m->sub[j].arch;
	}
	return 0;
}

/* TEXT as one YAML comment line at DEPTH: a line break in it would end the comment and start YAML. */
static void yaml_comment(FILE *f, unsigned depth, const char *text)
{
	indent(f, ' ', 2 * depth);
	fputs("# ", f);
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		fputc(*c < 0x20 || *c == 0x7f ? ' ' : *c, f);
	fputc('\n', f);
}

static void yaml_rule(FILE *f, const struct sca_profile_rule *r)
{
	/* why the rule is there: JSON's "comment", as a YAML comment */
	if (has_comment(r))
		yaml_comment(f, 2, r->comment);
	/* rules that held only under conditions now always hold: say so where it shows */
	if (sca_profile_rule__has_includes(r))
		fputs("    # includes/excludes left out: SeccompProfile has no such fields\n", f);
	yaml_item(f, 2);
	fprintf(f, "action: %s\n", sca_profile_rule__action_name(r));
	yaml_key(f, 3, "names");
	yaml_strv(f, 4, r->names, r->nnames);
	if (r->has_errno_ret) {
		yaml_key(f, 3, "errnoRet");
		fprintf(f, " %u\n", r->errno_ret);
	}
	if (r->nargs) {
		yaml_key(f, 3, "args");
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->nargs; i++) {
		const struct sca_profile_arg *a = &r->args[i];

		yaml_item(f, 4);
		fprintf(f, "index: %u\n", a->index);
		yaml_key(f, 5, "value");
		fprintf(f, " %" PRIu64 "\n", a->value);
		yaml_key(f, 5, "valueTwo");
		fprintf(f, " %" PRIu64 "\n", a->value_two);
		yaml_key(f, 5, "op");
		fprintf(f, " %s\n", sca_profile_op__name(a->op));
	}
}

static const char *const spo_api_names[] = {
	[SCA_PROFILE_SPO_V1] = "v1",
	[SCA_PROFILE_SPO_V1BETA1] = "v1beta1",
};

int sca_profile_spo_api__parse(const char *word, enum sca_profile_spo_api *api)
{
	for (size_t i = 0; i < sizeof(spo_api_names) / sizeof(spo_api_names[0]); i++) {
		if (strcmp(word, spo_api_names[i]) == 0) {
			*api = (enum sca_profile_spo_api)i;
			return 0;
		}
	}
	return -ENOENT;
}

const char *sca_profile_spo_api__name(enum sca_profile_spo_api api)
{
	return (size_t)api < sizeof(spo_api_names) / sizeof(spo_api_names[0]) ? spo_api_names[api] : NULL;
}

int sca_profile__write_spo(const struct sca_profile *p, const char *name, const char *ns, FILE *f)
{
	return sca_profile__write_spo_api(p, SCA_PROFILE_SPO_V1, name, ns, f);
}

int sca_profile__write_spo_api(const struct sca_profile *p, enum sca_profile_spo_api api,
			       const char *name, const char *ns, FILE *f)
{
	char dns[SCA_DNS_SUBDOMAIN_MAX + 1];
	uint32_t *arches = NULL;
	size_t narches = 0;
	int ret;

	/* a Kubernetes object needs a name: the one given, else the one read */
	if (!name)
		name = p->spo_name;
	ret = check_str(name, true);
	if (ret == 0) {
		/* one the API server takes ("../x" is none), which no path or terminal minds */
		sca_dns_name(dns, name, SCA_DNS_SUBDOMAIN_MAX);
		name = dns;
	}
	if (ret == 0 && !sca_profile_spo_api__name(api))
		ret = -EINVAL;
	/* the CRD is cluster-scoped: a v1 object has no namespace */
	if (api == SCA_PROFILE_SPO_V1)
		ns = NULL;
	if (ret == 0)
		ret = check_str(ns, false);
	if (ret == 0)
		ret = check_str(p->base_profile_name, false);
	if (ret == 0)
		ret = check_profile(p);
	if (ret == 0)
		ret = spo_arches(p, &arches, &narches);
	if (ret < 0)
		return ret;
	errno = 0;

	fprintf(f, "apiVersion: " SPO_GROUP "%s\n"
		"kind: SeccompProfile\n"
		"metadata:\n", sca_profile_spo_api__name(api));
	yaml_key(f, 1, "name");
	fputc(' ', f);
	yaml_str(f, name);
	fputc('\n', f);
	if (ns) {
		yaml_key(f, 1, "namespace");
		fputc(' ', f);
		yaml_str(f, ns);
		fputc('\n', f);
	}
	fputs("spec:\n", f);
	/*
	 * SeccompProfile has no defaultErrnoRet, so it is left out: runtimes
	 * then return EPERM. Only a different errno changes anything; that is
	 * noted in the file.
	 */
	if (p->has_default_errno && p->default_errno != EPERM &&
	    (p->default_action == SCMP_ACT_ERRNO(0) || p->default_action == SCMP_ACT_TRACE(0)))
		fprintf(f, "  # defaultErrnoRet %u left out: SeccompProfile has no such field (EPERM applies)\n",
			p->default_errno);
	yaml_key(f, 1, "defaultAction");
	fprintf(f, " %s\n", default_action_name(p));
	if (narches) {
		if (p->narch_map)
			fputs("  # archMap flattened: SeccompProfile has only architectures\n", f);
		yaml_key(f, 1, "architectures");
		fputc('\n', f);
		for (size_t i = 0; i < narches; i++) {
			yaml_item(f, 2);
			fprintf(f, "%s\n", sca_profile_arch__name(arches[i]));
		}
	}
	if (p->flags) {
		yaml_key(f, 1, "flags");
		fputc('\n', f);
		for (unsigned bit = 1; bit && bit <= p->flags; bit <<= 1) {
			if (!(p->flags & bit))
				continue;
			yaml_item(f, 2);
			fprintf(f, "%s\n", sca_profile_flag__name(bit));
		}
	}
	if (p->listener_path) {
		yaml_key(f, 1, "listenerPath");
		fputc(' ', f);
		yaml_str(f, p->listener_path);
		fputc('\n', f);
	}
	if (p->listener_metadata) {
		yaml_key(f, 1, "listenerMetadata");
		fputc(' ', f);
		yaml_str(f, p->listener_metadata);
		fputc('\n', f);
	}
	if (p->base_profile_name) {
		yaml_key(f, 1, "baseProfileName");
		fputc(' ', f);
		yaml_str(f, p->base_profile_name);
		fputc('\n', f);
	}
	/* the CRD's field for both versions; the older "disabled" is pruned by it */
	if (p->disabled)
		fputs("  state: Disabled\n", f);
	yaml_key(f, 1, "syscalls");
	fputs(p->nrules ? "\n" : " []\n", f);
	for (size_t i = 0; i < p->nrules; i++)
		yaml_rule(f, &p->rules[i]);
	free(arches);
	return finish(f);
}

/* ---- normal form ------------------------------------------------------ */

static int cmp_int(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* NULL (absent) first. */
static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return cmp_int(!!a, !!b);
	return strcmp(a, b);
}

static int cmp_pstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_strv(char *const *a, size_t na, char *const *b, size_t nb)
{
	int c;

	for (size_t i = 0; i < na && i < nb; i++) {
		c = strcmp(a[i], b[i]);
		if (c)
			return c;
	}
	return cmp_int((int64_t)na, (int64_t)nb);
}

static int cmp_cond(const struct sca_profile_cond *a, const struct sca_profile_cond *b)
{
	int c = cmp_strv(a->caps, a->ncaps, b->caps, b->ncaps);

	if (!c)
		c = cmp_strv(a->arches, a->narches, b->arches, b->narches);
	if (!c)
		c = cmp_str(a->min_kernel, b->min_kernel);
	return c;
}

static int cmp_arg(const void *x, const void *y)
{
	const struct sca_profile_arg *a = x, *b = y;

	if (a->index != b->index)
		return cmp_int(a->index, b->index);
	if (a->op != b->op)
		return cmp_int(a->op, b->op);
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->value_two != b->value_two)
		return a->value_two < b->value_two ? -1 : 1;
	return 0;
}

/* Action, errno, args: the start of both orders below. */
static int cmp_effect(const struct sca_profile_rule *a, const struct sca_profile_rule *b)
{
	uint32_t aa = a->action & 0xffff0000u, ba = b->action & 0xffff0000u;
	int c;

	/* as signed numbers actions sort the way the kernel ranks them: kills first, allow last */
	if (aa != ba)
		return cmp_int((int32_t)aa, (int32_t)ba);
	if (a->has_errno_ret != b->has_errno_ret)
		return cmp_int(a->has_errno_ret, b->has_errno_ret);
	if (a->errno_ret != b->errno_ret)
		return cmp_int(a->errno_ret, b->errno_ret);
	for (size_t i = 0; i < a->nargs && i < b->nargs; i++) {
		c = cmp_arg(&a->args[i], &b->args[i]);
		if (c)
			return c;
	}
	return cmp_int((int64_t)a->nargs, (int64_t)b->nargs);
}

/* The rest, so that no two different rules compare equal. */
static int cmp_extra(const struct sca_profile_rule *a, const struct sca_profile_rule *b)
{
	int c = cmp_cond(&a->includes, &b->includes);

	if (!c)
		c = cmp_cond(&a->excludes, &b->excludes);
	if (!c)
		c = cmp_str(a->comment, b->comment);
	if (!c)
		c = cmp_str(sca_profile_rule__action_name(a), sca_profile_rule__action_name(b));
	return c;
}

/* Rules that may become one are adjacent in this order. */
static int cmp_merge(const void *x, const void *y)
{
	const struct sca_profile_rule *a = x, *b = y;
	int c = cmp_effect(a, b);

	if (!c)
		c = cmp_extra(a, b);
	return c;
}

/* The written order: action, errno, args, then names. */
static int cmp_rule(const void *x, const void *y)
{
	const struct sca_profile_rule *a = x, *b = y;
	int c = cmp_effect(a, b);

	if (!c)
		c = cmp_strv(a->names, a->nnames, b->names, b->nnames);
	if (!c)
		c = cmp_extra(a, b);
	return c;
}

static void strv_normalize(char **v, size_t *n)
{
	size_t w = 0;

	if (*n < 2)
		return;
	qsort(v, *n, sizeof(*v), cmp_pstr);
	for (size_t i = 0; i < *n; i++) {
		if (w && strcmp(v[w - 1], v[i]) == 0)
			free(v[i]);
		else
			v[w++] = v[i];
	}
	*n = w;
}

/*
 * The rules are sets: names, includes/excludes caps and arches. Args are
 * sorted but kept even when repeated: two conditions on one argument make
 * runc add the rule once per condition, so dropping one could turn "either"
 * into "both".
 */
static void rule_normalize(struct sca_profile_rule *r)
{
	strv_normalize(r->names, &r->nnames);
	strv_normalize(r->includes.caps, &r->includes.ncaps);
	strv_normalize(r->includes.arches, &r->includes.narches);
	strv_normalize(r->excludes.caps, &r->excludes.ncaps);
	strv_normalize(r->excludes.arches, &r->excludes.narches);
	if (r->nargs > 1)
		qsort(r->args, r->nargs, sizeof(*r->args), cmp_arg);
	/* an empty comment is written as none, so keep it as none */
	if (r->comment && !r->comment[0]) {
		free(r->comment);
		r->comment = NULL;
	}
}

/* Move the names of rules (i, j) into rule i and free those rules; false on ENOMEM. */
static bool rules_merge(struct sca_profile *p, size_t i, size_t j)
{
	struct sca_profile_rule *r = &p->rules[i];
	size_t total = r->nnames;
	char **v;

	for (size_t k = i + 1; k < j; k++)
		total += p->rules[k].nnames;
	v = realloc(r->names, (total ? total : 1) * sizeof(*v));
	if (!v)
		return false;
	r->names = v;
	for (size_t k = i + 1; k < j; k++) {
		struct sca_profile_rule *o = &p->rules[k];

		if (o->nnames)
			memcpy(v + r->nnames, o->names, o->nnames * sizeof(*v));
		r->nnames += o->nnames;
		o->nnames = 0;
		profile_rule_free(o);
	}
	return true;
}

void sca_profile__normalize(struct sca_profile *p)
{
	size_t w = 0;

	for (size_t i = 0; i < p->nrules; i++)
		rule_normalize(&p->rules[i]);
	if (p->nrules < 2)
		return;

	qsort(p->rules, p->nrules, sizeof(*p->rules), cmp_merge);
	for (size_t i = 0, j; i < p->nrules; i = j) {
		for (j = i + 1; j < p->nrules && cmp_merge(&p->rules[i], &p->rules[j]) == 0; j++)
			;
		if (j - i > 1 && rules_merge(p, i, j)) {
			strv_normalize(p->rules[i].names, &p->rules[i].nnames);
			p->rules[w++] = p->rules[i];
		} else {
			/* nothing to merge, or no memory to: the rules stay apart, still valid */
			for (size_t k = i; k < j; k++)
				p->rules[w++] = p->rules[k];
		}
	}
	p->nrules = w;
	qsort(p->rules, p->nrules, sizeof(*p->rules), cmp_rule);
}
