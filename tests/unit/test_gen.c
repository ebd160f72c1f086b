/* SPDX-License-Identifier: BSD-2-Clause */
/* profile-gen/: what CALLS records of the syscall source make of a profile:
 * calls allowed, audited refusals kept refused, the container cut, calls
 * without a process, filters that must not read a call as code 0, and
 * --strict. Traces are written here with the format's writer. */
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

#include "common/names.h"
#include "filter.h"
#include "gen.h"
#include "trace.h"

#define X86_64 0xc000003eu
#define NR_READ 0
#define NR_WRITE 1
#define NR_OPENAT 257
#define NR_MOUNT 165
#define NR_PIVOT_ROOT 155
#define NR_EXECVE 59
#define NR_PTRACE 101
#define T0 1700000000000000000ull

static char dir[] = "/tmp/sca-test-gen-XXXXXX";

static const struct sca_container web = { "runc", "aaaa0001", "web", NULL, NULL, NULL, NULL };
static const struct sca_container api = { "runc", "bbbb0002", "api", NULL, NULL, NULL, NULL };

static struct sca_writer *writer(const char *name, char *path, size_t len)
{
	struct sca_trace_meta m = { .host = "h", .source = "test", .native_arch = X86_64 };
	struct sca_writer *w;

	snprintf(path, len, "%s/%s", dir, name);
	w = sca_writer__create(path, &m, NULL);
	assert_non_null(w);
	return w;
}

static struct sca_event proc(int32_t pid, const char *comm, const struct sca_container *c)
{
	struct sca_event e = { .time_ns = T0, .pid = pid, .tid = pid, .ppid = 1, .uid = 4294967295u,
			       .gid = 4294967295u, .auid = 4294967295u, .ses = 4294967295u,
			       .comm = comm, .exe = "/bin/x", .container = c, .arch = X86_64 };
	return e;
}

static void calls(struct sca_writer *w, struct sca_event e, int32_t nr, uint64_t count, uint32_t flags)
{
	struct sca_calls c = { .ev = e, .count = count, .flags = flags };

	c.ev.syscall = nr;
	assert_int_equal(sca_writer__add_calls(w, &c), 0);
}

static void event(struct sca_writer *w, struct sca_event e, int32_t nr, uint32_t code)
{
	e.syscall = nr;
	e.code = code;
	assert_int_equal(sca_writer__add_event(w, &e), 0);
}

static void unattributed(struct sca_writer *w, int32_t nr, uint64_t count)
{
	struct sca_calls c = { .count = count, .flags = SCA_CALLS_NO_PROCESS };

	c.ev.time_ns = T0;
	c.ev.arch = X86_64;
	c.ev.syscall = nr;
	assert_int_equal(sca_writer__add_calls(w, &c), 0);
}

/*
 * The host's worker: read and write ran, mount ran and was refused too; web
 * ran pivot_root before its filter and read under it; api has no call under
 * a filter (a container recorded without one): execve and openat.
 */
static const char *mixed_trace(void)
{
	static char path[256];
	struct sca_writer *w;

	if (path[0])
		return path;
	w = writer("mixed.trace", path, sizeof(path));
	struct sca_event worker = proc(100, "worker", NULL), w1 = proc(200, "nginx", &web),
			 a1 = proc(300, "api", &api);
	calls(w, worker, NR_READ, 10, 0);
	calls(w, worker, NR_READ, 5, SCA_CALLS_FILTERED);
	calls(w, worker, NR_WRITE, 3, 0);
	calls(w, worker, NR_MOUNT, 2, 0);
	event(w, worker, NR_MOUNT, 0x00050001);        /* errno(1): refused */
	calls(w, w1, NR_PIVOT_ROOT, 1, 0);
	calls(w, w1, NR_READ, 7, SCA_CALLS_FILTERED);
	calls(w, a1, NR_EXECVE, 1, 0);
	calls(w, a1, NR_OPENAT, 4, 0);
	assert_int_equal(sca_writer__close(w), 0);
	return path;
}

static struct sca_gen_set *collect(const char *path, const struct sca_filter *f)
{
	struct sca_gen_set *s = NULL;
	struct sca_filter none = { 0 };
	char err[256];

	assert_int_equal(sca_gen__collect(&path, 1, f ? f : &none, stderr, &s, err, sizeof(err)), 0);
	return s;
}

/* The names GROUP's profile allows, as "a b c", and the notes said. */
static char *allowed(const struct sca_gen_set *s, int group, bool unattributed, char **notes)
{
	struct sca_gen_opts o = { .default_action = SCMP_ACT_ERRNO(0), .has_default_errno = true,
				  .default_errno = 1, .unattributed = unattributed };
	struct sca_profile *p = NULL;
	char *text = NULL, *ntext = NULL, err[256];
	size_t len = 0, nlen = 0, n;
	FILE *f = open_memstream(&text, &len), *nf = open_memstream(&ntext, &nlen);

	assert_non_null(f);
	assert_non_null(nf);
	assert_int_equal(sca_gen__profile(s, group, &o, nf, &p, err, sizeof(err)), 0);
	char **names = sca_gen__allowed_names(p, &n);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", names[i]);
	sca_gen__free_names(names, n);
	sca_profile__free(p);
	fclose(f);
	fclose(nf);
	if (notes)
		*notes = ntext;
	else
		free(ntext);
	return text;
}

static void assert_allowed(const struct sca_gen_set *s, int group, bool unattributed, const char *want)
{
	char *got = allowed(s, group, unattributed, NULL);

	if (strcmp(got, want))
		fail_msg("group %d allows '%s', want '%s'", group, got, want);
	free(got);
}

static int group(const struct sca_gen_set *s, const char *name)
{
	for (size_t g = 0; g < s->ngroups; g++)
		if (!strcmp(s->groups[g], name))
			return (int)g;
	fail_msg("no group %s", name);
	return -1;
}

static void test_calls_allowed(void **state)
{
	(void)state;
	struct sca_gen_set *s = collect(mixed_trace(), NULL);
	char *notes = NULL, *got;

	assert_int_equal(s->call_records, 8);
	assert_int_equal(s->events, 1);
	/* calls ran: allowed; mount was refused once, which outweighs its calls */
	got = allowed(s, group(s, "host"), false, &notes);
	assert_string_equal(got, "read write");
	assert_non_null(strstr(notes, "denied: mount (errno(1)) 1 time; stays denied, though 2 calls of it ran"));
	free(got);
	free(notes);
	sca_gen_set__free(s);
	sca_names__cleanup();
}

static void test_container_cut(void **state)
{
	(void)state;
	struct sca_gen_set *s = collect(mixed_trace(), NULL);

	/* web ran calls under its filter: only those count, not the runtime's pivot_root */
	assert_true(s->cut[group(s, "web")]);
	assert_allowed(s, group(s, "web"), false, "read");
	/* api ran none under a filter: all of its calls count */
	assert_false(s->cut[group(s, "api")]);
	assert_allowed(s, group(s, "api"), false, "execve openat");
	/* the host: all calls, filtered or not */
	assert_false(s->cut[0]);
	/* every group at once: each with its own cut */
	assert_allowed(s, -1, false, "execve openat read write");
	sca_gen_set__free(s);
	sca_names__cleanup();
}

/* Filters read a call as code allow: never as 0, kill_thread. */
static void test_calls_filter(void **state)
{
	(void)state;
	struct sca_filter f = { 0 };
	struct sca_gen_set *s;
	char buf[64], err[256];

	snprintf(buf, sizeof(buf), "kill_thread");
	assert_int_equal(sca_filter__add(&f, SCA_FILTER_CODE, buf, err, sizeof(err)), 0);
	s = collect(mixed_trace(), &f);
	assert_int_equal(s->matched, 0);
	sca_gen_set__free(s);
	memset(&f, 0, sizeof(f));
	snprintf(buf, sizeof(buf), "allow");
	assert_int_equal(sca_filter__add(&f, SCA_FILTER_CODE, buf, err, sizeof(err)), 0);
	s = collect(mixed_trace(), &f);
	assert_int_equal(s->matched, 8);
	assert_allowed(s, -1, false, "execve mount openat read write");
	sca_gen_set__free(s);
	/* a process filter: only nginx's calls */
	memset(&f, 0, sizeof(f));
	f.comms[f.ncomms++] = "nginx";
	s = collect(mixed_trace(), &f);
	assert_int_equal(s->matched, 2);
	assert_allowed(s, -1, false, "read");
	sca_gen_set__free(s);
	sca_names__cleanup();
}

static void test_unattributed(void **state)
{
	(void)state;
	char path[256], names[64];
	struct sca_writer *w = writer("lone.trace", path, sizeof(path));
	struct sca_filter f = { 0 };
	struct sca_gen_set *s;

	calls(w, proc(100, "worker", NULL), NR_READ, 3, 0);
	unattributed(w, NR_PTRACE, 4);
	unattributed(w, NR_READ, 2);
	assert_int_equal(sca_writer__close(w), 0);
	/* whatever the filter, kept apart from every group */
	f.comms[f.ncomms++] = "nobody";
	s = collect(path, &f);
	assert_int_equal(s->unattributed, 6);
	assert_int_equal(s->matched, 0);
	sca_gen_set__free(s);
	s = collect(path, NULL);
	assert_int_equal(s->unattributed, 6);
	assert_int_equal(sca_gen__unattributed(s, NULL, names, sizeof(names)), 6);
	assert_string_equal(names, "ptrace, read");
	/* allowed in the profile of everything when asked, never in a group's */
	assert_allowed(s, -1, true, "ptrace read");
	assert_allowed(s, -1, false, "read");
	assert_allowed(s, 0, true, "read");
	sca_gen_set__free(s);
	sca_names__cleanup();
}

/* A base whose default let calls through unlogged: the calls show them. */
static void test_base_calls(void **state)
{
	(void)state;
	char path[256], base[300], err[256], *text = NULL;
	size_t len = 0, n;
	struct sca_writer *w = writer("base.trace", path, sizeof(path));
	struct sca_event worker = proc(100, "worker", NULL);
	FILE *f, *notes;

	snprintf(base, sizeof(base), "%s/base.json", dir);
	assert_non_null(f = fopen(base, "w"));
	fputs("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
	      " \"syscalls\": [{\"names\": [\"mkdir\", \"rmdir\"], \"action\": \"SCMP_ACT_LOG\"}]}\n", f);
	fclose(f);
	event(w, worker, 83, SCMP_ACT_LOG);        /* mkdir, logged by the base */
	calls(w, worker, 83, 1, SCA_CALLS_FILTERED);
	calls(w, worker, NR_READ, 9, SCA_CALLS_FILTERED);
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	struct sca_gen_opts o = { .default_action = SCMP_ACT_ERRNO(0), .has_default_errno = true,
				  .default_errno = 1, .base = base };
	struct sca_profile *p = NULL;
	assert_non_null(notes = open_memstream(&text, &len));
	assert_int_equal(sca_gen__profile(s, -1, &o, notes, &p, err, sizeof(err)), 0);
	fclose(notes);
	/* read ran under the base's silent default: the calls show it */
	char **names = sca_gen__allowed_names(p, &n);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "mkdir");
	assert_string_equal(names[1], "read");
	assert_null(strstr(text, "cannot show"));
	assert_non_null(strstr(text, "1 syscalls the base profile logged were never seen"));
	sca_gen__free_names(names, n);
	sca_profile__free(p);
	free(text);
	sca_gen_set__free(s);
	sca_names__cleanup();
}

/* What sca profile-gen does: notes, and --strict writing nothing. */
static int run(const char *trace, const struct sca_filter *f, bool strict, bool per_container,
	       const char *out, char **notes, char *err, size_t errlen)
{
	struct sca_gen_job j = { .traces = &trace, .ntraces = 1, .filter = f, .path = out, .strict = strict,
				 .gen = { .default_action = SCMP_ACT_ERRNO(0), .has_default_errno = true,
					  .default_errno = 1 } };
	struct sca_profile *p = NULL;
	char *text = NULL, pc[300];
	size_t len = 0;
	FILE *nf = open_memstream(&text, &len);
	int rc;

	assert_non_null(nf);
	snprintf(pc, sizeof(pc), "%s/pc", dir);
	if (per_container)
		j.per_container = pc;
	rc = sca_gen__run(&j, nf, &p, err, errlen);
	sca_profile__free(p);
	fclose(nf);
	*notes = text;
	sca_names__cleanup();
	return rc;
}

static void test_strict(void **state)
{
	(void)state;
	char lone[256], lost[256], out[300], err[512], *notes;
	struct sca_filter none = { 0 }, comm = { 0 };
	struct sca_writer *w;

	comm.comms[comm.ncomms++] = "worker";
	snprintf(out, sizeof(out), "%s/out.json", dir);
	/* read without a process, ptrace too */
	w = writer("strict-lone.trace", lone, sizeof(lone));
	calls(w, proc(100, "worker", NULL), NR_READ, 3, 0);
	unattributed(w, NR_READ, 2);
	unattributed(w, NR_PTRACE, 4);
	assert_int_equal(sca_writer__close(w), 0);
	/* no filter, one profile: allowed, and said */
	assert_int_equal(run(lone, &none, true, false, out, &notes, err, sizeof(err)), 0);
	assert_non_null(strstr(notes, "note: 6 calls of ptrace, read could not be attributed to a process "
				      "(the syscall table was full); allowed, as the recording selected them"));
	free(notes);
	assert_int_equal(unlink(out), 0);
	/* a filter: left out, a warning; --strict refuses, as ptrace is not allowed */
	assert_int_equal(run(lone, &comm, false, false, out, &notes, err, sizeof(err)), 0);
	assert_non_null(strstr(notes, "warning: 6 calls of ptrace, read could not be attributed to a process "
				      "(the syscall table was full); left out, so the profile may be incomplete"));
	free(notes);
	assert_int_equal(unlink(out), 0);
	assert_int_equal(run(lone, &comm, true, false, out, &notes, err, sizeof(err)), -EIO);
	assert_string_equal(err, "--strict: 4 calls of ptrace could not be attributed to a process and the "
				 "profile does not allow them; nothing written");
	assert_int_equal(access(out, F_OK), -1);
	free(notes);
	/* per container, the same, before any file */
	assert_int_equal(run(lone, &none, true, true, NULL, &notes, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "the profile of the host does not allow them"));
	snprintf(out, sizeof(out), "%s/pc", dir);
	assert_int_equal(access(out, F_OK), -1);
	free(notes);
	snprintf(out, sizeof(out), "%s/out.json", dir);
	/* calls without a process that the profile allows anyway do not matter */
	w = writer("strict-read.trace", lone, sizeof(lone));
	calls(w, proc(100, "worker", NULL), NR_READ, 3, 0);
	unattributed(w, NR_READ, 2);
	assert_int_equal(sca_writer__close(w), 0);
	assert_int_equal(run(lone, &comm, true, false, out, &notes, err, sizeof(err)), 0);
	free(notes);
	assert_int_equal(unlink(out), 0);
	/* calls the kernel did not count: a warning, and --strict refuses */
	w = writer("strict-lost.trace", lost, sizeof(lost));
	calls(w, proc(100, "worker", NULL), NR_READ, 3, 0);
	struct sca_lost l = { T0, 9, "syscalls" };
	assert_int_equal(sca_writer__add_lost(w, &l), 0);
	assert_int_equal(sca_writer__close(w), 0);
	assert_int_equal(run(lost, &none, false, false, out, &notes, err, sizeof(err)), 0);
	assert_non_null(strstr(notes, "warning: the kernel did not count 9 calls (syscall source)"));
	assert_null(strstr(notes, "lost 9 events"));
	free(notes);
	assert_int_equal(unlink(out), 0);
	assert_int_equal(run(lost, &none, true, false, out, &notes, err, sizeof(err)), -EIO);
	assert_string_equal(err, "--strict: the traces lost 0 events and 9 calls and have 0 damaged regions; "
				 "the profile may be incomplete, nothing written");
	assert_int_equal(access(out, F_OK), -1);
	free(notes);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calls_allowed), cmocka_unit_test(test_container_cut),
		cmocka_unit_test(test_calls_filter),  cmocka_unit_test(test_unattributed),
		cmocka_unit_test(test_strict),        cmocka_unit_test(test_base_calls),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
