/* SPDX-License-Identifier: BSD-2-Clause */
/* Trace format: round trips, truncation, damage, forward compatibility. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include <cmocka.h>

#include "internal.h"
#include "trace.h"

static char tmpdir[] = "/tmp/sca-test-format-XXXXXX";

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
}

static bool str_same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool cont_same(const struct sca_container *a, const struct sca_container *b)
{
	if (!a || !b)
		return a == b;
	return str_same(a->runtime, b->runtime) && str_same(a->id, b->id) &&
	       str_same(a->name, b->name) && str_same(a->image, b->image) &&
	       str_same(a->pod, b->pod) && str_same(a->pod_namespace, b->pod_namespace) &&
	       str_same(a->pod_uid, b->pod_uid);
}

static bool event_same(const struct sca_event *a, const struct sca_event *b)
{
	return a->time_ns == b->time_ns && a->serial == b->serial && a->pid == b->pid &&
	       a->tid == b->tid && a->ppid == b->ppid && a->uid == b->uid && a->gid == b->gid &&
	       a->auid == b->auid && a->ses == b->ses && a->mnt_ns == b->mnt_ns &&
	       a->pid_ns == b->pid_ns && a->cgroup_id == b->cgroup_id &&
	       str_same(a->comm, b->comm) && str_same(a->exe, b->exe) &&
	       str_same(a->cgroup, b->cgroup) && cont_same(a->container, b->container) &&
	       a->arch == b->arch && a->syscall == b->syscall && a->signr == b->signr &&
	       a->code == b->code && a->ip == b->ip && a->compat == b->compat &&
	       a->has_args == b->has_args &&
	       (!a->has_args || memcmp(a->args, b->args, sizeof(a->args)) == 0);
}

/* ---- a small varied stream ------------------------------------------ */

static char long_str[4097];
static const struct sca_container c_full = { "runc", "abc123", "web", "nginx:1", "web-0", "shop", "uid-1" };
static const struct sca_container c_part = { "crun", "def456", NULL, NULL, NULL, NULL, "" };
static const uint32_t arches[] = { 0xc000003e, 0x40000003, 0xc00000b7, 0x40000028, 0x80000016,
				   0xc0000015, 0x80000008, 0xc0000008, 0x400000b7, 0 };

#define NTEST 200

static struct sca_event tev[NTEST];
static struct sca_lost tlost[] = { { 5, 1, "audit" }, { 77, UINT64_MAX / 4, "bpf" }, { 0, 0, NULL } };

static void make_stream(void)
{
	memset(long_str, 'x', 4096);
	long_str[4096] = 0;
	for (int i = 0; i < NTEST; i++) {
		struct sca_event *e = &tev[i];
		memset(e, 0, sizeof(*e));
		e->time_ns = 1700000000000000000ull + (uint64_t)i * 1234567;
		if (i % 17 == 3)
			e->time_ns -= 5000000;     /* out of order, as CPUs deliver */
		e->serial = (uint64_t)i * 3;
		e->pid = 100 + i % 5;
		e->tid = e->pid + i % 3;
		e->ppid = i % 5 == 4 ? -1 : 1;
		e->uid = i % 5 == 0 ? UINT32_MAX : 1000;
		e->gid = (uint32_t)i;
		e->auid = UINT32_MAX;
		e->ses = i % 2 ? UINT32_MAX : 7;
		e->mnt_ns = i % 5 == 1 ? UINT64_MAX : 4026531840ull;
		e->pid_ns = 4026531836ull;
		e->cgroup_id = (uint64_t)(i % 5);
		e->comm = i % 5 == 2 ? "" : i % 5 == 3 ? NULL : "worker";
		e->exe = i % 5 == 0 ? long_str : "/usr/bin/worker";
		e->cgroup = i % 5 == 1 ? NULL : "/system.slice/x.service";
		e->container = i % 5 == 1 ? &c_full : i % 5 == 2 ? &c_part : NULL;
		e->arch = arches[i % (sizeof(arches) / sizeof(arches[0]))];
		e->compat = e->arch == 0x40000003;
		e->syscall = i % 11 == 0 ? -1 : i % 13 == 0 ? INT32_MAX : i % 7 == 0 ? INT32_MIN : i % 40;
		e->signr = i % 9 == 0 ? -31 : i % 9 == 1 ? 31 : i % 9 == 2 ? INT32_MIN : 0;
		e->code = i % 4 == 0 ? 0x7ffc0000u : i % 4 == 1 ? 0x00050000u | (uint32_t)i : i % 4 == 2 ? 0xffffffffu : 0;
		e->ip = i % 6 == 0 ? UINT64_MAX : 0x7f0000001000ull + (uint64_t)(i % 3);
		e->has_args = i % 3 == 0;
		if (e->has_args)
			for (int a = 0; a < 6; a++)
				e->args[a] = a == 5 ? UINT64_MAX : (uint64_t)i * (uint64_t)(a + 1);
	}
}

static const struct sca_trace_meta tmeta = {
	.host = "host-a", .kernel = "6.18.0", .source = "synthetic", .recorder = "test 1",
	.cmdline = "sca record -o x.trace", .native_arch = 0xc000003e,
	.wall_base_ns = 1700000000000000000ull, .boot_offset_ns = -42,
};

/* Write the stream with lost records after events 10, 100 and at the end. */
static void write_stream(const char *path, uint32_t chunk_events)
{
	struct sca_writer_opts o = { .sz = sizeof(o), .chunk_events = chunk_events };
	struct sca_writer *w = sca_writer__create(path, &tmeta, &o);
	assert_non_null(w);
	for (int i = 0; i < NTEST; i++) {
		assert_int_equal(sca_writer__add_event(w, &tev[i]), 0);
		if (i == 10)
			assert_int_equal(sca_writer__add_lost(w, &tlost[0]), 0);
		if (i == 100)
			assert_int_equal(sca_writer__add_lost(w, &tlost[1]), 0);
	}
	assert_int_equal(sca_writer__add_lost(w, &tlost[2]), 0);
	assert_int_equal(sca_writer__close(w), 0);
}

/* Read everything; returns events read, checks they are tev[from...] in order. */
static int read_check_prefix(struct sca_reader *r, int *nlost)
{
	const struct sca_record *rec;
	int n = 0, rc;
	*nlost = 0;
	while ((rc = sca_reader__next(r, &rec)) > 0) {
		if (rec->kind == SCA_RECORD_LOST) {
			assert_true(*nlost < 3);
			assert_int_equal(rec->lost.count, tlost[*nlost].count);
			assert_int_equal(rec->lost.time_ns, tlost[*nlost].time_ns);
			assert_true(str_same(rec->lost.source, tlost[*nlost].source));
			(*nlost)++;
			continue;
		}
		assert_int_equal(rec->kind, SCA_RECORD_EVENT);
		assert_true(n < NTEST);
		if (!event_same(&rec->event, &tev[n]))
			fail_msg("event %d differs", n);
		n++;
	}
	assert_int_equal(rc, 0);
	return n;
}

static void test_round_trip(void **state)
{
	(void)state;
	char path[256];
	path_of(path, sizeof(path), "rt.trace");
	uint32_t sizes[] = { 1, 7, 65536 };
	for (size_t s = 0; s < 3; s++) {
		write_stream(path, sizes[s]);
		struct sca_reader *r = sca_reader__open(path);
		assert_non_null(r);
		const struct sca_trace_meta *m = sca_reader__meta(r);
		assert_string_equal(m->host, "host-a");
		assert_string_equal(m->kernel, "6.18.0");
		assert_string_equal(m->source, "synthetic");
		assert_string_equal(m->recorder, "test 1");
		assert_string_equal(m->cmdline, "sca record -o x.trace");
		assert_int_equal(m->native_arch, 0xc000003e);
		assert_int_equal(m->wall_base_ns, 1700000000000000000ull);
		assert_int_equal(m->boot_offset_ns, -42);
		int nlost;
		assert_int_equal(read_check_prefix(r, &nlost), NTEST);
		assert_int_equal(nlost, 3);
		const struct sca_damage *d;
		assert_int_equal(sca_reader__damage(r, &d), 0);
		struct sca_reader_totals t;
		sca_reader__totals(r, &t);
		assert_true(t.clean_close);
		assert_int_equal(t.footer_events, NTEST);
		assert_int_equal(t.events, NTEST);
		assert_int_equal(t.lost, 1 + UINT64_MAX / 4);
		assert_int_equal(t.footer_lost, t.lost);
		assert_int_equal(t.footer_chunks, t.chunks);
		sca_reader__close(r);
	}
}

static void test_empty_trace(void **state)
{
	(void)state;
	char path[256];
	path_of(path, sizeof(path), "empty.trace");
	struct sca_writer *w = sca_writer__create(path, NULL, NULL);
	assert_non_null(w);
	assert_int_equal(sca_writer__close(w), 0);
	struct sca_reader *r = sca_reader__open(path);
	assert_non_null(r);
	const struct sca_record *rec;
	assert_int_equal(sca_reader__next(r, &rec), 0);
	assert_null(sca_reader__meta(r)->host);
	struct sca_reader_totals t;
	sca_reader__totals(r, &t);
	assert_true(t.clean_close);
	assert_int_equal(t.events, 0);
	sca_reader__close(r);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	uint8_t *b = malloc((size_t)st.st_size + 1);
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, b, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return b;
}

static void spit(const char *path, const uint8_t *b, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	close(fd);
}

static void test_truncate_every_offset(void **state)
{
	(void)state;
	char path[256], cut[256];
	path_of(path, sizeof(path), "full.trace");
	path_of(cut, sizeof(cut), "cut.trace");
	write_stream(path, 16);
	size_t len;
	uint8_t *b = slurp(path, &len);
	int prev = 0;

	for (size_t off = 0; off <= len; off++) {
		spit(cut, b, off);
		struct sca_reader *r = sca_reader__open(cut);
		if (off == 0) {
			assert_null(r);
			assert_int_equal(errno, EBADMSG);
			continue;
		}
		assert_non_null(r);
		int nlost;
		int n = read_check_prefix(r, &nlost);
		assert_true(n >= prev);    /* a longer prefix never yields fewer events */
		prev = n;
		const struct sca_damage *d;
		size_t nd = sca_reader__damage(r, &d);
		struct sca_reader_totals t;
		sca_reader__totals(r, &t);
		if (off == len) {
			assert_int_equal(nd, 0);
			assert_int_equal(n, NTEST);
			assert_true(t.clean_close);
		} else if (!t.clean_close) {
			/* every cut before the footer is reported */
			assert_int_equal(nd, 1);
			assert_true(d[0].kind == SCA_DAMAGE_TRUNCATED || d[0].kind == SCA_DAMAGE_NO_FOOTER);
			assert_true(d[0].offset + d[0].length == off);
		} else {
			/* cut inside the trailer after a complete footer: all events */
			assert_int_equal(n, NTEST);
		}
		sca_reader__close(r);
	}
	assert_int_equal(prev, NTEST);
	free(b);
}

/* Chunk offsets and event counts, from walking the chunk headers. */
static int chunk_map(const uint8_t *b, size_t len, size_t *off, uint32_t *events, int max)
{
	size_t pos = SCA_FILE_HDR_FIXED + sca_get_le32(b + 16) + 4;
	int n = 0;
	while (pos + SCA_CHUNK_HDR_LEN <= len && !memcmp(b + pos, SCA_CHUNK_MAGIC, 4) && n < max) {
		off[n] = pos;
		events[n] = sca_get_le32(b + pos + 16);
		pos += SCA_CHUNK_HDR_LEN + sca_get_le32(b + pos + 8);
		n++;
	}
	return n;
}

static void test_flipped_byte_in_chunk(void **state)
{
	(void)state;
	char path[256], bad[256];
	path_of(path, sizeof(path), "flip.trace");
	path_of(bad, sizeof(bad), "flipped.trace");
	write_stream(path, 16);
	size_t len, off[64];
	uint32_t evs[64];
	uint8_t *b = slurp(path, &len);
	int nchunks = chunk_map(b, len, off, evs, 64);
	assert_true(nchunks >= 10);

	for (int victim = 0; victim < nchunks; victim++) {
		for (int where = 0; where < 2; where++) {
			/* payload byte, then a header byte (the length field) */
			size_t at = where == 0 ? off[victim] + SCA_CHUNK_HDR_LEN + 5 : off[victim] + 9;
			b[at] ^= 0x40;
			spit(bad, b, len);
			b[at] ^= 0x40;

			struct sca_reader *r = sca_reader__open(bad);
			assert_non_null(r);
			const struct sca_record *rec;
			int n = 0, k = 0;
			uint32_t skip_from = 0;
			for (int c = 0; c < victim; c++)
				skip_from += evs[c];
			while (sca_reader__next(r, &rec) > 0) {
				if (rec->kind != SCA_RECORD_EVENT)
					continue;
				if ((uint32_t)k == skip_from)
					k += (int)evs[victim];   /* the damaged chunk's events are gone */
				assert_true(k < NTEST);
				assert_true(event_same(&rec->event, &tev[k]));
				k++;
				n++;
			}
			assert_int_equal(n, NTEST - (int)evs[victim]);
			const struct sca_damage *d;
			assert_int_equal(sca_reader__damage(r, &d), 1);
			assert_int_equal(d[0].offset, off[victim]);
			assert_int_equal(d[0].kind, where == 0 ? SCA_DAMAGE_CHECKSUM : SCA_DAMAGE_GARBAGE);
			if (where == 0)
				assert_int_equal(d[0].events, evs[victim]);
			struct sca_reader_totals t;
			sca_reader__totals(r, &t);
			assert_int_equal(t.chunks_skipped, 1);
			assert_true(t.clean_close);
			sca_reader__close(r);
		}
	}
	free(b);
}

/*
 * Any single flipped byte anywhere: no crash, only true events, in order,
 * and at most the one chunk holding the flip lost (a damaged length field
 * must not take the chunks after it down too).
 */
static void test_flip_every_byte(void **state)
{
	(void)state;
	char path[256], bad[256];
	path_of(path, sizeof(path), "flipall.trace");
	path_of(bad, sizeof(bad), "flipall-bad.trace");
	write_stream(path, 32);
	size_t len;
	uint8_t *b = slurp(path, &len);
	for (size_t at = 0; at < len; at++) {
		b[at] ^= 0x01;
		spit(bad, b, len);
		b[at] ^= 0x01;
		struct sca_reader *r = sca_reader__open(bad);
		if (!r) {
			/* only the magic can make the file unrecognizable */
			assert_true(at < SCA_FILE_MAGIC_LEN);
			continue;
		}
		const struct sca_record *rec;
		int k = 0, rc, got = 0;
		while ((rc = sca_reader__next(r, &rec)) > 0) {
			if (rec->kind != SCA_RECORD_EVENT)
				continue;
			while (k < NTEST && !event_same(&rec->event, &tev[k]))
				k++;
			if (k == NTEST)
				fail_msg("flip at %zu produced an event not in the stream", at);
			k++;
			got++;
		}
		assert_int_equal(rc, 0);
		if (got < NTEST - 32)
			fail_msg("flip at %zu lost %d events, more than one chunk", at, NTEST - got);
		sca_reader__close(r);
	}
	free(b);
}

static void test_killed_writer(void **state)
{
	(void)state;
	char path[256];
	path_of(path, sizeof(path), "killed.trace");
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sca_writer *w = sca_writer__create(path, &tmeta, NULL);
		if (!w)
			_exit(1);
		for (int i = 0; i < 150; i++)
			if (sca_writer__add_event(w, &tev[i]))
				_exit(1);
		if (sca_writer__flush(w))
			_exit(1);
		for (int i = 150; i < NTEST; i++)   /* buffered, never flushed */
			if (sca_writer__add_event(w, &tev[i]))
				_exit(1);
		raise(SIGKILL);
		_exit(1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	struct sca_reader *r = sca_reader__open(path);
	assert_non_null(r);
	int nlost;
	assert_int_equal(read_check_prefix(r, &nlost), 150);
	assert_int_equal(nlost, 0);
	const struct sca_damage *d;
	assert_int_equal(sca_reader__damage(r, &d), 1);
	assert_int_equal(d[0].kind, SCA_DAMAGE_NO_FOOTER);
	sca_reader__close(r);
}

static void test_disk_full(void **state)
{
	(void)state;
	int fd = open("/dev/full", O_WRONLY);
	if (fd < 0)
		skip();
	struct sca_writer *w = sca_writer__fdopen(fd, &tmeta, NULL);
	/* the header write already fails on a full disk */
	assert_null(w);
	assert_int_equal(errno, ENOSPC);
}

/* Traces are private, never written through a link, never clobbered when asked. */
static void test_safe_create(void **state)
{
	(void)state;
	char path[256], link[256], victim[256];
	struct stat st;
	path_of(path, sizeof(path), "safe.trace");
	path_of(link, sizeof(link), "link.trace");
	path_of(victim, sizeof(victim), "victim");
	struct sca_writer *w = sca_writer__create(path, NULL, NULL);
	assert_non_null(w);
	assert_int_equal(sca_writer__close(w), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	struct sca_writer_opts o = { .sz = sizeof(o), .exclusive = true };
	assert_null(sca_writer__create(path, NULL, &o));
	assert_int_equal(errno, EEXIST);

	spit(victim, (const uint8_t *)"keep me\n", 8);
	assert_int_equal(symlink(victim, link), 0);
	assert_null(sca_writer__create(link, NULL, NULL));
	assert_int_equal(errno, ELOOP);
	assert_null(sca_writer__create(link, NULL, &o));
	size_t len;
	uint8_t *b = slurp(victim, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(b, "keep me\n", 8);
	free(b);
}

static void test_not_a_trace(void **state)
{
	(void)state;
	char path[256];
	path_of(path, sizeof(path), "text.trace");
	spit(path, (const uint8_t *)"hello, world\n", 13);
	assert_null(sca_reader__open(path));
	assert_int_equal(errno, EBADMSG);
	spit(path, (const uint8_t *)"", 0);
	assert_null(sca_reader__open(path));
	assert_int_equal(errno, EBADMSG);
	path_of(path, sizeof(path), "missing.trace");
	assert_null(sca_reader__open(path));
	assert_int_equal(errno, ENOENT);
}

/* ---- a file from the future, built by hand ---------------------------- */

static void put_tlv(struct sca_buf *b, uint64_t type, const void *p, size_t n)
{
	assert_int_equal(sca_buf__varint(b, type), 0);
	assert_int_equal(sca_buf__varint(b, n), 0);
	assert_int_equal(sca_buf__put(b, p, n), 0);
}

static void build_file(const char *path, unsigned major, unsigned minor)
{
	struct sca_buf f = { 0 }, meta = { 0 }, pay = { 0 }, rec = { 0 }, col = { 0 };

	/* header with a known and an unknown metadata key */
	put_tlv(&meta, SCA_META_HOST, "future", 6);
	put_tlv(&meta, 99, "some new field", 14);
	uint8_t fixed[SCA_FILE_HDR_FIXED];
	memcpy(fixed, SCA_FILE_MAGIC, 8);
	sca_put_le16(fixed + 8, (uint16_t)major);
	sca_put_le16(fixed + 10, (uint16_t)minor);
	sca_put_le32(fixed + 12, SCA_BOM);
	sca_put_le32(fixed + 16, (uint32_t)meta.len);
	sca_buf__put(&f, fixed, sizeof(fixed));
	sca_buf__put(&f, meta.p, meta.len);
	uint8_t crc[4];
	sca_put_le32(crc, sca_crc32c(0, f.p, f.len));
	sca_buf__put(&f, crc, 4);

	/* payload: unknown record, a string, a process with an extra trailing
	 * field, events with an unknown column, another unknown record */
	put_tlv(&pay, 77, "\x01\x02\x03", 3);
	put_tlv(&pay, SCA_REC_STRING, "\x01" "cat", 4);
	uint64_t pv[15] = { 1, sca_zigzag(42), sca_zigzag(1), 0, 0, 7, 8, 9, 10, 11, 1, 0, 0, 0, 12345 };
	for (int i = 0; i < 15; i++)
		sca_buf__varint(&rec, pv[i]);
	put_tlv(&pay, SCA_REC_PROCESS, rec.p, rec.len);
	rec.len = 0;
	sca_buf__varint(&rec, 2);                         /* two events */
	col.len = 0;
	sca_buf__varint(&col, 1000);                      /* time: first */
	uint8_t w1 = 1, d = (uint8_t)sca_zigzag(5);       /* one plane, +5 */
	sca_buf__put(&col, &w1, 1);
	sca_buf__put(&col, &d, 1);
	sca_buf__varint(&rec, SCA_COL_TIME);
	sca_buf__varint(&rec, col.len);
	sca_buf__put(&rec, col.p, col.len);
	uint8_t procs[2] = { 1, 1 };
	sca_buf__varint(&rec, SCA_COL_PROC);
	sca_buf__varint(&rec, 2);
	sca_buf__put(&rec, procs, 2);
	sca_buf__varint(&rec, 50);                        /* unknown column */
	sca_buf__varint(&rec, 3);
	sca_buf__put(&rec, "zzz", 3);
	uint8_t sys[2] = { (uint8_t)sca_zigzag(59), (uint8_t)sca_zigzag(-1) };
	sca_buf__varint(&rec, SCA_COL_SYSCALL);
	sca_buf__varint(&rec, 2);
	sca_buf__put(&rec, sys, 2);
	put_tlv(&pay, SCA_REC_EVENTS, rec.p, rec.len);
	put_tlv(&pay, 200, "", 0);

	size_t bound = ZSTD_compressBound(pay.len);
	uint8_t *z = malloc(bound);
	size_t zl = ZSTD_compress(z, bound, pay.p, pay.len, 3);
	assert_false(ZSTD_isError(zl));
	uint8_t h[SCA_CHUNK_HDR_LEN + 8];                 /* 8 bytes of future header fields */
	memset(h, 0xee, sizeof(h));
	memcpy(h, SCA_CHUNK_MAGIC, 4);
	sca_put_le16(h + 4, sizeof(h));
	sca_put_le16(h + 6, 0);
	sca_put_le32(h + 8, (uint32_t)zl);
	sca_put_le32(h + 12, (uint32_t)pay.len);
	sca_put_le32(h + 16, 2);
	sca_put_le32(h + 20, sca_crc32c(0, z, zl));
	sca_put_le64(h + 24, 1000);
	sca_put_le64(h + 32, 1005);
	sca_put_le32(h + 40, 0);
	sca_put_le32(h + sizeof(h) - 4, sca_crc32c(0, h, sizeof(h) - 4));
	sca_buf__put(&f, h, sizeof(h));
	sca_buf__put(&f, z, zl);
	spit(path, f.p, f.len);
	free(z);
	sca_buf__free(&f);
	sca_buf__free(&meta);
	sca_buf__free(&pay);
	sca_buf__free(&rec);
	sca_buf__free(&col);
}

static void test_forward_compat(void **state)
{
	(void)state;
	char path[256];
	path_of(path, sizeof(path), "future.trace");
	build_file(path, SCA_TRACE_VERSION_MAJOR, SCA_TRACE_VERSION_MINOR + 3);
	struct sca_reader *r = sca_reader__open(path);
	assert_non_null(r);
	unsigned ma, mi;
	sca_reader__version(r, &ma, &mi);
	assert_int_equal(mi, SCA_TRACE_VERSION_MINOR + 3);
	assert_string_equal(sca_reader__meta(r)->host, "future");
	const struct sca_record *rec;
	int rc = sca_reader__next(r, &rec);
	if (rc != 1) {
		const struct sca_damage *dd;
		size_t nd = sca_reader__damage(r, &dd);
		fail_msg("next %d, damage %zu kind %d", rc, nd, nd ? (int)dd[0].kind : 0);
	}
	assert_int_equal(rec->event.time_ns, 1000);
	assert_int_equal(rec->event.pid, 42);
	assert_int_equal(rec->event.tid, 42);
	assert_int_equal(rec->event.ses, 8);
	assert_string_equal(rec->event.comm, "cat");
	assert_null(rec->event.exe);
	assert_int_equal(rec->event.syscall, 59);
	assert_int_equal(sca_reader__next(r, &rec), 1);
	assert_int_equal(rec->event.time_ns, 1005);
	assert_int_equal(rec->event.syscall, -1);
	assert_int_equal(sca_reader__next(r, &rec), 0);
	const struct sca_damage *d;
	assert_int_equal(sca_reader__damage(r, &d), 1);       /* hand-made: no footer */
	assert_int_equal(d[0].kind, SCA_DAMAGE_NO_FOOTER);
	sca_reader__close(r);

	build_file(path, SCA_TRACE_VERSION_MAJOR + 1, 0);
	assert_null(sca_reader__open(path));
	assert_int_equal(errno, EPROTONOSUPPORT);
}

/* ---- chunks that claim more than a writer writes ---------------------- */

static void put_file_header(struct sca_buf *f)
{
	uint8_t h[SCA_FILE_HDR_FIXED + 4];

	memcpy(h, SCA_FILE_MAGIC, 8);
	sca_put_le16(h + 8, SCA_TRACE_VERSION_MAJOR);
	sca_put_le16(h + 10, SCA_TRACE_VERSION_MINOR);
	sca_put_le32(h + 12, SCA_BOM);
	sca_put_le32(h + 16, 0);
	sca_put_le32(h + 20, sca_crc32c(0, h, 20));
	sca_buf__put(f, h, sizeof(h));
}

/* A chunk of payload PAY whose header says EVENTS; returns its offset. */
static size_t put_chunk(struct sca_buf *f, const struct sca_buf *pay, uint32_t events)
{
	size_t bound = ZSTD_compressBound(pay->len), at = f->len;
	uint8_t *z = malloc(bound), h[SCA_CHUNK_HDR_LEN] = { 0 };
	size_t zl = ZSTD_compress(z, bound, pay->p, pay->len, 3);

	assert_false(ZSTD_isError(zl));
	memcpy(h, SCA_CHUNK_MAGIC, 4);
	sca_put_le16(h + 4, SCA_CHUNK_HDR_LEN);
	sca_put_le32(h + 8, (uint32_t)zl);
	sca_put_le32(h + 12, (uint32_t)pay->len);
	sca_put_le32(h + 16, events);
	sca_put_le32(h + 20, sca_crc32c(0, z, zl));
	sca_put_le32(h + 44, sca_crc32c(0, h, 44));
	sca_buf__put(f, h, sizeof(h));
	sca_buf__put(f, z, zl);
	free(z);
	return at;
}

/* A process, then an EVENTS record of N events holding PROC bytes of column. */
static void put_events(struct sca_buf *pay, uint64_t n, size_t proc_bytes)
{
	struct sca_buf rec = { 0 }, col = { 0 };
	uint64_t pv[14] = { 1, sca_zigzag(42), sca_zigzag(1), 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };

	put_tlv(pay, SCA_REC_STRING, "\x01" "bomb", 5);
	for (int i = 0; i < 14; i++)
		sca_buf__varint(&rec, pv[i]);
	put_tlv(pay, SCA_REC_PROCESS, rec.p, rec.len);
	rec.len = 0;
	assert_int_equal(sca_buf__reserve(&col, proc_bytes), 0);
	memset(col.p, 1, proc_bytes);
	col.len = proc_bytes;
	sca_buf__varint(&rec, n);
	put_tlv(&rec, SCA_COL_PROC, col.p, col.len);
	put_tlv(pay, SCA_REC_EVENTS, rec.p, rec.len);
	sca_buf__free(&rec);
	sca_buf__free(&col);
}

/* Read PATH to the end: the events, and the one undecodable chunk at AT. */
static void expect_skipped(const char *path, uint64_t events, size_t at, uint64_t claim)
{
	struct sca_reader *r = sca_reader__open(path);
	const struct sca_record *rec;
	const struct sca_damage *d;
	uint64_t n = 0;
	int rc;

	assert_non_null(r);
	while ((rc = sca_reader__next(r, &rec)) > 0)
		n++;
	assert_int_equal(rc, 0);
	assert_int_equal(n, events);
	assert_int_equal(sca_reader__damage(r, &d), 2);
	assert_int_equal(d[0].kind, SCA_DAMAGE_PAYLOAD);
	assert_int_equal(d[0].offset, at);
	assert_int_equal(d[0].events, claim);
	assert_int_equal(d[1].kind, SCA_DAMAGE_NO_FOOTER);
	sca_reader__close(r);
}

/*
 * A chunk of one-byte events compresses to nothing, so a tiny file could
 * claim millions of events; one that claims 4e9 once made the reader fail
 * with ENOMEM. Both are damage now, and the chunks around them load.
 */
static void test_chunk_claims(void **state)
{
	(void)state;
	struct sca_buf f = { 0 }, good = { 0 }, big = { 0 }, liar = { 0 }, full = { 0 };
	char path[256];
	size_t at;

	path_of(path, sizeof(path), "claims.trace");
	put_events(&good, 3, 3);
	put_events(&big, SCA_CHUNK_EVENTS_MAX + 1, SCA_CHUNK_EVENTS_MAX + 1);
	put_events(&liar, 4000000000u, 1);
	put_events(&full, SCA_CHUNK_EVENTS_MAX, SCA_CHUNK_EVENTS_MAX);

	/* valid but for its size: one event more than the writer's limit */
	put_file_header(&f);
	put_chunk(&f, &good, 3);
	at = put_chunk(&f, &big, SCA_CHUNK_EVENTS_MAX + 1);
	put_chunk(&f, &good, 3);
	spit(path, f.p, f.len);
	expect_skipped(path, 6, at, SCA_CHUNK_EVENTS_MAX + 1);

	/* 4e9 in the header and in the record, one value in the column */
	f.len = 0;
	put_file_header(&f);
	put_chunk(&f, &good, 3);
	at = put_chunk(&f, &liar, 4000000000u);
	put_chunk(&f, &full, SCA_CHUNK_EVENTS_MAX);
	spit(path, f.p, f.len);
	expect_skipped(path, 3 + SCA_CHUNK_EVENTS_MAX, at, 4000000000u);

	/* the same lie within the limit: refused before anything is reserved */
	f.len = 0;
	liar.len = 0;
	put_events(&liar, SCA_CHUNK_EVENTS_MAX, 1);
	put_file_header(&f);
	at = put_chunk(&f, &liar, SCA_CHUNK_EVENTS_MAX);
	put_chunk(&f, &good, 3);
	spit(path, f.p, f.len);
	expect_skipped(path, 3, at, SCA_CHUNK_EVENTS_MAX);

	sca_buf__free(&f);
	sca_buf__free(&good);
	sca_buf__free(&big);
	sca_buf__free(&liar);
	sca_buf__free(&full);
}

/* So many lost records in one chunk decode to ten times their size. */
static void test_chunk_lost_limit(void **state)
{
	(void)state;
	struct sca_buf f = { 0 }, pay = { 0 };
	uint8_t lost[3] = { 5, 1, 0 };           /* time 5, count 1, no source */
	char path[256];
	size_t at;

	path_of(path, sizeof(path), "lost.trace");
	for (uint32_t i = 0; i <= SCA_CHUNK_LOST_MAX; i++)
		put_tlv(&pay, SCA_REC_LOST, lost, sizeof(lost));
	put_file_header(&f);
	at = put_chunk(&f, &pay, 0);
	pay.len = 0;
	put_events(&pay, 3, 3);
	put_chunk(&f, &pay, 3);
	spit(path, f.p, f.len);
	expect_skipped(path, 3, at, 0);
	sca_buf__free(&f);
	sca_buf__free(&pay);
}

/* The writer never writes what the reader refuses, whatever it is asked. */
static void test_writer_chunk_limit(void **state)
{
	(void)state;
	struct sca_writer_opts o = { .sz = sizeof(o), .chunk_events = UINT32_MAX };
	struct sca_lost l = { 1, 1, "audit" };
	struct sca_reader_totals t;
	const struct sca_record *rec;
	const struct sca_damage *d;
	struct sca_writer *w;
	struct sca_reader *r;
	uint64_t nev = 0, nlost = 0;
	char path[256];
	int rc;

	path_of(path, sizeof(path), "limit.trace");
	w = sca_writer__create(path, &tmeta, &o);
	assert_non_null(w);
	for (uint32_t i = 0; i <= SCA_CHUNK_EVENTS_MAX; i++)
		assert_int_equal(sca_writer__add_event(w, &tev[i % NTEST]), 0);
	assert_int_equal(sca_writer__flush(w), 0);
	for (uint32_t i = 0; i <= SCA_CHUNK_LOST_MAX; i++)
		assert_int_equal(sca_writer__add_lost(w, &l), 0);
	assert_int_equal(sca_writer__close(w), 0);

	r = sca_reader__open(path);
	assert_non_null(r);
	while ((rc = sca_reader__next(r, &rec)) > 0)
		rec->kind == SCA_RECORD_EVENT ? nev++ : nlost++;
	assert_int_equal(rc, 0);
	assert_int_equal(nev, SCA_CHUNK_EVENTS_MAX + 1);
	assert_int_equal(nlost, SCA_CHUNK_LOST_MAX + 1);
	assert_int_equal(sca_reader__damage(r, &d), 0);
	sca_reader__totals(r, &t);
	assert_int_equal(t.chunks, 4);
	sca_reader__close(r);
}

/* ---- CALLS records (format 1.1) --------------------------------------- */

#define NCALLS 64

static struct sca_calls tcalls[NCALLS];
static int tcalls_src[NCALLS];      /* the event whose process it shares; -1: none */

/* What a record of the mixed stream is: kind and index in tev, tlost or tcalls. */
struct rec_ref {
	enum sca_record_kind kind;
	int i;
};

#define NSEQ (NTEST + NCALLS + 3)
static struct rec_ref tseq[NSEQ];
static int ntseq;

static void make_calls(void)
{
	for (int j = 0; j < NCALLS; j++) {
		struct sca_calls *c = &tcalls[j];
		struct sca_event *e = &c->ev;
		int k = (j * 7) % NTEST;

		memset(c, 0, sizeof(*c));
		*e = tev[k];                 /* the process of an event ... */
		tcalls_src[j] = k;
		if (j % 8 == 5) {            /* ... or one no event has */
			e->pid = 9000 + j;
			e->comm = "only-calls";
			e->container = NULL;
			tcalls_src[j] = -1;
		}
		e->tid = e->pid + j % 4 - 1;
		/* audit-only fields: a writer drops them */
		e->serial = 99;
		e->code = 0x7fff0000u;
		e->signr = 3;
		e->ip = 0x1234;
		e->time_ns = 1700000000000000000ull + (uint64_t)j * 3456789;
		if (j == 17)
			e->time_ns = 1600000000000000000ull;  /* before every event */
		if (j == 40)
			e->time_ns = 1800000000000000000ull;  /* after every event */
		e->arch = arches[j % (sizeof(arches) / sizeof(arches[0]))];
		e->syscall = j % 10 == 0 ? INT32_MIN : j % 10 == 1 ? INT32_MAX : j % 10 == 2 ? -1 : j;
		e->compat = j % 5 == 1;
		e->has_args = j % 3 == 1;
		memset(e->args, 0, sizeof(e->args));
		for (int a = 0; e->has_args && a < 6; a++) {
			e->args[a] = a == 0 ? UINT64_MAX : (uint64_t)j << a;
			c->argmask[a] = a == 1 ? UINT64_MAX : a == 2 ? 0xffu : 0;
		}
		if (!e->has_args)
			c->argmask[0] = 0xff;      /* dropped without args */
		c->count = j % 6 == 0 ? 1 : j % 6 == 1 ? UINT64_MAX : (uint64_t)j * 1000;
		c->flags = (j % 2 ? SCA_CALLS_FILTERED : 0) | (j % 9 == 4 ? SCA_CALLS_NO_PROCESS : 0);
		if (j % 9 == 4)
			tcalls_src[j] = -1;
	}
}

/* What the reader returns for c: what the writer keeps of it. */
static struct sca_calls calls_read_as(const struct sca_calls *c)
{
	struct sca_calls w = *c;
	struct sca_event *e = &w.ev;

	e->serial = 0;
	e->code = 0;
	e->signr = 0;
	e->ip = 0;
	if (!e->has_args) {
		memset(e->args, 0, sizeof(e->args));
		memset(w.argmask, 0, sizeof(w.argmask));
	}
	w.flags &= SCA_CALLS_FILTERED | SCA_CALLS_NO_PROCESS;
	if (w.flags & SCA_CALLS_NO_PROCESS) {
		e->pid = 0;
		e->ppid = -1;
		e->uid = e->gid = e->auid = e->ses = UINT32_MAX;
		e->mnt_ns = e->pid_ns = e->cgroup_id = 0;
		e->comm = e->exe = e->cgroup = NULL;
		e->container = NULL;
	}
	return w;
}

static bool calls_same(const struct sca_calls *got, const struct sca_calls *c)
{
	struct sca_calls w = calls_read_as(c);

	return event_same(&got->ev, &w.ev) && memcmp(got->ev.args, w.ev.args, sizeof(w.ev.args)) == 0 &&
	       got->count == w.count && got->flags == w.flags &&
	       memcmp(got->argmask, w.argmask, sizeof(w.argmask)) == 0 && got->ev.proc_key != 0;
}

static void seq_add(enum sca_record_kind kind, int i)
{
	assert_true(ntseq < NSEQ);
	tseq[ntseq++] = (struct rec_ref){ kind, i };
}

static void add_calls_at(struct sca_writer *w, int *j)
{
	assert_int_equal(sca_writer__add_calls(w, &tcalls[*j]), 0);
	seq_add(SCA_RECORD_CALLS, (*j)++);
}

/*
 * The first NEV events, all calls (first, alone, in runs of two, the rest
 * in a run at the end) and lost records mixed.
 */
static void write_mixed(const char *path, uint32_t chunk_events, int nev, struct sca_writer_stats *st)
{
	struct sca_writer_opts o = { .sz = sizeof(o), .chunk_events = chunk_events };
	struct sca_writer *w = sca_writer__create(path, &tmeta, &o);
	int j = 0;

	assert_non_null(w);
	ntseq = 0;
	add_calls_at(w, &j);
	for (int i = 0; i < nev; i++) {
		assert_int_equal(sca_writer__add_event(w, &tev[i]), 0);
		seq_add(SCA_RECORD_EVENT, i);
		if (i % 4 == 1 && j < NCALLS)
			add_calls_at(w, &j);
		if (i % 25 == 7 && j + 1 < NCALLS) {
			add_calls_at(w, &j);
			add_calls_at(w, &j);
		}
		if (i == 10 || i == 100) {
			assert_int_equal(sca_writer__add_lost(w, &tlost[i == 100]), 0);
			seq_add(SCA_RECORD_LOST, i == 100);
		}
	}
	while (j < NCALLS)
		add_calls_at(w, &j);
	assert_int_equal(sca_writer__add_lost(w, &tlost[2]), 0);
	seq_add(SCA_RECORD_LOST, 2);
	if (st)
		sca_writer__stats(w, st);
	assert_int_equal(sca_writer__close(w), 0);
}

/*
 * Read everything; the records must be the first of tseq, in order. Returns
 * how many; the proc_key of each record in keys (when not NULL).
 */
static int read_check_seq(struct sca_reader *r, uint64_t *keys)
{
	const struct sca_record *rec;
	int n = 0, rc;

	while ((rc = sca_reader__next(r, &rec)) > 0) {
		assert_true(n < ntseq);
		const struct rec_ref *x = &tseq[n];
		if (rec->kind != x->kind)
			fail_msg("record %d: kind %d, want %d", n, (int)rec->kind, (int)x->kind);
		if (x->kind == SCA_RECORD_EVENT && !event_same(&rec->event, &tev[x->i]))
			fail_msg("record %d: event %d differs", n, x->i);
		if (x->kind == SCA_RECORD_CALLS && !calls_same(&rec->calls, &tcalls[x->i]))
			fail_msg("record %d: calls %d differ", n, x->i);
		if (x->kind == SCA_RECORD_LOST)
			assert_int_equal(rec->lost.count, tlost[x->i].count);
		if (keys)
			keys[n] = x->kind == SCA_RECORD_LOST ? 0 : rec->event.proc_key;
		n++;
	}
	assert_int_equal(rc, 0);
	return n;
}

static void test_calls_round_trip(void **state)
{
	(void)state;
	char path[256];
	uint32_t sizes[] = { 1, 7, 65536 };
	uint64_t keys[NSEQ], sum = 0, tmin = UINT64_MAX, tmax = 0;

	path_of(path, sizeof(path), "calls.trace");
	for (int j = 0; j < NCALLS; j++) {
		sum += tcalls[j].count;
		tmin = tcalls[j].ev.time_ns < tmin ? tcalls[j].ev.time_ns : tmin;
		tmax = tcalls[j].ev.time_ns > tmax ? tcalls[j].ev.time_ns : tmax;
	}
	for (size_t s = 0; s < 3; s++) {
		struct sca_writer_stats st;
		write_mixed(path, sizes[s], NTEST, &st);
		assert_int_equal(st.events, NTEST);
		assert_int_equal(st.calls, NCALLS);
		assert_int_equal(st.calls_count, sum);

		struct sca_reader *r = sca_reader__open(path);
		assert_non_null(r);
		unsigned ma, mi;
		sca_reader__version(r, &ma, &mi);
		assert_int_equal(mi, 1);
		assert_int_equal(read_check_seq(r, keys), ntseq);
		const struct sca_damage *d;
		assert_int_equal(sca_reader__damage(r, &d), 0);
		struct sca_reader_totals t;
		sca_reader__totals(r, &t);
		assert_true(t.clean_close);
		assert_int_equal(t.events, NTEST);
		assert_int_equal(t.footer_events, NTEST);
		assert_int_equal(t.calls, NCALLS);
		assert_int_equal(t.footer_calls, NCALLS);
		assert_int_equal(t.calls_count, sum);   /* mod 2^64, as the writer's */
		assert_int_equal(t.time_min, tmin);      /* calls 17 and 40 */
		assert_int_equal(t.time_max, tmax);
		assert_int_equal(t.footer_chunks, t.chunks);
		sca_reader__close(r);
		if (sizes[s] != 65536)
			continue;
		/* one chunk: its header counts events only, its times span the calls too */
		size_t len, off[2];
		uint32_t evs[2];
		uint8_t *b = slurp(path, &len);
		assert_int_equal(chunk_map(b, len, off, evs, 2), 1);
		assert_int_equal(evs[0], NTEST);
		assert_int_equal(sca_get_le64(b + off[0] + 24), 0);     /* the last lost record */
		assert_int_equal(sca_get_le64(b + off[0] + 32), tmax);  /* calls 40 */
		free(b);
		/* calls share the key of the events of their process */
		for (int n = 0; n < ntseq; n++) {
			const struct rec_ref *x = &tseq[n];
			if (x->kind != SCA_RECORD_CALLS || tcalls_src[x->i] < 0)
				continue;
			for (int m = 0; m < ntseq; m++)
				if (tseq[m].kind == SCA_RECORD_EVENT && tseq[m].i == tcalls_src[x->i])
					assert_int_equal(keys[n], keys[m]);
		}
	}
}

static void test_calls_truncate_every_offset(void **state)
{
	(void)state;
	char path[256], cut[256];
	size_t len;
	int prev = 0;

	path_of(path, sizeof(path), "calls-full.trace");
	path_of(cut, sizeof(cut), "calls-cut.trace");
	write_mixed(path, 16, 80, NULL);     /* every offset: a shorter file */
	uint8_t *b = slurp(path, &len);
	for (size_t off = 1; off <= len; off++) {
		spit(cut, b, off);
		struct sca_reader *r = sca_reader__open(cut);
		assert_non_null(r);
		int n = read_check_seq(r, NULL);
		assert_true(n >= prev);    /* a longer prefix never yields fewer records */
		prev = n;
		const struct sca_damage *d;
		size_t nd = sca_reader__damage(r, &d);
		struct sca_reader_totals t;
		sca_reader__totals(r, &t);
		if (!t.clean_close) {
			assert_int_equal(nd, 1);
			assert_true(d[0].offset + d[0].length == off);
		} else {
			assert_int_equal(n, ntseq);
		}
		sca_reader__close(r);
	}
	assert_int_equal(prev, ntseq);
	free(b);
}

/* The STRING and PROCESS definitions of process 1 (pid 42, comm "calls"). */
static void put_proc1(struct sca_buf *pay)
{
	struct sca_buf rec = { 0 };
	uint64_t pv[14] = { 1, sca_zigzag(42), sca_zigzag(1), 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };

	put_tlv(pay, SCA_REC_STRING, "\x01" "calls", 6);
	for (int i = 0; i < 14; i++)
		sca_buf__varint(&rec, pv[i]);
	put_tlv(pay, SCA_REC_PROCESS, rec.p, rec.len);
	sca_buf__free(&rec);
}

/* A CALLS record of these N fields, then EXTRA bytes of a later version. */
static void put_calls_rec(struct sca_buf *pay, const uint64_t *v, size_t n, const char *extra)
{
	struct sca_buf rec = { 0 };

	for (size_t i = 0; i < n; i++)
		sca_buf__varint(&rec, v[i]);
	if (extra)
		sca_buf__put(&rec, extra, strlen(extra));
	put_tlv(pay, SCA_REC_CALLS, rec.p, rec.len);
	sca_buf__free(&rec);
}

/* Calls of process 1 (tid 43, x86_64, read) at time T, count 5. */
static void put_calls_t(struct sca_buf *pay, uint64_t t, const char *extra)
{
	uint64_t v[7] = { 1, sca_zigzag(1), 0xc000003e, sca_zigzag(0), t, 5, 0 };
	put_calls_rec(pay, v, 7, extra);
}

static void test_calls_limit(void **state)
{
	(void)state;
	struct sca_buf f = { 0 }, good = { 0 }, full = { 0 }, over = { 0 };
	char path[256];
	size_t at;

	path_of(path, sizeof(path), "calls-limit.trace");
	put_events(&good, 3, 3);
	put_proc1(&full);
	put_proc1(&over);
	for (uint32_t i = 0; i < SCA_CHUNK_CALLS_MAX; i++) {
		put_calls_t(&full, i, NULL);
		put_calls_t(&over, i, NULL);
	}
	put_calls_t(&over, 0, NULL);

	/* the most a writer writes reads; one more is refused, the rest reads */
	put_file_header(&f);
	put_chunk(&f, &good, 3);
	put_chunk(&f, &full, 0);
	at = put_chunk(&f, &over, 0);
	put_chunk(&f, &good, 3);
	spit(path, f.p, f.len);
	expect_skipped(path, 6 + SCA_CHUNK_CALLS_MAX, at, 0);
	sca_buf__free(&f);
	sca_buf__free(&good);
	sca_buf__free(&full);
	sca_buf__free(&over);
}

/* Later versions may append fields; unknown records between calls are skipped. */
static void test_calls_forward_compat(void **state)
{
	(void)state;
	struct sca_buf f = { 0 }, pay = { 0 };
	const struct sca_record *rec;
	char path[256];
	uint64_t args[19] = { 1, sca_zigzag(-2), 0x40000003, sca_zigzag(5), 2000, UINT64_MAX,
			      0x1 | 0x4 | 0x8 | 0x40 | (1ull << 40) };

	for (int i = 0; i < 6; i++) {
		args[7 + i] = 100 + (uint64_t)i;
		args[13 + i] = i == 3 ? UINT64_MAX : 0;
	}
	path_of(path, sizeof(path), "calls-future.trace");
	put_proc1(&pay);
	put_calls_t(&pay, 1000, "\x05\x06\x07");
	put_tlv(&pay, 77, "\x01\x02", 2);
	put_calls_rec(&pay, args, 19, "\x81\x01zz");
	put_tlv(&pay, 200, "", 0);
	put_calls_t(&pay, 3000, NULL);
	put_file_header(&f);
	put_chunk(&f, &pay, 0);
	spit(path, f.p, f.len);

	struct sca_reader *r = sca_reader__open(path);
	assert_non_null(r);
	assert_int_equal(sca_reader__next(r, &rec), 1);
	assert_int_equal(rec->kind, SCA_RECORD_CALLS);
	assert_int_equal(rec->calls.ev.time_ns, 1000);
	assert_int_equal(rec->calls.ev.pid, 42);
	assert_int_equal(rec->calls.ev.tid, 43);
	assert_string_equal(rec->calls.ev.comm, "calls");
	assert_int_equal(rec->calls.count, 5);
	assert_int_equal(rec->calls.flags, 0);
	assert_false(rec->calls.ev.has_args);

	assert_int_equal(sca_reader__next(r, &rec), 1);
	assert_int_equal(rec->kind, SCA_RECORD_CALLS);
	const struct sca_calls *c = &rec->calls;
	assert_int_equal(c->ev.time_ns, 2000);
	assert_int_equal(c->ev.tid, 40);
	assert_int_equal(c->ev.arch, 0x40000003);
	assert_int_equal(c->ev.syscall, 5);
	assert_int_equal(c->count, UINT64_MAX);
	assert_int_equal(c->flags, SCA_CALLS_FILTERED);   /* unknown bits ignored */
	assert_true(c->ev.compat);
	assert_true(c->ev.has_args);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(c->ev.args[i], 100 + i);
		assert_int_equal(c->argmask[i], i == 3 ? UINT64_MAX : 0);
	}
	assert_int_equal(c->ev.code, 0);
	assert_int_equal(c->ev.serial, 0);

	assert_int_equal(sca_reader__next(r, &rec), 1);
	assert_int_equal(rec->calls.ev.time_ns, 3000);
	assert_int_equal(sca_reader__next(r, &rec), 0);
	struct sca_reader_totals t;
	sca_reader__totals(r, &t);
	assert_int_equal(t.calls, 3);
	assert_int_equal(t.calls_count, 5 + UINT64_MAX + 5);
	assert_int_equal(t.events, 0);
	assert_int_equal(t.time_min, 1000);
	assert_int_equal(t.time_max, 3000);
	assert_int_equal(t.chunks_skipped, 0);
	sca_reader__close(r);
	sca_buf__free(&f);
	sca_buf__free(&pay);
}

/* Each of these makes its chunk undecodable, and costs only that chunk. */
static void test_calls_invalid(void **state)
{
	(void)state;
	const uint64_t bad[][7] = {
		{ 0, 0, 0xc000003e, 0, 1, 1, 0 },                        /* process 0, no flag */
		{ 1, 0, 0xc000003e, 0, 1, 1, SCA_CALLS_FLAG_NO_PROCESS }, /* flag and a process */
		{ 2, 0, 0xc000003e, 0, 1, 1, 0 },                        /* undefined process */
		{ 1, 0, 0xc000003e, 0, 1, 0, 0 },                        /* count 0 */
		{ 1, sca_zigzag((int64_t)INT32_MAX), 0xc000003e, 0, 1, 1, 0 }, /* tid past int32 */
		{ 1, 0, 1ull << 32, 0, 1, 1, 0 },                        /* arch past u32 */
		{ 1, 0, 0xc000003e, sca_zigzag((int64_t)INT32_MIN - 1), 1, 1, 0 }, /* syscall */
		{ 1, 0, 0xc000003e, 0, 1, 1, SCA_CALLS_FLAG_HAS_ARGS },  /* args missing */
	};
	struct sca_buf f = { 0 }, good = { 0 }, pay = { 0 };
	char path[256];

	path_of(path, sizeof(path), "calls-bad.trace");
	put_events(&good, 3, 3);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f.len = pay.len = 0;
		put_proc1(&pay);
		put_calls_rec(&pay, bad[i], 7, NULL);
		put_file_header(&f);
		put_chunk(&f, &good, 3);
		size_t at = put_chunk(&f, &pay, 0);
		put_chunk(&f, &good, 3);
		spit(path, f.p, f.len);
		expect_skipped(path, 6, at, 0);
	}
	/* the same chunk with a valid record reads */
	f.len = pay.len = 0;
	put_proc1(&pay);
	const uint64_t none[7] = { 0, sca_zigzag(77), 0xc000003e, 0, 1, 1, SCA_CALLS_FLAG_NO_PROCESS };
	put_calls_rec(&pay, none, 7, NULL);
	put_file_header(&f);
	put_chunk(&f, &pay, 0);
	spit(path, f.p, f.len);
	struct sca_reader *r = sca_reader__open(path);
	const struct sca_record *rec;
	assert_non_null(r);
	assert_int_equal(sca_reader__next(r, &rec), 1);
	assert_int_equal(rec->calls.flags, SCA_CALLS_NO_PROCESS);
	assert_int_equal(rec->calls.ev.pid, 0);
	assert_int_equal(rec->calls.ev.tid, 77);
	assert_int_equal(rec->calls.ev.ppid, -1);
	assert_int_equal(rec->calls.ev.uid, UINT32_MAX);
	assert_null(rec->calls.ev.comm);
	assert_true(rec->calls.ev.proc_key != 0);
	sca_reader__close(r);
	sca_buf__free(&f);
	sca_buf__free(&good);
	sca_buf__free(&pay);
}

/* A footer of 1 chunk at OFF (EVENTS events, one time), with total_calls if CALLS >= 0. */
static void put_footer(struct sca_buf *f, size_t off, uint64_t events, int64_t calls)
{
	struct sca_buf b = { 0 };
	uint8_t v[8];
	uint64_t at = f->len;

	sca_buf__put(&b, SCA_FOOTER_MAGIC, 4);
	sca_buf__put(&b, "\0\0\0\0", 4);
	sca_buf__varint(&b, events);
	sca_buf__varint(&b, 0);
	sca_buf__varint(&b, 1);
	sca_buf__varint(&b, off);
	sca_buf__varint(&b, events);
	sca_buf__varint(&b, 0);
	sca_buf__varint(&b, 0);
	if (calls >= 0)
		sca_buf__varint(&b, (uint64_t)calls);
	sca_put_le32(b.p + 4, (uint32_t)(b.len - 8));
	sca_put_le32(v, sca_crc32c(0, b.p, b.len));
	sca_buf__put(&b, v, 4);
	sca_put_le64(v, at);
	sca_buf__put(&b, v, 8);
	sca_buf__put(&b, SCA_TRAILER_MAGIC, 8);
	sca_buf__put(f, b.p, b.len);
	sca_buf__free(&b);
}

static void test_calls_footer(void **state)
{
	(void)state;
	struct sca_buf f = { 0 }, good = { 0 };
	struct sca_reader_totals t;
	char path[256];

	path_of(path, sizeof(path), "footer.trace");
	put_events(&good, 3, 3);
	for (int64_t calls = -1; calls <= 300; calls += 301) {
		f.len = 0;
		put_file_header(&f);
		size_t off = put_chunk(&f, &good, 3);
		put_footer(&f, off, 3, calls);
		spit(path, f.p, f.len);
		struct sca_reader *r = sca_reader__open(path);
		const struct sca_record *rec;
		const struct sca_damage *d;
		assert_non_null(r);
		while (sca_reader__next(r, &rec) > 0)
			;
		sca_reader__totals(r, &t);
		assert_true(t.clean_close);
		assert_int_equal(t.footer_events, 3);
		assert_int_equal(t.footer_chunks, 1);
		/* a 1.0 footer ends after the index: no calls */
		assert_int_equal(t.footer_calls, calls < 0 ? 0 : (uint64_t)calls);
		assert_int_equal(sca_reader__damage(r, &d), 0);
		sca_reader__close(r);
	}
	sca_buf__free(&f);
	sca_buf__free(&good);
}

/* count 0 is refused and changes nothing; a chunk is sealed at the CALLS limit. */
static void test_writer_calls(void **state)
{
	(void)state;
	struct sca_calls c = { .ev = tev[1], .count = 0 };
	struct sca_reader_totals t;
	const struct sca_record *rec;
	const struct sca_damage *d;
	struct sca_writer *w;
	struct sca_reader *r;
	char path[256];
	int rc;

	path_of(path, sizeof(path), "wcalls.trace");
	w = sca_writer__create(path, &tmeta, NULL);
	assert_non_null(w);
	assert_int_equal(sca_writer__add_calls(w, &c), -EINVAL);
	c.count = 2;
	for (uint32_t i = 0; i <= SCA_CHUNK_CALLS_MAX; i++)
		assert_int_equal(sca_writer__add_calls(w, &c), 0);
	assert_int_equal(sca_writer__close(w), 0);
	r = sca_reader__open(path);
	assert_non_null(r);
	while ((rc = sca_reader__next(r, &rec)) > 0)
		assert_int_equal(rec->kind, SCA_RECORD_CALLS);
	assert_int_equal(rc, 0);
	assert_int_equal(sca_reader__damage(r, &d), 0);
	sca_reader__totals(r, &t);
	assert_int_equal(t.calls, SCA_CHUNK_CALLS_MAX + 1);
	assert_int_equal(t.calls_count, 2 * (SCA_CHUNK_CALLS_MAX + 1));
	assert_int_equal(t.footer_calls, t.calls);
	assert_int_equal(t.chunks, 2);
	sca_reader__close(r);
}

/*
 * Events and calls each name a process at most: together they could name
 * more than a reader accepts (and a 1.0 reader, which skips the calls,
 * still counts their processes). The writer seals first.
 */
static void test_writer_calls_procs(void **state)
{
	(void)state;
	const uint32_t half = SCA_CHUNK_PROCS_MAX / 2 + 100;
	struct sca_event e = tev[2];
	struct sca_calls c = { .count = 1 };
	struct sca_reader_totals t;
	const struct sca_record *rec;
	const struct sca_damage *d;
	struct sca_writer *w;
	struct sca_reader *r;
	char path[256];
	int rc;

	path_of(path, sizeof(path), "wprocs.trace");
	w = sca_writer__create(path, &tmeta, NULL);
	assert_non_null(w);
	for (uint32_t i = 0; i < half; i++) {
		e.pid = (int32_t)(1000 + i);
		assert_int_equal(sca_writer__add_event(w, &e), 0);
		c.ev = e;
		c.ev.pid = (int32_t)(1000000 + i);
		assert_int_equal(sca_writer__add_calls(w, &c), 0);
	}
	assert_int_equal(sca_writer__close(w), 0);
	r = sca_reader__open(path);
	assert_non_null(r);
	while ((rc = sca_reader__next(r, &rec)) > 0)
		;
	assert_int_equal(rc, 0);
	assert_int_equal(sca_reader__damage(r, &d), 0);
	sca_reader__totals(r, &t);
	assert_int_equal(t.events, half);
	assert_int_equal(t.calls, half);
	assert_int_equal(t.chunks, 2);
	sca_reader__close(r);
}

/* The writer's bytes are the specification's (docs/format.md 12.7). */
static void test_calls_bytes(void **state)
{
	(void)state;
	static const uint8_t want[] = {
		0x06, 0x31, 0x01, 0x04, 0xbe, 0x80, 0x80, 0x80, 0x0c, 0x00,
		0x80, 0xc6, 0xae, 0xc0, 0xe4, 0x9f, 0xe7, 0xcb, 0x17, 0x2a, 0x09,
		0x03, 0x80, 0x80, 0xf4, 0xff, 0x07, 0x80, 0x20, 0x00, 0x00, 0x00,
		0xff, 0xff, 0xff, 0xff, 0x0f, 0x00,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00,
		0x06, 0x13, 0x00, 0x00, 0xbe, 0x80, 0x80, 0x80, 0x0c, 0x02,
		0x80, 0xc6, 0xae, 0xc0, 0xe4, 0x9f, 0xe7, 0xcb, 0x17, 0x07, 0x02,
	};
	struct sca_calls c = {
		.ev = { .time_ns = 1700000000300000000ull, .pid = 1234, .tid = 1236, .ppid = 1,
			.uid = 1000, .gid = 1000, .auid = 1000, .ses = 3, .mnt_ns = 4026531841ull,
			.pid_ns = 4026531836ull, .comm = "cat", .exe = "/usr/bin/cat", .arch = 0xc000003e,
			.has_args = true, .args = { 3, 0x7ffd0000, 4096 } },
		.count = 42, .flags = SCA_CALLS_FILTERED, .argmask = { 0xffffffff, 0, UINT64_MAX },
	};
	/* the process fields of a call without one are not written */
	struct sca_calls none = { .ev = c.ev, .count = 7, .flags = SCA_CALLS_NO_PROCESS };
	char path[256];
	size_t len, off[2];
	uint32_t evs[2];

	none.ev.tid = 0;
	none.ev.syscall = 1;
	none.ev.has_args = false;
	path_of(path, sizeof(path), "bytes.trace");
	struct sca_writer *w = sca_writer__create(path, NULL, NULL);
	assert_non_null(w);
	assert_int_equal(sca_writer__add_calls(w, &c), 0);
	assert_int_equal(sca_writer__add_calls(w, &none), 0);
	assert_int_equal(sca_writer__close(w), 0);

	uint8_t *b = slurp(path, &len);
	assert_int_equal(chunk_map(b, len, off, evs, 2), 1);
	assert_int_equal(evs[0], 0);
	const uint8_t *h = b + off[0];
	uint32_t plen = sca_get_le32(h + 8), rlen = sca_get_le32(h + 12);
	uint8_t *raw = malloc(rlen);
	assert_int_equal(ZSTD_decompress(raw, rlen, h + SCA_CHUNK_HDR_LEN, plen), rlen);
	assert_true(rlen > sizeof(want));
	assert_memory_equal(raw + rlen - sizeof(want), want, sizeof(want));
	assert_int_equal(sca_get_le64(h + 24), 1700000000300000000ull);
	assert_int_equal(sca_get_le64(h + 32), 1700000000300000000ull);
	/* footer body: 0 events, 0 lost, 1 index entry, then total_calls 2 */
	const uint8_t *f = h + SCA_CHUNK_HDR_LEN + plen;
	assert_memory_equal(f, SCA_FOOTER_MAGIC, 4);
	assert_int_equal(f[8 + sca_get_le32(f + 4) - 1], 2);
	free(raw);
	free(b);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	make_stream();
	make_calls();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_trace),
		cmocka_unit_test(test_truncate_every_offset),
		cmocka_unit_test(test_flipped_byte_in_chunk),
		cmocka_unit_test(test_flip_every_byte),
		cmocka_unit_test(test_killed_writer),
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_safe_create),
		cmocka_unit_test(test_not_a_trace),
		cmocka_unit_test(test_forward_compat),
		cmocka_unit_test(test_chunk_claims),
		cmocka_unit_test(test_chunk_lost_limit),
		cmocka_unit_test(test_writer_chunk_limit),
		cmocka_unit_test(test_calls_round_trip),
		cmocka_unit_test(test_calls_truncate_every_offset),
		cmocka_unit_test(test_calls_limit),
		cmocka_unit_test(test_calls_forward_compat),
		cmocka_unit_test(test_calls_invalid),
		cmocka_unit_test(test_calls_footer),
		cmocka_unit_test(test_writer_calls),
		cmocka_unit_test(test_writer_calls_procs),
		cmocka_unit_test(test_calls_bytes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
