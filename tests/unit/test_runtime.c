/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * profile-gen/runtime.c: a container's profile allows what its runtime's
 * init calls under the filter before exec (runc's or crun's, both when the
 * trace names another runtime) and the signal calls; the host's does not,
 * nor a profile of host and containers together; a name the recording saw
 * refused, or a base refuses, stays refused; off without runtime_needs.
 * Traces are synthetic, written with the format's writer.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "filter.h"
#include "gen.h"
#include "trace.h"

#define X86_64 0xc000003eu
#define NR_READ 0
#define NR_WRITE 1
#define NR_GETPID 39
#define T0 1700000000000000000ull

static const struct sca_container web = { "runc", "aaaa0001", "web", NULL, NULL, NULL, NULL };
static const struct sca_container redis = { "crun", "bbbb0002", "redis", NULL, NULL, NULL, NULL };
static const struct sca_container pod = { "cri-o", "cccc0003", "pod", NULL, NULL, NULL, NULL };
static const struct sca_container refused = { "runc", "dddd0004", "refused", NULL, NULL, NULL, NULL };

static const char *const signal_names[] = { "rt_sigreturn", "restart_syscall", "sigreturn", NULL };

static struct sca_event proc(int32_t pid, const struct sca_container *c)
{
	struct sca_event e = { .time_ns = T0, .pid = pid, .tid = pid, .ppid = 1, .uid = 0, .gid = 0,
			       .auid = 4294967295u, .ses = 4294967295u, .comm = "x", .exe = "/bin/x",
			       .container = c, .arch = X86_64 };
	return e;
}

static void calls(struct sca_writer *w, struct sca_event e, int32_t nr, uint32_t flags)
{
	struct sca_calls c = { .ev = e, .count = 3, .flags = flags };

	c.ev.syscall = nr;
	assert_int_equal(sca_writer__add_calls(w, &c), 0);
}

/* The host reads and writes; each container reads under its filter; refused's getpid was refused. */
static const char *trace(void)
{
	static char path[256];
	struct sca_writer *w;

	if (path[0])
		return path;
	w = scratch_trace("rt.trace", path, sizeof(path));
	calls(w, proc(100, NULL), NR_READ, 0);
	calls(w, proc(100, NULL), NR_WRITE, 0);
	calls(w, proc(200, &web), NR_READ, SCA_CALLS_FILTERED);
	calls(w, proc(300, &redis), NR_READ, SCA_CALLS_FILTERED);
	calls(w, proc(400, &pod), NR_READ, SCA_CALLS_FILTERED);
	calls(w, proc(500, &refused), NR_READ, SCA_CALLS_FILTERED);
	struct sca_event e = proc(500, &refused);
	e.syscall = NR_GETPID;
	e.code = 0x00050001;       /* errno(1) */
	assert_int_equal(sca_writer__add_event(w, &e), 0);
	assert_int_equal(sca_writer__close(w), 0);
	return path;
}

static struct sca_gen_set *collect(const struct sca_filter *f)
{
	const char *path = trace();
	struct sca_gen_set *s = NULL;
	struct sca_filter none = { 0 };
	char err[256];

	assert_int_equal(sca_gen__collect(&path, 1, f ? f : &none, stderr, NULL, &s, err, sizeof(err)), 0);
	return s;
}

static int group(const struct sca_gen_set *s, const char *name)
{
	for (size_t g = 0; g < s->ngroups; g++)
		if (!strcmp(s->groups[g], name))
			return (int)g;
	fail_msg("no group %s", name);
	return -1;
}

struct result {
	char **names;
	size_t n;
	char *notes;
};

/* GROUP's profile (validated), with the runtime's needs or not, on BASE or none. */
static struct result profile(const struct sca_gen_set *s, int group, bool needs, const char *base)
{
	/* errno, not kill_process: libseccomp under valgrind cannot probe for the latter */
	struct sca_gen_opts o = { .default_action = SCMP_ACT_ERRNO(0), .has_default_errno = true, .default_errno = 1,
				  .runtime_needs = needs, .base = base };
	struct sca_profile *p = NULL;
	struct result r = { 0 };
	size_t len = 0;
	char err[256];
	FILE *nf = open_memstream(&r.notes, &len);

	assert_non_null(nf);
	assert_int_equal(sca_gen__profile(s, group, &o, nf, &p, err, sizeof(err)), 0);
	fclose(nf);
	if (sca_gen__validate(p, err, sizeof(err)))
		fail_msg("the profile does not load: %s", err);
	r.names = sca_gen__allowed_names(p, &r.n);
	sca_profile__free(p);
	return r;
}

static void result_free(struct result *r)
{
	sca_gen__free_names(r->names, r->n);
	free(r->notes);
}

static bool has(const struct result *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->names[i], name))
			return true;
	return false;
}

static void assert_all(const struct result *r, const char *const *names, bool want)
{
	for (size_t i = 0; names[i]; i++)
		if (has(r, names[i]) != want)
			fail_msg("%s %s; notes: %s", names[i], want ? "missing" : "allowed", r->notes);
}

/* A name RUNTIME needs and OTHER does not; NULL when there is none. */
static const char *only_in(const char *runtime, const char *other)
{
	const char *const *a = sca_gen_runtime__needs(runtime), *const *b = sca_gen_runtime__needs(other);

	for (size_t i = 0; a[i]; i++) {
		size_t k = 0;
		while (b[k] && strcmp(a[i], b[k]))
			k++;
		if (!b[k])
			return a[i];
	}
	return NULL;
}

static void test_data(void **state)
{
	(void)state;
	const char *const *runc = sca_gen_runtime__needs("runc"), *const *crun = sca_gen_runtime__needs("crun");
	bool exec = false;

	assert_non_null(runc);
	assert_non_null(crun);
	assert_null(sca_gen_runtime__needs("cri-o"));
	assert_null(sca_gen_runtime__needs(NULL));
	/* every runtime's init ends in execve under the filter */
	for (size_t i = 0; runc[i]; i++)
		exec |= !strcmp(runc[i], "execve");
	assert_true(exec);
	assert_non_null(only_in("runc", "crun"));
}

static void test_runc(void **state)
{
	(void)state;
	struct sca_gen_set *s = collect(NULL);
	struct result r = profile(s, group(s, "web"), true, NULL);

	assert_all(&r, sca_gen_runtime__needs("runc"), true);
	assert_all(&r, signal_names, true);
	assert_true(has(&r, "read"));
	assert_non_null(strstr(r.notes, "sca profile-gen: container web: runtime needs (runc): added rt_sigreturn, "
					 "restart_syscall, sigreturn, "));
	assert_null(strstr(r.notes, "not known"));
	assert_int_equal(strchr(r.notes, '\n') - r.notes + 1, (long)strlen(r.notes));   /* one line */
	result_free(&r);
	sca_gen_set__free(s);
}

static void test_crun(void **state)
{
	(void)state;
	struct sca_gen_set *s = collect(NULL);
	struct result r = profile(s, group(s, "redis"), true, NULL);

	assert_all(&r, sca_gen_runtime__needs("crun"), true);
	assert_all(&r, signal_names, true);
	/* runc's own calls are not crun's */
	assert_false(has(&r, only_in("runc", "crun")));
	assert_non_null(strstr(r.notes, "container redis: runtime needs (crun): added "));
	result_free(&r);
	sca_gen_set__free(s);
}

/* A runtime without measurements: both runtimes' needs. */
static void test_unknown(void **state)
{
	(void)state;
	struct sca_gen_set *s = collect(NULL);
	struct result r = profile(s, group(s, "pod"), true, NULL);

	assert_all(&r, sca_gen_runtime__needs("runc"), true);
	assert_all(&r, sca_gen_runtime__needs("crun"), true);
	assert_non_null(strstr(r.notes, "runtime needs (runc, crun: the runtime is not known, so both)"));
	result_free(&r);
	sca_gen_set__free(s);
}

/* The host's profile, and one of host and containers together, get nothing; --container's does. */
static void test_host(void **state)
{
	(void)state;
	struct sca_gen_set *s = collect(NULL);
	struct result host = profile(s, 0, true, NULL), all = profile(s, -1, true, NULL);

	assert_all(&host, signal_names, false);
	assert_false(has(&host, "execve"));
	assert_string_equal(host.notes, "");
	assert_all(&all, signal_names, false);
	assert_null(strstr(all.notes, "runtime needs"));
	result_free(&host);
	result_free(&all);
	sca_gen_set__free(s);

	struct sca_filter f = { 0 };
	char msg[256], arg[] = "web";
	assert_int_equal(sca_filter__add(&f, SCA_FILTER_CONTAINER, arg, msg, sizeof(msg)), 0);
	s = collect(&f);
	struct result one = profile(s, -1, true, NULL);
	assert_all(&one, sca_gen_runtime__needs("runc"), true);
	assert_all(&one, signal_names, true);
	assert_non_null(strstr(one.notes, "sca profile-gen: runtime needs (runc): added "));
	result_free(&one);
	sca_gen_set__free(s);
}

static void test_off(void **state)
{
	(void)state;
	struct sca_gen_set *s = collect(NULL);
	struct result r = profile(s, group(s, "web"), false, NULL);

	assert_all(&r, signal_names, false);
	assert_false(has(&r, "execve"));
	assert_string_equal(r.notes, "");
	result_free(&r);
	sca_gen_set__free(s);
}

/* What the recording saw refused stays refused, whatever the runtime's list says. */
static void test_refused(void **state)
{
	(void)state;
	struct sca_gen_set *s = collect(NULL);
	struct result r = profile(s, group(s, "refused"), true, NULL);
	const char *const *runc = sca_gen_runtime__needs("runc");
	bool listed = false;

	for (size_t i = 0; runc[i]; i++)
		listed |= !strcmp(runc[i], "getpid");
	assert_false(has(&r, "getpid"));
	assert_all(&r, signal_names, true);
	if (listed)
		assert_non_null(strstr(r.notes, "seen refused, so left refused: getpid"));
	result_free(&r);
	sca_gen_set__free(s);
}

/* A base that allows only read and rt_sigreturn: nothing else is added, and that is said. */
static void test_base(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/base.json", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
	      " \"syscalls\": [{\"names\": [\"read\", \"rt_sigreturn\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	      " {\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ALLOW\","
	      "  \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}\n", f);
	assert_int_equal(fclose(f), 0);
	struct sca_gen_set *s = collect(NULL);
	struct result r = profile(s, group(s, "web"), true, path);

	assert_true(has(&r, "rt_sigreturn"));
	assert_false(has(&r, "restart_syscall"));
	assert_false(has(&r, "futex"));
	assert_non_null(strstr(r.notes, "the base refuses restart_syscall, sigreturn"));
	result_free(&r);
	sca_gen_set__free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data),    cmocka_unit_test(test_runc),    cmocka_unit_test(test_crun),
		cmocka_unit_test(test_unknown), cmocka_unit_test(test_host),    cmocka_unit_test(test_off),
		cmocka_unit_test(test_refused), cmocka_unit_test(test_base),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
