/* SPDX-License-Identifier: BSD-2-Clause */
/* profile-gen/diff.c: what --diff prints for two profiles built here, the old
 * one written to a private directory: names added and removed, with or
 * without conditions, conditions narrowed, widened and changed, the order of
 * rules and conditions not mattering, and which rules let a name through. */
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

#include "gen.h"

static const struct sca_profile_arg unix_ = { 0, 0xffffffff, 1, SCMP_CMP_MASKED_EQ };
static const struct sca_profile_arg inet = { 0, 0xffffffff, 2, SCMP_CMP_MASKED_EQ };
static const struct sca_profile_arg eq1 = { 0, 1, 0, SCMP_CMP_EQ };
static const struct sca_profile_arg ne40 = { 1, 40, 0, SCMP_CMP_NE };
static const struct sca_profile_arg no_ns = { 0, 0x7e020000, 0, SCMP_CMP_MASKED_EQ };
static const struct sca_profile_arg newnet = { 0, 0x7e020000, 0x40000000, SCMP_CMP_MASKED_EQ };

static struct sca_profile *profile(void)
{
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ERRNO(0));

	assert_non_null(p);
	return p;
}

/* A rule with ACTION for the space-separated NAMES and N conditions. */
static void rule(struct sca_profile *p, uint32_t action, const char *names, size_t n, ...)
{
	struct sca_profile_rule *r = sca_profile__add_rule(p, action);
	char copy[256], *save = NULL;
	va_list ap;

	assert_non_null(r);
	snprintf(copy, sizeof(copy), "%s", names);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		assert_int_equal(sca_profile_rule__add_name(r, w), 0);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sca_profile_rule__add_arg(r, va_arg(ap, const struct sca_profile_arg *)), 0);
	va_end(ap);
}

/*
 * What --diff prints for NEW against OLD (both freed), but its summary
 * line, which must count ADD, DEL and CHG.
 */
static char *diff(struct sca_profile *new, struct sca_profile *old, size_t add, size_t del, size_t chg)
{
	char path[128], want[256], err[256] = "", *text = NULL, *last;
	size_t len = 0;
	FILE *f, *out;

	snprintf(path, sizeof(path), "%s/old.json", dir);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(sca_profile__write_oci(old, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(out = open_memstream(&text, &len));
	assert_int_equal(sca_gen__diff(new, path, out, err, sizeof(err)), 0);
	assert_int_equal(fclose(out), 0);
	assert_string_equal(err, "");
	snprintf(want, sizeof(want), "sca profile-gen: against %s: %zu syscalls added, %zu removed, %zu with other conditions\n",
		 path, add, del, chg);
	last = strstr(text, "sca profile-gen: against ");
	assert_non_null(last);
	assert_string_equal(last, want);
	*last = '\0';
	sca_profile__free(new);
	sca_profile__free(old);
	return text;
}

static void expect(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void test_unconditional(void **state)
{
	struct sca_profile *new = profile(), *old = profile();

	(void)state;
	rule(new, SCMP_ACT_ALLOW, "read write", 0);
	rule(old, SCMP_ACT_ALLOW, "close read", 0);
	/* the lines scripts read, unchanged */
	expect(diff(new, old, 1, 1, 0), "- close\n+ write\n");
}

static void test_conditional_added(void **state)
{
	struct sca_profile *new = profile(), *old = profile();

	(void)state;
	rule(new, SCMP_ACT_ALLOW, "read socket", 1, &inet);
	rule(new, SCMP_ACT_ALLOW, "socket", 1, &unix_);
	rule(old, SCMP_ACT_ALLOW, "clone", 1, &no_ns);
	expect(diff(new, old, 2, 1, 0),
	       "- clone (arg0 & 0x7e020000 == 0)\n"
	       "+ read (arg0 & 0xffffffff == 2)\n"
	       "+ socket (arg0 & 0xffffffff == 1, or arg0 & 0xffffffff == 2)\n");
}

static void test_narrowed(void **state)
{
	struct sca_profile *new = profile(), *old = profile();

	(void)state;
	rule(new, SCMP_ACT_ALLOW, "socket", 1, &unix_);
	rule(new, SCMP_ACT_ALLOW, "read", 0);
	rule(old, SCMP_ACT_ALLOW, "read socket", 0);
	expect(diff(new, old, 0, 0, 1), "~ socket: now (arg0 & 0xffffffff == 1); was any arguments\n");
}

static void test_widened(void **state)
{
	struct sca_profile *new = profile(), *old = profile();

	(void)state;
	rule(new, SCMP_ACT_ALLOW, "socket", 0);
	rule(old, SCMP_ACT_ALLOW, "socket", 1, &unix_);
	rule(old, SCMP_ACT_ALLOW, "socket", 1, &inet);
	expect(diff(new, old, 0, 0, 1),
	       "~ socket: now any arguments; was (arg0 & 0xffffffff == 1, or arg0 & 0xffffffff == 2)\n");
}

static void test_changed(void **state)
{
	struct sca_profile *new = profile(), *old = profile();

	(void)state;
	rule(new, SCMP_ACT_ALLOW, "clone", 1, &newnet);
	rule(new, SCMP_ACT_ALLOW, "ioctl", 2, &eq1, &ne40);
	rule(old, SCMP_ACT_ALLOW, "clone", 1, &no_ns);
	rule(old, SCMP_ACT_ALLOW, "ioctl", 1, &eq1);
	expect(diff(new, old, 0, 0, 2),
	       "~ clone: now (arg0 & 0x7e020000 == 0x40000000); was (arg0 & 0x7e020000 == 0)\n"
	       "~ ioctl: now (arg0 == 1 && arg1 != 40); was (arg0 == 1)\n");
}

static void test_order(void **state)
{
	struct sca_profile *new = profile(), *old = profile();

	(void)state;
	/* rules, their names and a rule's conditions in other orders; one said twice */
	rule(new, SCMP_ACT_ALLOW, "socket read", 1, &unix_);
	rule(new, SCMP_ACT_ALLOW, "socket", 1, &inet);
	rule(new, SCMP_ACT_ALLOW, "ioctl", 2, &ne40, &eq1);
	rule(old, SCMP_ACT_ALLOW, "ioctl", 2, &eq1, &ne40);
	rule(old, SCMP_ACT_ALLOW, "socket", 1, &inet);
	rule(old, SCMP_ACT_ALLOW, "read socket", 1, &unix_);
	rule(old, SCMP_ACT_ALLOW, "socket", 1, &unix_);
	expect(diff(new, old, 0, 0, 0), "");
}

static void test_unconditional_beside(void **state)
{
	struct sca_profile *new = profile(), *old = profile();

	(void)state;
	/* any arguments, whatever else lets socket through */
	rule(new, SCMP_ACT_ALLOW, "socket", 1, &unix_);
	rule(new, SCMP_ACT_ALLOW, "read socket write", 0);
	rule(new, SCMP_ACT_ALLOW, "bind", 1, &eq1);
	rule(new, SCMP_ACT_ALLOW, "bind", 0);
	rule(old, SCMP_ACT_ALLOW, "read", 0);
	rule(old, SCMP_ACT_ALLOW, "socket", 0);
	rule(old, SCMP_ACT_ALLOW, "write", 1, &eq1);
	expect(diff(new, old, 1, 0, 1), "+ bind\n~ write: now any arguments; was (arg0 == 1)\n");
}

static void test_log_permissive(void **state)
{
	struct sca_profile *new = profile(), *old = profile();

	(void)state;
	rule(new, SCMP_ACT_LOG, "ptrace", 1, &eq1);
	rule(new, SCMP_ACT_LOG, "socket", 0);
	rule(new, SCMP_ACT_ERRNO(0), "mount", 0);
	rule(old, SCMP_ACT_ALLOW, "socket", 1, &unix_);
	rule(old, SCMP_ACT_ERRNO(0), "ptrace", 0);
	rule(old, SCMP_ACT_KILL, "socket", 1, &inet);
	/* refusing rules let nothing through: ptrace is new, mount neither */
	expect(diff(new, old, 1, 0, 1),
	       "+ ptrace (arg0 == 1)\n"
	       "~ socket: now any arguments; was (arg0 & 0xffffffff == 1)\n");
}

static void test_old_unreadable(void **state)
{
	struct sca_profile *p = profile();
	char path[128], err[256] = "";

	(void)state;
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_int_equal(sca_gen__diff(p, path, stdout, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "missing.json"));
	sca_profile__free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unconditional), cmocka_unit_test(test_conditional_added),
		cmocka_unit_test(test_narrowed),      cmocka_unit_test(test_widened),
		cmocka_unit_test(test_changed),       cmocka_unit_test(test_order),
		cmocka_unit_test(test_unconditional_beside), cmocka_unit_test(test_log_permissive),
		cmocka_unit_test(test_old_unreadable),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
