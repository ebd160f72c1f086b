/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of filter/: the one meaning of --pid, --comm, --syscall,
 * --code, --container, --pod, --namespace and --host. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/names.h"
#include "filter.h"

#define AUDIT_ARCH_X86_64 0xc000003eu
#define AUDIT_ARCH_I386 0x40000003u

static int add(struct sca_filter *f, enum sca_filter_key k, const char *arg, char *err)
{
	static char store[16][256];
	static int next;
	char *s = store[next++ % 16];

	strcpy(s, arg);
	return sca_filter__add(f, k, s, err, 128);
}

static void test_parse(void **state)
{
	struct sca_filter f = { 0 };
	char err[128] = "";

	(void)state;
	assert_int_equal(add(&f, SCA_FILTER_PID, "1,2147483647", err), 0);
	assert_int_equal(f.npids, 2);
	assert_int_equal(add(&f, SCA_FILTER_PID, "0", err), -EINVAL);
	assert_string_equal(err, "bad --pid '0'");
	assert_int_equal(add(&f, SCA_FILTER_PID, "2147483648", err), -EINVAL);
	assert_int_equal(add(&f, SCA_FILTER_PID, "12x", err), -EINVAL);
	assert_int_equal(add(&f, SCA_FILTER_CODE, "log,errno(13),kill", err), 0);
	assert_int_equal(f.ncodes, 3);
	assert_false(f.codes[0].has_data);
	assert_true(f.codes[1].has_data);
	assert_int_equal(f.codes[1].data, 13);
	assert_int_equal(add(&f, SCA_FILTER_CODE, "nonsense", err), -EINVAL);
	assert_string_equal(err, "unknown --code 'nonsense'");

	struct sca_filter g = { 0 };
	for (int i = 0; i < SCA_FILTER_MAX; i++)
		assert_int_equal(add(&g, SCA_FILTER_COMM, "a", err), 0);
	assert_int_equal(add(&g, SCA_FILTER_COMM, "a", err), -E2BIG);
	assert_string_equal(err, "too many --comm values (at most 64)");
}

static void test_event(void **state)
{
	struct sca_filter f = { 0 };
	struct sca_event e = { .pid = 7, .comm = "sh", .exe = "/bin/sh", .arch = AUDIT_ARCH_I386,
			       .syscall = 39, .code = 0x00050001u };
	char err[128];

	(void)state;
	assert_true(sca_filter__keep_event(&f, &e));
	/* the name for the event's arch: i386 39 is mkdir, not getpid */
	add(&f, SCA_FILTER_SYSCALL, "getpid", err);
	assert_false(sca_filter__keep_event(&f, &e));
	add(&f, SCA_FILTER_SYSCALL, "mkdir", err);
	assert_true(sca_filter__keep_event(&f, &e));
	/* errno matches any errno, errno(1) only that one */
	add(&f, SCA_FILTER_CODE, "errno(2)", err);
	assert_false(sca_filter__keep_event(&f, &e));
	add(&f, SCA_FILTER_CODE, "errno", err);
	assert_true(sca_filter__keep_event(&f, &e));
	add(&f, SCA_FILTER_PID, "8", err);
	assert_false(sca_filter__keep_event(&f, &e));
	add(&f, SCA_FILTER_PID, "7", err);
	add(&f, SCA_FILTER_COMM, "bash", err);
	assert_false(sca_filter__keep_event(&f, &e));
	e.comm = NULL;
	assert_false(sca_filter__keep_event(&f, &e));
	e.comm = "bash";
	add(&f, SCA_FILTER_EXE, "/bin/sh", err);
	assert_true(sca_filter__keep_event(&f, &e));
	assert_true(sca_filter__keep(&f, &e));
	sca_names__cleanup();
}

static void test_container(void **state)
{
	struct sca_container c = { .runtime = "runc", .id = "3f2a9c0d", .name = "web",
				   .pod = "mypod", .pod_namespace = "default" };
	struct sca_filter f = { 0 };
	char err[128];

	(void)state;
	assert_true(sca_filter__keep_container(&f, NULL));
	assert_false(sca_filter__has_container_keys(&f));
	add(&f, SCA_FILTER_CONTAINER, "db", err);
	assert_true(sca_filter__has_container_keys(&f));
	assert_false(sca_filter__keep_container(&f, &c));
	assert_false(sca_filter__keep_container(&f, NULL));
	/* an id prefix in any case: ids are hex */
	add(&f, SCA_FILTER_CONTAINER, "3F2A", err);
	assert_true(sca_filter__keep_container(&f, &c));
	add(&f, SCA_FILTER_POD, "other", err);
	assert_false(sca_filter__keep_container(&f, &c));
	add(&f, SCA_FILTER_POD, "mypod", err);
	add(&f, SCA_FILTER_NAMESPACE, "default", err);
	assert_true(sca_filter__keep_container(&f, &c));
	c.pod_namespace = NULL;
	assert_false(sca_filter__keep_container(&f, &c));

	struct sca_filter h = { .host_only = true };
	assert_true(sca_filter__keep_container(&h, NULL));
	assert_false(sca_filter__keep_container(&h, &c));
	/* a name is exact */
	struct sca_filter n = { 0 };
	add(&n, SCA_FILTER_CONTAINER, "WEB", err);
	assert_false(sca_filter__keep_container(&n, &c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_event),
		cmocka_unit_test(test_container),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
