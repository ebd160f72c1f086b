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

#include "scratch.h"

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
#define NR_SOCKET 41
#define NR_CLONE 56
#define NR_CLONE3 435
#define NR_IOCTL 16
#define NR_MMAP 9
#define NR_MPROTECT 10
#define I386 0x40000003u
#define NR_I386_SOCKET 359
#define NR_I386_MMAP 90            /* the old mmap: its arguments in memory */
#define NR_I386_MPROTECT 125
#define T0 1700000000000000000ull

static const struct sca_container web = { "runc", "aaaa0001", "web", NULL, NULL, NULL, NULL };
static const struct sca_container api = { "runc", "bbbb0002", "api", NULL, NULL, NULL, NULL };


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
	w = scratch_trace("mixed.trace", path, sizeof(path));
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

	assert_int_equal(sca_gen__collect(&path, 1, f ? f : &none, stderr, NULL, &s, err, sizeof(err)), 0);
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
	struct sca_writer *w = scratch_trace("lone.trace", path, sizeof(path));
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
	struct sca_writer *w = scratch_trace("base.trace", path, sizeof(path));
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
	w = scratch_trace("strict-lone.trace", lone, sizeof(lone));
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
	w = scratch_trace("strict-read.trace", lone, sizeof(lone));
	calls(w, proc(100, "worker", NULL), NR_READ, 3, 0);
	unattributed(w, NR_READ, 2);
	assert_int_equal(sca_writer__close(w), 0);
	assert_int_equal(run(lone, &comm, true, false, out, &notes, err, sizeof(err)), 0);
	free(notes);
	assert_int_equal(unlink(out), 0);
	/* calls the kernel did not count: a warning, and --strict refuses */
	w = scratch_trace("strict-lost.trace", lost, sizeof(lost));
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

/* ---- argument conditions -------------------------------------------------- */

/* A CALLS record with arguments: ARGS as the first call's, ARGMASK what all shared. */
static void calls_args(struct sca_writer *w, struct sca_event e, int32_t nr, uint64_t count, uint32_t flags,
		       const uint64_t args[6], const uint64_t argmask[6])
{
	struct sca_calls c = { .ev = e, .count = count, .flags = flags };

	c.ev.syscall = nr;
	c.ev.has_args = true;
	memcpy(c.ev.args, args, sizeof(c.ev.args));
	memcpy(c.argmask, argmask, sizeof(c.argmask));
	assert_int_equal(sca_writer__add_calls(w, &c), 0);
}

/* socket(FAMILY, TYPE) COUNT times, as the recorder tells them apart */
static void sock(struct sca_writer *w, struct sca_event e, uint64_t family, uint64_t type, uint64_t count)
{
	const uint64_t a[6] = { family, type, 0 }, m[6] = { 0xffffffff, 0xf };
	calls_args(w, e, e.arch == I386 ? NR_I386_SOCKET : NR_SOCKET, count, 0, a, m);
}

static void one_arg(struct sca_writer *w, struct sca_event e, int32_t nr, unsigned idx, uint64_t v,
		    uint64_t mask, uint64_t count, uint32_t flags)
{
	uint64_t a[6] = { 0 }, m[6] = { 0 };
	a[idx] = v;
	m[idx] = mask;
	calls_args(w, e, nr, count, flags, a, m);
}

/*
 * The rules of the profile of S's GROUP as lines "ACTION name,name [conditions]",
 * with O's --args and --explain; the explanation in *EXPLAIN if asked. The
 * profile must compile.
 */
static char *rules_of_arch(const struct sca_gen_set *s, int group, const char *base, bool no_args,
			   char **explain, bool validate)
{
	char *text = NULL, *ex = NULL, *notes = NULL, err[256], buf[512];
	size_t len = 0, exlen = 0, nlen = 0;
	FILE *f = open_memstream(&text, &len), *exf = open_memstream(&ex, &exlen), *nf = open_memstream(&notes, &nlen);
	struct sca_gen_opts o = { .default_action = SCMP_ACT_ERRNO(0), .has_default_errno = true,
				  .default_errno = 1, .base = base, .no_args = no_args, .explain = exf };
	struct sca_profile *p = NULL;

	assert_int_equal(sca_gen__profile(s, group, &o, nf, &p, err, sizeof(err)), 0);
	if (validate && sca_gen__validate(p, err, sizeof(err)))
		fail_msg("the profile does not compile: %s", err);
	for (size_t r = 0; r < p->nrules; r++) {
		const struct sca_profile_rule *rule = &p->rules[r];
		fprintf(f, "%s", sca_profile_rule__action_name(rule));
		if (rule->has_errno_ret)
			fprintf(f, "(%u)", rule->errno_ret);
		for (size_t i = 0; i < rule->nnames; i++)
			fprintf(f, "%c%s", i ? ',' : ' ', rule->names[i]);
		if (rule->nargs)
			fprintf(f, " [%s]", sca_profile_rule__args_str(rule, buf, sizeof(buf)));
		fputc('\n', f);
	}
	sca_profile__free(p);
	fclose(f);
	fclose(exf);
	fclose(nf);
	free(notes);
	if (explain)
		*explain = ex;
	else
		free(ex);
	return text;
}

/* The same, validated on this host (which cannot build a filter for an arch of the other byte order). */
static char *rules_of(const struct sca_gen_set *s, int group, const char *base, bool no_args, char **explain)
{
	return rules_of_arch(s, group, base, no_args, explain, true);
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("'%s' not in:\n%s", want, text);
}

static void assert_lacks(const char *text, const char *unwanted)
{
	if (strstr(text, unwanted))
		fail_msg("'%s' in:\n%s", unwanted, text);
}

/* One family, two, and their types; SOCK_NONBLOCK|SOCK_CLOEXEC never matter. */
static void test_args_socket(void **state)
{
	char path[256], *ex;
	(void)state;
	struct sca_writer *w = scratch_trace("sock.trace", path, sizeof(path));
	struct sca_event e = proc(100, "py", NULL);
	sock(w, e, 2, 1 | 0x800 | 0x80000, 3);    /* AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC */
	sock(w, e, 1, 2, 1);                      /* AF_UNIX, SOCK_DGRAM */
	sock(w, e, 2, 1, 4);
	calls(w, e, NR_READ, 9, 0);
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "SCMP_ACT_ALLOW socket [arg0 & 0xffffffff == 1 && arg1 & 0xf == 2]\n");
	assert_has(r, "SCMP_ACT_ALLOW socket [arg0 & 0xffffffff == 2 && arg1 & 0xf == 1]\n");
	assert_lacks(r, "socket\n");          /* never with any arguments */
	assert_has(ex, "family AF_INET (2), type SOCK_STREAM (1): 7 calls");
	assert_has(ex, "family AF_UNIX (1), type SOCK_DGRAM (2): 1 call\n");
	free(r);
	free(ex);
	/* --args none: names only */
	r = rules_of(s, -1, NULL, true, NULL);
	assert_has(r, "SCMP_ACT_ALLOW read,socket\n");
	assert_lacks(r, "[");
	free(r);
	sca_gen_set__free(s);
}

/* Too many tuples: the family alone; too many families: no condition. */
static void test_args_many_values(void **state)
{
	char path[256], *ex;
	(void)state;
	struct sca_writer *w = scratch_trace("many.trace", path, sizeof(path));
	struct sca_event e = proc(100, "py", NULL), b = proc(101, "probe", NULL);
	for (uint64_t t = 1; t <= 9; t++) {
		sock(w, e, 1, t, 1);
		sock(w, e, 2, t, 1);
	}
	for (uint64_t req = 0x5401; req < 0x5401 + 17; req++)    /* 17 ioctl requests, one more than allowed */
		one_arg(w, b, NR_IOCTL, 1, req, 0xffffffff, 1, 0);
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "socket [arg0 & 0xffffffff == 1]\n");
	assert_has(r, "socket [arg0 & 0xffffffff == 2]\n");
	assert_has(r, "SCMP_ACT_ALLOW ioctl\n");
	assert_has(ex, "ioctl: any arguments: 17 distinct requests, more than 16");
	free(r);
	free(ex);
	sca_gen_set__free(s);
}

/* A call whose argument the record does not know, or an audit event: no condition. */
static void test_args_unknown(void **state)
{
	char path[256], *ex;
	(void)state;
	struct sca_writer *w = scratch_trace("unknown.trace", path, sizeof(path));
	struct sca_event e = proc(100, "py", NULL);
	sock(w, e, 2, 1, 3);
	one_arg(w, e, NR_SOCKET, 0, 10, 0, 1, 0);      /* family not told apart: argmask 0 */
	one_arg(w, e, NR_IOCTL, 1, 0x5401, 0xffffffff, 2, 0);
	event(w, e, NR_IOCTL, 0x7ffc0000);             /* a logged ioctl: no arguments */
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "SCMP_ACT_ALLOW ioctl,socket\n");
	assert_lacks(r, "[");
	assert_has(ex, "socket: any arguments: 1 call without known arguments");
	assert_has(ex, "ioctl: any arguments: 1 call without known arguments (audit events carry none)");
	free(r);
	free(ex);
	sca_gen_set__free(s);
}

#define CLONE3_MASK (0x7e020080ull | 0xffffffff00000000ull)  /* what the recorder reads of clone_args.flags */

/* clone without namespaces: restricted, clone3 answers ENOSYS and leaves the allow list. */
static void test_args_clone(void **state)
{
	char path[256], *ex;
	(void)state;
	struct sca_writer *w = scratch_trace("clone.trace", path, sizeof(path));
	struct sca_event e = proc(100, "sh", NULL);
	one_arg(w, e, NR_CLONE, 0, 0, 0x7e020000, 12, 0);       /* fork: SIGCHLD, no CLONE_NEW* */
	one_arg(w, e, NR_CLONE3, 0, 0, CLONE3_MASK, 2, 0);      /* pthread_create */
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "SCMP_ACT_ERRNO(38) clone3\n");
	assert_has(r, "SCMP_ACT_ALLOW clone [arg0 & 0x7e020000 == 0]\n");
	assert_lacks(r, "ALLOW clone3");
	assert_has(ex, "namespaces no namespace: 14 calls");     /* clone3's 2 count as clone's */
	assert_has(ex, "clone3: errno ENOSYS");
	free(r);
	free(ex);
	sca_gen_set__free(s);

	/* a container runtime: user and mount namespaces, each combination its own rule */
	w = scratch_trace("clone-ns.trace", path, sizeof(path));
	one_arg(w, e, NR_CLONE, 0, 0x10020000, 0x7e020000, 1, 0);
	one_arg(w, e, NR_CLONE, 0, 0, 0x7e020000, 5, 0);
	assert_int_equal(sca_writer__close(w), 0);
	s = collect(path, NULL);
	r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "clone [arg0 & 0x7e020000 == 0x10020000]\n");
	assert_has(r, "clone [arg0 & 0x7e020000 == 0]\n");
	assert_has(ex, "namespaces CLONE_NEWNS|CLONE_NEWUSER: 1 call");
	free(r);
	free(ex);
	sca_gen_set__free(s);
}

/* Only clone3 ran: clone gets its values; what clone cannot carry, or flags not known, keep clone3. */
static void test_args_clone3(void **state)
{
	char path[256], *ex;
	(void)state;
	struct sca_event e = proc(100, "app", NULL);
	struct sca_writer *w = scratch_trace("clone3.trace", path, sizeof(path));
	one_arg(w, e, NR_CLONE3, 0, 0, CLONE3_MASK, 3, 0);
	one_arg(w, e, NR_CLONE3, 0, 0x10000000, CLONE3_MASK, 1, 0);   /* CLONE_NEWUSER */
	assert_int_equal(sca_writer__close(w), 0);
	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "SCMP_ACT_ERRNO(38) clone3\n");
	assert_has(r, "clone [arg0 & 0x7e020000 == 0]\n");
	assert_has(r, "clone [arg0 & 0x7e020000 == 0x10000000]\n");
	assert_has(ex, "clone3: its 4 calls count as clone's");
	free(r);
	free(ex);
	sca_gen_set__free(s);

	w = scratch_trace("clone3-time.trace", path, sizeof(path));
	one_arg(w, e, NR_CLONE, 0, 0, 0x7e020000, 1, 0);
	one_arg(w, e, NR_CLONE3, 0, 0x80, CLONE3_MASK, 1, 0);          /* CLONE_NEWTIME: clone3 only */
	assert_int_equal(sca_writer__close(w), 0);
	s = collect(path, NULL);
	r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "SCMP_ACT_ALLOW clone3\n");
	assert_lacks(r, "ERRNO(38)");
	assert_has(ex, "clone3: any arguments: flags 0x80, which clone cannot carry");
	free(r);
	free(ex);
	sca_gen_set__free(s);

	w = scratch_trace("clone3-unknown.trace", path, sizeof(path));
	one_arg(w, e, NR_CLONE, 0, 0, 0x7e020000, 1, 0);
	calls(w, e, NR_CLONE3, 2, 0);                                 /* the flags could not be read */
	assert_int_equal(sca_writer__close(w), 0);
	s = collect(path, NULL);
	r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "SCMP_ACT_ALLOW clone3\n");
	assert_has(ex, "clone3: any arguments: the flags of 2 calls are not known");
	free(r);
	free(ex);
	sca_gen_set__free(s);
}

/* W^X: two rules unless a mapping was writable and executable. */
static void test_args_wx(void **state)
{
	char path[256], *ex;
	(void)state;
	struct sca_writer *w = scratch_trace("wx.trace", path, sizeof(path));
	struct sca_event e = proc(100, "app", NULL), jit = proc(200, "node", NULL);
	one_arg(w, e, NR_MMAP, 2, 1, 0x7, 20, 0);       /* PROT_READ */
	one_arg(w, e, NR_MMAP, 2, 5, 0x7, 4, 0);        /* PROT_READ|PROT_EXEC */
	one_arg(w, e, NR_MMAP, 2, 3, 0x7, 9, 0);        /* PROT_READ|PROT_WRITE */
	one_arg(w, jit, NR_MPROTECT, 2, 7, 0x7, 1, 0);  /* a JIT: RWX */
	one_arg(w, e, NR_MPROTECT, 2, 1, 0x7, 3, 0);
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, group(s, "host"), NULL, false, &ex);
	assert_has(r, "SCMP_ACT_ALLOW mmap [arg2 & 0x2 == 0]\n");
	assert_has(r, "SCMP_ACT_ALLOW mmap [arg2 & 0x4 == 0]\n");
	assert_has(r, "SCMP_ACT_ALLOW mprotect\n");      /* RWX was asked for once */
	assert_has(ex, "mprotect: any arguments: 1 call made a mapping writable and executable");
	assert_has(ex, "mmap: W^X, none of 33 calls");
	free(r);
	free(ex);
	sca_gen_set__free(s);
}

/*
 * i386 beside x86_64: socket's values merge across arches, its type is left
 * out (socketcall); i386's mmap is the old one (arguments in memory), so a
 * profile for both keeps mmap unconditional while mprotect, the same on
 * both, gets W^X.
 */
static void test_args_compat(void **state)
{
	char path[256], *ex;
	(void)state;
	struct sca_writer *w = scratch_trace("compat.trace", path, sizeof(path));
	struct sca_event e = proc(100, "app", NULL), old = proc(200, "app32", NULL);
	old.arch = I386;
	sock(w, e, 2, 2, 1);
	sock(w, old, 2, 2, 1);
	sock(w, old, 1, 1, 1);
	one_arg(w, e, NR_MMAP, 2, 1, 0x7, 2, 0);
	one_arg(w, old, NR_I386_MMAP, 2, 3, 0x7, 2, 0);
	one_arg(w, old, NR_I386_MPROTECT, 2, 1, 0x7, 2, 0);
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, -1, NULL, false, &ex);
	/* i386 reaches socket through socketcall too, where libseccomp cannot test the type */
	assert_has(r, "socket [arg0 & 0xffffffff == 1]\n");
	assert_has(r, "socket [arg0 & 0xffffffff == 2]\n");
	assert_has(ex, "socket: its type is not checked: a filter for the profile's arch i386 cannot");
	assert_has(ex, "family AF_INET (2): 2 calls");
	assert_has(r, "mprotect [arg2 & 0x2 == 0]\n");
	assert_has(r, "SCMP_ACT_ALLOW mmap\n");
	assert_has(ex, "mmap: any arguments: the profile's arch i386 has its prot elsewhere or out of a filter's reach");
	free(r);
	free(ex);
	sca_gen_set__free(s);
}

/* s390x takes clone's flags in argument 1; beside x86_64, where they are in 0, no condition can say both. */
static void test_args_s390x(void **state)
{
	char path[256], *ex;
	(void)state;
	const uint32_t s390x = SCMP_ARCH_S390X;
	int32_t nr = seccomp_syscall_resolve_name_arch(s390x, "clone");
	struct sca_trace_meta m = { .host = "z", .source = "test", .native_arch = s390x };
	struct sca_event e = proc(100, "sh", NULL);
	e.arch = s390x;

	snprintf(path, sizeof(path), "%s/s390x.trace", dir);
	struct sca_writer *w = sca_writer__create(path, &m, NULL);
	assert_non_null(w);
	one_arg(w, e, nr, 1, 0, 0x7e020000, 3, 0);
	assert_int_equal(sca_writer__close(w), 0);
	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of_arch(s, -1, NULL, false, NULL, false);
	assert_has(r, "SCMP_ACT_ALLOW clone [arg1 & 0x7e020000 == 0]\n");
	free(r);
	sca_gen_set__free(s);

	/* an x86_64 recording with s390x calls in it */
	w = scratch_trace("s390x-mixed.trace", path, sizeof(path));
	one_arg(w, e, nr, 1, 0, 0x7e020000, 3, 0);
	one_arg(w, proc(200, "sh", NULL), NR_CLONE, 0, 0, 0x7e020000, 2, 0);
	assert_int_equal(sca_writer__close(w), 0);
	s = collect(path, NULL);
	r = rules_of_arch(s, -1, NULL, false, &ex, false);
	assert_has(r, "SCMP_ACT_ALLOW clone\n");
	assert_has(ex, "clone: any arguments: the profile's arch s390x has its namespaces elsewhere");
	free(r);
	free(ex);
	sca_gen_set__free(s);
}

/* In a cut container only the values of calls under its filter count. */
static void test_args_cut(void **state)
{
	char path[256];
	(void)state;
	struct sca_writer *w = scratch_trace("cut.trace", path, sizeof(path));
	struct sca_event c = proc(300, "nginx", &web);
	one_arg(w, c, NR_CLONE, 0, 0x7e020000, 0x7e020000, 1, 0);   /* the runtime's, before the filter */
	one_arg(w, c, NR_CLONE, 0, 0, 0x7e020000, 4, SCA_CALLS_FILTERED);
	sock(w, c, 10, 1, 1);                                       /* before the filter too */
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, group(s, "web"), NULL, false, NULL);
	assert_has(r, "SCMP_ACT_ALLOW clone [arg0 & 0x7e020000 == 0]\n");
	assert_lacks(r, "0x7e020000 == 0x7e020000");
	assert_lacks(r, "socket");        /* no socket call ran under the filter */
	free(r);
	sca_gen_set__free(s);
}

/* isatty()'s TCGETS brings the questions a program asks a terminal it finds; other requests bring nothing. */
static void test_args_implied(void **state)
{
	char path[256], *ex;
	(void)state;
	struct sca_writer *w = scratch_trace("ioctl.trace", path, sizeof(path));
	struct sca_event e = proc(100, "ls", NULL), d = proc(200, "daemon", NULL);
	one_arg(w, e, NR_IOCTL, 1, 0x5401, 0xffffffff, 3, 0);       /* TCGETS on a pipe: ENOTTY */
	one_arg(w, d, NR_IOCTL, 1, 0x5421, 0xffffffff, 1, 0);       /* FIONBIO */
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, -1, NULL, false, &ex);
	assert_has(r, "ioctl [arg1 & 0xffffffff == 21505]\n");
	assert_has(r, "ioctl [arg1 & 0xffffffff == 21519]\n");
	assert_has(r, "ioctl [arg1 & 0xffffffff == 21523]\n");
	assert_has(r, "ioctl [arg1 & 0xffffffff == 21537]\n");
	assert_has(ex, "request TIOCGWINSZ (21523): not seen, allowed: TCGETS was;");
	free(r);
	free(ex);
	sca_gen_set__free(s);

	/* the daemon alone asked no terminal anything */
	struct sca_filter f = { 0 };
	char msg[128];
	char comm[] = "daemon";
	assert_int_equal(sca_filter__add(&f, SCA_FILTER_COMM, comm, msg, sizeof(msg)), 0);
	s = collect(path, &f);
	r = rules_of(s, -1, NULL, false, NULL);
	assert_has(r, "ioctl [arg1 & 0xffffffff == 21537]\n");
	assert_lacks(r, "== 21523");
	free(r);
	sca_gen_set__free(s);
}

/* A base's own conditions for a syscall win over learnt ones; its unconditional allow stays. */
static void test_args_base(void **state)
{
	char path[256], base[300], *ex;
	(void)state;
	snprintf(base, sizeof(base), "%s/base-args.json", dir);
	FILE *f = fopen(base, "w");
	assert_non_null(f);
	fputs("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	      "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
	      " \"args\": [{\"index\": 0, \"value\": 40, \"op\": \"SCMP_CMP_NE\"}]},"
	      "{\"names\": [\"ioctl\"], \"action\": \"SCMP_ACT_ALLOW\"}]}\n", f);
	fclose(f);
	struct sca_writer *w = scratch_trace("base-args.trace", path, sizeof(path));
	struct sca_event e = proc(100, "py", NULL);
	sock(w, e, 2, 1, 3);
	one_arg(w, e, NR_IOCTL, 1, 0x5401, 0xffffffff, 2, 0);
	assert_int_equal(sca_writer__close(w), 0);

	struct sca_gen_set *s = collect(path, NULL);
	char *r = rules_of(s, -1, base, false, &ex);
	assert_has(r, "SCMP_ACT_ALLOW socket [arg0 != 40]\n");
	assert_has(r, "SCMP_ACT_ALLOW ioctl\n");
	assert_lacks(r, "0xffffffff");
	assert_has(ex, "socket: the base allows it only under its own conditions");
	free(r);
	free(ex);
	sca_gen_set__free(s);
}

/* ---- a base resolved for its target ------------------------------------ */

/* tests/data/profiles/upstream/NAME, found from this file's path. */
static const char *upstream(const char *name)
{
	static char path[4096];
	const char *slash = strrchr(__FILE__, '/');
	snprintf(path, sizeof(path), "%.*s/../data/profiles/upstream/%s", (int)(slash - __FILE__), __FILE__, name);
	return path;
}

/* A trace of read and write, one i386 socket call: what the bases are refined with. */
static struct sca_gen_set *small_set(void)
{
	char path[256];
	struct sca_writer *w = scratch_trace("small.trace", path, sizeof(path));
	struct sca_event e = proc(100, "app", NULL), c = e;
	calls(w, e, NR_READ, 3, 0);
	calls(w, e, NR_WRITE, 3, 0);
	c.arch = I386;
	calls(w, c, NR_I386_SOCKET, 1, 0);
	assert_int_equal(sca_writer__close(w), 0);
	return collect(path, NULL);
}

/* The profile of S refined from BASE for TARGET with CAPS; its notes in *NOTES. */
static struct sca_profile *refine(const struct sca_gen_set *s, const char *base, enum sca_gen_target target,
				  uint64_t caps, char **notes)
{
	size_t len = 0;
	FILE *nf = open_memstream(notes, &len);
	struct sca_gen_opts o = { .default_action = SCMP_ACT_ERRNO(0), .has_default_errno = true,
				  .default_errno = 1, .base = base, .target = target, .caps = caps,
				  .has_kernel = true, .kernel = { 5, 10, 0 } };
	struct sca_profile *p = NULL;
	char err[512];

	if (sca_gen__profile(s, -1, &o, nf, &p, err, sizeof(err)))
		fail_msg("%s", err);
	fclose(nf);
	if (sca_gen__validate(p, err, sizeof(err)))
		fail_msg("the profile does not compile: %s", err);
	return p;
}

/* How P treats NAME without conditions: "allow", "errno(N)", "none", or "both" (a contradiction). */
static const char *treats(const struct sca_profile *p, const char *name)
{
	static char buf[32];
	bool allow = false, deny = false;

	snprintf(buf, sizeof(buf), "none");
	for (size_t r = 0; r < p->nrules; r++) {
		const struct sca_profile_rule *rule = &p->rules[r];
		if (rule->nargs || !sca_profile_rule__has_name(rule, name))
			continue;
		if (sca_profile_action__permissive(rule->action)) {
			allow = true;
		} else {
			deny = true;
			snprintf(buf, sizeof(buf), "errno(%u)", rule->has_errno_ret ? rule->errno_ret : 1);
		}
	}
	return allow && deny ? "both" : allow ? "allow" : buf;
}

static bool any_cond(const struct sca_profile *p)
{
	for (size_t r = 0; r < p->nrules; r++) {
		const struct sca_profile_cond *in = &p->rules[r].includes, *ex = &p->rules[r].excludes;
		if (in->ncaps || in->narches || in->min_kernel || ex->ncaps || ex->narches || ex->min_kernel)
			return true;
	}
	return false;
}

/* No name both refused and allowed without conditions. */
static void assert_no_contradiction(const struct sca_profile *p)
{
	for (size_t r = 0; r < p->nrules; r++)
		for (size_t i = 0; i < p->rules[r].nnames; i++)
			if (!strcmp(treats(p, p->rules[r].names[i]), "both"))
				fail_msg("%s is both refused and allowed", p->rules[r].names[i]);
}

/* Docker's default for runc: what needs a capability is not granted; clone3 is ENOSYS only. */
static void test_base_moby_resolved(void **state)
{
	struct sca_gen_set *s = small_set();
	char *notes = NULL;
	(void)state;

	struct sca_profile *p = refine(s, upstream("moby-default.json"), SCA_GEN_RUNTIME, 0, &notes);
	assert_false(any_cond(p));
	assert_no_contradiction(p);
	const char *gated[] = { "mount", "umount2", "unshare", "setns", "bpf", "init_module", "reboot",
				"syslog", "kcmp", "pidfd_getfd" };
	for (size_t i = 0; i < sizeof(gated) / sizeof(gated[0]); i++)
		if (strcmp(treats(p, gated[i]), "none"))
			fail_msg("%s: %s without its capability", gated[i], treats(p, gated[i]));
	assert_string_equal(treats(p, "clone3"), "errno(38)");
	assert_string_equal(treats(p, "arch_prctl"), "allow");     /* includes amd64: holds */
	assert_string_equal(treats(p, "ptrace"), "allow");         /* includes minKernel 4.8: 5.10 holds */
	assert_string_equal(treats(p, "s390_runtime_instr"), "none");
	assert_string_equal(treats(p, "read"), "allow");
	/* the arches the recording used, not the archMap's 15 */
	assert_null(p->arch_map);
	assert_int_equal(p->narches, 2);
	assert_string_equal(p->arches[0].name, "SCMP_ARCH_X86_64");
	assert_string_equal(p->arches[1].name, "SCMP_ARCH_X86");
	assert_non_null(strstr(notes, "resolved includes caps CAP_DAC_READ_SEARCH, CAP_SYS_ADMIN"));
	assert_non_null(strstr(notes, "14 rules left out, 0 kept (none granted; --caps to grant)\n"));
	assert_non_null(strstr(notes, "resolved excludes caps CAP_SYS_ADMIN: 0 rules left out, 3 kept"));
	assert_non_null(strstr(notes, "resolved includes minKernel 4.8: 0 rules left out, 1 kept (for kernel 5.10 of --kernel)"));
	assert_non_null(strstr(notes, "architectures: 2 of the base's 15 written"));
	sca_profile__free(p);
	free(notes);

	/* granted, the rule that needs CAP_SYS_ADMIN holds and the ENOSYS one goes */
	p = refine(s, upstream("moby-default.json"), SCA_GEN_SPO, 1ull << 21, &notes);
	assert_false(any_cond(p));
	assert_string_equal(treats(p, "clone3"), "allow");
	assert_string_equal(treats(p, "unshare"), "allow");
	assert_string_equal(treats(p, "reboot"), "none");
	assert_non_null(strstr(notes, "resolved excludes caps CAP_SYS_ADMIN: 3 rules left out, 0 kept"));
	sca_profile__free(p);
	free(notes);

	/* for Docker they stay as they are */
	p = refine(s, upstream("moby-default.json"), SCA_GEN_DOCKER, 0, &notes);
	assert_true(any_cond(p));
	assert_null(strstr(notes, "resolved"));
	assert_int_equal(p->narches, 2);
	sca_profile__free(p);
	free(notes);
	sca_gen_set__free(s);
}

/* podman's default: 24 names refused and allowed once their conditions go; setns is refused. */
static void test_base_podman_resolved(void **state)
{
	struct sca_gen_set *s = small_set();
	char *notes = NULL;
	(void)state;

	struct sca_profile *p = refine(s, upstream("podman-seccomp.json"), SCA_GEN_RUNTIME, 0, &notes);
	assert_false(any_cond(p));
	assert_no_contradiction(p);
	assert_string_equal(treats(p, "setns"), "errno(1)");
	assert_string_equal(treats(p, "sethostname"), "errno(1)");
	assert_string_equal(treats(p, "chroot"), "errno(1)");
	assert_string_equal(treats(p, "kcmp"), "errno(1)");
	assert_string_equal(treats(p, "unshare"), "allow");        /* podman allows it to all */
	assert_non_null(strstr(notes, "1 syscall both refused and allowed by the base without conditions: "
				      "refused (setns)\n"));
	sca_profile__free(p);
	free(notes);
	sca_gen_set__free(s);
}

/* Names no arch has are warned of once; a listenerPath the CRD refuses is left out of SPO output. */
static void test_base_names_listener(void **state)
{
	struct sca_gen_set *s = small_set();
	char base[300], *notes = NULL;
	(void)state;

	snprintf(base, sizeof(base), "%s/base-odd.json", dir);
	FILE *f = fopen(base, "w");
	assert_non_null(f);
	fputs("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"listenerPath\": \"/tmp/agent.sock\","
	      " \"listenerMetadata\": \"x\", \"syscalls\": ["
	      "{\"names\": [\"procexit\", \"signaldeliver\", \"read\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	      "{\"names\": [\"procexit\"], \"action\": \"SCMP_ACT_LOG\"}]}\n", f);
	fclose(f);
	struct sca_profile *p = refine(s, base, SCA_GEN_SPO, 0, &notes);
	assert_non_null(strstr(notes, "the base names 2 syscalls this libseccomp knows on no architecture "
				      "(newer ones, or no syscalls at all): procexit, signaldeliver; kept"));
	assert_non_null(strstr(notes, "listenerPath /tmp/agent.sock and its listenerMetadata is not one the "
				      "SeccompProfile CRD accepts"));
	assert_null(p->listener_path);
	assert_null(p->listener_metadata);
	assert_string_equal(treats(p, "signaldeliver"), "allow");
	sca_profile__free(p);
	free(notes);
	/* OCI keeps it: runtimes read it */
	p = refine(s, base, SCA_GEN_RUNTIME, 0, &notes);
	assert_string_equal(p->listener_path, "/tmp/agent.sock");
	assert_null(strstr(notes, "listenerPath"));
	sca_profile__free(p);
	free(notes);
	sca_gen_set__free(s);
}

/* OCI output of an SPO base with baseProfileName: read beside it, or refused. */
static void test_base_profile_name(void **state)
{
	struct sca_gen_set *s = small_set();
	char base[300], other[300], err[512], *notes = NULL;
	size_t len = 0;
	(void)state;

	snprintf(base, sizeof(base), "%s/app.yaml", dir);
	FILE *f = fopen(base, "w");
	assert_non_null(f);
	fputs("apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\n"
	      "metadata:\n  name: app\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n"
	      "  baseProfileName: runc-v1.1.5\n  syscalls:\n  - action: SCMP_ACT_ALLOW\n    names: [read]\n", f);
	fclose(f);
	struct sca_gen_opts o = { .default_action = SCMP_ACT_ERRNO(0), .base = base };
	struct sca_profile *p = NULL;
	FILE *nf = open_memstream(&notes, &len);
	assert_int_equal(sca_gen__profile(s, -1, &o, nf, &p, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "baseProfileName runc-v1.1.5: no runc-v1.1.5.yaml, .yml or .json beside it"));
	assert_null(p);

	snprintf(other, sizeof(other), "%s/runc-v1.1.5.json", dir);
	assert_non_null(f = fopen(other, "w"));
	fputs("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	      "{\"names\": [\"futex\"], \"action\": \"SCMP_ACT_ALLOW\"}]}\n", f);
	fclose(f);
	assert_int_equal(sca_gen__profile(s, -1, &o, nf, &p, err, sizeof(err)), 0);
	fclose(nf);
	assert_string_equal(treats(p, "futex"), "allow");
	assert_null(p->base_profile_name);
	assert_non_null(strstr(notes, "baseProfileName runc-v1.1.5 read from"));
	sca_profile__free(p);
	free(notes);

	/* SPO output keeps the name */
	o.target = SCA_GEN_SPO;
	assert_int_equal(sca_gen__profile(s, -1, &o, stderr, &p, err, sizeof(err)), 0);
	assert_string_equal(p->base_profile_name, "runc-v1.1.5");
	assert_string_equal(treats(p, "futex"), "none");
	sca_profile__free(p);
	sca_gen_set__free(s);
}

/* An arch the target refuses is left out, and said: the CRD has no LOONGARCH64, runc 1.1 no RISCV64. */
static void test_arches_refused(void **state)
{
	char path[256], *notes = NULL;
	(void)state;
	struct sca_writer *w = scratch_trace("foreign.trace", path, sizeof(path));
	struct sca_event e = proc(100, "app", NULL), l = e, r = e;
	calls(w, e, NR_READ, 1, 0);
	l.arch = 0xc0000102u;              /* AUDIT_ARCH_LOONGARCH64 */
	calls(w, l, 63, 1, 0);
	r.arch = SCMP_ARCH_RISCV64;
	calls(w, r, 63, 1, 0);
	assert_int_equal(sca_writer__close(w), 0);
	struct sca_gen_set *s = collect(path, NULL);

	struct sca_profile *p = refine(s, NULL, SCA_GEN_SPO, 0, &notes);
	assert_int_equal(p->narches, 2);
	assert_string_equal(p->arches[1].name, "SCMP_ARCH_RISCV64");
	assert_non_null(strstr(notes, "the SeccompProfile CRD refuses SCMP_ARCH_LOONGARCH64: left out\n"));
	sca_profile__free(p);
	free(notes);
	p = refine(s, NULL, SCA_GEN_RUNTIME, 0, &notes);
	assert_int_equal(p->narches, 1);
	assert_non_null(strstr(notes, "runc refuses SCMP_ARCH_LOONGARCH64, SCMP_ARCH_RISCV64: left out\n"));
	sca_profile__free(p);
	free(notes);
	sca_gen_set__free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calls_allowed), cmocka_unit_test(test_container_cut),
		cmocka_unit_test(test_calls_filter),  cmocka_unit_test(test_unattributed),
		cmocka_unit_test(test_strict),        cmocka_unit_test(test_base_calls),
		cmocka_unit_test(test_args_socket),   cmocka_unit_test(test_args_many_values),
		cmocka_unit_test(test_args_unknown),  cmocka_unit_test(test_args_clone),
		cmocka_unit_test(test_args_wx),       cmocka_unit_test(test_args_compat),
		cmocka_unit_test(test_args_cut),      cmocka_unit_test(test_args_base),
		cmocka_unit_test(test_args_clone3),   cmocka_unit_test(test_args_implied),
		cmocka_unit_test(test_args_s390x),
		cmocka_unit_test(test_base_moby_resolved), cmocka_unit_test(test_base_podman_resolved),
		cmocka_unit_test(test_base_names_listener), cmocka_unit_test(test_base_profile_name),
		cmocka_unit_test(test_arches_refused),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
