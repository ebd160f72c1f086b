/* SPDX-License-Identifier: BSD-2-Clause */
/* Profile model: OCI JSON, Docker and SPO YAML parsing, errors, filter building, enforcement. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/capability.h>
#include <linux/seccomp.h>

#include "profile.h"

#define PROFILES SCA_TEST_DATA "/profiles/"

static unsigned detected_api;
static char tmpdir[] = "/tmp/sca-test-profile-XXXXXX";

static struct sca_profile *load_ok(const char *path)
{
	struct sca_profile *p = NULL;
	char err[512] = "";
	int ret;

	ret = sca_profile__load(path, &p, err, sizeof(err));
	if (ret != 0)
		fail_msg("%s: %d %s", path, ret, err);
	assert_non_null(p);
	return p;
}

static struct sca_profile *load_str(const char *text, const char *name)
{
	struct sca_profile *p = NULL;
	char err[512] = "";
	int ret;

	ret = sca_profile__load_buf(text, strlen(text), name, &p, err, sizeof(err));
	if (ret != 0)
		fail_msg("%s: %d %s", name ? name : "(null)", ret, err);
	return p;
}

/* Load TEXT expecting failure; the message must contain WANT. */
static void load_str_bad(const char *text, const char *name, const char *want)
{
	struct sca_profile *p = (void *)1;
	char err[512] = "";
	int ret;

	ret = sca_profile__load_buf(text, strlen(text), name, &p, err, sizeof(err));
	if (ret >= 0 || p != NULL || !strstr(err, want))
		fail_msg("%s: got %d \"%s\", want an error with \"%s\"", name, ret, err, want);
}

/* Size of the BPF program libseccomp makes of CTX. */
static long bpf_size(scmp_filter_ctx ctx)
{
	FILE *f = tmpfile();
	struct stat st;
	int ret;

	assert_non_null(f);
	ret = seccomp_export_bpf(ctx, fileno(f));
	assert_int_equal(ret, 0);
	assert_int_equal(fstat(fileno(f), &st), 0);
	fclose(f);
	return (long)st.st_size;
}

static const struct sca_profile_env env_amd64 = {
	.native_arch = SCMP_ARCH_X86_64, .caps = 0, .kernel = { 6, 1, 0 },
};

/* ---- OCI JSON ------------------------------------------------------- */

static void test_seed_json(void **state)
{
	struct sca_profile *p = load_ok(PROFILES "seed.json");
	scmp_filter_ctx ctx;
	unsigned skipped = 99;
	char err[512] = "";
	int ret;

	(void)state;
	assert_int_equal(p->kind, SCA_PROFILE_OCI);
	assert_int_equal(p->syntax, SCA_PROFILE_JSON);
	assert_int_equal(p->default_action, SCMP_ACT_ALLOW);
	assert_string_equal(p->default_action_name, "SCMP_ACT_ALLOW");
	assert_false(p->has_default_errno);
	assert_int_equal(p->narches, 3);
	assert_int_equal(p->arches[0].arch, SCMP_ARCH_X86_64);
	assert_string_equal(p->arches[0].name, "SCMP_ARCH_X86_64");
	assert_int_equal(p->arches[1].arch, SCMP_ARCH_X86);
	assert_int_equal(p->arches[2].arch, SCMP_ARCH_X32);
	assert_string_equal(p->arches[2].name, "SCMP_ARCH_X32");
	assert_int_equal(p->narch_map, 0);
	assert_int_equal(p->flags, 0);
	assert_null(p->listener_path);

	assert_int_equal(p->nrules, 2);
	assert_int_equal(p->rules[0].nnames, 1);
	assert_string_equal(p->rules[0].names[0], "mkdir");
	assert_int_equal(p->rules[0].action, SCMP_ACT_LOG);
	assert_int_equal(p->rules[0].line, 9);
	assert_int_equal(p->rules[0].nargs, 0);
	assert_string_equal(p->rules[1].names[0], "unshare");
	assert_int_equal(p->rules[1].action, SCMP_ACT_KILL_THREAD);
	assert_string_equal(sca_profile_rule__action_name(&p->rules[1]), "SCMP_ACT_KILL_THREAD");
	assert_int_equal(sca_profile_rule__scmp_action(&p->rules[1]), SCMP_ACT_KILL_THREAD);
	assert_int_equal(sca_profile__default_scmp_action(p), SCMP_ACT_ALLOW);

	ret = sca_profile__build(p, &ctx, &skipped, err, sizeof(err));
	if (ret != 0)
		fail_msg("build: %d %s", ret, err);
	assert_int_equal(skipped, 0);
	assert_true(seccomp_arch_exist(ctx, SCMP_ARCH_X86) == 0);
	assert_true(seccomp_arch_exist(ctx, SCMP_ARCH_X32) == 0);
	assert_true(seccomp_arch_exist(ctx, seccomp_arch_native()) == 0);
	{
		long n = bpf_size(ctx);

		assert_true(n > 0);
		assert_int_equal(n % 8, 0); /* struct sock_filter */
	}
	seccomp_release(ctx);
	sca_profile__free(p);
}

static void test_docker_like(void **state)
{
	struct sca_profile *p = load_ok(PROFILES "docker-like.json");
	struct sca_profile_build_stats st;
	struct sca_profile_env env = env_amd64;
	const struct sca_profile_rule *r;
	scmp_filter_ctx ctx;
	uint32_t arches[8];
	char err[512] = "";
	int ret;

	(void)state;
	assert_int_equal(p->default_action, SCMP_ACT_ERRNO(0));
	assert_true(p->has_default_errno);
	assert_int_equal(p->default_errno, 1);
	assert_int_equal(sca_profile__default_scmp_action(p), SCMP_ACT_ERRNO(1));
	assert_int_equal(p->flags, SECCOMP_FILTER_FLAG_LOG);

	/* archMap, kept as written; Docker uses the native entry only */
	assert_int_equal(p->narches, 0);
	assert_int_equal(p->narch_map, 2);
	assert_int_equal(p->arch_map[0].arch.arch, SCMP_ARCH_X86_64);
	assert_int_equal(p->arch_map[0].nsub, 2);
	assert_int_equal(p->arch_map[0].sub[0].arch, SCMP_ARCH_X86);
	assert_string_equal(p->arch_map[0].sub[1].name, "SCMP_ARCH_X32");
	assert_int_equal(p->arch_map[1].arch.arch, SCMP_ARCH_AARCH64);
	assert_int_equal(p->arch_map[1].sub[0].arch, SCMP_ARCH_ARM);
	assert_int_equal(sca_profile__filter_arches(p, SCMP_ARCH_X86_64, arches, 8), 3);
	assert_int_equal(arches[0], SCMP_ARCH_X86_64);
	assert_int_equal(arches[1], SCMP_ARCH_X86);
	assert_int_equal(arches[2], SCMP_ARCH_X32);
	assert_int_equal(sca_profile__filter_arches(p, SCMP_ARCH_AARCH64, arches, 8), 2);
	assert_int_equal(arches[1], SCMP_ARCH_ARM);
	assert_int_equal(sca_profile__filter_arches(p, SCMP_ARCH_PPC64LE, arches, 8), 0);

	assert_int_equal(p->nrules, 8);
	r = &p->rules[0];
	assert_int_equal(r->nnames, 13);
	assert_string_equal(r->names[12], "no_such_syscall_xyz");

	r = &p->rules[1];
	assert_int_equal(r->nargs, 3);
	assert_int_equal(r->args[2].index, 0);
	assert_int_equal(r->args[2].value, 4294967295u);
	assert_int_equal(r->args[2].op, SCMP_CMP_EQ);
	assert_string_equal(r->comment, "several conditions on one argument are alternatives");

	r = &p->rules[2];
	assert_int_equal(r->args[0].op, SCMP_CMP_MASKED_EQ);
	assert_int_equal(r->args[0].value, 2114060288);
	assert_int_equal(r->args[0].value_two, 0);
	assert_int_equal(r->excludes.ncaps, 1);
	assert_string_equal(r->excludes.caps[0], "CAP_SYS_ADMIN");
	assert_int_equal(r->excludes.narches, 2);
	assert_string_equal(r->excludes.arches[1], "s390x");
	assert_int_equal(p->rules[3].includes.ncaps, 1);
	assert_string_equal(p->rules[4].includes.min_kernel, "4.8");
	assert_int_equal(p->rules[4].includes.narches, 3);

	/* the single "name" form, errnoRet */
	r = &p->rules[5];
	assert_int_equal(r->nnames, 1);
	assert_string_equal(r->names[0], "mkdir");
	assert_int_equal(r->action, SCMP_ACT_ERRNO(0));
	assert_true(r->has_errno_ret);
	assert_int_equal(r->errno_ret, 38);
	assert_int_equal(sca_profile_rule__scmp_action(r), SCMP_ACT_ERRNO(38));

	/* a uint64 beyond INT64_MAX survives */
	assert_true(p->rules[7].args[0].value == UINT64_MAX);
	assert_int_equal(p->rules[7].args[0].index, 1);

	/* Docker's conditions: no CAP_SYS_ADMIN, amd64, kernel 6.1 */
	assert_true(sca_profile_rule__applies(&p->rules[2], &env));
	assert_false(sca_profile_rule__applies(&p->rules[3], &env));
	assert_true(sca_profile_rule__applies(&p->rules[4], &env));
	ret = sca_profile__build_env(p, &env, &ctx, &st, err, sizeof(err));
	if (ret != 0)
		fail_msg("build: %d %s", ret, err);
	assert_int_equal(st.names_unknown, 1);
	assert_int_equal(st.rules_default, 1);   /* kcmp: ERRNO(1) is the default */
	assert_int_equal(st.rules_excluded, 1);  /* the CAP_SYS_ADMIN rule */
	assert_int_equal(st.arches_unsupported, 0);
	assert_true(bpf_size(ctx) > 0);
	seccomp_release(ctx);

	/* with CAP_SYS_ADMIN the other clone rule applies; on an old kernel arch_prctl goes */
	env.caps = 1ull << CAP_SYS_ADMIN;
	env.kernel[0] = 4, env.kernel[1] = 4;
	assert_false(sca_profile_rule__applies(&p->rules[2], &env));
	assert_true(sca_profile_rule__applies(&p->rules[3], &env));
	assert_false(sca_profile_rule__applies(&p->rules[4], &env));
	env.kernel[1] = 8;
	assert_true(sca_profile_rule__applies(&p->rules[4], &env));
	ret = sca_profile__build_env(p, &env, &ctx, &st, err, sizeof(err));
	assert_int_equal(ret, 0);
	assert_int_equal(st.rules_excluded, 1);
	seccomp_release(ctx);

	/* the aarch64 archMap entry, built on this host */
	env = env_amd64;
	env.native_arch = SCMP_ARCH_AARCH64;
	assert_false(sca_profile_rule__applies(&p->rules[4], &env));
	ret = sca_profile__build_env(p, &env, &ctx, &st, err, sizeof(err));
	if (ret != 0)
		fail_msg("build aarch64: %d %s", ret, err);
	assert_true(seccomp_arch_exist(ctx, SCMP_ARCH_AARCH64) == 0);
	assert_true(seccomp_arch_exist(ctx, SCMP_ARCH_ARM) == 0);
	assert_int_equal(seccomp_arch_exist(ctx, SCMP_ARCH_X86), -EEXIST);
	assert_int_equal(st.rules_excluded, 2);
	seccomp_release(ctx);

	/* and for this host */
	ret = sca_profile__build(p, &ctx, NULL, err, sizeof(err));
	if (ret != 0)
		fail_msg("build host: %d %s", ret, err);
	seccomp_release(ctx);
	sca_profile__free(p);
}

/* ---- SPO YAML ------------------------------------------------------- */

static void test_spo_yaml(void **state)
{
	struct sca_profile *p = load_ok(PROFILES "seed.yaml");
	const struct sca_profile_rule *r;
	scmp_filter_ctx ctx;
	unsigned skipped;
	char err[512] = "";
	int ret;

	(void)state;
	assert_int_equal(p->kind, SCA_PROFILE_SPO);
	assert_int_equal(p->syntax, SCA_PROFILE_YAML);
	assert_string_equal(p->api_version, "security-profiles-operator.x-k8s.io/v1beta1");
	assert_string_equal(p->spo_name, "seed");
	assert_string_equal(p->spo_namespace, "default");
	assert_null(p->base_profile_name);
	assert_false(p->disabled);
	assert_int_equal(p->default_action, SCMP_ACT_ALLOW);
	assert_int_equal(p->narches, 2);
	assert_int_equal(p->arches[1].arch, SCMP_ARCH_X86);
	assert_int_equal(p->flags, SECCOMP_FILTER_FLAG_SPEC_ALLOW);

	assert_int_equal(p->nrules, 3);
	assert_string_equal(p->rules[0].names[0], "mkdir");
	assert_int_equal(p->rules[0].action, SCMP_ACT_LOG);
	assert_int_equal(p->rules[0].line, 13);
	/* the SCMP_ACT_KILL alias is kept for writing back */
	r = &p->rules[1];
	assert_int_equal(r->action, SCMP_ACT_KILL_THREAD);
	assert_string_equal(r->action_name, "SCMP_ACT_KILL");
	assert_string_equal(sca_profile_rule__action_name(r), "SCMP_ACT_KILL");
	r = &p->rules[2];
	assert_string_equal(r->names[0], "setns");
	assert_int_equal(r->errno_ret, 95);
	assert_int_equal(r->nargs, 1);
	assert_int_equal(r->args[0].index, 1);
	assert_int_equal(r->args[0].value, 0x40000000);
	assert_int_equal(r->args[0].value_two, 0x40000000);
	assert_int_equal(r->args[0].op, SCMP_CMP_MASKED_EQ);

	ret = sca_profile__build(p, &ctx, &skipped, err, sizeof(err));
	if (ret != 0)
		fail_msg("build: %d %s", ret, err);
	assert_int_equal(skipped, 0);
	assert_true(bpf_size(ctx) > 0);
	seccomp_release(ctx);
	sca_profile__free(p);
}

/* ---- errors --------------------------------------------------------- */

static void test_errors(void **state)
{
	static const struct {
		const char *file;
		int ret;
		const char *want;      /* part of the message after the file name */
	} cases[] = {
		{ "truncated.json", -EBADMSG, ":4:0: not valid JSON: " },
		{ "not-yaml.yaml", -EBADMSG, ":2:9: not valid YAML: " },
		{ "binary.prof", -EBADMSG, ":1:1: not valid YAML: control characters" },
		{ "empty.json", -EINVAL, ": empty file" },
		{ "top-array.json", -EINVAL, ":1: top level is an array, expected an object" },
		{ "top-string.json", -EINVAL, ":1: top level is a string" },
		{ "no-default.json", -EINVAL, ":1: defaultAction: missing" },
		{ "bad-default.json", -EINVAL, ":1: defaultAction: unknown action \"SCMP_ACT_PERMIT\"" },
		{ "bad-action.json", -EINVAL, ":4: syscalls[2].action: unknown action \"SCMP_ACT_FOO\"" },
		{ "bad-arch.json", -EINVAL, ":3: architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"" },
		{ "bad-op.json", -EINVAL, ":7: syscalls[0].args[0].op: unknown operator \"SCMP_CMP_ABOUT\"" },
		{ "bad-flag.json", -EINVAL, ":3: flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_FAST\"" },
		{ "arg-index.json", -EINVAL, ":8: syscalls[0].args[0].index: index 6 out of range 0-5" },
		{ "names-type.json", -EINVAL, ":3: syscalls[0].names: expected an array, got a string" },
		{ "errno-type.json", -EINVAL, ":3: syscalls[0].errnoRet: expected an integer, got a string" },
		{ "value-negative.json", -EINVAL, ":4: syscalls[0].args[0].value: -9 is negative" },
		{ "wrong-kind.yaml", -EINVAL, ":2: kind: expected \"SeccompProfile\", got \"SelinuxProfile\"" },
		{ "bad-api.yaml", -EINVAL, ":1: apiVersion: unsupported \"example.com/v1\"" },
		{ "spo-bad-action.yaml", -EINVAL, ":8: spec.syscalls[1].action: unknown action \"SCMP_ACT_SOMETIMES\"" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512], want[512], err[512] = "";
		struct sca_profile *p = (void *)1;
		int ret;

		snprintf(path, sizeof(path), PROFILES "bad/%s", cases[i].file);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].want);
		ret = sca_profile__load(path, &p, err, sizeof(err));
		if (ret != cases[i].ret || p != NULL || strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s: got %d \"%s\", want %d \"%s...\"", cases[i].file, ret, err,
				 cases[i].ret, want);
		/* one line */
		assert_null(strchr(err, '\n'));
	}
}

static void test_errors_inline(void **state)
{
	char err[64];
	struct sca_profile *p;
	int ret;

	(void)state;
	ret = sca_profile__load(PROFILES "no-such-file.json", &p, err, sizeof(err));
	assert_int_equal(ret, -ENOENT);
	assert_non_null(strstr(err, "no-such-file.json"));
	ret = sca_profile__load(PROFILES, &p, err, sizeof(err));
	assert_int_equal(ret, -EISDIR);

	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 70000}", "x.json",
		     "x.json:1: defaultErrnoRet: 70000 is out of range 0-65535");
	load_str_bad("{\"defaultAction\": 1}", "x.json", "x.json:1: defaultAction: expected a string, got an integer");
	load_str_bad("defaultAction: SCMP_ACT_ALLOW\nsyscalls: {}\n", "x.yaml",
		     "x.yaml:2: syscalls: expected a list, got a mapping");
	load_str_bad("defaultAction: SCMP_ACT_ALLOW\nsyscalls:\n  - names: [a]\n", "x.yaml",
		     "x.yaml:3: syscalls[0].action: missing");
	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_LOG\","
		     " \"names\": [\"a\"], \"args\": [{\"index\": 0, \"value\": 1.5, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		     "x.json", "x.json:1: syscalls[0].args[0].value: expected an integer, got a fractional number");
	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_LOG\","
		     " \"names\": [\"a\"], \"args\": [{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		     "x.json", "value: 18446744073709551616 is out of range");
	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_LOG\","
		     " \"names\": [\"a\"], \"args\": [{\"index\": 0}]}]}", "x.json",
		     "x.json:1: syscalls[0].args[0].op: missing");
	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_LOG\","
		     " \"names\": [\"a\", 7]}]}", "x.json", "syscalls[0].names[1]: expected a string, got an integer");
	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_LOG\","
		     " \"name\": \"a\", \"names\": [\"b\"]}]}", "x.json", "syscalls[0].name: both \"name\" and \"names\"");
	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		     " \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}", "x.json",
		     "archMap: both \"architectures\" and \"archMap\"");
	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_LOG\","
		     " \"names\": [\"a\"], \"includes\": {\"minKernel\": \"four\"}}]}", "x.json",
		     "syscalls[0].includes.minKernel: \"four\" is no kernel version");
	load_str_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [{\"subArchitectures\": []}]}", "x.json",
		     "archMap[0].architecture: missing");
	load_str_bad("kind: SeccompProfile\nspec:\n  defaultAction: SCMP_ACT_ALLOW\n", "x.yaml",
		     "x.yaml:1: apiVersion: missing");
	load_str_bad("apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n", "x.yaml",
		     "x.yaml:1: spec: missing");
	load_str_bad("apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n"
		     "spec:\n  defaultAction: SCMP_ACT_ALLOW\n  disabled: maybe\n", "x.yaml",
		     "x.yaml:5: spec.disabled: expected a boolean, got a string");
	load_str_bad("defaultAction: SCMP_ACT_ALLOW\n---\ndefaultAction: SCMP_ACT_LOG\n", "x.yaml",
		     "x.yaml:3: more than one YAML document");
	load_str_bad("# nothing here\n", "x.yaml", "x.yaml: empty document");
	load_str_bad("? [a, b]\n: c\n", "x.yaml", "x.yaml:1: mapping key is not a string");
	load_str_bad("hello world\n", "x.json", "x.json:1:5: not valid JSON: invalid token");
	load_str_bad("hello world\n", "x.txt", "x.txt:1: top level is a string, expected a mapping");
	/* input quoted in a message cannot break it into lines */
	load_str_bad("{\"defaultAction\": \"SCMP\\nFOO\"}", "x.json",
		     "x.json:1: defaultAction: unknown action \"SCMP?FOO\"");
	load_str_bad("  \n", "x.yaml", "x.yaml: empty file");
	load_str_bad("\"a\\u0000b\"", "x.json", "x.json:1:");
	/* a recursive alias and a quadratic one end with an error, not a hang */
	load_str_bad("a: &x [*x]\n", "x.yaml", "x.yaml:");
	load_str_bad("a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
		     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
		     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e]\n",
		     "x.yaml", "x.yaml:");
	{
		char deep[512];
		int n = snprintf(deep, sizeof(deep), "{\"syscalls\": ");

		for (int i = 0; i < 100; i++)
			deep[n++] = '[';
		for (int i = 0; i < 100; i++)
			deep[n++] = ']';
		snprintf(deep + n, sizeof(deep) - (size_t)n, "}");
		load_str_bad(deep, "x.json", "x.json:1: nested deeper than");
	}

	/* a small ERR buffer truncates, and NULL is allowed */
	ret = sca_profile__load_buf("[]", 2, "x.json", &p, err, 8);
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(strlen(err), 7);
	ret = sca_profile__load_buf("[]", 2, "x.json", &p, NULL, 0);
	assert_int_equal(ret, -EINVAL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Load a built text expecting failure with WANT, and fast: these took from
 * 30 s to minutes; in linear time they take well under a second (a few
 * under valgrind).
 */
static void load_big_bad(char *text, const char *name, const char *want)
{
	double t0 = now_s();

	load_str_bad(text, name, want);
	if (now_s() - t0 > 10)
		fail_msg("%s: %.1f s to refuse \"%s\"", name, now_s() - t0, want);
	free(text);
}

/* N copies of S, between HEAD and TAIL. */
static char *repeat(const char *head, const char *s, size_t n, const char *tail)
{
	size_t hl = strlen(head), sl = strlen(s), tl = strlen(tail);
	char *b = malloc(hl + sl * n + tl + 1), *w = b;

	assert_non_null(b);
	memcpy(w, head, hl);
	w += hl;
	for (size_t i = 0; i < n; i++, w += sl)
		memcpy(w, s, sl);
	memcpy(w, tail, tl + 1);
	return b;
}

/*
 * Inputs that cost far more than their size: an alias of a big scalar used
 * thousands of times (the old guard counted values, not bytes), and
 * nesting libyaml's scanner takes quadratic time over.
 */
static void test_bombs(void **state)
{
	char *big, *text;
	size_t n;

	(void)state;
	/* a 100 KB scalar aliased 2000 times: 200 MB expanded */
	big = repeat("defaultAction: SCMP_ACT_ERRNO\nx: &a ", "A", 100000, "\ny:\n");
	text = repeat(big, "  - *a\n", 2000, "");
	free(big);
	load_big_bad(text, "x.yaml", "document too large with its aliases expanded");

	/* 100,000 levels, as YAML, as JSON named .yaml, and as block sequences */
	n = 100000;
	load_big_bad(repeat("a: ", "[", n, "\n"), "x.yaml", "x.yaml:1: nested deeper than 64 levels");
	load_big_bad(repeat("", "[", n, "\n"), "x.yaml", "x.yaml:1: nested deeper than 64 levels");
	load_big_bad(repeat("", "- ", n, "x\n"), "x.yaml", "x.yaml:1: nested deeper than 64 levels");
	load_big_bad(repeat("{\"a\": ", "[", n, "\n"), "x", "x:1:");
	text = repeat("", "[", 1000, "");
	load_big_bad(repeat(text, "]", 1000, ""), "x.json", "x.json:1: nested deeper than 64 levels");
	free(text);
	/* an alias of a deep node, used deep down */
	text = repeat("a: &a ", "[", 40, "");
	big = repeat(text, "]", 40, "\nb: ");
	free(text);
	text = repeat(big, "[", 40, "*a");
	free(big);
	load_big_bad(text, "x.yaml", "x.yaml:2: nested deeper than 64 levels");

	/* 50,000 anchors, then an alias of each: libyaml's loader looked them up in a list */
	text = malloc(40 * 100000 + 64);
	assert_non_null(text);
	n = (size_t)sprintf(text, "x:\n");
	for (int i = 0; i < 50000; i++)
		n += (size_t)sprintf(text + n, "  - &a%d %d\n", i, i);
	n += (size_t)sprintf(text + n, "y:\n");
	for (int i = 49999; i >= 0; i--)
		n += (size_t)sprintf(text + n, "  - *a%d\n", i);
	load_big_bad(text, "x.yaml", "defaultAction: missing");
}

/* Anchors and aliases still mean what they always did. */
static void test_aliases(void **state)
{
	struct sca_profile *p;

	(void)state;
	p = load_str("defaultAction: SCMP_ACT_ERRNO\nsyscalls:\n"
		     "  - &rule {&k names: &n [read, write], action: SCMP_ACT_ALLOW}\n"
		     "  - {*k : [open], action: &log SCMP_ACT_LOG}\n"
		     "  - *rule\n"
		     "  - {names: *n, action: *log}\n", "x.yaml");
	assert_int_equal(p->nrules, 4);
	assert_int_equal(p->rules[0].nnames, 2);
	assert_string_equal(p->rules[0].names[1], "write");
	assert_int_equal(p->rules[1].nnames, 1);
	assert_string_equal(p->rules[1].names[0], "open");
	assert_int_equal(p->rules[1].action, SCMP_ACT_LOG);
	assert_int_equal(p->rules[2].nnames, 2);
	assert_int_equal(p->rules[2].action, SCMP_ACT_ALLOW);
	assert_int_equal(p->rules[3].nnames, 2);
	assert_int_equal(p->rules[3].action, SCMP_ACT_LOG);
	sca_profile__free(p);

	/* a later anchor of the same name wins, as YAML says */
	p = load_str("defaultAction: SCMP_ACT_ERRNO\nsyscalls:\n"
		     "  - {names: &n [a], action: SCMP_ACT_ALLOW}\n"
		     "  - {names: &n [b, c], action: SCMP_ACT_ALLOW}\n"
		     "  - {names: *n, action: SCMP_ACT_LOG}\n", "x.yaml");
	assert_int_equal(p->rules[2].nnames, 2);
	sca_profile__free(p);

	load_str_bad("a: *nowhere\n", "x.yaml", "x.yaml:1: alias *nowhere names no complete node");
	load_str_bad("a: &a\n  b: *a\n", "x.yaml", "x.yaml:2: alias *a names no complete node");
}

#define SPO_HEAD(v) "apiVersion: security-profiles-operator.x-k8s.io/" v "\nkind: SeccompProfile\n"
#define UPSTREAM PROFILES "upstream/"

/* v1 (cluster-scoped, SPO 1.0), v1beta1 and v1alpha1; state and the older disabled. */
static void test_spo_versions(void **state)
{
	static const char *const versions[] = { "v1", "v1beta1", "v1alpha1" };
	struct sca_profile *p;
	char text[512];

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "apiVersion: security-profiles-operator.x-k8s.io/%s\n"
			 "kind: SeccompProfile\nmetadata: {name: x}\nspec:\n  defaultAction: SCMP_ACT_LOG\n",
			 versions[i]);
		p = load_str(text, "x.yaml");
		assert_int_equal(p->kind, SCA_PROFILE_SPO);
		assert_non_null(strstr(p->api_version, versions[i]));
		assert_int_equal(p->default_action, SCMP_ACT_LOG);
		assert_false(p->disabled);
		sca_profile__free(p);
	}
	/* the operator's own example, as published */
	p = load_ok(UPSTREAM "spo-examples-seccompprofile-allowed-syscalls-change.yaml");
	assert_string_equal(p->api_version, "security-profiles-operator.x-k8s.io/v1");
	assert_string_equal(p->spo_name, "profile-allowed-syscalls");
	assert_int_equal(p->nrules, 1);
	assert_int_equal(p->rules[0].nnames, 4);
	sca_profile__free(p);

	p = load_str(SPO_HEAD("v1") "spec:\n  defaultAction: SCMP_ACT_LOG\n  state: Disabled\n", "x.yaml");
	assert_true(p->disabled);
	sca_profile__free(p);
	p = load_str(SPO_HEAD("v1") "spec: {defaultAction: SCMP_ACT_LOG, state: Enabled, disabled: false}\n",
		     "x.yaml");
	assert_false(p->disabled);
	sca_profile__free(p);
	p = load_str(SPO_HEAD("v1beta1") "spec: {defaultAction: SCMP_ACT_LOG, disabled: true, state: Disabled}\n",
		     "x.yaml");
	assert_true(p->disabled);
	sca_profile__free(p);

	load_str_bad(SPO_HEAD("v1") "spec: {defaultAction: SCMP_ACT_LOG, state: Off}\n", "x.yaml",
		     "x.yaml:3: spec.state: expected \"Enabled\" or \"Disabled\", got \"Off\"");
	load_str_bad(SPO_HEAD("v1") "spec: {defaultAction: SCMP_ACT_LOG, state: [Disabled]}\n", "x.yaml",
		     "x.yaml:3: spec.state: expected a string, got a list");
	load_str_bad(SPO_HEAD("v1") "spec: {defaultAction: SCMP_ACT_LOG, disabled: true, state: Enabled}\n",
		     "x.yaml", "spec.state: \"Enabled\" but disabled: true; use one");
	load_str_bad(SPO_HEAD("v2") "spec: {defaultAction: SCMP_ACT_LOG}\n", "x.yaml",
		     "x.yaml:1: apiVersion: unsupported \"security-profiles-operator.x-k8s.io/v2\" "
		     "(expected security-profiles-operator.x-k8s.io/v1, v1beta1 or v1alpha1)");
	load_str_bad("apiVersion: security-profiles-operator.x-k8s.io/v1beta\nkind: SeccompProfile\n"
		     "spec: {defaultAction: SCMP_ACT_LOG}\n", "x.yaml", "apiVersion: unsupported");
	load_str_bad("apiVersion: v1\nkind: SeccompProfile\nspec: {defaultAction: SCMP_ACT_LOG}\n", "x.yaml",
		     "apiVersion: unsupported \"v1\"");
}

/* Load the document DOC of TEXT expecting failure; the message must contain WANT. */
static void load_doc_bad(const char *text, const char *doc, const char *want)
{
	struct sca_profile *p = (void *)1;
	char err[512] = "";
	int ret;

	ret = sca_profile__load_doc_buf(text, strlen(text), "m.yaml", doc, &p, err, sizeof(err));
	if (ret != -EINVAL || p != NULL || !strstr(err, want))
		fail_msg("#%s: got %d \"%s\", want an error with \"%s\"", doc ? doc : "", ret, err, want);
}

static struct sca_profile *load_doc(const char *text, const char *doc)
{
	struct sca_profile *p = NULL;
	char err[512] = "";

	if (sca_profile__load_doc_buf(text, strlen(text), "m.yaml", doc, &p, err, sizeof(err)))
		fail_msg("#%s: %s", doc ? doc : "", err);
	return p;
}

/* Files of several documents: the one SeccompProfile, or the one named. */
static void test_multi_doc(void **state)
{
	static const char two[] =
		"---\n" SPO_HEAD("v1") "metadata: {name: a}\nspec: {defaultAction: SCMP_ACT_LOG}\n"
		"---\n" SPO_HEAD("v1") "metadata: {name: b}\nspec: {defaultAction: SCMP_ACT_ERRNO}\n---\n";
	static const char mixed[] =
		"apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
		SPO_HEAD("v1beta1") "metadata: {name: web, namespace: shop}\nspec: {defaultAction: SCMP_ACT_TRAP}\n"
		"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n";
	struct sca_profile *p;
	char path[512];

	(void)state;
	/* one SeccompProfile among other kinds is that one, named or not */
	p = load_doc(mixed, NULL);
	assert_string_equal(p->spo_name, "web");
	assert_int_equal(p->default_action, SCMP_ACT_TRAP);
	sca_profile__free(p);
	p = load_doc(mixed, "web");
	assert_string_equal(p->spo_namespace, "shop");
	sca_profile__free(p);
	load_doc_bad(mixed, "shop", "m.yaml: no SeccompProfile named \"shop\"; the file holds \"web\"");

	/* of several, the one named; lines count from the top of the file */
	p = load_doc(two, "b");
	assert_int_equal(p->default_action, SCMP_ACT_ERRNO(0));
	sca_profile__free(p);
	load_doc_bad(two, NULL, "m.yaml: 2 SeccompProfiles; name one as FILE#NAME: \"a\", \"b\"");
	load_doc_bad(two, "c", "m.yaml: no SeccompProfile named \"c\"; the file holds \"a\", \"b\"");
	load_doc_bad("---\n" SPO_HEAD("v1") "metadata: {name: a}\nspec: {defaultAction: bad}\n---\n"
		     SPO_HEAD("v1") "metadata: {name: b}\nspec: {}\n", "b", "m.yaml:10: spec.defaultAction: missing");
	load_doc_bad("---\n" SPO_HEAD("v1") "metadata: {name: a}\nspec: {}\n---\n"
		     SPO_HEAD("v1") "metadata: {name: a}\nspec: {}\n", "a",
		     "m.yaml: 2 SeccompProfiles named \"a\"; the file holds \"a\", \"a\"");
	load_doc_bad("kind: Pod\n---\nkind: Service\n", NULL,
		     "m.yaml:3: more than one YAML document, and no SeccompProfile among them");
	load_doc_bad("kind: Pod\n---\nkind: Service\n", "x",
		     "m.yaml: no SeccompProfile named \"x\": the file holds no SeccompProfile");
	/* a name asked of a single document must be its name */
	load_doc_bad(SPO_HEAD("v1") "metadata: {name: a}\nspec: {}\n", "b", "; the file holds \"a\"");
	load_doc_bad("{\"defaultAction\": \"SCMP_ACT_LOG\"}", "b", "the file holds no SeccompProfile");
	/* a hostile name stays on one line in the message */
	load_doc_bad("---\n" SPO_HEAD("v1") "metadata: {name: \"a\\nb\"}\n---\n" SPO_HEAD("v1")
		     "metadata: {name: c}\n", NULL, "FILE#NAME: \"a?b\", \"c\"");

	/* an alias names a node of its own document only */
	load_doc_bad("x: &a [read]\n---\n" SPO_HEAD("v1") "metadata: {name: a}\n"
		     "spec: {defaultAction: SCMP_ACT_LOG, syscalls: [{action: SCMP_ACT_ALLOW, names: *a}]}\n", NULL,
		     "m.yaml:6: alias *a names no complete node");

	/* FILE#NAME, from the operator's own examples; a file of that very name comes first */
	snprintf(path, sizeof(path), "%s#profile-complain-block-high-risk", UPSTREAM "spo-examples-seccompprofile.yaml");
	p = load_ok(path);
	assert_int_equal(p->default_action, SCMP_ACT_LOG);
	assert_true(p->nrules >= 2);
	assert_string_equal(p->source, UPSTREAM "spo-examples-seccompprofile.yaml");
	sca_profile__free(p);
	snprintf(path, sizeof(path), "%s#profile-denied-syscalls",
		 UPSTREAM "spo-examples-seccompprofile-allowed-syscalls-validation.yaml");
	p = load_ok(path);
	assert_string_equal(p->spo_name, "profile-denied-syscalls");
	sca_profile__free(p);
	{
		char err[512] = "";

		p = (void *)1;
		assert_int_equal(sca_profile__load(UPSTREAM "spo-examples-seccompprofile.yaml", &p, err,
						   sizeof(err)), -EINVAL);
		assert_null(p);
		assert_non_null(strstr(err, "4 SeccompProfiles; name one as FILE#NAME: "
					    "\"profile-block-all\", \"profile-complain-unsafe\","));
		assert_int_equal(sca_profile__load(UPSTREAM "nowhere.yaml#x", &p, err, sizeof(err)), -ENOENT);
		assert_non_null(strstr(err, "nowhere.yaml: No such file"));
		assert_int_equal(sca_profile__load(UPSTREAM "spo-examples-seccompprofile.yaml#", &p, err,
						   sizeof(err)), -ENOENT);
	}
	snprintf(path, sizeof(path), "%s/a#b.json", tmpdir);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs("{\"defaultAction\": \"SCMP_ACT_TRAP\"}\n", f);
		assert_int_equal(fclose(f), 0);
		p = load_ok(path);
		assert_int_equal(p->default_action, SCMP_ACT_TRAP);
		sca_profile__free(p);
		assert_int_equal(unlink(path), 0);
	}
}

/* The YAML limits hold over a whole stream, not afresh for each document. */
static void test_multi_doc_limits(void **state)
{
	char *one, *text;

	(void)state;
	/* each document's aliases under the limit (3 MB of 9), all of them over it (40 x 3 MB) */
	one = repeat("---\nx: &a ", "A", 100000, "\ny:\n");
	text = repeat(one, "", 1, "");
	free(one);
	one = repeat(text, "  - *a\n", 30, "");
	free(text);
	text = repeat("", one, 40, SPO_HEAD("v1") "spec: {defaultAction: SCMP_ACT_LOG}\n");
	free(one);
	load_big_bad(text, "x.yaml", "document too large with its aliases expanded");
	/* depth is still per document */
	load_big_bad(repeat("kind: Pod\n---\n", "[", 100000, "\n"), "x.yaml", "x.yaml:3: nested deeper than 64 levels");
}

/* Detection by content, name hints, leniency where the runtimes are lenient. */
static void test_detect(void **state)
{
	struct sca_profile *p;

	(void)state;
	/* SPO as JSON (kubectl -o json), no name hint */
	p = load_str("{\"apiVersion\": \"security-profiles-operator.x-k8s.io/v1alpha1\", \"kind\": \"SeccompProfile\","
		     " \"metadata\": {\"name\": \"j\"}, \"spec\": {\"defaultAction\": \"SCMP_ACT_LOG\","
		     " \"baseProfileName\": \"runc-v1.1.0\", \"disabled\": true}}", NULL);
	assert_int_equal(p->kind, SCA_PROFILE_SPO);
	assert_int_equal(p->syntax, SCA_PROFILE_JSON);
	assert_string_equal(p->base_profile_name, "runc-v1.1.0");
	assert_true(p->disabled);
	assert_string_equal(p->source, "profile");
	sca_profile__free(p);

	/* an OCI profile written as YAML, JSON in a .yaml file, YAML in a .json file */
	p = load_str("defaultAction: SCMP_ACT_ERRNO\ndefaultErrnoRet: 0x26\nsyscalls:\n"
		     "  - {names: [read, write], action: SCMP_ACT_ALLOW}\n---\n", "oci.yml");
	assert_int_equal(p->kind, SCA_PROFILE_OCI);
	assert_int_equal(p->syntax, SCA_PROFILE_YAML);
	assert_int_equal(p->default_errno, 38);
	assert_int_equal(p->rules[0].nnames, 2);
	sca_profile__free(p);
	p = load_str("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", "looks.yaml");
	assert_int_equal(p->syntax, SCA_PROFILE_JSON);
	sca_profile__free(p);
	p = load_str("defaultAction: SCMP_ACT_ALLOW\n", "misnamed.json");
	assert_int_equal(p->syntax, SCA_PROFILE_YAML);
	sca_profile__free(p);

	/* Go's decoding: unknown keys ignored, null is absent, keys fold case, last wins */
	p = load_str("{\"DefaultAction\": \"SCMP_ACT_ALLOW\", \"defaultAction\": \"SCMP_ACT_KILL_PROCESS\","
		     " \"architectures\": null, \"future\": {\"x\": [1]}, \"listenerPath\": \"/run/l.sock\","
		     " \"listenerMetadata\": \"m\", \"syscalls\": [{\"names\": [\"a\\u00e9\\ud83d\\ude00\"],"
		     " \"action\": \"SCMP_ACT_NOTIFY\", \"args\": null}],"
		     " \"flags\": [\"SECCOMP_FILTER_FLAG_TSYNC\", \"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}", "x.json");
	assert_int_equal(p->default_action, SCMP_ACT_KILL_PROCESS);
	assert_int_equal(p->narches, 0);
	assert_string_equal(p->listener_path, "/run/l.sock");
	assert_string_equal(p->listener_metadata, "m");
	assert_string_equal(p->rules[0].names[0], "a\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(p->rules[0].action, SCMP_ACT_NOTIFY);
	assert_int_equal(p->flags, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	sca_profile__free(p);
}

/* ---- building -------------------------------------------------------- */

static void test_build_in_memory(void **state)
{
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ALLOW);
	struct sca_profile_build_stats st;
	struct sca_profile_rule *r;
	scmp_filter_ctx ctx;
	char err[256] = "";
	int ret;

	(void)state;
	assert_non_null(p);
	assert_int_equal(sca_profile__add_arch(p, SCMP_ARCH_X86), 0);
	assert_int_equal(sca_profile__add_arch(p, 0x1234), -ENOENT);
	/* known to profiles, not to libseccomp 2.5: skipped, counted */
	assert_int_equal(sca_profile__add_arch(p, 0xc0000102), 0);
	assert_string_equal(p->arches[1].name, "SCMP_ARCH_LOONGARCH64");
	r = sca_profile__add_rule(p, SCMP_ACT_ALLOW);   /* the default: skipped */
	assert_int_equal(sca_profile_rule__add_name(r, "read"), 0);
	r = sca_profile__add_rule(p, SCMP_ACT_ERRNO(0));
	assert_int_equal(sca_profile_rule__add_name(r, "socket"), 0);
	assert_int_equal(sca_profile_rule__add_name(r, "not_a_syscall"), 0);
	assert_int_equal(sca_profile_rule__add_arg(r, &(struct sca_profile_arg){ 0, 40, 0, SCMP_CMP_EQ }), 0);
	assert_int_equal(sca_profile_rule__add_arg(r, &(struct sca_profile_arg){ 6, 0, 0, SCMP_CMP_EQ }), -EINVAL);
	assert_int_equal(sca_profile_rule__scmp_action(r), SCMP_ACT_ERRNO(EPERM));
	assert_string_equal(sca_profile_rule__action_name(r), "SCMP_ACT_ERRNO");
	assert_null(sca_profile_action__name(0x12340000));

	ret = sca_profile__build_env(p, &env_amd64, &ctx, &st, err, sizeof(err));
	if (ret != 0)
		fail_msg("build: %d %s", ret, err);
	assert_int_equal(st.rules_default, 1);
	assert_int_equal(st.names_unknown, 1);
	if (seccomp_arch_add(ctx, 0xc0000102) == -EINVAL)
		assert_int_equal(st.arches_unsupported, 1);
	seccomp_release(ctx);

	/* a flag this libseccomp cannot set is an error that names it */
	p->flags = SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	ret = sca_profile__build(p, &ctx, NULL, err, sizeof(err));
#if SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR < 6
	assert_int_equal(ret, -EOPNOTSUPP);
	assert_null(ctx);
	assert_non_null(strstr(err, "profile: flag SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
#else
	if (ret == 0)
		seccomp_release(ctx);
#endif
	sca_profile__free(p);
	sca_profile__free(NULL);
}

/* ---- enforcement ------------------------------------------------------ */

/*
 * The child loads the filter and reports by exit status: 0 when mkdir()
 * fails with errno 38 while getpid() works.
 */
static int child_enforce(void)
{
	struct sca_profile *p = NULL;
	scmp_filter_ctx ctx = NULL;
	char err[512], dir[128];
	int ret;

	/* loading needs the level this kernel (or valgrind) really has */
	seccomp_api_set(detected_api);
	if (sca_profile__load(PROFILES "mkdir-enosys.json", &p, err, sizeof(err)) < 0)
		return 10;
	ret = sca_profile__build(p, &ctx, NULL, err, sizeof(err));
	sca_profile__free(p);
	if (ret < 0)
		return 11;
	ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret < 0)
		return 12;
	if (getpid() <= 0)
		return 13;
	snprintf(dir, sizeof(dir), "%s/blocked", tmpdir);
	errno = 0;
	if (mkdir(dir, 0700) == 0)
		return 14;
	if (errno != 38)
		return 15;
	return 0;
}

/* A rule's error names its place in the source, whatever sorting did to the model. */
static void test_rule_where(void **state)
{
	(void)state;
	static const char doc[] =
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
		" {\"names\": [\"write\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
		" {\"names\": [\"close\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
		" {\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
		" {\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL_PROCESS\",\n"
		"  \"args\": [{\"index\": 0, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"}]}]}\n";
	struct sca_profile *p = NULL;
	scmp_filter_ctx ctx = NULL;
	char err[512];

	assert_int_equal(sca_profile__load_buf(doc, strlen(doc), "four.json", &p, err, sizeof(err)), 0);
	sca_profile__normalize(p);              /* the kill rule sorts first */
	assert_int_equal(p->rules[0].action, SCMP_ACT_KILL_PROCESS);
	p->rules[0].args[0].index = 7;          /* what no parser lets in, to make the build fail */
	assert_int_equal(sca_profile__build(p, &ctx, NULL, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "four.json:5: syscalls[3]: args[0]: index 7 out of range 0-5");
	sca_profile__free(p);

	/* built in memory: its place in the model */
	p = sca_profile__new(SCMP_ACT_ERRNO(0));
	struct sca_profile_rule *r = sca_profile__add_rule(p, SCMP_ACT_ALLOW);
	struct sca_profile_arg arg = { 0, 1, 0, SCMP_CMP_EQ };
	assert_int_equal(sca_profile_rule__add_name(r, "read"), 0);
	assert_int_equal(sca_profile_rule__add_arg(r, &arg), 0);
	r->args[0].index = 6;
	assert_int_equal(sca_profile__build(p, &ctx, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ": rule 1 of the profile built: args[0]: index 6 out of range 0-5"));
	sca_profile__free(p);
}

/* Conditions as messages print them. */
static void test_arg_str(void **state)
{
	(void)state;
	struct sca_profile_arg eq = { 0, 2, 0, SCMP_CMP_EQ }, ne = { 1, 40, 0, SCMP_CMP_NE };
	struct sca_profile_arg m = { 0, 0x7e020000, 0, SCMP_CMP_MASKED_EQ }, big = { 2, 0x80045430, 0, SCMP_CMP_GE };
	struct sca_profile_arg both[2] = { { 0, 0xffffffff, 10, SCMP_CMP_MASKED_EQ }, { 1, 0xf, 3, SCMP_CMP_MASKED_EQ } };
	struct sca_profile_rule r = { .args = both, .nargs = 2 }, none = { 0 };
	char buf[128];

	assert_string_equal(sca_profile_arg__str(&eq, buf, sizeof(buf)), "arg0 == 2");
	assert_string_equal(sca_profile_arg__str(&ne, buf, sizeof(buf)), "arg1 != 40");
	assert_string_equal(sca_profile_arg__str(&m, buf, sizeof(buf)), "arg0 & 0x7e020000 == 0");
	assert_string_equal(sca_profile_arg__str(&big, buf, sizeof(buf)), "arg2 >= 0x80045430");
	assert_string_equal(sca_profile_rule__args_str(&r, buf, sizeof(buf)),
			    "arg0 & 0xffffffff == 10 && arg1 & 0xf == 3");
	assert_string_equal(sca_profile_rule__args_str(&none, buf, sizeof(buf)), "any arguments");
	/* cut short, never overrun */
	assert_int_equal(strlen(sca_profile_rule__args_str(&r, buf, 12)), 11);
}

static void test_enforce_errno(void **state)
{
	struct stat st;
	char dir[128];
	pid_t pid;
	int status;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_enforce());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* the parent is untouched */
	snprintf(dir, sizeof(dir), "%s/blocked", tmpdir);
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(rmdir(dir), 0);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	/*
	 * Building a filter is user-space work, but libseccomp refuses actions
	 * and attributes above the API level it detected. Valgrind lacks the
	 * seccomp() syscall, so there it detects 1; pin what building needs.
	 */
	detected_api = seccomp_api_get();
	if (detected_api < 4 && seccomp_api_set(4) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	seccomp_api_set(detected_api);
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_json),
		cmocka_unit_test(test_docker_like),
		cmocka_unit_test(test_spo_yaml),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_inline),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_bombs),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_spo_versions),
		cmocka_unit_test(test_multi_doc),
		cmocka_unit_test(test_multi_doc_limits),
		cmocka_unit_test(test_build_in_memory),
		cmocka_unit_test(test_enforce_errno),
		cmocka_unit_test(test_arg_str),
		cmocka_unit_test(test_rule_where),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
