/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Trace reader: streams records (events, lost and CALLS records) chunk by
 * chunk. A chunk is decoded and validated whole before any of its records
 * is returned, so damage never yields a partial or invented event; damaged
 * regions are skipped and listed.
 * Memory follows what a chunk holds, never what its fields claim: counts
 * are bounded (internal.h) and buffers grow with the bytes that arrive.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "internal.h"
#include "trace.h"

#define CHUNK_HDR_MAX 4096

struct rproc {
	int32_t pid, ppid;
	uint32_t uid, gid, auid, ses;
	uint64_t mnt_ns, pid_ns, cgroup_id;
	uint32_t comm, exe, cgroup, cont;     /* ids, 0 = none */
};

/* A CALLS record as decoded; proc 0: no process (NO_PROCESS). */
struct rcalls {
	uint64_t time, count;
	uint32_t proc, arch, flags;          /* flags: SCA_CALLS_FLAG_* */
	int32_t tid, sys;
	uint64_t args[6], argmask[6];
};

/* A run of records in chunk order: events or calls [start, start+n), or one lost. */
struct seg {
	uint8_t kind;
	uint32_t start, n;
};

struct sca_reader {
	int fd;
	/* input window: buf[pos, len) holds file bytes from buf_off + pos */
	uint8_t *buf;
	size_t cap, pos, len;
	uint64_t buf_off;
	uint64_t size;                   /* a regular file's at open, else 0 */
	bool eof, done;

	unsigned major, minor;
	struct sca_trace_meta meta;
	char *meta_str[5];

	ZSTD_DCtx *dctx;
	struct sca_buf raw;              /* the payload, decompressed */

	/* chunk tables */
	uint32_t (*str_at)[2];           /* [start, end) in raw; index = id - 1 */
	size_t nstrs, capstrs;
	const char **str_ptr;
	size_t capstrptr;
	uint32_t (*cont_ids)[7];
	size_t nconts, capconts;
	struct sca_container *conts;
	size_t capcontptr;
	struct rproc *procs;
	size_t nprocs, capprocs;
	struct sca_ip_table ip;      /* chunk-local */

	/* decoded events of the chunk, column arrays */
	size_t nev, capev;
	uint64_t *ev_time, *ev_serial, *ev_ip;
	uint32_t *ev_proc, *ev_arch, *ev_code;
	int32_t *ev_tid, *ev_sys, *ev_sig;
	uint8_t *ev_flags;
	uint64_t (*ev_args)[6];
	size_t capargs;
	struct sca_lost *lost;
	uint32_t *lost_src;
	size_t nlost, caplost, caplostsrc;
	struct rcalls *calls;
	size_t ncalls, capcalls;
	struct seg *segs;
	size_t nsegs, capsegs;
	size_t seg_i, seg_pos;

	/* A region being skipped, reported once its end is known. */
	bool gap;
	uint64_t gap_at;
	bool gap_header;         /* the file header is part of it */
	bool gap_header_cut;     /* ... and was incomplete */
	bool gap_cut;            /* it began with a frame the file ended inside */

	struct sca_record rec;
	struct sca_damage *damage;
	size_t ndamage, capdamage;
	struct sca_reader_totals tot;
	int err;
};

const char *sca_damage_kind__str(enum sca_damage_kind k)
{
	switch (k) {
	case SCA_DAMAGE_TRUNCATED: return "truncated";
	case SCA_DAMAGE_CHECKSUM: return "checksum mismatch";
	case SCA_DAMAGE_GARBAGE: return "unrecognized bytes";
	case SCA_DAMAGE_PAYLOAD: return "undecodable chunk";
	case SCA_DAMAGE_HEADER: return "damaged file header";
	case SCA_DAMAGE_NO_FOOTER: return "no footer (not closed cleanly)";
	}
	return "unknown";
}

const char *sca_reader__strerror(int err)
{
	if (err == EBADMSG)
		return "not an sca trace";
	if (err == EPROTONOSUPPORT)
		return "written by a newer sca (format major version too new)";
	return strerror(err);
}

static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *p = realloc(*arr, c * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

static int add_damage(struct sca_reader *r, enum sca_damage_kind kind, uint64_t off, uint64_t len,
		      uint64_t events)
{
	if (grow((void **)&r->damage, &r->capdamage, r->ndamage + 1, sizeof(*r->damage)))
		return -ENOMEM;
	r->damage[r->ndamage++] = (struct sca_damage){ kind, off, len, events };
	if (kind != SCA_DAMAGE_NO_FOOTER && kind != SCA_DAMAGE_HEADER)
		r->tot.chunks_skipped++;
	r->tot.bytes_skipped += len;
	return 0;
}

/* ---- input window ---------------------------------------------------- */

/* Make n bytes from pos available if the file has them; returns what is. */
static size_t ensure(struct sca_reader *r, size_t n)
{
	if (r->len - r->pos >= n || r->eof)
		return r->len - r->pos < n ? r->len - r->pos : n;
	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->buf_off += r->pos;
		r->len -= r->pos;
		r->pos = 0;
	}
	while (r->len < n) {
		/* grow with the bytes that arrive, not with a length field's claim */
		if (r->len == r->cap) {
			size_t c = r->cap * 2 < n ? r->cap * 2 : n;
			uint8_t *p;

			if (c < 65536)
				c = 65536;
			if (!(p = realloc(r->buf, c))) {
				r->err = -ENOMEM;
				return 0;
			}
			r->buf = p;
			r->cap = c;
		}
		ssize_t got = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r->err = -errno;
			return 0;
		}
		if (got == 0) {
			r->eof = true;
			break;
		}
		r->len += (size_t)got;
	}
	return r->len < n ? r->len : n;
}

static uint64_t offset_of(const struct sca_reader *r)
{
	return r->buf_off + r->pos;
}

/* ---- header ---------------------------------------------------------- */

static char *dup_bytes(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}

static int parse_meta(struct sca_reader *r, const uint8_t *p, size_t n)
{
	struct sca_cur c = { p, p + n, 0 };
	while (c.p < c.end && !c.err) {
		uint64_t key = sca_cur__varint(&c);
		uint64_t len = sca_cur__varint(&c);
		const uint8_t *v = sca_cur__take(&c, len);
		if (c.err)
			break;
		struct sca_cur vc = { v, v + len, 0 };
		int si = -1;
		switch (key) {
		case SCA_META_HOST: si = 0; break;
		case SCA_META_KERNEL: si = 1; break;
		case SCA_META_SOURCE: si = 2; break;
		case SCA_META_RECORDER: si = 3; break;
		case SCA_META_CMDLINE: si = 4; break;
		case SCA_META_NATIVE_ARCH:
			r->meta.native_arch = (uint32_t)sca_cur__varint(&vc);
			break;
		case SCA_META_WALL_BASE:
			r->meta.wall_base_ns = sca_cur__varint(&vc);
			break;
		case SCA_META_BOOT_OFFSET:
			r->meta.boot_offset_ns = sca_unzigzag(sca_cur__varint(&vc));
			break;
		default:
			break;          /* unknown key: skipped by design */
		}
		if (si >= 0) {
			free(r->meta_str[si]);
			if (!(r->meta_str[si] = dup_bytes(v, len)))
				return -ENOMEM;
		}
	}
	r->meta.host = r->meta_str[0];
	r->meta.kernel = r->meta_str[1];
	r->meta.source = r->meta_str[2];
	r->meta.recorder = r->meta_str[3];
	r->meta.cmdline = r->meta_str[4];
	return 0;
}

static int read_header(struct sca_reader *r)
{
	size_t have = ensure(r, SCA_FILE_HDR_FIXED);
	if (r->err)
		return r->err;
	if (have == 0)
		return -EBADMSG;          /* empty file: nothing says it is a trace */
	size_t cmp = have < SCA_FILE_MAGIC_LEN ? have : SCA_FILE_MAGIC_LEN;
	if (memcmp(r->buf, SCA_FILE_MAGIC, cmp))
		return -EBADMSG;
	r->major = SCA_TRACE_VERSION_MAJOR;
	r->minor = SCA_TRACE_VERSION_MINOR;
	if (have < SCA_FILE_HDR_FIXED) {
		/* A prefix of a header: a recorder that died at once. */
		add_damage(r, SCA_DAMAGE_TRUNCATED, 0, have, 0);
		r->pos = have;
		r->done = true;
		return 0;
	}
	const uint8_t *h = r->buf;
	unsigned major = sca_get_le16(h + 8), minor = sca_get_le16(h + 10);
	uint32_t bom = sca_get_le32(h + 12), meta_len = sca_get_le32(h + 16);
	size_t total = SCA_FILE_HDR_FIXED + (size_t)meta_len + 4;
	bool cut = false;

	if (bom == SCA_BOM && meta_len <= SCA_META_MAX) {
		have = ensure(r, total);
		if (r->err)
			return r->err;
		h = r->buf;
		if (have == total && sca_crc32c(0, h, total - 4) == sca_get_le32(h + total - 4)) {
			if (major == 0 || major > SCA_TRACE_VERSION_MAJOR)
				return -EPROTONOSUPPORT;
			r->major = major;
			r->minor = minor;
			int err = parse_meta(r, h + SCA_FILE_HDR_FIXED, meta_len);
			r->pos = total;
			return err;
		}
		cut = have < total;
	}
	/*
	 * Damaged or cut header: the metadata is lost, but its length field
	 * cannot be trusted either, so look for chunks right after the fixed
	 * part. What the scan finds decides how the damage is reported.
	 */
	r->gap = true;
	r->gap_at = 0;
	r->gap_header = true;
	r->gap_header_cut = cut;
	r->pos = SCA_FILE_HDR_FIXED;
	return 0;
}

/* ---- chunk decoding -------------------------------------------------- */

static void chunk_clear(struct sca_reader *r)
{
	r->nstrs = r->nconts = r->nprocs = 0;
	sca_ip_table__clear(&r->ip);
	r->nev = r->nlost = r->ncalls = r->nsegs = 0;
	r->seg_i = r->seg_pos = 0;
}

static int ev_reserve(struct sca_reader *r, size_t need)
{
	if (need <= r->capev)
		return 0;
	size_t c = r->capev ? r->capev : 1024;
	while (c < need)
		c *= 2;
#define RE(f)                                                         \
	do {                                                          \
		void *p = realloc(r->f, c * sizeof(*r->f));           \
		if (!p)                                               \
			return -ENOMEM;                               \
		r->f = p;                                             \
	} while (0)
	RE(ev_time); RE(ev_serial); RE(ev_ip); RE(ev_proc); RE(ev_arch); RE(ev_code);
	RE(ev_tid); RE(ev_sys); RE(ev_sig); RE(ev_flags);
#undef RE
	r->capev = c;
	return 0;
}

static int add_seg(struct sca_reader *r, uint8_t kind, uint32_t start, uint32_t n)
{
	if (grow((void **)&r->segs, &r->capsegs, r->nsegs + 1, sizeof(*r->segs)))
		return -ENOMEM;
	r->segs[r->nsegs++] = (struct seg){ kind, start, n };
	return 0;
}

/* A string id as stored (0 = NULL) must name a string already defined. */
static bool str_ok(const struct sca_reader *r, uint64_t id)
{
	return id <= r->nstrs;
}

/* The text stays in raw, terminated in place once the chunk is decoded. */
static int dec_string(struct sca_reader *r, struct sca_cur *c)
{
	uint64_t id = sca_cur__varint(c);
	size_t n = (size_t)(c->end - c->p);
	if (c->err || id != r->nstrs + 1 || r->nstrs >= SCA_CHUNK_STRS_MAX || memchr(c->p, 0, n))
		return -EBADMSG;
	if (grow((void **)&r->str_at, &r->capstrs, r->nstrs + 1, sizeof(*r->str_at)))
		return -ENOMEM;
	r->str_at[r->nstrs][0] = (uint32_t)(c->p - r->raw.p);
	r->str_at[r->nstrs++][1] = (uint32_t)(c->end - r->raw.p);
	c->p = c->end;
	return 0;
}

static int dec_container(struct sca_reader *r, struct sca_cur *c)
{
	uint64_t id = sca_cur__varint(c);
	if (id != r->nconts + 1 || r->nconts >= SCA_CHUNK_CONTS_MAX)
		return -EBADMSG;
	if (grow((void **)&r->cont_ids, &r->capconts, r->nconts + 1, sizeof(*r->cont_ids)))
		return -ENOMEM;
	for (int i = 0; i < 7; i++) {
		uint64_t s = sca_cur__varint(c);
		if (!str_ok(r, s))
			return -EBADMSG;
		r->cont_ids[r->nconts][i] = (uint32_t)s;
	}
	if (c->err)
		return -EBADMSG;
	r->nconts++;
	return 0;
}

static int dec_process(struct sca_reader *r, struct sca_cur *c)
{
	uint64_t v[14];
	for (int i = 0; i < 14; i++)
		v[i] = sca_cur__varint(c);
	if (c->err || v[0] != r->nprocs + 1 || r->nprocs >= SCA_CHUNK_PROCS_MAX)
		return -EBADMSG;
	int64_t pid = sca_unzigzag(v[1]), ppid = sca_unzigzag(v[2]);
	if (pid < INT32_MIN || pid > INT32_MAX || ppid < INT32_MIN || ppid > INT32_MAX)
		return -EBADMSG;
	for (int i = 3; i <= 6; i++)
		if (v[i] > UINT32_MAX)
			return -EBADMSG;
	if (!str_ok(r, v[10]) || !str_ok(r, v[11]) || !str_ok(r, v[12]) || v[13] > r->nconts)
		return -EBADMSG;
	if (grow((void **)&r->procs, &r->capprocs, r->nprocs + 1, sizeof(*r->procs)))
		return -ENOMEM;
	r->procs[r->nprocs++] = (struct rproc){
		.pid = (int32_t)pid, .ppid = (int32_t)ppid, .uid = (uint32_t)v[3],
		.gid = (uint32_t)v[4], .auid = (uint32_t)v[5], .ses = (uint32_t)v[6],
		.mnt_ns = v[7], .pid_ns = v[8], .cgroup_id = v[9], .comm = (uint32_t)v[10],
		.exe = (uint32_t)v[11], .cgroup = (uint32_t)v[12], .cont = (uint32_t)v[13],
	};
	return 0;
}

static int dec_lost(struct sca_reader *r, struct sca_cur *c)
{
	uint64_t t = sca_cur__varint(c), n = sca_cur__varint(c), src = sca_cur__varint(c);
	if (c->err || !str_ok(r, src) || r->nlost >= SCA_CHUNK_LOST_MAX)
		return -EBADMSG;
	if (grow((void **)&r->lost, &r->caplost, r->nlost + 1, sizeof(*r->lost)) ||
	    grow((void **)&r->lost_src, &r->caplostsrc, r->nlost + 1, sizeof(*r->lost_src)))
		return -ENOMEM;
	r->lost[r->nlost] = (struct sca_lost){ .time_ns = t, .count = n };
	r->lost_src[r->nlost] = (uint32_t)src;
	return add_seg(r, SCA_RECORD_LOST, (uint32_t)r->nlost++, 1);
}

/* A run of CALLS records is one segment: calls are decoded in stream order. */
static int add_calls_seg(struct sca_reader *r)
{
	struct seg *last = r->nsegs ? &r->segs[r->nsegs - 1] : NULL;

	if (last && last->kind == SCA_RECORD_CALLS) {
		last->n++;
		return 0;
	}
	return add_seg(r, SCA_RECORD_CALLS, (uint32_t)r->ncalls - 1, 1);
}

/* Process, thread, arch and syscall of a CALLS record: in range, or -EBADMSG. */
static int calls_ids(const struct sca_reader *r, struct rcalls *k, uint64_t proc, uint64_t tid,
		     uint64_t arch, uint64_t sys)
{
	bool none = k->flags & SCA_CALLS_FLAG_NO_PROCESS;
	int64_t x;

	/* process 0 means no process, and only says so with the flag */
	if (none ? proc != 0 : (proc == 0 || proc > r->nprocs))
		return -EBADMSG;
	k->proc = (uint32_t)proc;
	x = sca_unzigzag(tid);
	/* bounded first, so that adding the pid cannot overflow */
	if (x < 2 * (int64_t)INT32_MIN || x > 2 * (int64_t)INT32_MAX)
		return -EBADMSG;
	x += none ? 0 : r->procs[proc - 1].pid;
	if (x < INT32_MIN || x > INT32_MAX || arch > UINT32_MAX)
		return -EBADMSG;
	k->tid = (int32_t)x;
	k->arch = (uint32_t)arch;
	x = sca_unzigzag(sys);
	if (x < INT32_MIN || x > INT32_MAX)
		return -EBADMSG;
	k->sys = (int32_t)x;
	return 0;
}

static int dec_calls(struct sca_reader *r, struct sca_cur *c)
{
	uint64_t proc = sca_cur__varint(c), tid = sca_cur__varint(c);
	uint64_t arch = sca_cur__varint(c), sys = sca_cur__varint(c);
	uint64_t t = sca_cur__varint(c), n = sca_cur__varint(c), fl = sca_cur__varint(c);
	struct rcalls *k;
	int err;

	if (c->err || n == 0 || r->ncalls >= SCA_CHUNK_CALLS_MAX)
		return -EBADMSG;
	if (grow((void **)&r->calls, &r->capcalls, r->ncalls + 1, sizeof(*r->calls)))
		return -ENOMEM;
	k = &r->calls[r->ncalls];
	memset(k, 0, sizeof(*k));
	k->time = t;
	k->count = n;
	k->flags = (uint32_t)(fl & (SCA_CALLS_FLAG_FILTERED | SCA_CALLS_FLAG_NO_PROCESS |
				    SCA_CALLS_FLAG_COMPAT | SCA_CALLS_FLAG_HAS_ARGS));
	if ((err = calls_ids(r, k, proc, tid, arch, sys)))
		return err;
	if (k->flags & SCA_CALLS_FLAG_HAS_ARGS) {
		for (int i = 0; i < 6; i++)
			k->args[i] = sca_cur__varint(c);
		for (int i = 0; i < 6; i++)
			k->argmask[i] = sca_cur__varint(c);
		if (c->err)
			return -EBADMSG;
	}
	r->ncalls++;
	return add_calls_seg(r);
}

/* An events record's columns, as the decoder walks them. */
struct ev_cols {
	struct sca_cur col[SCA_COL_MAX_KNOWN + 1];
	bool seen[SCA_COL_MAX_KNOWN + 1];
	uint64_t n;                /* events in the record */
	const uint8_t *planes;     /* TIME: byte planes of n - 1 deltas */
	unsigned width;
	uint64_t t, s;             /* the last time and serial */
};

/* The column table: (id, length, bytes) triples; unknown ids are skipped. */
static int ev_cols__split(struct ev_cols *e, struct sca_cur *c)
{
	while (c->p < c->end) {
		uint64_t id = sca_cur__varint(c), len = sca_cur__varint(c);
		const uint8_t *p = sca_cur__take(c, len);
		if (c->err)
			return -EBADMSG;
		if (id > SCA_COL_MAX_KNOWN || id == 0)
			continue;       /* a column from a newer minor version */
		if (e->seen[id])
			return -EBADMSG;
		e->seen[id] = true;
		e->col[id] = (struct sca_cur){ p, p + len, 0 };
	}
	return e->seen[SCA_COL_PROC] ? 0 : -EBADMSG;
}

/* TIME: first value, a plane width, then byte planes of the deltas. */
static int ev_cols__time(struct ev_cols *e)
{
	struct sca_cur *tc = &e->col[SCA_COL_TIME];
	const uint8_t *w;

	if (!e->seen[SCA_COL_TIME])
		return 0;
	e->t = sca_cur__varint(tc);
	w = sca_cur__take(tc, 1);
	e->width = w ? *w : 0;
	if (tc->err || e->width > 8)
		return -EBADMSG;
	e->planes = sca_cur__take(tc, (uint64_t)e->width * (e->n - 1));
	return tc->err ? -EBADMSG : 0;
}

static inline uint64_t ev_cols__uint(struct ev_cols *e, int id)
{
	return e->seen[id] ? sca_cur__varint(&e->col[id]) : 0;
}

static inline int64_t ev_cols__int(struct ev_cols *e, int id)
{
	return e->seen[id] ? sca_unzigzag(sca_cur__varint(&e->col[id])) : 0;
}

/* Event i's time and serial, deltas on the one before. */
static inline void dec_time(struct sca_reader *r, struct ev_cols *e, uint64_t i, size_t k)
{
	if (i && e->planes) {
		uint64_t d = 0;
		for (unsigned b = 0; b < e->width; b++)
			d |= (uint64_t)e->planes[b * (e->n - 1) + (i - 1)] << (8 * b);
		e->t += (uint64_t)sca_unzigzag(d);
	}
	if (e->seen[SCA_COL_SERIAL]) {
		uint64_t v = sca_cur__varint(&e->col[SCA_COL_SERIAL]);
		e->s = i ? e->s + (uint64_t)sca_unzigzag(v) : v;
	}
	r->ev_time[k] = e->t;
	r->ev_serial[k] = e->s;
}

/* Process, thread, arch, syscall, code and signal of event k. */
static inline int dec_ids(struct sca_reader *r, struct ev_cols *e, size_t k)
{
	uint64_t v = sca_cur__varint(&e->col[SCA_COL_PROC]);
	int64_t x;

	if (v == 0 || v > r->nprocs)
		return -EBADMSG;
	r->ev_proc[k] = (uint32_t)v;
	x = ev_cols__int(e, SCA_COL_TID);
	/* bounded first, so that adding the pid cannot overflow */
	if (x < 2 * (int64_t)INT32_MIN || x > 2 * (int64_t)INT32_MAX)
		return -EBADMSG;
	x += r->procs[v - 1].pid;
	if (x < INT32_MIN || x > INT32_MAX)
		return -EBADMSG;
	r->ev_tid[k] = (int32_t)x;
	if ((v = ev_cols__uint(e, SCA_COL_ARCH)) > UINT32_MAX)
		return -EBADMSG;
	r->ev_arch[k] = (uint32_t)v;
	x = ev_cols__int(e, SCA_COL_SYSCALL);
	if (x < INT32_MIN || x > INT32_MAX)
		return -EBADMSG;
	r->ev_sys[k] = (int32_t)x;
	if ((v = ev_cols__uint(e, SCA_COL_CODE)) > UINT32_MAX)
		return -EBADMSG;
	r->ev_code[k] = (uint32_t)v;
	x = ev_cols__int(e, SCA_COL_SIGNR);
	if (x < INT32_MIN || x > INT32_MAX)
		return -EBADMSG;
	r->ev_sig[k] = (int32_t)x;
	return 0;
}

/* The instruction pointer: given, or predicted as the writer predicted it. */
static inline int dec_ip(struct sca_reader *r, struct ev_cols *e, size_t k)
{
	uint64_t ip = 0, v, *slot;

	if (e->seen[SCA_COL_IP]) {
		slot = sca_ip_table__slot(&r->ip, r->ev_proc[k], r->ev_sys[k], r->ev_arch[k]);
		if (!slot)
			return -ENOMEM;
		v = sca_cur__varint(&e->col[SCA_COL_IP]);
		if (v == 1)
			ip = sca_cur__varint(&e->col[SCA_COL_IP]);
		else if (v == 0)
			ip = *slot;    /* 0 when this key was not seen: as the writer */
		else
			return -EBADMSG;
		*slot = ip;
	}
	r->ev_ip[k] = ip;
	return 0;
}

/* Flags, and the six arguments where they say the event has them. */
static inline int dec_args(struct sca_reader *r, struct ev_cols *e, size_t k)
{
	uint8_t fl = 0;

	if (e->seen[SCA_COL_FLAGS]) {
		const uint8_t *b = sca_cur__take(&e->col[SCA_COL_FLAGS], 1);
		fl = b ? *b : 0;
	}
	if ((fl & SCA_FLAG_HAS_ARGS) && !e->seen[SCA_COL_ARGS])
		return -EBADMSG;
	r->ev_flags[k] = fl;
	if (fl & SCA_FLAG_HAS_ARGS) {
		if (grow((void **)&r->ev_args, &r->capargs, r->capev, sizeof(*r->ev_args)))
			return -ENOMEM;
		for (int a = 0; a < 6; a++)
			r->ev_args[k][a] = sca_cur__varint(&e->col[SCA_COL_ARGS]);
	}
	return 0;
}

static int dec_events(struct sca_reader *r, struct sca_cur *c, uint64_t events_left)
{
	struct ev_cols e = { .n = sca_cur__varint(c) };
	size_t base = r->nev;
	int err;

	if (c->err || e.n == 0 || e.n > events_left)
		return -EBADMSG;
	if ((err = ev_cols__split(&e, c)))
		return err;
	/* each event takes a byte of PROC at least: check before reserving */
	if ((uint64_t)(e.col[SCA_COL_PROC].end - e.col[SCA_COL_PROC].p) < e.n)
		return -EBADMSG;
	if ((err = ev_reserve(r, base + e.n)) || (err = ev_cols__time(&e)))
		return err;
	for (uint64_t i = 0; i < e.n; i++) {
		size_t k = base + i;

		dec_time(r, &e, i, k);
		if ((err = dec_ids(r, &e, k)) || (err = dec_ip(r, &e, k)) || (err = dec_args(r, &e, k)))
			return err;
	}
	/* Every known column must hold exactly n values, no more, no less. */
	for (int id = 1; id <= SCA_COL_MAX_KNOWN; id++)
		if (e.seen[id] && (e.col[id].err || e.col[id].p != e.col[id].end))
			return -EBADMSG;
	r->nev += e.n;
	return add_seg(r, SCA_RECORD_EVENT, (uint32_t)base, (uint32_t)e.n);
}

static int chunk_decode(struct sca_reader *r, const uint8_t *p, size_t n, uint64_t events)
{
	struct sca_cur c = { p, p + n, 0 };
	int err = 0;

	chunk_clear(r);
	while (c.p < c.end) {
		uint64_t type = sca_cur__varint(&c), len = sca_cur__varint(&c);
		const uint8_t *body = sca_cur__take(&c, len);
		if (c.err)
			return -EBADMSG;
		struct sca_cur b = { body, body + len, 0 };
		switch (type) {
		case SCA_REC_STRING: err = dec_string(r, &b); break;
		case SCA_REC_CONTAINER: err = dec_container(r, &b); break;
		case SCA_REC_PROCESS: err = dec_process(r, &b); break;
		case SCA_REC_EVENTS: err = dec_events(r, &b, events - r->nev); break;
		case SCA_REC_LOST: err = dec_lost(r, &b); break;
		case SCA_REC_CALLS: err = dec_calls(r, &b); break;
		default: break;        /* unknown record type: skipped by design */
		}
		if (err)
			return err;
		if (b.err)
			return -EBADMSG;
	}
	if (r->nev != events)
		return -EBADMSG;

	/*
	 * Resolve ids to pointers. Terminating a string overwrites the byte
	 * after it, the start of the next record, so only now that all are read.
	 */
	if (grow((void **)&r->str_ptr, &r->capstrptr, r->nstrs + 1, sizeof(*r->str_ptr)) ||
	    grow((void **)&r->conts, &r->capcontptr, r->nconts + 1, sizeof(*r->conts)))
		return -ENOMEM;
	r->str_ptr[0] = NULL;
	for (size_t i = 0; i < r->nstrs; i++) {
		r->raw.p[r->str_at[i][1]] = 0;
		r->str_ptr[i + 1] = (const char *)r->raw.p + r->str_at[i][0];
	}
	for (size_t i = 0; i < r->nconts; i++) {
		const uint32_t *f = r->cont_ids[i];
		r->conts[i] = (struct sca_container){
			r->str_ptr[f[0]], r->str_ptr[f[1]], r->str_ptr[f[2]], r->str_ptr[f[3]],
			r->str_ptr[f[4]], r->str_ptr[f[5]], r->str_ptr[f[6]],
		};
	}
	for (size_t i = 0; i < r->nlost; i++)
		r->lost[i].source = r->str_ptr[r->lost_src[i]];
	return 0;
}

/* ---- framing --------------------------------------------------------- */

enum frame { FRAME_NONE, FRAME_CHUNK, FRAME_FOOTER, FRAME_CUT, FRAME_EOF };

/*
 * What starts at pos: a chunk or footer whose header checks out, one the
 * file ends inside (FRAME_CUT: a real cut, or a damaged length field), the
 * end of the file, or nothing we know.
 */
static enum frame probe(struct sca_reader *r)
{
	size_t have = ensure(r, 8);
	if (have == 0)
		return FRAME_EOF;
	if (have < 4)
		return FRAME_CUT;
	const uint8_t *h = r->buf + r->pos;
	if (!memcmp(h, SCA_CHUNK_MAGIC, 4)) {
		if (ensure(r, SCA_CHUNK_HDR_LEN) < SCA_CHUNK_HDR_LEN)
			return FRAME_CUT;
		h = r->buf + r->pos;
		size_t hl = sca_get_le16(h + 4);
		if (hl < SCA_CHUNK_HDR_LEN || hl > CHUNK_HDR_MAX)
			return FRAME_NONE;
		if (ensure(r, hl) < hl)
			return FRAME_CUT;
		h = r->buf + r->pos;
		if (sca_crc32c(0, h, hl - 4) != sca_get_le32(h + hl - 4))
			return FRAME_NONE;
		if (sca_get_le32(h + 8) > SCA_CHUNK_PAYLOAD_MAX || sca_get_le32(h + 12) > SCA_CHUNK_RAW_MAX)
			return FRAME_NONE;
		return FRAME_CHUNK;
	}
	if (!memcmp(h, SCA_FOOTER_MAGIC, 4)) {
		if (have < 8)
			return FRAME_CUT;
		uint32_t len = sca_get_le32(h + 4);
		if (len > SCA_FOOTER_MAX)
			return FRAME_NONE;
		size_t total = 8 + (size_t)len + 4;
		if (ensure(r, total) < total)
			return FRAME_CUT;
		h = r->buf + r->pos;
		if (sca_crc32c(0, h, total - 4) != sca_get_le32(h + total - 4))
			return FRAME_NONE;
		return FRAME_FOOTER;
	}
	return FRAME_NONE;
}

static void gap_open(struct sca_reader *r, bool cut)
{
	if (r->gap)
		return;
	r->gap = true;
	r->gap_at = offset_of(r);
	r->gap_cut = cut;
}

/* The skipped region ends here: at a valid frame, or at the end (eof). */
static void gap_close(struct sca_reader *r, bool eof)
{
	enum sca_damage_kind kind;
	uint64_t here = offset_of(r);

	if (!r->gap)
		return;
	if (r->gap_header)
		kind = eof && r->gap_header_cut ? SCA_DAMAGE_TRUNCATED : SCA_DAMAGE_HEADER;
	else
		kind = eof && r->gap_cut ? SCA_DAMAGE_TRUNCATED : SCA_DAMAGE_GARBAGE;
	if (add_damage(r, kind, r->gap_at, here - r->gap_at, 0))
		r->err = -ENOMEM;
	r->gap = r->gap_header = r->gap_header_cut = r->gap_cut = false;
}

static void read_footer(struct sca_reader *r)
{
	const uint8_t *h = r->buf + r->pos;
	uint32_t len = sca_get_le32(h + 4);
	struct sca_cur c = { h + 8, h + 8 + len, 0 };
	uint64_t ev = sca_cur__varint(&c), lost = sca_cur__varint(&c), chunks = sca_cur__varint(&c);
	if (!c.err) {
		r->tot.clean_close = true;
		r->tot.footer_events = ev;
		r->tot.footer_lost = lost;
		r->tot.footer_chunks = chunks;
		/* 1.1 appends total_calls after the index; a 1.0 footer ends there */
		for (uint64_t i = 0; i < 4 * chunks && !c.err; i++)
			sca_cur__varint(&c);
		if (!c.err && c.p < c.end) {
			uint64_t calls = sca_cur__varint(&c);
			if (!c.err)
				r->tot.footer_calls = calls;
		}
	}
	r->pos += 8 + (size_t)len + 4;
}

/*
 * Room for a payload of N bytes and the NUL after a string that ends it;
 * just that, as doubling past 256 MiB would allocate twice the limit.
 */
static int raw_reserve(struct sca_reader *r, size_t n)
{
	if (r->raw.cap > n)
		return 0;
	free(r->raw.p);             /* the old payload is consumed: no copy */
	r->raw.cap = 0;
	if (!(r->raw.p = malloc(n + 1)))
		return -ENOMEM;
	r->raw.cap = n + 1;
	return 0;
}

/* Load the next intact chunk; false at the end of the file. */
static bool load_chunk(struct sca_reader *r)
{
	while (!r->done && !r->err) {
		enum frame f = probe(r);
		if (r->err)
			break;
		if (f == FRAME_NONE || f == FRAME_CUT) {
			/*
			 * Skip ahead to the next byte that could start a frame. A
			 * frame the file ends inside may be a real cut or a damaged
			 * length field: scanning on tells which.
			 */
			gap_open(r, f == FRAME_CUT);
			r->pos++;
			const uint8_t *s = memchr(r->buf + r->pos, 'S', r->len - r->pos);
			r->pos = s ? (size_t)(s - r->buf) : r->len;
			continue;
		}
		if (f == FRAME_EOF) {
			bool had_gap = r->gap;
			gap_close(r, true);
			if (!had_gap && !r->tot.clean_close)
				add_damage(r, SCA_DAMAGE_NO_FOOTER, offset_of(r), 0, 0);
			r->done = true;
			break;
		}
		gap_close(r, false);
		if (f == FRAME_FOOTER) {
			read_footer(r);
			/* The trailer follows; anything after it is not ours. */
			r->done = true;
			break;
		}

		const uint8_t *h = r->buf + r->pos;
		size_t hl = sca_get_le16(h + 4);
		uint32_t plen = sca_get_le32(h + 8), rlen = sca_get_le32(h + 12);
		uint32_t events = sca_get_le32(h + 16), crc = sca_get_le32(h + 20);
		uint64_t at = offset_of(r);
		size_t total = hl + plen;
		size_t have = ensure(r, total);
		if (r->err)
			break;
		if (have < total) {
			/* the header checked out, so its length is the writer's: a cut */
			add_damage(r, SCA_DAMAGE_TRUNCATED, at, have, events);
			r->pos = r->len;
			r->done = true;
			break;
		}
		const uint8_t *payload = r->buf + r->pos + hl;
		if (sca_crc32c(0, payload, plen) != crc) {
			add_damage(r, SCA_DAMAGE_CHECKSUM, at, total, events);
			r->pos += total;
			continue;
		}
		int err = 0;
		if (events > SCA_CHUNK_EVENTS_MAX) {
			/* more than a writer puts in a chunk: not worth decoding */
			r->pos += total;
			add_damage(r, SCA_DAMAGE_PAYLOAD, at, total, events);
			continue;
		}
		if (raw_reserve(r, rlen)) {
			r->err = -ENOMEM;
			break;
		}
		size_t got = ZSTD_decompressDCtx(r->dctx, r->raw.p, rlen, payload, plen);
		if (ZSTD_isError(got) || got != rlen)
			err = -EBADMSG;
		else
			err = chunk_decode(r, r->raw.p, rlen, events);
		if (err == -ENOMEM) {
			r->err = err;
			break;
		}
		r->pos += total;
		if (err) {
			chunk_clear(r);
			add_damage(r, SCA_DAMAGE_PAYLOAD, at, total, events);
			continue;
		}
		r->tot.chunks++;
		return true;
	}
	return false;
}

/* e's process fields from the chunk's PROCESS id; 0: no process (CALLS only). */
static void set_proc(const struct sca_reader *r, struct sca_event *e, uint32_t id)
{
	const struct rproc *p = id ? &r->procs[id - 1] : NULL;

	e->proc_key = (r->tot.chunks << 32) | id;
	if (!p) {
		/* each field's "unknown"; no uid filter matches 4294967295 */
		e->pid = 0;
		e->ppid = -1;
		e->uid = e->gid = e->auid = e->ses = UINT32_MAX;
		e->mnt_ns = e->pid_ns = e->cgroup_id = 0;
		e->comm = e->exe = e->cgroup = NULL;
		e->container = NULL;
		return;
	}
	e->pid = p->pid;
	e->ppid = p->ppid;
	e->uid = p->uid;
	e->gid = p->gid;
	e->auid = p->auid;
	e->ses = p->ses;
	e->mnt_ns = p->mnt_ns;
	e->pid_ns = p->pid_ns;
	e->cgroup_id = p->cgroup_id;
	e->comm = r->str_ptr[p->comm];
	e->exe = r->str_ptr[p->exe];
	e->cgroup = r->str_ptr[p->cgroup];
	e->container = p->cont ? &r->conts[p->cont - 1] : NULL;
}

/* Widen the totals' time range by t, before t's record is counted. */
static void add_time(struct sca_reader *r, uint64_t t)
{
	if ((!r->tot.events && !r->tot.calls) || t < r->tot.time_min)
		r->tot.time_min = t;
	if (t > r->tot.time_max)
		r->tot.time_max = t;
}

static void next_event(struct sca_reader *r, size_t k)
{
	struct sca_event *e = &r->rec.event;

	r->rec.kind = SCA_RECORD_EVENT;
	set_proc(r, e, r->ev_proc[k]);
	e->time_ns = r->ev_time[k];
	e->serial = r->ev_serial[k];
	e->tid = r->ev_tid[k];
	e->arch = r->ev_arch[k];
	e->syscall = r->ev_sys[k];
	e->signr = r->ev_sig[k];
	e->code = r->ev_code[k];
	e->ip = r->ev_ip[k];
	e->compat = r->ev_flags[k] & SCA_FLAG_COMPAT;
	e->has_args = r->ev_flags[k] & SCA_FLAG_HAS_ARGS;
	if (e->has_args)
		memcpy(e->args, r->ev_args[k], sizeof(e->args));
	else
		memset(e->args, 0, sizeof(e->args));
	add_time(r, e->time_ns);
	r->tot.events++;
}

/* Audit-only fields (serial, code, signr, ip) stay 0: sys_enter has none. */
static void next_calls(struct sca_reader *r, size_t k)
{
	const struct rcalls *x = &r->calls[k];
	struct sca_calls *c = &r->rec.calls;
	struct sca_event *e = &c->ev;

	r->rec.kind = SCA_RECORD_CALLS;
	memset(c, 0, sizeof(*c));
	set_proc(r, e, x->proc);
	e->time_ns = x->time;
	e->tid = x->tid;
	e->arch = x->arch;
	e->syscall = x->sys;
	e->compat = x->flags & SCA_CALLS_FLAG_COMPAT;
	e->has_args = x->flags & SCA_CALLS_FLAG_HAS_ARGS;
	memcpy(e->args, x->args, sizeof(e->args));
	memcpy(c->argmask, x->argmask, sizeof(c->argmask));
	c->count = x->count;
	c->flags = (x->flags & SCA_CALLS_FLAG_FILTERED ? SCA_CALLS_FILTERED : 0) |
		   (x->flags & SCA_CALLS_FLAG_NO_PROCESS ? SCA_CALLS_NO_PROCESS : 0);
	add_time(r, e->time_ns);
	r->tot.calls++;
	r->tot.calls_count += c->count;
}

int sca_reader__next(struct sca_reader *r, const struct sca_record **rec)
{
	while (r->seg_i >= r->nsegs) {
		if (r->err)
			return r->err;
		if (!load_chunk(r))
			return r->err ? r->err : 0;
	}
	struct seg *sg = &r->segs[r->seg_i];
	size_t k = sg->start + r->seg_pos;
	if (sg->kind == SCA_RECORD_LOST) {
		r->rec.kind = SCA_RECORD_LOST;
		r->rec.lost = r->lost[k];
		r->tot.lost += r->rec.lost.count;
	} else if (sg->kind == SCA_RECORD_CALLS) {
		next_calls(r, k);
	} else {
		next_event(r, k);
	}
	if (++r->seg_pos == sg->n) {
		r->seg_i++;
		r->seg_pos = 0;
	}
	*rec = &r->rec;
	return 1;
}

/* ---- open / close ---------------------------------------------------- */

struct sca_reader *sca_reader__fdopen(int fd)
{
	struct sca_reader *r = calloc(1, sizeof(*r));
	struct stat st;
	int err = -ENOMEM;

	if (!r) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	r->fd = fd;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		r->size = (uint64_t)st.st_size;
	r->dctx = ZSTD_createDCtx();
	if (!r->dctx)
		goto cleanup;
	if ((err = read_header(r)))
		goto cleanup;
	return r;
cleanup:
	sca_reader__close(r);
	errno = -err;
	return NULL;
}

struct sca_reader *sca_reader__open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	return sca_reader__fdopen(fd);
}

void sca_reader__close(struct sca_reader *r)
{
	if (!r)
		return;
	close(r->fd);
	free(r->buf);
	for (int i = 0; i < 5; i++)
		free(r->meta_str[i]);
	ZSTD_freeDCtx(r->dctx);
	sca_buf__free(&r->raw);
	free(r->str_at);
	free(r->str_ptr);
	free(r->cont_ids);
	free(r->conts);
	free(r->procs);
	sca_ip_table__free(&r->ip);
	free(r->ev_time);
	free(r->ev_serial);
	free(r->ev_ip);
	free(r->ev_proc);
	free(r->ev_arch);
	free(r->ev_code);
	free(r->ev_tid);
	free(r->ev_sys);
	free(r->ev_sig);
	free(r->ev_flags);
	free(r->ev_args);
	free(r->lost);
	free(r->lost_src);
	free(r->calls);
	free(r->segs);
	free(r->damage);
	free(r);
}

const struct sca_trace_meta *sca_reader__meta(const struct sca_reader *r)
{
	return &r->meta;
}

void sca_reader__version(const struct sca_reader *r, unsigned *major, unsigned *minor)
{
	*major = r->major;
	*minor = r->minor;
}

size_t sca_reader__damage(const struct sca_reader *r, const struct sca_damage **list)
{
	*list = r->damage;
	return r->ndamage;
}

void sca_reader__totals(const struct sca_reader *r, struct sca_reader_totals *t)
{
	*t = r->tot;
}

void sca_reader__position(const struct sca_reader *r, uint64_t *offset, uint64_t *size)
{
	*offset = offset_of(r);
	*size = r->size;
}
