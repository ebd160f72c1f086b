/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of record/'s pieces that need no privilege: the live printer,
 * /proc enrichment, and the per-arch names it prints. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cli.h"
#include "common/names.h"
#include "enrich.h"
#include "print.h"

static char *print_to_string(struct sca_printer *p, const struct sca_event *e, int times)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	p->out = f;
	for (int i = 0; i < times; i++)
		sca_printer__event(p, e);
	fclose(f);
	return buf;
}

static struct sca_event seed_event(void)
{
	struct sca_event e = { 0 };
	e.time_ns = 1700000000123000000ull;
	e.pid = e.tid = 4242;
	e.ppid = 1;
	e.comm = "seed";
	e.exe = "/usr/bin/seed";
	e.arch = 0xc000003e;
	e.syscall = 83;
	e.code = 0x7ffc0000;
	return e;
}

static void test_columns(void **state)
{
	(void)state;
	struct sca_printer p;
	char bad[64];
	assert_int_equal(sca_printer__init(&p, stdout, "pid,comm,frob", false, bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "frob");
	assert_int_equal(sca_printer__init(&p, stdout, "", false, bad, sizeof(bad)), -EINVAL);
	assert_int_equal(sca_printer__init(&p, stdout, NULL, false, bad, sizeof(bad)), 0);

	struct sca_event e = seed_event();
	char *out = print_to_string(&p, &e, 2);
	assert_string_equal(out, "    PID COMM             SYSCALL              CODE\n"
				 "   4242 seed             mkdir                log\n"
				 "   4242 seed             mkdir                log\n");
	free(out);

	/* per-arch names: i386 39 is mkdir, x86_64 39 is getpid; errno shows its value */
	assert_int_equal(sca_printer__init(&p, stdout, "arch,syscall,code", false, bad, sizeof(bad)), 0);
	e.arch = 0x40000003;
	e.syscall = 39;
	e.code = 0x00050001;
	out = print_to_string(&p, &e, 1);
	assert_non_null(strstr(out, "i386    mkdir                errno(1)"));
	free(out);
	assert_int_equal(sca_printer__init(&p, stdout, "K8S.POD,syscall", false, bad, sizeof(bad)), 0);
	e.arch = 0xc000003e;
	out = print_to_string(&p, &e, 1);
	assert_non_null(strstr(out, "getpid"));
	free(out);
}

static void test_json(void **state)
{
	(void)state;
	struct sca_printer p;
	char bad[64];
	assert_int_equal(sca_printer__init(&p, stdout, NULL, true, bad, sizeof(bad)), 0);
	struct sca_event e = seed_event();
	e.comm = "we\"ird\n";
	e.exe = NULL;
	e.code = 0x80000000;
	e.signr = 31;
	char *out = print_to_string(&p, &e, 1);
	assert_non_null(strstr(out, "\"comm\":\"we\\\"ird\\u000a\",\"exe\":null"));
	assert_non_null(strstr(out, "\"syscall\":\"mkdir\",\"nr\":83,\"code\":\"kill_process\""));
	assert_non_null(strstr(out, "\"sig\":31"));
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_null(strchr(out, '\n') == out + strlen(out) - 1 ? NULL : out);
	free(out);
}

static void test_names(void **state)
{
	(void)state;
	char buf[32];
	assert_string_equal(sca_syscall_name(0xc000003e, 39, buf, sizeof(buf)), "getpid");
	assert_string_equal(sca_syscall_name(0x40000003, 39, buf, sizeof(buf)), "mkdir");
	assert_string_equal(sca_syscall_name(0xc000003e, 99999, buf, sizeof(buf)), "99999");
	assert_string_equal(sca_syscall_name(0xc000003e, 39, buf, sizeof(buf)), "getpid");   /* cached */
	assert_int_equal(sca_syscall_nr(0x40000003, "mkdir"), 39);
	assert_int_equal(sca_syscall_nr(0xc000003e, "no_such_call"), -1);
	assert_string_equal(sca_action_name(0x7ffc0000, buf, sizeof(buf)), "log");
	assert_string_equal(sca_action_name(0x00050026, buf, sizeof(buf)), "errno");
	assert_string_equal(sca_action_name(0x00000000, buf, sizeof(buf)), "kill_thread");
	assert_string_equal(sca_action_name(0x80000000, buf, sizeof(buf)), "kill_process");
	assert_string_equal(sca_action_name(0x12340000, buf, sizeof(buf)), "0x12340000");
	assert_string_equal(sca_arch_name(0xc00000b7, buf, sizeof(buf)), "aarch64");
	assert_string_equal(sca_time_str(1700000000123456789ull, buf, sizeof(buf)),
			    "2023-11-14T22:13:20.123456789Z");
	sca_names__cleanup();
}

/* --rotate's sizes */
static void test_parse_size(void **state)
{
	(void)state;
	uint64_t v = 0;
	assert_int_equal(sca_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(sca_parse_size("20K", &v), 0);
	assert_int_equal(v, 20480);
	assert_int_equal(sca_parse_size("3m", &v), 0);
	assert_int_equal(v, 3u << 20);
	assert_int_equal(sca_parse_size("2G", &v), 0);
	assert_int_equal(v, 2ull << 30);
	const char *bad[] = { "", "K", "-1", "1.5M", "20KB", "20 K", "5X", "99999999999999999999",
			      "17179869184G" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sca_parse_size(bad[i], &v), -EINVAL);
}

static void test_cli_join(void **state)
{
	(void)state;
	char *argv[] = { "record", "-o", "x.trace", "--", "sh", "-c", "true" };
	char *s = sca_cli_join("sca", 7, argv);
	assert_string_equal(s, "sca record -o x.trace -- sh -c true");
	free(s);
	s = sca_cli_join("sca", 0, argv);
	assert_string_equal(s, "sca");
	free(s);
}

static void test_enrich(void **state)
{
	(void)state;
	struct sca_enricher *en;
	assert_int_equal(sca_enricher__new(&en, NULL), 0);

	struct sca_event e = { .pid = getpid(), .ppid = -1, .comm = "test_record" };
	sca_enricher__fill(en, &e, 1);
	struct stat st;
	assert_int_equal(e.ppid, getppid());
	assert_int_equal(stat("/proc/self/ns/mnt", &st), 0);
	assert_int_equal(e.mnt_ns, st.st_ino);
	assert_int_equal(stat("/proc/self/ns/pid", &st), 0);
	assert_int_equal(e.pid_ns, st.st_ino);
	assert_non_null(e.exe);
	assert_non_null(strstr(e.exe, "test_record"));
	assert_non_null(e.cgroup);
	assert_int_equal(e.cgroup[0], '/');

	/* what the record said wins over /proc */
	struct sca_event k = { .pid = getpid(), .ppid = 77, .exe = "/somewhere/else", .mnt_ns = 5 };
	sca_enricher__fill(en, &k, 2);
	assert_int_equal(k.ppid, 77);
	assert_int_equal(k.mnt_ns, 5);

	/* a process already gone keeps what its record said */
	struct sca_event g = { .pid = 0x3ffffff0, .ppid = -1, .comm = "gone", .exe = "/bin/gone" };
	sca_enricher__fill(en, &g, 3);
	assert_int_equal(g.ppid, -1);
	assert_int_equal(g.mnt_ns, 0);
	assert_null(g.cgroup);
	assert_string_equal(g.exe, "/bin/gone");
	sca_enricher__free(en);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_cli_join),
		cmocka_unit_test(test_enrich),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
