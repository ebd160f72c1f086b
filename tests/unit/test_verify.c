/* SPDX-License-Identifier: BSD-2-Clause */
/* profile-gen/verify.c: how the refusals of a run are read back against
 * the profile it ran under: a call allowed only under conditions names
 * them, a refusal by the default action is a plain one, a refusal the
 * profile gives on purpose (clone3 answered with ENOSYS) is listed apart
 * and not counted, and lost events are warned about. Traces are written
 * here with the format's writer; no recorder runs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scratch.h"

#include "common/names.h"
#include "trace.h"
#include "verify.h"

#define X86_64 0xc000003eu
#define NR_SOCKET 41
#define NR_CLONE 56
#define NR_MOUNT 165
#define NR_UNSHARE 272
#define NR_CLONE3 435
#define KILL_PROCESS 0x80000000u
/* The kernel logs a refusal's action without its data: errno(38) reaches the audit log as errno. */
#define ERRNO(n) (0x00050000u | ((n) & 0))
#define T0 1700000000000000000ull


static void event(struct sca_writer *w, int32_t pid, const char *comm, int32_t nr, uint32_t code)
{
	struct sca_event e = { .time_ns = T0, .pid = pid, .tid = pid, .ppid = 1, .uid = 0, .gid = 0,
			       .auid = 4294967295u, .ses = 4294967295u, .comm = comm, .exe = "/bin/x",
			       .arch = X86_64, .syscall = nr, .code = code };

	assert_int_equal(sca_writer__add_event(w, &e), 0);
}

static void lost(struct sca_writer *w, uint64_t count, const char *source)
{
	struct sca_lost l = { T0, count, source };

	assert_int_equal(sca_writer__add_lost(w, &l), 0);
}

/* A rule with ACTION (errnoRet ERRNO_RET when not 0) for NAME. */
static struct sca_profile_rule *rule(struct sca_profile *p, uint32_t action, uint32_t errno_ret, const char *name)
{
	struct sca_profile_rule *r = sca_profile__add_rule(p, action);

	assert_non_null(r);
	if (errno_ret) {
		r->has_errno_ret = true;
		r->errno_ret = errno_ret;
	}
	assert_int_equal(sca_profile_rule__add_name(r, name), 0);
	return r;
}

/* socket allowed for AF_UNIX and AF_INET only, as profile-gen writes it */
static void socket_rules(struct sca_profile *p)
{
	for (uint64_t family = 1; family <= 2; family++) {
		struct sca_profile_arg a = { .index = 0, .value = 0xffffffff, .value_two = family,
					     .op = SCMP_CMP_MASKED_EQ };

		assert_int_equal(sca_profile_rule__add_arg(rule(p, SCMP_ACT_ALLOW, 0, "socket"), &a), 0);
	}
}

/* What report says of TRACE under P: the notes, *refused and *expected. */
static char *report(const struct sca_profile *p, const char *trace, uint64_t *refused, uint64_t *expected)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(sca_gen__report_refusals(p, trace, f, refused, expected), 0);
	fclose(f);
	return text;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *s = hay; (s = strstr(s, needle)); s += strlen(needle))
		n++;
	return n;
}

static void test_conditions_named(void **state)
{
	(void)state;
	struct sca_profile *p = sca_profile__new(SCMP_ACT_KILL_PROCESS);
	uint64_t refused, expected;
	char path[256];
	struct sca_writer *w = scratch_trace("cond.trace", path, sizeof(path));

	assert_non_null(p);
	socket_rules(p);
	event(w, 812, "python3", NR_SOCKET, KILL_PROCESS);
	event(w, 813, "python3", NR_SOCKET, KILL_PROCESS);
	assert_int_equal(sca_writer__close(w), 0);

	char *notes = report(p, path, &refused, &expected);
	assert_non_null(strstr(notes, "sca profile-gen: --verify: refused: pid 812 python3 socket (kill_process): "
				      "its arguments met none of the profile's conditions: "
				      "arg0 & 0xffffffff == 1, or arg0 & 0xffffffff == 2\n"));
	assert_non_null(strstr(notes, "refused: pid 813 python3 socket (kill_process): its arguments"));
	/* said once per run, after the refusals */
	assert_int_equal(count(notes, "audit records carry no argument values"), 1);
	assert_true(strstr(notes, "no argument values") > strstr(notes, "pid 813"));
	assert_int_equal(refused, 2);
	assert_int_equal(expected, 0);
	free(notes);
	sca_profile__free(p);
	sca_names__cleanup();
}

static void test_default_refusal(void **state)
{
	(void)state;
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ERRNO(0));
	uint64_t refused, expected;
	char path[256];
	struct sca_writer *w = scratch_trace("default.trace", path, sizeof(path));

	assert_non_null(p);
	p->has_default_errno = true;
	p->default_errno = 1;
	socket_rules(p);
	rule(p, SCMP_ACT_ALLOW, 0, "read");
	event(w, 100, "worker", NR_MOUNT, ERRNO(1));
	assert_int_equal(sca_writer__close(w), 0);

	char *notes = report(p, path, &refused, &expected);
	/* no rule names mount: the line as ever, nothing of arguments */
	assert_string_equal(notes, "sca profile-gen: --verify: refused: pid 100 worker mount (errno)\n");
	assert_int_equal(refused, 1);
	assert_int_equal(expected, 0);
	free(notes);
	sca_profile__free(p);
	sca_names__cleanup();
}

static void test_as_the_profile_says(void **state)
{
	(void)state;
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ERRNO(0));
	uint64_t refused, expected;
	char path[256];
	struct sca_writer *w = scratch_trace("clone3.trace", path, sizeof(path));

	assert_non_null(p);
	p->has_default_errno = true;
	p->default_errno = 1;
	rule(p, SCMP_ACT_ALLOW, 0, "clone");
	rule(p, SCMP_ACT_ERRNO(0), 38, "clone3");
	event(w, 200, "python3", NR_CLONE3, ERRNO(38));
	event(w, 201, "sh", NR_CLONE3, ERRNO(38));
	event(w, 201, "sh", NR_CLONE3, ERRNO(38));
	assert_int_equal(sca_writer__close(w), 0);

	char *notes = report(p, path, &refused, &expected);
	/* once per syscall, not per event, and not a refusal */
	assert_string_equal(notes, "sca profile-gen: --verify: as the profile says: clone3 (errno(38)) 3 times\n");
	assert_int_equal(refused, 0);
	assert_int_equal(expected, 3);
	free(notes);
	sca_profile__free(p);
	sca_names__cleanup();
}

static void test_same_code_elsewhere(void **state)
{
	(void)state;
	/* the default answers ENOSYS too, so the code alone tells nothing */
	struct sca_profile *p = sca_profile__new(SCMP_ACT_ERRNO(0));
	uint64_t refused, expected;
	char path[256];
	struct sca_writer *w = scratch_trace("elsewhere.trace", path, sizeof(path));

	assert_non_null(p);
	p->has_default_errno = true;
	p->default_errno = 38;
	rule(p, SCMP_ACT_ERRNO(0), 38, "clone3");
	/* mount's own rule answers EPERM; the log shows errno, which can only be that rule's */
	rule(p, SCMP_ACT_ERRNO(0), 1, "mount");
	/* a rule for another arch does not apply on this host */
	struct sca_profile_rule *s390 = rule(p, SCMP_ACT_ERRNO(0), 38, "clone");
	s390->includes.arches = calloc(1, sizeof(char *));
	assert_non_null(s390->includes.arches);
	s390->includes.arches[0] = strdup("s390x");
	s390->includes.narches = 1;
	event(w, 300, "a", NR_UNSHARE, ERRNO(38));     /* the default */
	event(w, 301, "b", NR_MOUNT, ERRNO(1));        /* mount's rule */
	event(w, 302, "c", NR_CLONE, ERRNO(38));       /* a rule that does not apply */
	event(w, 303, "d", NR_CLONE3, ERRNO(38));      /* as the profile says */
	assert_int_equal(sca_writer__close(w), 0);

	char *notes = report(p, path, &refused, &expected);
	assert_non_null(strstr(notes, "refused: pid 300 a unshare (errno)\n"));
	assert_non_null(strstr(notes, "as the profile says: mount (errno(1)) 1 time\n"));
	assert_non_null(strstr(notes, "refused: pid 302 c clone (errno)\n"));
	assert_non_null(strstr(notes, "as the profile says: clone3 (errno(38)) 1 time\n"));
	assert_null(strstr(notes, "argument values"));
	assert_int_equal(refused, 2);
	assert_int_equal(expected, 2);
	free(notes);
	sca_profile__free(p);
	sca_names__cleanup();
}

static void test_conditional_beats_own_refusal(void **state)
{
	(void)state;
	/* socket refused outright and allowed under a condition: the condition missed */
	struct sca_profile *p = sca_profile__new(SCMP_ACT_KILL_PROCESS);
	uint64_t refused, expected;
	char path[256];
	struct sca_writer *w = scratch_trace("both.trace", path, sizeof(path));

	assert_non_null(p);
	socket_rules(p);
	rule(p, SCMP_ACT_ERRNO(0), 97, "socket");
	event(w, 400, "nc", NR_SOCKET, ERRNO(97));
	assert_int_equal(sca_writer__close(w), 0);

	char *notes = report(p, path, &refused, &expected);
	assert_non_null(strstr(notes, "refused: pid 400 nc socket (errno): its arguments met none"));
	assert_int_equal(refused, 1);
	assert_int_equal(expected, 0);
	free(notes);
	sca_profile__free(p);
	sca_names__cleanup();
}

static void test_lost_warned(void **state)
{
	(void)state;
	struct sca_profile *p = sca_profile__new(SCMP_ACT_KILL_PROCESS);
	uint64_t refused, expected;
	char path[256];
	struct sca_writer *w = scratch_trace("lost.trace", path, sizeof(path));

	assert_non_null(p);
	lost(w, 7, "audit");
	lost(w, 5, "audit");
	lost(w, 100, "syscalls");     /* calls, not refusals: not the report's */
	assert_int_equal(sca_writer__close(w), 0);

	char *notes = report(p, path, &refused, &expected);
	assert_string_equal(notes, "sca profile-gen: --verify: warning: the recording lost 12 events; refusals "
				   "among them are not listed\n");
	assert_int_equal(refused, 0);
	assert_int_equal(expected, 0);
	free(notes);

	/* no trace to read */
	assert_int_equal(sca_gen__report_refusals(p, "/nonexistent/verify.trace", stderr, &refused, &expected),
			 -EIO);
	sca_profile__free(p);
	sca_names__cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conditions_named),    cmocka_unit_test(test_default_refusal),
		cmocka_unit_test(test_as_the_profile_says), cmocka_unit_test(test_same_code_elsewhere),
		cmocka_unit_test(test_conditional_beats_own_refusal), cmocka_unit_test(test_lost_warned),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
