/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Profile documents into the model: OCI / Docker seccomp JSON and SPO
 * SeccompProfile, in JSON or YAML.
 *
 * Leniency follows the runtimes that read these files (Go's encoding/json):
 * unknown keys are ignored, null is "absent", keys match case-insensitively
 * when no key matches exactly, and a repeated key's last value wins.
 *
 * SeccompProfile is read in each version the operator has served: v1 (since
 * SPO 1.0, cluster-scoped), v1beta1 and v1alpha1. Their specs differ only
 * in how a profile is switched off: "state: Disabled" in the current CRD,
 * "disabled: true" before. A YAML file of several documents (kubectl's
 * "---") holds the profile to read among other objects: the one
 * SeccompProfile, or the one the caller names.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define SPO_GROUP "security-profiles-operator.x-k8s.io/"

struct dec {
	const char *name;
	enum sca_profile_syntax syntax;
	char *err;
	size_t errlen;
	char path[256];            /* the field being read: syscalls[2].action */
	size_t plen;
};

/* Extend the field path; returns the mark to restore with path_pop(). */
__attribute__((format(printf, 2, 3)))
static size_t path_push(struct dec *d, const char *fmt, ...)
{
	size_t mark = d->plen;
	va_list ap;
	int n;

	if (d->plen >= sizeof(d->path) - 1)
		return mark;
	va_start(ap, fmt);
	n = vsnprintf(d->path + d->plen, sizeof(d->path) - d->plen, fmt, ap);
	va_end(ap);
	if (n > 0)
		d->plen += (size_t)n < sizeof(d->path) - d->plen ? (size_t)n : sizeof(d->path) - d->plen - 1;
	return mark;
}

static void path_pop(struct dec *d, size_t mark)
{
	d->plen = mark;
	d->path[mark] = 0;
}

static size_t push_key(struct dec *d, const char *key)
{
	return path_push(d, d->plen ? ".%s" : "%s", key);
}

/* "NAME:LINE: PATH: message", -EINVAL */
__attribute__((format(printf, 3, 4)))
static int bad(struct dec *d, const struct node *at, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return profile_err(d->err, d->errlen, -EINVAL, "%s:%u: %s%s%s", d->name, at->line,
			   d->path, d->plen ? ": " : "", msg);
}

static const char *type_name(const struct dec *d, const struct node *n)
{
	bool json = d->syntax == SCA_PROFILE_JSON;

	switch (n->type) {
	case NODE_NULL: return "null";
	case NODE_BOOL: return "a boolean";
	case NODE_INT: return "an integer";
	case NODE_REAL: return "a fractional number";
	case NODE_STR: return "a string";
	case NODE_MAP: return json ? "an object" : "a mapping";
	case NODE_SEQ: return json ? "an array" : "a list";
	}
	return "?";
}

static int want(struct dec *d, const struct node *n, enum node_type type)
{
	static const char *const json[] = { "null", "a boolean", "an integer", "a number",
					    "a string", "an object", "an array" };
	static const char *const yaml[] = { "null", "a boolean", "an integer", "a number",
					    "a string", "a mapping", "a list" };

	if (n->type == type)
		return 0;
	return bad(d, n, "expected %s, got %s",
		   (d->syntax == SCA_PROFILE_JSON ? json : yaml)[type], type_name(d, n));
}

/* KEY's value in map M, or NULL when absent or null. */
static const struct node *map_get(const struct node *m, const char *key)
{
	const struct node *exact = NULL, *fold = NULL;

	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->keys[i], key) == 0)
			exact = m->kids[i];
		else if (strcasecmp(m->keys[i], key) == 0)
			fold = m->kids[i];
	}
	if (!exact)
		exact = fold;
	return exact && exact->type != NODE_NULL ? exact : NULL;
}

static int dup_str(struct dec *d, const struct node *n, char **out)
{
	char *s;
	int ret = want(d, n, NODE_STR);

	if (ret < 0)
		return ret;
	s = strdup(n->s);
	if (!s)
		return profile_err(d->err, d->errlen, -ENOMEM, "%s: out of memory", d->name);
	free(*out);
	*out = s;
	return 0;
}

/* Optional string KEY of M into *out (replacing what is there). */
static int get_str(struct dec *d, const struct node *m, const char *key, char **out)
{
	const struct node *n = map_get(m, key);
	size_t mark;
	int ret;

	if (!n)
		return 0;
	mark = push_key(d, key);
	ret = dup_str(d, n, out);
	path_pop(d, mark);
	return ret;
}

static int get_uint(struct dec *d, const struct node *m, const char *key, uint64_t max,
		    uint64_t *out, bool *has)
{
	const struct node *n = map_get(m, key);
	size_t mark;
	int ret = 0;

	if (!n)
		return 0;
	mark = push_key(d, key);
	if (n->type == NODE_INT && n->neg)
		ret = bad(d, n, "%s is negative", n->s);
	else if (n->type == NODE_INT && (n->big || n->u > max))
		ret = bad(d, n, "%s is out of range 0-%llu", n->s, (unsigned long long)max);
	else
		ret = want(d, n, NODE_INT);
	if (ret == 0) {
		*out = n->u;
		if (has)
			*has = true;
	}
	path_pop(d, mark);
	return ret;
}

static int get_bool(struct dec *d, const struct node *m, const char *key, bool *out)
{
	const struct node *n = map_get(m, key);
	size_t mark;
	int ret;

	if (!n)
		return 0;
	mark = push_key(d, key);
	ret = want(d, n, NODE_BOOL);
	if (ret == 0)
		*out = n->b;
	path_pop(d, mark);
	return ret;
}

/* Optional list of strings KEY of M. */
static int get_strv(struct dec *d, const struct node *m, const char *key, char ***v, size_t *nv)
{
	const struct node *n = map_get(m, key);
	size_t mark;
	int ret;

	if (!n)
		return 0;
	mark = push_key(d, key);
	ret = want(d, n, NODE_SEQ);
	if (ret < 0)
		goto cleanup;
	*v = calloc(n->n ? n->n : 1, sizeof(**v));
	if (!*v) {
		ret = profile_err(d->err, d->errlen, -ENOMEM, "%s: out of memory", d->name);
		goto cleanup;
	}
	for (size_t i = 0; i < n->n; i++) {
		size_t m2 = path_push(d, "[%zu]", i);

		ret = dup_str(d, n->kids[i], &(*v)[i]);
		path_pop(d, m2);
		if (ret < 0)
			goto cleanup;
		(*nv)++;
	}
cleanup:
	path_pop(d, mark);
	return ret;
}

/* Optional list or map KEY of M; *out NULL when absent. */
static int get_node(struct dec *d, const struct node *m, const char *key, enum node_type type,
		    const struct node **out)
{
	const struct node *n = map_get(m, key);
	size_t mark;
	int ret;

	*out = NULL;
	if (!n)
		return 0;
	mark = push_key(d, key);
	ret = want(d, n, type);
	path_pop(d, mark);
	if (ret == 0)
		*out = n;
	return ret;
}

static int missing(struct dec *d, const struct node *m, const char *key)
{
	size_t mark = push_key(d, key);
	int ret = bad(d, m, "missing");

	path_pop(d, mark);
	return ret;
}

static int get_action(struct dec *d, const struct node *m, const char *key, uint32_t *act,
		      const char **spelling)
{
	const struct node *n = map_get(m, key);
	size_t mark;
	int ret;

	if (!n)
		return missing(d, m, key);
	mark = push_key(d, key);
	ret = want(d, n, NODE_STR);
	if (ret == 0 && sca_profile_action__parse(n->s, act) < 0)
		ret = bad(d, n, "unknown action \"%s\"", n->s);
	/* keep the alias the file used, so that it is written back the same */
	if (ret == 0)
		*spelling = strcmp(n->s, "SCMP_ACT_KILL") == 0 ? "SCMP_ACT_KILL" :
			    sca_profile_action__name(*act);
	path_pop(d, mark);
	return ret;
}

static int arch_of(struct dec *d, const struct node *n, struct sca_profile_arch *a)
{
	int ret = want(d, n, NODE_STR);

	if (ret < 0)
		return ret;
	if (sca_profile_arch__parse(n->s, &a->arch) < 0)
		return bad(d, n, "unknown architecture \"%s\"", n->s);
	a->name = sca_profile_arch__name(a->arch);
	return 0;
}

static int get_arches(struct dec *d, const struct node *m, const char *key,
		      struct sca_profile_arch **out, size_t *nout)
{
	const struct node *n;
	size_t mark;
	int ret;

	ret = get_node(d, m, key, NODE_SEQ, &n);
	if (ret < 0 || !n)
		return ret;
	*out = calloc(n->n ? n->n : 1, sizeof(**out));
	if (!*out)
		return profile_err(d->err, d->errlen, -ENOMEM, "%s: out of memory", d->name);
	mark = push_key(d, key);
	for (size_t i = 0; i < n->n; i++) {
		size_t m2 = path_push(d, "[%zu]", i);

		ret = arch_of(d, n->kids[i], &(*out)[i]);
		path_pop(d, m2);
		if (ret < 0)
			break;
		(*nout)++;
	}
	path_pop(d, mark);
	return ret;
}

static int dec_archmap(struct dec *d, const struct node *m, struct sca_profile *p)
{
	const struct node *n, *a;
	size_t mark;
	int ret;

	ret = get_node(d, m, "archMap", NODE_SEQ, &n);
	if (ret < 0 || !n)
		return ret;
	p->arch_map = calloc(n->n ? n->n : 1, sizeof(*p->arch_map));
	if (!p->arch_map)
		return profile_err(d->err, d->errlen, -ENOMEM, "%s: out of memory", d->name);
	mark = push_key(d, "archMap");
	for (size_t i = 0; i < n->n && ret == 0; i++) {
		struct sca_profile_archmap *e = &p->arch_map[i];
		size_t m2 = path_push(d, "[%zu]", i);

		ret = want(d, n->kids[i], NODE_MAP);
		if (ret == 0) {
			p->narch_map++;
			a = map_get(n->kids[i], "architecture");
			if (!a) {
				ret = missing(d, n->kids[i], "architecture");
			} else {
				size_t m3 = push_key(d, "architecture");

				ret = arch_of(d, a, &e->arch);
				path_pop(d, m3);
			}
		}
		if (ret == 0)
			ret = get_arches(d, n->kids[i], "subArchitectures", &e->sub, &e->nsub);
		path_pop(d, m2);
	}
	path_pop(d, mark);
	return ret;
}

static int dec_flags(struct dec *d, const struct node *m, unsigned *flags)
{
	const struct node *n;
	size_t mark;
	int ret;

	ret = get_node(d, m, "flags", NODE_SEQ, &n);
	if (ret < 0 || !n)
		return ret;
	mark = push_key(d, "flags");
	for (size_t i = 0; i < n->n && ret == 0; i++) {
		const struct node *f = n->kids[i];
		size_t m2 = path_push(d, "[%zu]", i);
		unsigned bit;

		ret = want(d, f, NODE_STR);
		if (ret == 0 && sca_profile_flag__parse(f->s, &bit) < 0)
			ret = bad(d, f, "unknown flag \"%s\"", f->s);
		if (ret == 0)
			*flags |= bit;
		path_pop(d, m2);
	}
	path_pop(d, mark);
	return ret;
}

static int dec_arg(struct dec *d, const struct node *m, struct sca_profile_arg *a)
{
	const struct node *op;
	uint64_t v = 0;
	size_t mark;
	int ret;

	ret = want(d, m, NODE_MAP);
	if (ret < 0)
		return ret;
	/* Go reads an absent index as 0, and so do runc and Docker */
	ret = get_uint(d, m, "index", UINT64_MAX, &v, NULL);
	if (ret < 0)
		return ret;
	if (v >= SCA_PROFILE_MAX_ARGS) {
		mark = push_key(d, "index");
		ret = bad(d, map_get(m, "index"), "index %llu out of range 0-%d",
			  (unsigned long long)v, SCA_PROFILE_MAX_ARGS - 1);
		path_pop(d, mark);
		return ret;
	}
	a->index = (unsigned)v;
	ret = get_uint(d, m, "value", UINT64_MAX, &a->value, NULL);
	if (ret == 0)
		ret = get_uint(d, m, "valueTwo", UINT64_MAX, &a->value_two, NULL);
	if (ret < 0)
		return ret;
	op = map_get(m, "op");
	if (!op)
		return missing(d, m, "op");
	mark = push_key(d, "op");
	ret = want(d, op, NODE_STR);
	if (ret == 0 && sca_profile_op__parse(op->s, &a->op) < 0)
		ret = bad(d, op, "unknown operator \"%s\"", op->s);
	path_pop(d, mark);
	return ret;
}

static int dec_cond(struct dec *d, const struct node *m, const char *key, struct sca_profile_cond *c)
{
	const struct node *n, *mk;
	unsigned v[3];
	size_t mark;
	int ret;

	ret = get_node(d, m, key, NODE_MAP, &n);
	if (ret < 0 || !n)
		return ret;
	mark = push_key(d, key);
	ret = get_strv(d, n, "caps", &c->caps, &c->ncaps);
	if (ret == 0)
		ret = get_strv(d, n, "arches", &c->arches, &c->narches);
	if (ret == 0)
		ret = get_str(d, n, "minKernel", &c->min_kernel);
	mk = map_get(n, "minKernel");
	if (ret == 0 && c->min_kernel && profile_kernel_parse(c->min_kernel, v) < 0) {
		size_t m2 = push_key(d, "minKernel");

		ret = bad(d, mk, "\"%s\" is no kernel version (MAJOR.MINOR)", c->min_kernel);
		path_pop(d, m2);
	}
	path_pop(d, mark);
	return ret;
}

static int dec_rule(struct dec *d, const struct node *m, struct sca_profile_rule *r)
{
	const struct node *args, *one;
	uint64_t v;
	int ret;

	ret = want(d, m, NODE_MAP);
	if (ret < 0)
		return ret;
	r->line = m->line;
	ret = get_strv(d, m, "names", &r->names, &r->nnames);
	if (ret < 0)
		return ret;
	/* Docker's older single "name" */
	one = map_get(m, "name");
	if (one && r->nnames) {
		size_t mark = push_key(d, "name");

		ret = bad(d, one, "both \"name\" and \"names\" given; use one");
		path_pop(d, mark);
		return ret;
	}
	if (one) {
		free(r->names);
		r->names = calloc(1, sizeof(*r->names));
		if (!r->names)
			return profile_err(d->err, d->errlen, -ENOMEM, "%s: out of memory", d->name);
		ret = get_str(d, m, "name", &r->names[0]);
		if (ret < 0)
			return ret;
		r->nnames = 1;
	}

	ret = get_action(d, m, "action", &r->action, &r->action_name);
	if (ret == 0)
		ret = get_uint(d, m, "errnoRet", 0xffff, &v, &r->has_errno_ret);
	if (ret < 0)
		return ret;
	r->errno_ret = r->has_errno_ret ? (uint32_t)v : 0;

	ret = get_node(d, m, "args", NODE_SEQ, &args);
	if (ret < 0)
		return ret;
	if (args) {
		size_t mark = push_key(d, "args");

		r->args = calloc(args->n ? args->n : 1, sizeof(*r->args));
		if (!r->args)
			ret = profile_err(d->err, d->errlen, -ENOMEM, "%s: out of memory", d->name);
		for (size_t i = 0; i < args->n && ret == 0; i++) {
			size_t m2 = path_push(d, "[%zu]", i);

			ret = dec_arg(d, args->kids[i], &r->args[i]);
			if (ret == 0)
				r->nargs++;
			path_pop(d, m2);
		}
		path_pop(d, mark);
		if (ret < 0)
			return ret;
	}

	ret = get_str(d, m, "comment", &r->comment);
	if (ret == 0)
		ret = dec_cond(d, m, "includes", &r->includes);
	if (ret == 0)
		ret = dec_cond(d, m, "excludes", &r->excludes);
	return ret;
}

/* The OCI body: the whole document, or an SPO's spec. */
static int dec_seccomp(struct dec *d, const struct node *m, struct sca_profile *p)
{
	const struct node *sys;
	uint64_t v;
	int ret;

	ret = get_action(d, m, "defaultAction", &p->default_action, &p->default_action_name);
	if (ret == 0)
		ret = get_uint(d, m, "defaultErrnoRet", 0xffff, &v, &p->has_default_errno);
	if (ret < 0)
		return ret;
	p->default_errno = p->has_default_errno ? (uint32_t)v : 0;

	ret = get_arches(d, m, "architectures", &p->arches, &p->narches);
	if (ret == 0)
		ret = dec_archmap(d, m, p);
	if (ret < 0)
		return ret;
	/* Docker refuses both, since which arches apply would be unclear */
	if (p->narches && p->narch_map) {
		size_t mark = push_key(d, "archMap");

		ret = bad(d, map_get(m, "archMap"), "both \"architectures\" and \"archMap\" given; use one");
		path_pop(d, mark);
		return ret;
	}

	ret = dec_flags(d, m, &p->flags);
	if (ret == 0)
		ret = get_str(d, m, "listenerPath", &p->listener_path);
	if (ret == 0)
		ret = get_str(d, m, "listenerMetadata", &p->listener_metadata);
	if (ret == 0)
		ret = get_node(d, m, "syscalls", NODE_SEQ, &sys);
	if (ret < 0 || !sys)
		return ret;

	p->rules = calloc(sys->n ? sys->n : 1, sizeof(*p->rules));
	if (!p->rules)
		return profile_err(d->err, d->errlen, -ENOMEM, "%s: out of memory", d->name);
	for (size_t i = 0; i < sys->n && ret == 0; i++) {
		size_t mark = push_key(d, "syscalls");

		path_push(d, "[%zu]", i);
		/* counted first so that a half-read rule is freed too */
		p->nrules++;
		p->rules[i].src_index = (unsigned)i + 1;
		ret = dec_rule(d, sys->kids[i], &p->rules[i]);
		path_pop(d, mark);
	}
	return ret;
}

static bool spo_api_known(const char *api)
{
	static const char *const versions[] = { "v1", "v1beta1", "v1alpha1" };
	size_t n = strlen(SPO_GROUP);

	if (strncmp(api, SPO_GROUP, n) != 0)
		return false;
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (strcmp(api + n, versions[i]) == 0)
			return true;
	return false;
}

/* The current CRD's "state: Enabled|Disabled"; it and an older "disabled" must agree. */
static int dec_state(struct dec *d, const struct node *spec, struct sca_profile *p)
{
	const struct node *n = map_get(spec, "state");
	bool off;
	size_t mark;
	int ret;

	if (!n)
		return 0;
	mark = push_key(d, "state");
	ret = want(d, n, NODE_STR);
	if (ret == 0 && strcmp(n->s, "Enabled") != 0 && strcmp(n->s, "Disabled") != 0)
		ret = bad(d, n, "expected \"Enabled\" or \"Disabled\", got \"%s\"", n->s);
	off = ret == 0 && n->s[0] == 'D';
	if (ret == 0 && map_get(spec, "disabled") && off != p->disabled)
		ret = bad(d, n, "\"%s\" but disabled: %s; use one", n->s, p->disabled ? "true" : "false");
	if (ret == 0)
		p->disabled = off;
	path_pop(d, mark);
	return ret;
}

static int dec_spo(struct dec *d, const struct node *m, struct sca_profile *p)
{
	const struct node *kind = map_get(m, "kind"), *api = map_get(m, "apiVersion");
	const struct node *meta, *spec;
	size_t mark;
	int ret;

	p->kind = SCA_PROFILE_SPO;
	if (!kind)
		return missing(d, m, "kind");
	mark = push_key(d, "kind");
	ret = want(d, kind, NODE_STR);
	if (ret == 0 && strcmp(kind->s, "SeccompProfile") != 0)
		ret = bad(d, kind, "expected \"SeccompProfile\", got \"%s\"", kind->s);
	path_pop(d, mark);
	if (ret < 0)
		return ret;

	if (!api)
		return missing(d, m, "apiVersion");
	mark = push_key(d, "apiVersion");
	ret = want(d, api, NODE_STR);
	if (ret == 0 && !spo_api_known(api->s))
		ret = bad(d, api, "unsupported \"%s\" (expected %sv1, v1beta1 or v1alpha1)", api->s,
			  SPO_GROUP);
	path_pop(d, mark);
	if (ret == 0)
		ret = get_str(d, m, "apiVersion", &p->api_version);
	if (ret < 0)
		return ret;

	ret = get_node(d, m, "metadata", NODE_MAP, &meta);
	if (ret == 0 && meta) {
		mark = push_key(d, "metadata");
		ret = get_str(d, meta, "name", &p->spo_name);
		if (ret == 0)
			ret = get_str(d, meta, "namespace", &p->spo_namespace);
		path_pop(d, mark);
	}
	if (ret == 0)
		ret = get_node(d, m, "spec", NODE_MAP, &spec);
	if (ret < 0)
		return ret;
	if (!spec)
		return missing(d, m, "spec");

	mark = push_key(d, "spec");
	ret = dec_seccomp(d, spec, p);
	if (ret == 0)
		ret = get_str(d, spec, "baseProfileName", &p->base_profile_name);
	if (ret == 0)
		ret = get_bool(d, spec, "disabled", &p->disabled);
	if (ret == 0)
		ret = dec_state(d, spec, p);
	path_pop(d, mark);
	return ret;
}

static int decode(struct dec *d, const struct node *root, struct sca_profile *p)
{
	if (root->type != NODE_MAP)
		return profile_err(d->err, d->errlen, -EINVAL,
				   "%s:%u: top level is %s, expected %s (a seccomp profile)", d->name,
				   root->line, type_name(d, root),
				   d->syntax == SCA_PROFILE_JSON ? "an object" : "a mapping");
	/* a Kubernetes object says what it is; a bare OCI profile does not */
	if (map_get(root, "kind") || map_get(root, "apiVersion"))
		return dec_spo(d, root, p);
	return dec_seccomp(d, root, p);
}

/* ---- entry points ---------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* JSON text starts with '{' or '[' after white space (and maybe a BOM). */
static bool looks_json(const char *buf, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < len && (buf[i] == '{' || buf[i] == '[');
}

/* metadata.name of a SeccompProfile document ("" if none); NULL for any other document. */
static const char *spo_doc_name(const struct node *doc)
{
	const struct node *kind, *meta, *name;

	if (doc->type != NODE_MAP)
		return NULL;
	kind = map_get(doc, "kind");
	if (!kind || kind->type != NODE_STR || strcmp(kind->s, "SeccompProfile") != 0)
		return NULL;
	meta = map_get(doc, "metadata");
	name = meta && meta->type == NODE_MAP ? map_get(meta, "name") : NULL;
	return name && name->type == NODE_STR ? name->s : "";
}

/* The SeccompProfiles' names among DOCS, quoted and joined for a message. */
static void spo_doc_names(struct node *const *docs, size_t n, char *buf, size_t len)
{
	size_t w = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = spo_doc_name(docs[i]);
		int k;

		if (!name)
			continue;
		/* room for ", ..." stays at the end */
		k = snprintf(buf + w, len - 6 - w, "%s\"%s\"", w ? ", " : "", name);
		if (k < 0 || (size_t)k >= len - 6 - w) {
			strcpy(buf + w, ", ...");
			return;
		}
		w += (size_t)k;
	}
}

/*
 * The document of DOCS to read: the only one; or else the SeccompProfile
 * named WANT (NULL: the only SeccompProfile). A name that picks none or
 * several is an error that lists the names the file holds, last, so that
 * a short buffer cuts them rather than what to do.
 */
static int pick_doc(struct dec *d, struct node *const *docs, size_t n, const char *want,
		    const struct node **out)
{
	const struct node *found = NULL;
	size_t nspo = 0, nfound = 0;
	char names[256];

	for (size_t i = 0; i < n; i++) {
		const char *name = spo_doc_name(docs[i]);

		if (!name)
			continue;
		nspo++;
		if (!want || strcmp(name, want) == 0) {
			found = found ? found : docs[i];
			nfound++;
		}
	}
	/* one document, no name asked for: decode() says what it is */
	if (!want && n == 1)
		found = docs[0], nfound = 1;
	if (nfound == 1) {
		*out = found;
		return 0;
	}
	spo_doc_names(docs, n, names, sizeof(names));
	if (!want && !nspo)
		return profile_err(d->err, d->errlen, -EINVAL,
				   "%s:%u: more than one YAML document, and no SeccompProfile among them",
				   d->name, docs[1]->line);
	if (!want)
		return profile_err(d->err, d->errlen, -EINVAL,
				   "%s: %zu SeccompProfiles; name one as FILE#NAME: %s", d->name, nspo,
				   names);
	if (!nspo)
		return profile_err(d->err, d->errlen, -EINVAL,
				   "%s: no SeccompProfile named \"%s\": the file holds no SeccompProfile",
				   d->name, want);
	if (!nfound)
		return profile_err(d->err, d->errlen, -EINVAL,
				   "%s: no SeccompProfile named \"%s\"; the file holds %s", d->name, want,
				   names);
	return profile_err(d->err, d->errlen, -EINVAL,
			   "%s: %zu SeccompProfiles named \"%s\"; the file holds %s", d->name, nfound,
			   want, names);
}

/* BUF's trees: one for JSON, one per document for YAML. */
static int parse_docs(struct dec *d, const char *buf, size_t len, struct node ***docs, size_t *ndocs)
{
	bool hint_json = ends_with(d->name, ".json");
	bool hint_yaml = ends_with(d->name, ".yaml") || ends_with(d->name, ".yml");
	char *err = d->err, yerr[512];
	size_t errlen = d->errlen;
	struct node *root = NULL;
	int ret;

	*docs = NULL;
	*ndocs = 0;
	/* JSON is YAML too, but jansson reports JSON's errors better */
	if (!looks_json(buf, len) && (!hint_json || hint_yaml)) {
		d->syntax = SCA_PROFILE_YAML;
		return tree_from_yaml_docs(buf, len, d->name, docs, ndocs, err, errlen);
	}
	d->syntax = SCA_PROFILE_JSON;
	ret = tree_from_json(buf, len, d->name, &root, err, errlen);
	if (ret == 0) {
		*docs = malloc(sizeof(**docs));
		if (!*docs) {
			tree_free(root);
			return profile_err(err, errlen, -ENOMEM, "%s: out of memory", d->name);
		}
		(*docs)[0] = root;
		*ndocs = 1;
		return 0;
	}
	if (ret != -EBADMSG || (!hint_yaml && looks_json(buf, len)))
		return ret;
	/* content and name disagree: YAML may still take it */
	ret = tree_from_yaml_docs(buf, len, d->name, docs, ndocs, yerr, sizeof(yerr));
	if (ret == 0 && (hint_yaml || (*ndocs == 1 && (*docs)[0]->type == NODE_MAP))) {
		d->syntax = SCA_PROFILE_YAML;
		return 0;
	}
	if (hint_yaml)
		return profile_err(err, errlen, ret, "%s", yerr);
	/* any text is some YAML; for a .json file the JSON error says more */
	tree_free_docs(*docs, *ndocs);
	*docs = NULL;
	*ndocs = 0;
	return -EBADMSG;
}

int sca_profile__load_doc_buf(const char *buf, size_t len, const char *name, const char *doc,
			      struct sca_profile **out, char *err, size_t errlen)
{
	struct dec d = { .err = err, .errlen = errlen };
	struct sca_profile *p = NULL;
	const struct node *root = NULL;
	struct node **docs = NULL;
	size_t ndocs = 0, blank = 0;
	int ret;

	*out = NULL;
	if (err && errlen)
		err[0] = 0;
	if (!name)
		name = "profile";
	d.name = name;
	/* only white space: say so rather than quote a parser */
	while (blank < len && buf[blank] && strchr(" \t\r\n", buf[blank]))
		blank++;
	if (blank == len)
		return profile_err(err, errlen, -EINVAL, "%s: empty file, no profile", name);
	ret = parse_docs(&d, buf, len, &docs, &ndocs);
	if (ret == 0)
		ret = pick_doc(&d, docs, ndocs, doc, &root);
	if (ret < 0)
		goto cleanup;

	p = sca_profile__new(SCMP_ACT_KILL);
	if (!p || !(p->source = strdup(name))) {
		ret = profile_err(err, errlen, -ENOMEM, "%s: out of memory", name);
		goto cleanup;
	}
	p->syntax = d.syntax;
	ret = decode(&d, root, p);
	if (ret < 0)
		goto cleanup;
	*out = p;
	p = NULL;

cleanup:
	tree_free_docs(docs, ndocs);
	sca_profile__free(p);
	return ret;
}

int sca_profile__load_buf(const char *buf, size_t len, const char *name,
			  struct sca_profile **out, char *err, size_t errlen)
{
	return sca_profile__load_doc_buf(buf, len, name, NULL, out, err, errlen);
}

static int load_file(const char *path, const char *doc, struct sca_profile **out, char *err,
		     size_t errlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	struct stat st;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return profile_err(err, errlen, ret, "%s: %s", path, strerror(-ret));
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		profile_err(err, errlen, ret, "%s: %s", path, strerror(-ret));
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = profile_err(err, errlen, -EISDIR, "%s: is a directory", path);
		goto cleanup;
	}
	/* read to the end rather than trust st_size: pipes, /proc, growing files */
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap >= SCA_PROFILE_MAX_SIZE) {
				ret = profile_err(err, errlen, -EFBIG, "%s: larger than %u MiB",
						  path, SCA_PROFILE_MAX_SIZE >> 20);
				goto cleanup;
			}
			cap = cap ? cap * 2 : (st.st_size > 0 && st.st_size < SCA_PROFILE_MAX_SIZE ?
					       (size_t)st.st_size + 1 : 65536);
			if (cap > SCA_PROFILE_MAX_SIZE)
				cap = SCA_PROFILE_MAX_SIZE;
			nb = realloc(buf, cap);
			if (!nb) {
				ret = profile_err(err, errlen, -ENOMEM, "%s: out of memory", path);
				goto cleanup;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			profile_err(err, errlen, ret, "%s: %s", path, strerror(-ret));
			goto cleanup;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	ret = sca_profile__load_doc_buf(buf ? buf : "", len, path, doc, out, err, errlen);

cleanup:
	free(buf);
	close(fd);
	return ret;
}

int sca_profile__load(const char *path, struct sca_profile **out, char *err, size_t errlen)
{
	const char *hash = strrchr(path, '#');
	char *file;
	int ret;

	ret = load_file(path, NULL, out, err, errlen);
	/* a file of that name comes first: '#' may be part of it */
	if (ret != -ENOENT || !hash || hash == path || !hash[1])
		return ret;
	file = strndup(path, (size_t)(hash - path));
	if (!file)
		return profile_err(err, errlen, -ENOMEM, "%s: out of memory", path);
	ret = load_file(file, hash + 1, out, err, errlen);
	free(file);
	return ret;
}
