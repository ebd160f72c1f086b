/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of record/tracker.c, the process table behind attribution:
 * generations per fork and exec, lookups by pid and time through exits and
 * pid reuse, bounded eviction, seeding from /proc, cgroup ids to paths. Fed
 * by hand-made records; tests/integration has the kernel's. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"
#include "proc_event.h"
#include "tracker.h"

#define MS 1000000ull
#define OFF 1000000000000ull      /* wall = boot + OFF */

static struct sca_proc_event ev(uint32_t kind, uint32_t pid, uint64_t t_ms, const char *comm, uint32_t mnt)
{
	struct sca_proc_event e = { .kind = kind, .tgid = pid, .ppid = 1, .ts_boot_ns = t_ms * MS,
				    .mnt_ns = mnt, .pid_ns = mnt + 1, .sessionid = 7 };
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	return e;
}

static void add(struct sca_tracker *t, struct sca_proc_event e, const char *exe)
{
	if (exe)
		snprintf(e.exe, sizeof(e.exe), "%s", exe);
	sca_tracker__add(t, &e);
}

/* find at T_MS boot milliseconds, as a record stamped then would */
static int find(struct sca_tracker *t, int pid, uint64_t t_ms, const char *comm, struct sca_proc_view *v)
{
	return sca_tracker__find(t, pid, OFF + t_ms * MS, comm, v);
}

/* A shell's child: forked, exec'd unshare, killed and gone in a millisecond. */
static void test_short_lived_child(void **state)
{
	struct sca_tracker *t;
	struct sca_proc_view v;

	(void)state;
	assert_int_equal(sca_tracker__new(&t, (int64_t)OFF), 0);
	add(t, ev(SCA_PROC_EXEC, 50, 100, "sh", 11), "/bin/sh");
	struct sca_proc_event child = ev(SCA_PROC_FORK, 60, 1000, "sh", 11);
	child.ppid = 50;
	add(t, child, NULL);
	add(t, ev(SCA_PROC_EXEC, 60, 1001, "unshare", 11), "/usr/bin/unshare");
	add(t, ev(SCA_PROC_EXIT, 60, 1002, "unshare", 11), NULL);

	/* the record's coarse stamp may precede the exec itself */
	assert_true(find(t, 60, 999, "unshare", &v));
	assert_string_equal(v.exe, "/usr/bin/unshare");
	assert_int_equal(v.mnt_ns, 11);
	assert_int_equal(v.ses, 7);
	/* before the exec it ran its parent's program */
	assert_true(find(t, 60, 1000, "sh", &v));
	assert_string_equal(v.exe, "/bin/sh");
	/* after its exit, its records are still matched */
	assert_true(find(t, 60, 1001, "unshare", &v));
	assert_int_equal(v.end_ns, 1002 * MS);
	/* but a record stamped long after the exit is no longer its */
	assert_false(find(t, 60, 5000, "unshare", &v));
	/* before its fork (beyond the slack), unknown */
	assert_false(find(t, 60, 500, NULL, &v));
	assert_false(find(t, 61, 1001, NULL, &v));
	sca_tracker__free(t);
}

/*
 * A container's shell that exits right after its last child, both gone
 * before the proc connector's fork record is read: the child is made from
 * what the table knew of the shell when it forked.
 */
static void test_fork_of_gone_parent(void **state)
{
	struct sca_tracker *t;
	struct sca_proc_event e;
	struct sca_proc_view v;

	(void)state;
	assert_int_equal(sca_tracker__new(&t, (int64_t)OFF), 0);
	add(t, ev(SCA_PROC_EXEC, 50, 100, "sh", 11), "/bin/sh");
	add(t, ev(SCA_PROC_EXIT, 50, 2000, "sh", 11), NULL);
	assert_int_equal(sca_tracker__fork_of(t, 50, 1500 * MS, &e), 0);
	assert_int_equal(e.kind, SCA_PROC_FORK);
	assert_int_equal(e.ppid, 50);
	assert_int_equal(e.mnt_ns, 11);
	assert_int_equal(e.pid_ns, 12);
	assert_int_equal(e.sessionid, 7);
	assert_string_equal(e.comm, "sh");
	assert_string_equal(e.exe, "/bin/sh");
	e.tgid = 60;
	sca_tracker__add(t, &e);
	assert_true(find(t, 60, 1500, NULL, &v));
	assert_int_equal(v.mnt_ns, 11);
	/* a parent the table never saw, or not yet born then: nothing made up */
	assert_int_equal(sca_tracker__fork_of(t, 51, 1500 * MS, &e), -ESRCH);
	assert_int_equal(sca_tracker__fork_of(t, 50, 10 * MS, &e), -ESRCH);
	sca_tracker__free(t);
}

/* One pid, two processes in two containers: each record to its own. */
static void test_pid_reuse(void **state)
{
	struct sca_tracker *t;
	struct sca_proc_view v;

	(void)state;
	assert_int_equal(sca_tracker__new(&t, (int64_t)OFF), 0);
	add(t, ev(SCA_PROC_FORK, 300, 1000, "a", 21), NULL);
	add(t, ev(SCA_PROC_EXIT, 300, 1100, "a", 21), NULL);
	add(t, ev(SCA_PROC_FORK, 300, 1101, "b", 22), NULL);
	assert_true(find(t, 300, 1050, "a", &v));
	assert_int_equal(v.mnt_ns, 21);
	assert_true(find(t, 300, 1200, "b", &v));
	assert_int_equal(v.mnt_ns, 22);
	/* stamped just before A's exit, B began within the stamp's lag: the comm decides */
	assert_int_equal(find(t, 300, 1099, "a", &v), 2);
	assert_int_equal(v.mnt_ns, 21);
	assert_int_equal(find(t, 300, 1099, "b", &v), 2);
	assert_int_equal(v.mnt_ns, 22);
	/* a stamp after A's exit is never A's */
	assert_int_equal(find(t, 300, 1102, "a", &v), 1);
	assert_int_equal(v.mnt_ns, 22);
	sca_tracker__free(t);
}

/* The same program twice under one pid, 37 ms apart: the one that was running. */
static void test_pid_reuse_same_comm(void **state)
{
	struct sca_tracker *t;
	struct sca_proc_view v;

	(void)state;
	assert_int_equal(sca_tracker__new(&t, (int64_t)OFF), 0);
	add(t, ev(SCA_PROC_FORK, 400, 1000, "seed", 31), NULL);
	add(t, ev(SCA_PROC_EXIT, 400, 1003, "seed", 31), NULL);
	add(t, ev(SCA_PROC_FORK, 400, 1040, "seed", 32), NULL);
	add(t, ev(SCA_PROC_EXIT, 400, 1045, "seed", 32), NULL);
	/* A's record, its coarse stamp before A's own fork: still A */
	assert_int_equal(find(t, 400, 998, "seed", &v), 2);
	assert_int_equal(v.mnt_ns, 31);
	assert_int_equal(find(t, 400, 1002, "seed", &v), 2);
	assert_int_equal(v.mnt_ns, 31);
	/* B's, stamped before its fork (coarse), and during it */
	assert_int_equal(find(t, 400, 1039, "seed", &v), 2);
	assert_int_equal(v.mnt_ns, 32);
	assert_int_equal(find(t, 400, 1042, "seed", &v), 2);
	assert_int_equal(v.mnt_ns, 32);
	sca_tracker__free(t);
}

/* Bounded: a storm of short processes evicts the oldest, and says so. */
static void test_eviction(void **state)
{
	struct sca_tracker *t;
	struct sca_tracker_stats st;
	struct sca_proc_view v;

	(void)state;
	assert_int_equal(sca_tracker__new(&t, (int64_t)OFF), 0);
	for (uint32_t i = 0; i < 70000; i++) {
		add(t, ev(SCA_PROC_FORK, 1000 + i, 1000, "x", 5), NULL);
		add(t, ev(SCA_PROC_EXIT, 1000 + i, 1000, "x", 5), NULL);
	}
	sca_tracker__stats(t, &st);
	assert_int_equal(st.events, 140000);
	/* every fork past the ring's size evicts one, or finds no room: never silent */
	assert_int_equal(st.evicted + st.no_room, 70000 - 65536);
	assert_true(st.no_room < 16);
	assert_false(find(t, 1000, 1000, "x", &v));          /* the first, evicted */
	assert_true(find(t, 1000 + 69999, 1000, "x", &v));   /* the last, kept */
	sca_tracker__free(t);
}

static uint64_t ino(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Processes that ran before the tracker: read from /proc. */
static void test_seed(void **state)
{
	struct sca_tracker *t;
	struct sca_proc_view v;
	struct timespec wall, boot;

	(void)state;
	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	int64_t off = (wall.tv_sec - boot.tv_sec) * 1000000000ll + (wall.tv_nsec - boot.tv_nsec);
	assert_int_equal(sca_tracker__new(&t, off), 0);
	assert_int_equal(sca_tracker__seed(t, "/proc"), 0);
	uint64_t now = (uint64_t)wall.tv_sec * 1000000000ull + (uint64_t)wall.tv_nsec;
	assert_true(sca_tracker__find(t, getpid(), now, NULL, &v));
	assert_int_equal(v.ppid, getppid());
	assert_int_equal(v.mnt_ns, ino("/proc/self/ns/mnt"));
	/* what /proc says of us (under valgrind, valgrind's own names) */
	char exe[4096], comm[32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	assert_true(sca_proc__read("/proc/self/comm", comm, sizeof(comm)) > 0);
	comm[strcspn(comm, "\n")] = 0;
	assert_non_null(v.exe);
	assert_string_equal(v.exe, exe);
	assert_string_equal(v.comm, comm);
	/* its cgroup path is what /proc says */
	char buf[1024];
	assert_true(sca_proc__read("/proc/self/cgroup", buf, sizeof(buf)) > 0);
	char *cg = sca_proc__cgroup(buf);
	if (cg) {
		assert_non_null(v.cgroup);
		assert_string_equal(v.cgroup, cg);
	}
	sca_tracker__free(t);
}

/* A pid that is gone reads as gone, with nothing taken from a stale buffer. */
static void test_read_gone(void **state)
{
	struct sca_tracker *t;
	struct sca_proc_event e;

	(void)state;
	assert_int_equal(sca_tracker__new(&t, (int64_t)OFF), 0);
	assert_int_equal(sca_tracker__read_proc(t, "/proc", 0x3fffff, &e), -ESRCH);
	assert_int_equal(sca_tracker__read_proc(t, "/nonexistent", getpid(), &e), -ESRCH);
	assert_int_equal(sca_tracker__read_proc(t, "/proc", getpid(), &e), 0);
	assert_int_equal(e.tgid, getpid());
	sca_tracker__free(t);
}

/* A cgroup id from the kernel becomes its path (needs CAP_DAC_READ_SEARCH). */
static void test_cgroup_id(void **state)
{
	struct sca_tracker *t;
	struct sca_proc_view v;
	char buf[1024], dir[1400];

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_true(sca_proc__read("/proc/self/cgroup", buf, sizeof(buf)) > 0);
	char *cg = sca_proc__cgroup(buf);
	if (!cg)
		skip();
	const char *root = sca_proc__cgroup2_root();
	if (!root)
		skip();
	snprintf(dir, sizeof(dir), "%s%s", root, cg);
	assert_int_equal(sca_tracker__new(&t, (int64_t)OFF), 0);
	struct sca_proc_event e = ev(SCA_PROC_FORK, 77, 10, "c", 3);
	e.cgroup_id = ino(dir);
	sca_tracker__add(t, &e);
	assert_true(find(t, 77, 10, NULL, &v));
	assert_non_null(v.cgroup);
	assert_string_equal(v.cgroup, cg);
	sca_tracker__free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_lived_child),
		cmocka_unit_test(test_fork_of_gone_parent),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_pid_reuse_same_comm),
		cmocka_unit_test(test_eviction),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_read_gone),
		cmocka_unit_test(test_cgroup_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
