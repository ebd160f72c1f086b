/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Profile writers: golden OCI JSON and SPO YAML, round trips through our
 * parser, validity for plain jansson and libyaml, the normal form, errors.
 *
 * SCA_UPDATE_GOLDEN=1 rewrites tests/data/profiles/golden/ from the current
 * output; read the diff before committing it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <linux/seccomp.h>
#include <yaml.h>

#include "profile.h"

#define PROFILES SCA_TEST_DATA "/profiles/"
#define GOLDEN PROFILES "golden/"

/* ---- helpers ---------------------------------------------------------- */

/* The version the helpers write SPO as: v1beta1, which keeps a namespace; v1 has its own tests. */
static enum sca_profile_spo_api spo_api = SCA_PROFILE_SPO_V1BETA1;

/* What a writer makes of P, as a string (LEN may be NULL). */
static char *emit(const struct sca_profile *p, bool spo, const char *name, const char *ns, size_t *len)
{
	size_t n = 0;
	char *s = NULL;
	FILE *f;
	int ret;

	f = open_memstream(&s, &n);
	assert_non_null(f);
	ret = spo ? sca_profile__write_spo_api(p, spo_api, name, ns, f) : sca_profile__write_oci(p, f);
	assert_int_equal(fclose(f), 0);
	if (ret != 0)
		fail_msg("write_%s: %d", spo ? "spo" : "oci", ret);
	assert_true(n > 0 && s[n - 1] == '\n');
	if (len)
		*len = n;
	return s;
}

/* A writer's return value, and that it wrote nothing. */
static int emit_err(const struct sca_profile *p, bool spo, const char *name)
{
	size_t n = 0;
	char *s = NULL;
	FILE *f;
	int ret;

	f = open_memstream(&s, &n);
	assert_non_null(f);
	ret = spo ? sca_profile__write_spo_api(p, spo_api, name, NULL, f) : sca_profile__write_oci(p, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(n, 0);
	free(s);
	return ret;
}

static struct sca_profile *load_ok(const char *path)
{
	struct sca_profile *p = NULL;
	char err[512] = "";
	int ret;

	ret = sca_profile__load(path, &p, err, sizeof(err));
	if (ret != 0)
		fail_msg("%s: %d %s", path, ret, err);
	return p;
}

static struct sca_profile *load_buf_ok(const char *text, size_t len, const char *name)
{
	struct sca_profile *p = NULL;
	char err[512] = "";
	int ret;

	ret = sca_profile__load_buf(text, len, name, &p, err, sizeof(err));
	if (ret != 0)
		fail_msg("%s: %d %s\n%s", name, ret, err, text);
	return p;
}

static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *s;

	if (!f)
		fail_msg("%s: %s (SCA_UPDATE_GOLDEN=1 writes it)", path, strerror(errno));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return s;
}

/* OUT must equal the golden file NAME byte for byte. */
static void assert_golden(const char *name, const char *out, size_t len)
{
	char path[512];
	size_t glen;
	char *want;

	snprintf(path, sizeof(path), GOLDEN "%s", name);
	if (getenv("SCA_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(out, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	want = read_text(path, &glen);
	if (glen != len || memcmp(want, out, len) != 0)
		fail_msg("%s differs; got:\n%s", path, out);
	free(want);
}

/* Plain libyaml must take TEXT as one mapping, whatever our parser does. */
static void yaml_load_ok(const char *text, size_t len, yaml_parser_t *ps, yaml_document_t *doc)
{
	yaml_node_t *root;

	assert_true(yaml_parser_initialize(ps));
	yaml_parser_set_input_string(ps, (const unsigned char *)text, len);
	if (!yaml_parser_load(ps, doc))
		fail_msg("libyaml: %s at line %zu\n%s", ps->problem ? ps->problem : "?",
			 ps->problem_mark.line + 1, text);
	root = yaml_document_get_root_node(doc);
	assert_non_null(root);
	assert_int_equal(root->type, YAML_MAPPING_NODE);
}

static void yaml_done(yaml_parser_t *ps, yaml_document_t *doc)
{
	yaml_document_delete(doc);
	yaml_parser_delete(ps);
}

static void assert_yaml_valid(const char *text, size_t len)
{
	yaml_document_t doc;
	yaml_parser_t ps;

	yaml_load_ok(text, len, &ps, &doc);
	yaml_done(&ps, &doc);
}

static yaml_node_t *yaml_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	assert_non_null(map);
	assert_int_equal(map->type, YAML_MAPPING_NODE);
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(doc, pr->key);

		if (k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, pr->value);
	}
	fail_msg("no key \"%s\"", key);
	return NULL;
}

static yaml_node_t *yaml_at(yaml_document_t *doc, yaml_node_t *seq, size_t i)
{
	assert_non_null(seq);
	assert_int_equal(seq->type, YAML_SEQUENCE_NODE);
	assert_true(i < (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start));
	return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}

/* A string for YAML 1.1: quoted, so never a bool, null or number. */
static void assert_yaml_str(const yaml_node_t *n, const char *want)
{
	assert_non_null(n);
	assert_int_equal(n->type, YAML_SCALAR_NODE);
	assert_int_not_equal(n->data.scalar.style, YAML_PLAIN_SCALAR_STYLE);
	assert_int_equal(n->data.scalar.length, strlen(want));
	assert_memory_equal(n->data.scalar.value, want, strlen(want));
}

static json_t *json_load_ok(const char *text, size_t flags)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, flags, &jerr);

	if (!doc)
		fail_msg("jansson: %d:%d: %s\n%s", jerr.line, jerr.column, jerr.text, text);
	assert_true(json_is_object(doc));
	return doc;
}

static void assert_str_eq_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_strv_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

/* The arches an SPO document lists for A: architectures, or every archMap arch once. */
static size_t spo_arches(const struct sca_profile *a, uint32_t *v, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < a->narches && n < max; i++)
		v[n++] = a->arches[i].arch;
	for (size_t i = 0; i < a->narch_map; i++) {
		uint32_t arch = a->arch_map[i].arch.arch;

		for (size_t j = 0; j <= a->arch_map[i].nsub; j++) {
			bool seen = false;

			if (j)
				arch = a->arch_map[i].sub[j - 1].arch;
			for (size_t k = 0; k < n; k++)
				seen |= v[k] == arch;
			if (!seen && n < max)
				v[n++] = arch;
		}
	}
	return n;
}

/*
 * B, read back from what was written of A, holds the same profile. Through
 * SPO what SeccompProfile cannot hold is not compared: defaultErrnoRet (the
 * effective default action is), archMap (its arches are), includes/excludes
 * and comments.
 */
static void assert_profile_equal(const struct sca_profile *a, const struct sca_profile *b, bool spo)
{
	assert_int_equal(a->default_action, b->default_action);
	if (a->default_action_name)
		assert_string_equal(a->default_action_name, b->default_action_name);
	if (!spo) {
		assert_int_equal(a->has_default_errno, b->has_default_errno);
		assert_int_equal(a->default_errno, b->default_errno);
		assert_int_equal(a->narches, b->narches);
		for (size_t i = 0; i < a->narches; i++) {
			assert_int_equal(a->arches[i].arch, b->arches[i].arch);
			assert_string_equal(a->arches[i].name, b->arches[i].name);
		}
		assert_int_equal(a->narch_map, b->narch_map);
		for (size_t i = 0; i < a->narch_map; i++) {
			const struct sca_profile_archmap *x = &a->arch_map[i], *y = &b->arch_map[i];

			assert_int_equal(x->arch.arch, y->arch.arch);
			assert_int_equal(x->nsub, y->nsub);
			for (size_t j = 0; j < x->nsub; j++)
				assert_int_equal(x->sub[j].arch, y->sub[j].arch);
		}
	} else {
		uint32_t want[64];
		size_t n = spo_arches(a, want, 64);

		assert_int_equal(b->kind, SCA_PROFILE_SPO);
		assert_string_equal(b->api_version, "security-profiles-operator.x-k8s.io/v1beta1");
		assert_false(b->has_default_errno);
		assert_int_equal(sca_profile__default_scmp_action(a), sca_profile__default_scmp_action(b));
		assert_int_equal(b->narch_map, 0);
		assert_int_equal(b->narches, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(b->arches[i].arch, want[i]);
	}
	assert_int_equal(a->flags, b->flags);
	assert_str_eq_null(a->listener_path, b->listener_path);
	assert_str_eq_null(a->listener_metadata, b->listener_metadata);

	assert_int_equal(a->nrules, b->nrules);
	for (size_t i = 0; i < a->nrules; i++) {
		const struct sca_profile_rule *x = &a->rules[i], *y = &b->rules[i];

		assert_strv_equal(x->names, x->nnames, y->names, y->nnames);
		assert_int_equal(x->action, y->action);
		assert_string_equal(sca_profile_rule__action_name(x), sca_profile_rule__action_name(y));
		assert_int_equal(x->has_errno_ret, y->has_errno_ret);
		assert_int_equal(x->errno_ret, y->errno_ret);
		assert_int_equal(x->nargs, y->nargs);
		for (size_t j = 0; j < x->nargs; j++) {
			assert_int_equal(x->args[j].index, y->args[j].index);
			assert_true(x->args[j].value == y->args[j].value);
			assert_true(x->args[j].value_two == y->args[j].value_two);
			assert_int_equal(x->args[j].op, y->args[j].op);
		}
		if (spo)
			continue;
		assert_str_eq_null(x->comment, y->comment);
		assert_strv_equal(x->includes.caps, x->includes.ncaps, y->includes.caps, y->includes.ncaps);
		assert_strv_equal(x->includes.arches, x->includes.narches, y->includes.arches, y->includes.narches);
		assert_str_eq_null(x->includes.min_kernel, y->includes.min_kernel);
		assert_strv_equal(x->excludes.caps, x->excludes.ncaps, y->excludes.caps, y->excludes.ncaps);
		assert_strv_equal(x->excludes.arches, x->excludes.narches, y->excludes.arches, y->excludes.narches);
		assert_str_eq_null(x->excludes.min_kernel, y->excludes.min_kernel);
	}
}

static struct sca_profile_rule *rule(struct sca_profile *p, uint32_t action, ...)
{
	struct sca_profile_rule *r = sca_profile__add_rule(p, action);
	const char *name;
	va_list ap;

	assert_non_null(r);
	va_start(ap, action);
	while ((name = va_arg(ap, const char *)))
		assert_int_equal(sca_profile_rule__add_name(r, name), 0);
	va_end(ap);
	return r;
}

static const struct sca_profile_arg setns_arg = { 1, 0x40000000, 0x40000000, SCMP_CMP_MASKED_EQ };

/*
 * The golden profile: EPERM by default on x86, a few syscalls allowed,
 * unshare killed, setns(CLONE_NEWNET) ENOSYS. SCRAMBLED builds the same
 * profile out of order, split and with repeats.
 */
static struct sca_profile *golden_model(bool scrambled)
{
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ERRNO(0));
	struct sca_profile_rule *r;

	assert_non_null(p);
	p->has_default_errno = true;
	p->default_errno = 1;
	assert_int_equal(sca_profile__add_arch(p, SCMP_ARCH_X86_64), 0);
	assert_int_equal(sca_profile__add_arch(p, SCMP_ARCH_X86), 0);
	if (!scrambled) {
		rule(p, SCMP_ACT_ALLOW, "write", "read", "close", "mkdir", NULL);
		rule(p, SCMP_ACT_KILL_THREAD, "unshare", NULL);
		r = rule(p, SCMP_ACT_ERRNO(0), "setns", NULL);
	} else {
		rule(p, SCMP_ACT_ALLOW, "read", "write", "read", NULL);
		r = rule(p, SCMP_ACT_ERRNO(0), "setns", NULL);
		r->has_errno_ret = true;
		r->errno_ret = 38;
		assert_int_equal(sca_profile_rule__add_arg(r, &setns_arg), 0);
		rule(p, SCMP_ACT_KILL_THREAD, "unshare", NULL);
		r = rule(p, SCMP_ACT_ALLOW, "mkdir", "close", "write", NULL);
		r->comment = strdup("");    /* as good as none */
		assert_non_null(r->comment);
		return p;
	}
	r->has_errno_ret = true;
	r->errno_ret = 38;
	assert_int_equal(sca_profile_rule__add_arg(r, &setns_arg), 0);
	return p;
}

/* ---- golden files ----------------------------------------------------- */

static void test_golden_oci(void **state)
{
	struct sca_profile *p = golden_model(false), *q = golden_model(true);
	json_t *doc, *sys, *arg;
	char *out, *again;
	size_t len;

	(void)state;
	sca_profile__normalize(p);
	out = emit(p, false, NULL, NULL, &len);
	assert_golden("basic.json", out, len);

	/* the same model, however it was put together, prints the same bytes */
	again = emit(p, false, NULL, NULL, NULL);
	assert_string_equal(out, again);
	free(again);
	sca_profile__normalize(q);
	again = emit(q, false, NULL, NULL, NULL);
	assert_string_equal(out, again);
	free(again);

	/* plain jansson reads it, numbers as integers */
	doc = json_load_ok(out, 0);
	assert_string_equal(json_string_value(json_object_get(doc, "defaultAction")), "SCMP_ACT_ERRNO");
	assert_int_equal(json_integer_value(json_object_get(doc, "defaultErrnoRet")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "architectures")), 2);
	assert_null(json_object_get(doc, "archMap"));
	assert_null(json_object_get(doc, "flags"));
	sys = json_object_get(doc, "syscalls");
	assert_int_equal(json_array_size(sys), 3);
	assert_int_equal(json_array_size(json_object_get(json_array_get(sys, 2), "names")), 4);
	arg = json_array_get(json_object_get(json_array_get(sys, 1), "args"), 0);
	assert_true(json_is_integer(json_object_get(arg, "value")));
	assert_int_equal(json_integer_value(json_object_get(arg, "value")), 0x40000000);
	assert_int_equal(json_integer_value(json_object_get(arg, "valueTwo")), 0x40000000);
	json_decref(doc);

	free(out);
	sca_profile__free(p);
	sca_profile__free(q);
}

static void test_golden_spo(void **state)
{
	struct sca_profile *p = golden_model(false), *q = golden_model(true);
	yaml_node_t *root, *sys, *names;
	yaml_document_t doc;
	yaml_parser_t ps;
	char *out, *again;
	size_t len;

	(void)state;
	sca_profile__normalize(p);
	out = emit(p, true, "sca-basic", "default", &len);
	assert_golden("basic.yaml", out, len);

	sca_profile__normalize(q);
	again = emit(q, true, "sca-basic", "default", NULL);
	assert_string_equal(out, again);
	free(again);

	/* plain libyaml reads it, and the names are strings */
	yaml_load_ok(out, len, &ps, &doc);
	root = yaml_document_get_root_node(&doc);
	assert_yaml_str(yaml_get(&doc, yaml_get(&doc, root, "metadata"), "name"), "sca-basic");
	sys = yaml_get(&doc, yaml_get(&doc, root, "spec"), "syscalls");
	names = yaml_get(&doc, yaml_at(&doc, sys, 2), "names");
	assert_yaml_str(yaml_at(&doc, names, 0), "close");
	assert_yaml_str(yaml_at(&doc, names, 3), "write");
	yaml_done(&ps, &doc);

	free(out);
	sca_profile__free(p);
	sca_profile__free(q);
}

/* ---- round trips ------------------------------------------------------ */

static void roundtrip(const char *file)
{
	struct sca_profile *p = load_ok(file), *q, *q2;
	char *oci, *spo, *again, *spo2;
	size_t len, len2;
	json_t *doc;

	sca_profile__normalize(p);

	oci = emit(p, false, NULL, NULL, &len);
	q = load_buf_ok(oci, len, "emitted.json");
	assert_int_equal(q->kind, SCA_PROFILE_OCI);
	assert_int_equal(q->syntax, SCA_PROFILE_JSON);
	assert_profile_equal(p, q, false);
	/* read back and written again: the same bytes */
	again = emit(q, false, NULL, NULL, NULL);
	assert_string_equal(oci, again);
	free(again);
	/* jansson keeps integers to INT64_MAX; beyond that it needs them as reals */
	doc = json_load_ok(oci, JSON_DECODE_INT_AS_REAL);
	json_decref(doc);
	sca_profile__free(q);

	spo = emit(p, true, "roundtrip", "sca-test", &len);
	assert_yaml_valid(spo, len);
	q = load_buf_ok(spo, len, "emitted.yaml");
	assert_int_equal(q->syntax, SCA_PROFILE_YAML);
	assert_string_equal(q->spo_name, "roundtrip");
	assert_string_equal(q->spo_namespace, "sca-test");
	assert_profile_equal(p, q, true);
	/* what SPO drops is dropped once: from then on the output is a fixed point */
	spo2 = emit(q, true, NULL, "sca-test", &len2);
	q2 = load_buf_ok(spo2, len2, "emitted2.yaml");
	assert_profile_equal(q, q2, true);
	again = emit(q2, true, NULL, "sca-test", NULL);
	assert_string_equal(spo2, again);
	free(again);

	free(spo2);
	free(spo);
	free(oci);
	sca_profile__free(q2);
	sca_profile__free(q);
	sca_profile__free(p);
}

static void test_roundtrip_seed_json(void **state)
{
	(void)state;
	roundtrip(PROFILES "seed.json");
}

static void test_roundtrip_docker_like(void **state)
{
	(void)state;
	roundtrip(PROFILES "docker-like.json");
}

static void test_roundtrip_seed_yaml(void **state)
{
	(void)state;
	roundtrip(PROFILES "seed.yaml");
}

/* The pieces the golden model lacks: archMap, flags, listener, includes, comments, SPO notes. */
static void test_docker_like_output(void **state)
{
	struct sca_profile *p = load_ok(PROFILES "docker-like.json");
	char *oci, *spo;

	(void)state;
	sca_profile__normalize(p);
	oci = emit(p, false, NULL, NULL, NULL);
	assert_non_null(strstr(oci, "\n\t\"defaultErrnoRet\": 1,\n\t\"archMap\": [\n"));
	assert_null(strstr(oci, "\"architectures\""));
	assert_non_null(strstr(oci, "\t\"flags\": [\n\t\t\"SECCOMP_FILTER_FLAG_LOG\"\n\t],\n"));
	assert_non_null(strstr(oci, "\"value\": 18446744073709551615,"));
	assert_non_null(strstr(oci, "\"comment\": \"several conditions on one argument are alternatives\""));
	assert_non_null(strstr(oci, "\"minKernel\": \"4.8\""));

	spo = emit(p, true, "docker-like", NULL, NULL);
	assert_null(strstr(spo, "namespace:"));
	assert_null(strstr(spo, "defaultErrnoRet"));   /* 1 is EPERM: nothing changes, nothing to say */
	assert_null(strstr(spo, "comment"));
	assert_non_null(strstr(spo, "  # archMap flattened"));
	assert_non_null(strstr(spo, "  architectures:\n    - SCMP_ARCH_X86_64\n    - SCMP_ARCH_X86\n"
				    "    - SCMP_ARCH_X32\n    - SCMP_ARCH_AARCH64\n    - SCMP_ARCH_ARM\n"));
	assert_non_null(strstr(spo, "    # includes/excludes left out"));
	assert_non_null(strstr(spo, "          value: 18446744073709551615\n"));
	free(spo);

	/* an errno other than EPERM is lost in SPO: the file says so */
	p->default_errno = 38;
	spo = emit(p, true, "docker-like", NULL, NULL);
	assert_non_null(strstr(spo, "  # defaultErrnoRet 38 left out"));
	free(spo);

	free(oci);
	sca_profile__free(p);
}

/* ---- strings ---------------------------------------------------------- */

/* Names YAML 1.1 would read as something else, or that need escapes. */
static const char *const odd_names[] = {
	"on", "y", "No", "null", "~", "", "0x10", "1e3", "010", "- dash", "a: b", "#hash", "[x]", "*ref",
	"quote\"back\\slash", "tab\tnl\ncr\r", "ctl\x01\x1f\x7f", "\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80",
	"nel\xc2\x85", "c1\xc2\x9b", "ls\xe2\x80\xa8ps\xe2\x80\xa9", "bom\xef\xbb\xbf", " lead", "trail ",
};
#define N_ODD (sizeof(odd_names) / sizeof(odd_names[0]))

static void test_strings(void **state)
{
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ALLOW), *q;
	struct sca_profile_rule *r;
	yaml_node_t *root, *spec, *names;
	yaml_document_t doc;
	yaml_parser_t ps;
	json_t *jdoc, *jnames;
	char *oci, *spo;
	size_t len;

	(void)state;
	assert_non_null(p);
	r = sca_profile__add_rule(p, SCMP_ACT_LOG);
	assert_non_null(r);
	for (size_t i = 0; i < N_ODD; i++)
		assert_int_equal(sca_profile_rule__add_name(r, odd_names[i]), 0);
	assert_int_equal(sca_profile_rule__add_arg(r, &(struct sca_profile_arg){ 5, UINT64_MAX, 0, SCMP_CMP_NE }), 0);
	r->comment = strdup("says \"why\"\nover two lines");
	p->listener_path = strdup("/run/notify \xe2\x98\x83.sock");
	p->listener_metadata = strdup("yes");
	assert_true(r->comment && p->listener_path && p->listener_metadata);

	oci = emit(p, false, NULL, NULL, &len);
	assert_non_null(strstr(oci, "\"ctl\\u0001\\u001f\x7f\""));
	assert_non_null(strstr(oci, "\"tab\\u0009nl\\u000acr\\u000d\""));
	assert_non_null(strstr(oci, "\"quote\\\"back\\\\slash\""));
	jdoc = json_load_ok(oci, JSON_DECODE_INT_AS_REAL);
	jnames = json_object_get(json_array_get(json_object_get(jdoc, "syscalls"), 0), "names");
	assert_int_equal(json_array_size(jnames), N_ODD);
	for (size_t i = 0; i < N_ODD; i++)
		assert_string_equal(json_string_value(json_array_get(jnames, i)), odd_names[i]);
	assert_string_equal(json_string_value(json_object_get(jdoc, "listenerPath")), p->listener_path);
	json_decref(jdoc);
	q = load_buf_ok(oci, len, "odd.json");
	assert_profile_equal(p, q, false);
	assert_true(q->rules[0].args[0].value == UINT64_MAX);
	sca_profile__free(q);

	spo = emit(p, true, "yes", "on", &len);
	assert_non_null(strstr(spo, "\"ctl\\x01\\x1f\\x7f\""));
	assert_non_null(strstr(spo, "\"nel\\x85\""));
	assert_non_null(strstr(spo, "\"ls\\u2028ps\\u2029\""));
	yaml_load_ok(spo, len, &ps, &doc);
	root = yaml_document_get_root_node(&doc);
	assert_yaml_str(yaml_get(&doc, yaml_get(&doc, root, "metadata"), "name"), "yes");
	assert_yaml_str(yaml_get(&doc, yaml_get(&doc, root, "metadata"), "namespace"), "on");
	spec = yaml_get(&doc, root, "spec");
	assert_yaml_str(yaml_get(&doc, spec, "listenerPath"), p->listener_path);
	assert_yaml_str(yaml_get(&doc, spec, "listenerMetadata"), "yes");
	names = yaml_get(&doc, yaml_at(&doc, yaml_get(&doc, spec, "syscalls"), 0), "names");
	for (size_t i = 0; i < N_ODD; i++)
		assert_yaml_str(yaml_at(&doc, names, i), odd_names[i]);
	yaml_done(&ps, &doc);
	q = load_buf_ok(spo, len, "odd.yaml");
	assert_profile_equal(p, q, true);
	assert_string_equal(q->spo_name, "yes");
	assert_string_equal(q->spo_namespace, "on");
	assert_true(q->rules[0].args[0].value == UINT64_MAX);
	sca_profile__free(q);

	free(oci);
	free(spo);
	sca_profile__free(p);
}

/* ---- normal form ------------------------------------------------------ */

static void test_normalize(void **state)
{
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ERRNO(0));
	struct sca_profile_rule *r;
	char *out, *again;

	(void)state;
	assert_non_null(p);
	rule(p, SCMP_ACT_ALLOW, "write", "read", "write", NULL);
	r = rule(p, SCMP_ACT_ERRNO(0), "mkdir", NULL);
	r->has_errno_ret = true;
	r->errno_ret = 38;
	rule(p, SCMP_ACT_ALLOW, "close", "read", NULL);
	r = rule(p, SCMP_ACT_ALLOW, "ioctl", NULL);
	assert_int_equal(sca_profile_rule__add_arg(r, &(struct sca_profile_arg){ 1, 7, 0, SCMP_CMP_EQ }), 0);
	assert_int_equal(sca_profile_rule__add_arg(r, &(struct sca_profile_arg){ 0, 3, 0, SCMP_CMP_EQ }), 0);
	rule(p, SCMP_ACT_LOG, "b", "a", NULL);
	rule(p, SCMP_ACT_KILL_PROCESS, "ptrace", NULL);
	r = rule(p, SCMP_ACT_ALLOW, "setns", NULL);
	r->comment = strdup("kept apart: it says something");
	assert_non_null(r->comment);
	r = rule(p, SCMP_ACT_ALLOW, "unshare", NULL);
	r->includes.caps = calloc(2, sizeof(char *));
	assert_non_null(r->includes.caps);
	r->includes.caps[0] = strdup("CAP_SYS_ADMIN");
	r->includes.caps[1] = strdup("CAP_SYS_ADMIN");
	r->includes.ncaps = 2;
	rule(p, SCMP_ACT_ERRNO(0), "kexec_load", NULL);   /* no errnoRet: apart from errnoRet 38 */

	sca_profile__normalize(p);
	/* kernel precedence: kill_process, errno (without errnoRet first), log, allow */
	assert_int_equal(p->nrules, 8);
	r = &p->rules[0];
	assert_int_equal(r->action, SCMP_ACT_KILL_PROCESS);
	r = &p->rules[1];
	assert_int_equal(r->action, SCMP_ACT_ERRNO(0));
	assert_false(r->has_errno_ret);
	assert_string_equal(r->names[0], "kexec_load");
	r = &p->rules[2];
	assert_int_equal(r->errno_ret, 38);
	r = &p->rules[3];
	assert_int_equal(r->action, SCMP_ACT_LOG);
	assert_strv_equal(r->names, r->nnames, (char *[]){ "a", "b" }, 2);
	/* the two plain allow rules are one now, names sorted, "read" and "write" once */
	r = &p->rules[4];
	assert_int_equal(r->action, SCMP_ACT_ALLOW);
	assert_strv_equal(r->names, r->nnames, (char *[]){ "close", "read", "write" }, 3);
	assert_int_equal(r->nargs, 0);
	/* same effect, then by first name; the comment and the includes keep them apart */
	assert_string_equal(p->rules[5].names[0], "setns");
	assert_non_null(p->rules[5].comment);
	assert_string_equal(p->rules[6].names[0], "unshare");
	assert_int_equal(p->rules[6].includes.ncaps, 1);
	/* with args after without; the args sorted by index */
	r = &p->rules[7];
	assert_string_equal(r->names[0], "ioctl");
	assert_int_equal(r->nargs, 2);
	assert_int_equal(r->args[0].index, 0);
	assert_int_equal(r->args[1].index, 1);

	/* a second pass changes nothing */
	out = emit(p, false, NULL, NULL, NULL);
	sca_profile__normalize(p);
	again = emit(p, false, NULL, NULL, NULL);
	assert_string_equal(out, again);
	free(again);
	free(out);
	sca_profile__free(p);

	/* nothing to sort */
	p = sca_profile__new(SCMP_ACT_ALLOW);
	assert_non_null(p);
	sca_profile__normalize(p);
	out = emit(p, false, NULL, NULL, NULL);
	assert_string_equal(out, "{\n\t\"defaultAction\": \"SCMP_ACT_ALLOW\",\n\t\"syscalls\": []\n}\n");
	free(out);
	out = emit(p, true, "empty", NULL, NULL);
	assert_string_equal(out, "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
				 "kind: SeccompProfile\nmetadata:\n  name: \"empty\"\nspec:\n"
				 "  defaultAction: SCMP_ACT_ALLOW\n  syscalls: []\n");
	free(out);
	sca_profile__free(p);
}

/* ---- errors ----------------------------------------------------------- */

static void test_bad_model(void **state)
{
	struct sca_profile *p = golden_model(false);
	struct sca_profile_rule *r;

	(void)state;
	/* SPO needs a name: none given and none read */
	assert_int_equal(emit_err(p, true, NULL), -EINVAL);

	p->default_action = 0x12340000;
	assert_int_equal(emit_err(p, false, NULL), -EINVAL);
	assert_int_equal(emit_err(p, true, "x"), -EINVAL);
	p->default_action = SCMP_ACT_ALLOW;

	p->flags = 1u << 20;
	assert_int_equal(emit_err(p, false, NULL), -EINVAL);
	p->flags = 0;

	p->arch_map = calloc(1, sizeof(*p->arch_map));
	assert_non_null(p->arch_map);
	p->arch_map[0].arch.arch = SCMP_ARCH_X86_64;
	p->narch_map = 1;
	assert_int_equal(emit_err(p, false, NULL), -EINVAL);   /* both lists */
	p->narches = 0;       /* an archMap alone is fine */
	free(emit(p, false, NULL, NULL, NULL));
	p->arch_map[0].arch.arch = 0x1234;
	assert_int_equal(emit_err(p, false, NULL), -EINVAL);
	p->arch_map[0].arch.arch = SCMP_ARCH_X86_64;

	r = &p->rules[2];
	r->errno_ret = 70000;
	assert_int_equal(emit_err(p, false, NULL), -ERANGE);
	r->errno_ret = 38;
	r->args[0].index = 6;
	assert_int_equal(emit_err(p, true, "x"), -EINVAL);
	r->args[0].index = 1;

	assert_int_equal(sca_profile_rule__add_name(r, "bad\xff"), 0);
	assert_int_equal(emit_err(p, false, NULL), -EILSEQ);
	assert_int_equal(emit_err(p, true, "x"), -EILSEQ);
	free(r->names[--r->nnames]);
	assert_int_equal(emit_err(p, true, "over\xc0\xaf"), -EILSEQ);   /* overlong '/' */
	assert_int_equal(emit_err(p, true, "surrogate\xed\xa0\x80"), -EILSEQ);

	sca_profile__free(p);
}

static int write_full(const struct sca_profile *p, bool spo, bool small)
{
	static char buf[16];
	FILE *f = fopen("/dev/full", "w");
	int ret;

	assert_non_null(f);
	if (small)
		assert_int_equal(setvbuf(f, buf, _IOFBF, sizeof(buf)), 0);
	ret = spo ? sca_profile__write_spo_api(p, spo_api, "full", NULL, f) : sca_profile__write_oci(p, f);
	fclose(f);
	return ret;
}

static void test_write_error(void **state)
{
	struct sca_profile *p = golden_model(false);

	(void)state;
	/* a small buffer fails mid-way; a big one at the final flush */
	assert_int_equal(write_full(p, false, true), -ENOSPC);
	assert_int_equal(write_full(p, true, true), -ENOSPC);
	assert_int_equal(write_full(p, false, false), -ENOSPC);
	assert_int_equal(write_full(p, true, false), -ENOSPC);
	sca_profile__free(p);
}

/* A rule's comment becomes one YAML comment line, whatever it holds; it reads back. */
static void test_spo_comment(void **state)
{
	(void)state;
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ERRNO(0)), *back = NULL;
	char err[256];

	assert_non_null(p);
	struct sca_profile_rule *r = sca_profile__add_rule(p, SCMP_ACT_ALLOW);
	assert_non_null(r);
	assert_int_equal(sca_profile_rule__add_name(r, "read"), 0);
	r->comment = strdup("why\nspec:\n  disabled: true\r\x7f");
	assert_non_null(r->comment);
	char *y = emit(p, true, "c", NULL, NULL);
	assert_non_null(strstr(y, "    # why spec:   disabled: true  \n    - action: SCMP_ACT_ALLOW\n"));
	assert_int_equal(sca_profile__load_buf(y, strlen(y), "c.yaml", &back, err, sizeof(err)), 0);
	assert_false(back->disabled);
	assert_int_equal(back->nrules, 1);
	sca_profile__free(back);
	free(y);
	sca_profile__free(p);
}

/* SPO_API's SeccompProfile of P as a string, or NULL when the writer refuses (RET). */
static char *emit_api(const struct sca_profile *p, enum sca_profile_spo_api api, const char *ns, int *ret)
{
	size_t n = 0;
	char *s = NULL;
	FILE *f = open_memstream(&s, &n);

	assert_non_null(f);
	*ret = sca_profile__write_spo_api(p, api, "web", ns, f);
	assert_int_equal(fclose(f), 0);
	if (*ret) {
		assert_int_equal(n, 0);
		free(s);
		return NULL;
	}
	return s;
}

/* v1 by default and cluster-scoped; v1beta1 keeps a namespace; state: Disabled reads back. */
static void test_spo_api(void **state)
{
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ERRNO(0)), *q;
	enum sca_profile_spo_api api;
	char err[512] = "", *out;
	size_t n = 0;
	FILE *f;
	int ret;

	(void)state;
	assert_non_null(p);
	assert_int_equal(sca_profile_spo_api__parse("v1", &api), 0);
	assert_int_equal(api, SCA_PROFILE_SPO_V1);
	assert_int_equal(sca_profile_spo_api__parse("v1beta1", &api), 0);
	assert_int_equal(api, SCA_PROFILE_SPO_V1BETA1);
	assert_int_equal(sca_profile_spo_api__parse("v1alpha1", &api), -ENOENT);
	assert_int_equal(sca_profile_spo_api__parse("V1", &api), -ENOENT);
	assert_string_equal(sca_profile_spo_api__name(SCA_PROFILE_SPO_V1BETA1), "v1beta1");
	assert_null(sca_profile_spo_api__name((enum sca_profile_spo_api)7));

	/* the default writer is v1, and a v1 object has no namespace */
	f = open_memstream(&out, &n);
	assert_non_null(f);
	assert_int_equal(sca_profile__write_spo(p, "web", "shop", f), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(out, "apiVersion: security-profiles-operator.x-k8s.io/v1\n"
				 "kind: SeccompProfile\nmetadata:\n  name: \"web\"\nspec:\n"
				 "  defaultAction: SCMP_ACT_ERRNO\n  syscalls: []\n");
	free(out);

	out = emit_api(p, SCA_PROFILE_SPO_V1BETA1, "shop", &ret);
	assert_non_null(out);
	assert_string_equal(out, "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
				 "kind: SeccompProfile\nmetadata:\n  name: \"web\"\n  namespace: \"shop\"\nspec:\n"
				 "  defaultAction: SCMP_ACT_ERRNO\n  syscalls: []\n");
	free(out);
	assert_null(emit_api(p, (enum sca_profile_spo_api)7, NULL, &ret));
	assert_int_equal(ret, -EINVAL);

	/* the CRD's state field, in both versions; it reads back */
	p->disabled = true;
	for (int v = SCA_PROFILE_SPO_V1; v <= SCA_PROFILE_SPO_V1BETA1; v++) {
		out = emit_api(p, (enum sca_profile_spo_api)v, NULL, &ret);
		assert_non_null(out);
		assert_non_null(strstr(out, "\n  state: Disabled\n"));
		assert_null(strstr(out, "disabled:"));
		assert_int_equal(sca_profile__load_buf(out, strlen(out), "d.yaml", &q, err, sizeof(err)), 0);
		assert_true(q->disabled);
		assert_string_equal(q->api_version, v == SCA_PROFILE_SPO_V1 ?
				    "security-profiles-operator.x-k8s.io/v1" :
				    "security-profiles-operator.x-k8s.io/v1beta1");
		sca_profile__free(q);
		free(out);
	}
	sca_profile__free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_oci),
		cmocka_unit_test(test_golden_spo),
		cmocka_unit_test(test_roundtrip_seed_json),
		cmocka_unit_test(test_roundtrip_docker_like),
		cmocka_unit_test(test_roundtrip_seed_yaml),
		cmocka_unit_test(test_docker_like_output),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_bad_model),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_spo_comment),
		cmocka_unit_test(test_spo_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
