/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Trace writer: buffers events column by column, interns processes,
 * containers and strings per chunk (for events and CALLS records alike),
 * and seals each chunk as one zstd frame behind a checksummed header
 * (docs/format.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zstd.h>

#include "common/hash.h"
#include "internal.h"
#include "trace.h"

#define DEFAULT_LEVEL 3
#define PROC_CACHE 1024
/* Interning tables are dropped at a chunk boundary past this many entries,
 * so a long system-wide recording does not grow without bound. */
#define INTERN_RESET 65536
/* Columns at least this long start and end a zstd block of their own. */
#define CUT_MIN 4096
/* A chunk is sealed early past this many raw bytes (huge strings, args). */
#define CHUNK_SOFT_MAX (64u << 20)

struct str_ent {
	char *s;
	uint32_t epoch, local_id;
};

struct cont_ent {
	uint32_t f[7];        /* string table indexes + 1; 0 = NULL */
	uint32_t epoch, local_id;
};

struct proc_ent {
	int32_t pid, ppid;
	uint32_t uid, gid, auid, ses;
	uint64_t mnt_ns, pid_ns, cgroup_id;
	uint32_t comm, exe, cgroup;  /* string indexes + 1 */
	uint32_t cont;               /* container index + 1 */
	uint32_t epoch, local_id;
};

/* Open addressing index over an entry array (common/hash.h). */
struct htab {
	struct sca_hash_slot *slot;
	size_t mask;
	size_t used;
};

struct index_ent {
	uint64_t offset, events, t_min, t_max;
};

struct sca_writer {
	int fd;
	int err;
	struct sca_writer_opts opts;
	ZSTD_CCtx *cctx;
	uint64_t offset;

	/* interning (global, per-chunk epoch decides re-definition) */
	uint32_t epoch;
	struct str_ent *strs;
	size_t nstrs, capstrs;
	struct htab str_h;
	struct cont_ent *conts;
	size_t nconts, capconts;
	struct htab cont_h;
	struct proc_ent *procs;
	size_t nprocs, capprocs;
	struct htab proc_h;
	uint32_t proc_cache[PROC_CACHE];   /* pid-keyed: proc index + 1 */
	uint32_t next_str_id, next_cont_id, next_proc_id;

	struct sca_ip_table ip;    /* chunk-local */

	/* current chunk */
	struct sca_buf defs, recs, cols[SCA_COL_MAX_KNOWN + 1], out;
	/* offsets in recs where a zstd block should end, so each large column
	 * gets its own Huffman table instead of sharing one with its neighbours */
	size_t *cuts;
	size_t ncuts, capcuts;
	uint64_t *tdelta;          /* zigzag time deltas of the batch, planed at close */
	size_t captdelta;
	uint64_t tmax_delta;
	uint32_t batch_n;
	uint64_t batch_prev_time, batch_prev_serial;
	bool batch_args;
	uint32_t chunk_events, chunk_lost, chunk_calls;
	uint64_t chunk_tmin, chunk_tmax;
	bool chunk_any;

	struct index_ent *index;
	size_t nindex, capindex;
	struct sca_writer_stats st;
};

/* Make room for one more entry in t; 0 or -ENOMEM. */
static int htab_reserve(struct htab *t)
{
	return t->used * 2 >= t->mask ? sca_hash_slots__grow(&t->slot, &t->mask) : 0;
}

/* Take the free slot j, where the probe for hash h ended, for entry idx. */
static void htab_take(struct htab *t, size_t j, uint64_t h, size_t idx)
{
	t->slot[j] = (struct sca_hash_slot){ (uint32_t)idx, (uint32_t)h };
	t->used++;
}

static void htab_reset(struct htab *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static int grow_array(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	void *p = realloc(*arr, c * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

static int put_record_hdr(struct sca_buf *b, uint64_t type, uint64_t len)
{
	if (sca_buf__reserve(b, 20))
		return -ENOMEM;
	sca_buf__varint_unchecked(b, type);
	sca_buf__varint_unchecked(b, len);
	return 0;
}

static size_t varint_len(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* ---- interning ------------------------------------------------------ */

/* Returns string index + 1 (0 for NULL), or 0 with *err set. */
static uint32_t intern_str(struct sca_writer *w, const char *s, int *err)
{
	if (!s)
		return 0;
	uint64_t h = sca_hash_str(0xcbf29ce484222325ull, s);
	if ((*err = htab_reserve(&w->str_h)))
		return 0;
	size_t j = h & w->str_h.mask;
	for (uint32_t v; (v = w->str_h.slot[j].idx); j = (j + 1) & w->str_h.mask)
		if (w->str_h.slot[j].hash == (uint32_t)h && strcmp(w->strs[v - 1].s, s) == 0)
			return v;
	if ((*err = grow_array((void **)&w->strs, &w->capstrs, w->nstrs, sizeof(*w->strs))))
		return 0;
	char *copy = strdup(s);
	if (!copy) {
		*err = -ENOMEM;
		return 0;
	}
	w->strs[w->nstrs] = (struct str_ent){ .s = copy };
	htab_take(&w->str_h, j, h, ++w->nstrs);
	return (uint32_t)w->nstrs;
}

/* Emit the string's definition into this chunk if not yet; returns local id. */
static int define_str(struct sca_writer *w, uint32_t idx, uint64_t *local)
{
	if (!idx) {
		*local = 0;
		return 0;
	}
	struct str_ent *e = &w->strs[idx - 1];
	if (e->epoch != w->epoch) {
		size_t n = strlen(e->s);
		e->epoch = w->epoch;
		e->local_id = ++w->next_str_id;
		if (put_record_hdr(&w->defs, SCA_REC_STRING, varint_len(e->local_id) + n) ||
		    sca_buf__varint(&w->defs, e->local_id) || sca_buf__put(&w->defs, e->s, n))
			return -ENOMEM;
	}
	*local = e->local_id;
	return 0;
}

static uint32_t intern_cont(struct sca_writer *w, const struct sca_container *c, int *err)
{
	if (!c)
		return 0;
	const char *f[7] = { c->runtime, c->id, c->name, c->image, c->pod, c->pod_namespace, c->pod_uid };
	uint32_t idx[7];
	uint64_t h = 0x84222325cbf29ce4ull;
	for (int i = 0; i < 7; i++) {
		idx[i] = intern_str(w, f[i], err);
		if (*err)
			return 0;
		h = sca_hash_mix(h, idx[i]);
	}
	if ((*err = htab_reserve(&w->cont_h)))
		return 0;
	size_t j = h & w->cont_h.mask;
	for (uint32_t v; (v = w->cont_h.slot[j].idx); j = (j + 1) & w->cont_h.mask)
		if (w->cont_h.slot[j].hash == (uint32_t)h && memcmp(w->conts[v - 1].f, idx, sizeof(idx)) == 0)
			return v;
	if ((*err = grow_array((void **)&w->conts, &w->capconts, w->nconts, sizeof(*w->conts))))
		return 0;
	struct cont_ent *e = &w->conts[w->nconts];
	memset(e, 0, sizeof(*e));
	memcpy(e->f, idx, sizeof(idx));
	htab_take(&w->cont_h, j, h, ++w->nconts);
	return (uint32_t)w->nconts;
}

static int define_cont(struct sca_writer *w, uint32_t idx, uint64_t *local)
{
	if (!idx) {
		*local = 0;
		return 0;
	}
	struct cont_ent *e = &w->conts[idx - 1];
	if (e->epoch != w->epoch) {
		uint64_t ids[7];
		size_t len;
		int err;
		for (int i = 0; i < 7; i++)
			if ((err = define_str(w, e->f[i], &ids[i])))
				return err;
		e->epoch = w->epoch;
		e->local_id = ++w->next_cont_id;
		len = varint_len(e->local_id);
		for (int i = 0; i < 7; i++)
			len += varint_len(ids[i]);
		if (put_record_hdr(&w->defs, SCA_REC_CONTAINER, len) || sca_buf__reserve(&w->defs, 80))
			return -ENOMEM;
		sca_buf__varint_unchecked(&w->defs, e->local_id);
		for (int i = 0; i < 7; i++)
			sca_buf__varint_unchecked(&w->defs, ids[i]);
	}
	*local = e->local_id;
	return 0;
}

static bool str_eq(const struct sca_writer *w, uint32_t idx, const char *s)
{
	if (!idx || !s)
		return !idx && !s;
	return strcmp(w->strs[idx - 1].s, s) == 0;
}

static bool cont_eq(const struct sca_writer *w, uint32_t idx, const struct sca_container *c)
{
	if (!idx || !c)
		return !idx && !c;
	const struct cont_ent *e = &w->conts[idx - 1];
	const char *f[7] = { c->runtime, c->id, c->name, c->image, c->pod, c->pod_namespace, c->pod_uid };
	for (int i = 0; i < 7; i++)
		if (!str_eq(w, e->f[i], f[i]))
			return false;
	return true;
}

static bool proc_eq(const struct sca_writer *w, const struct proc_ent *p, const struct sca_event *e)
{
	return p->pid == e->pid && p->ppid == e->ppid && p->uid == e->uid && p->gid == e->gid &&
	       p->auid == e->auid && p->ses == e->ses && p->mnt_ns == e->mnt_ns &&
	       p->pid_ns == e->pid_ns && p->cgroup_id == e->cgroup_id &&
	       str_eq(w, p->comm, e->comm) && str_eq(w, p->exe, e->exe) &&
	       str_eq(w, p->cgroup, e->cgroup) && cont_eq(w, p->cont, e->container);
}

static uint64_t proc_hash(const struct sca_event *e)
{
	uint64_t h = 0x1f2e3d4c5b6a7988ull;
	h = sca_hash_mix(h, (uint32_t)e->pid | ((uint64_t)(uint32_t)e->ppid << 32));
	h = sca_hash_mix(h, e->uid | ((uint64_t)e->gid << 32));
	h = sca_hash_mix(h, e->auid | ((uint64_t)e->ses << 32));
	h = sca_hash_mix(h, e->mnt_ns);
	h = sca_hash_mix(h, e->pid_ns);
	h = sca_hash_mix(h, e->cgroup_id);
	h = sca_hash_str(h, e->comm);
	h = sca_hash_str(h, e->exe);
	h = sca_hash_str(h, e->cgroup);
	if (e->container) {
		const struct sca_container *c = e->container;
		const char *f[7] = { c->runtime, c->id, c->name, c->image, c->pod, c->pod_namespace, c->pod_uid };
		for (int i = 0; i < 7; i++)
			h = sca_hash_str(h, f[i]);
	}
	return h;
}

static int lookup_proc(struct sca_writer *w, const struct sca_event *e, uint32_t *out)
{
	uint32_t *cache = &w->proc_cache[(uint32_t)e->pid % PROC_CACHE];
	int err = 0;

	if (*cache && proc_eq(w, &w->procs[*cache - 1], e)) {
		*out = *cache;
		return 0;
	}
	uint64_t h = proc_hash(e);
	if ((err = htab_reserve(&w->proc_h)))
		return err;
	size_t j = h & w->proc_h.mask;
	for (uint32_t v; (v = w->proc_h.slot[j].idx); j = (j + 1) & w->proc_h.mask) {
		if (w->proc_h.slot[j].hash == (uint32_t)h && proc_eq(w, &w->procs[v - 1], e)) {
			*cache = *out = v;
			return 0;
		}
	}
	struct proc_ent p = {
		.pid = e->pid, .ppid = e->ppid, .uid = e->uid, .gid = e->gid,
		.auid = e->auid, .ses = e->ses, .mnt_ns = e->mnt_ns, .pid_ns = e->pid_ns,
		.cgroup_id = e->cgroup_id,
	};
	p.comm = intern_str(w, e->comm, &err);
	if (!err)
		p.exe = intern_str(w, e->exe, &err);
	if (!err)
		p.cgroup = intern_str(w, e->cgroup, &err);
	if (!err)
		p.cont = intern_cont(w, e->container, &err);
	if (!err)
		err = grow_array((void **)&w->procs, &w->capprocs, w->nprocs, sizeof(*w->procs));
	if (err)
		return err;
	w->procs[w->nprocs] = p;
	htab_take(&w->proc_h, j, h, ++w->nprocs);
	*cache = *out = (uint32_t)w->nprocs;
	return 0;
}

static int define_proc(struct sca_writer *w, uint32_t idx, uint64_t *local)
{
	struct proc_ent *p = &w->procs[idx - 1];
	if (p->epoch == w->epoch) {
		*local = p->local_id;
		return 0;
	}
	uint64_t comm, exe, cg, cont;
	int err;
	if ((err = define_str(w, p->comm, &comm)) || (err = define_str(w, p->exe, &exe)) ||
	    (err = define_str(w, p->cgroup, &cg)) || (err = define_cont(w, p->cont, &cont)))
		return err;
	p->epoch = w->epoch;
	p->local_id = ++w->next_proc_id;
	uint64_t v[14] = {
		p->local_id, sca_zigzag(p->pid), sca_zigzag(p->ppid), p->uid, p->gid, p->auid,
		p->ses, p->mnt_ns, p->pid_ns, p->cgroup_id, comm, exe, cg, cont,
	};
	size_t len = 0;
	for (int i = 0; i < 14; i++)
		len += varint_len(v[i]);
	if (put_record_hdr(&w->defs, SCA_REC_PROCESS, len) || sca_buf__reserve(&w->defs, 140))
		return -ENOMEM;
	for (int i = 0; i < 14; i++)
		sca_buf__varint_unchecked(&w->defs, v[i]);
	*local = p->local_id;
	return 0;
}

static void intern_reset(struct sca_writer *w)
{
	for (size_t i = 0; i < w->nstrs; i++)
		free(w->strs[i].s);
	w->nstrs = w->nconts = w->nprocs = 0;
	htab_reset(&w->str_h);
	htab_reset(&w->cont_h);
	htab_reset(&w->proc_h);
	memset(w->proc_cache, 0, sizeof(w->proc_cache));
}

/* ---- chunk assembly ------------------------------------------------- */

/*
 * TIME column: the first time as a varint, then the zigzag deltas of the
 * rest as byte planes (all low bytes, then all next bytes ...), so each
 * plane compresses with statistics of its own.
 */
static int time_column(struct sca_writer *w)
{
	struct sca_buf *c = &w->cols[SCA_COL_TIME];
	uint32_t n = w->batch_n;
	unsigned width = 0;

	for (uint64_t m = w->tmax_delta; m; m >>= 8)
		width++;
	c->len = 0;
	if (sca_buf__reserve(c, 11 + (size_t)width * (n - 1)))
		return -ENOMEM;
	sca_buf__varint_unchecked(c, w->tdelta[0]);
	c->p[c->len++] = (uint8_t)width;
	for (unsigned b = 0; b < width; b++)
		for (uint32_t i = 1; i < n; i++)
			c->p[c->len++] = (uint8_t)(w->tdelta[i] >> (8 * b));
	return 0;
}

static int add_cut(struct sca_writer *w)
{
	if (grow_array((void **)&w->cuts, &w->capcuts, w->ncuts, sizeof(*w->cuts)))
		return -ENOMEM;
	w->cuts[w->ncuts++] = w->recs.len;
	return 0;
}

/* Move the pending event batch into the record stream. */
static int batch_close(struct sca_writer *w)
{
	if (!w->batch_n)
		return 0;
	if (time_column(w))
		return -ENOMEM;
	size_t body = varint_len(w->batch_n);
	for (int c = 1; c <= SCA_COL_MAX_KNOWN; c++) {
		if (c == SCA_COL_ARGS && !w->batch_args)
			continue;
		body += varint_len(c) + varint_len(w->cols[c].len) + w->cols[c].len;
	}
	if (put_record_hdr(&w->recs, SCA_REC_EVENTS, body) || sca_buf__varint(&w->recs, w->batch_n))
		return -ENOMEM;
	for (int c = 1; c <= SCA_COL_MAX_KNOWN; c++) {
		if (c == SCA_COL_ARGS && !w->batch_args)
			continue;
		if (sca_buf__reserve(&w->recs, 20 + w->cols[c].len))
			return -ENOMEM;
		sca_buf__varint_unchecked(&w->recs, c);
		sca_buf__varint_unchecked(&w->recs, w->cols[c].len);
		bool big = w->cols[c].len >= CUT_MIN;
		if (big && add_cut(w))
			return -ENOMEM;
		sca_buf__put(&w->recs, w->cols[c].p, w->cols[c].len);
		if (big && add_cut(w))
			return -ENOMEM;
		w->cols[c].len = 0;
	}
	w->batch_n = 0;
	w->batch_args = false;
	return 0;
}

static int write_all(struct sca_writer *w, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t r = writev(w->fd, iov, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		w->offset += (uint64_t)r;
		w->st.bytes += (uint64_t)r;
		while (n > 0 && (size_t)r >= iov->iov_len) {
			r -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + r;
			iov->iov_len -= (size_t)r;
		}
	}
	return 0;
}

static int chunk_seal(struct sca_writer *w)
{
	int err;

	if (!w->chunk_any)
		return 0;
	if ((err = batch_close(w)))
		return err;

	size_t raw = w->defs.len + w->recs.len;
	if (raw > SCA_CHUNK_RAW_MAX)
		return -E2BIG;
	size_t bound = ZSTD_compressBound(raw);
	if (sca_buf__reserve(&w->out, bound))
		return -ENOMEM;
	w->out.len = 0;

	/* Two inputs, one frame: avoids copying defs and records together. */
	ZSTD_CCtx_reset(w->cctx, ZSTD_reset_session_only);
	ZSTD_CCtx_setPledgedSrcSize(w->cctx, raw);
	ZSTD_outBuffer ob = { w->out.p, w->out.cap, 0 };
	ZSTD_inBuffer ib = { w->defs.p, w->defs.len, 0 };
	size_t zr;
	do {
		zr = ZSTD_compressStream2(w->cctx, &ob, &ib, ZSTD_e_continue);
		if (ZSTD_isError(zr))
			return -EIO;
	} while (ib.pos < ib.size);
	size_t from = 0;
	for (size_t i = 0; i <= w->ncuts; i++) {
		size_t to = i < w->ncuts ? w->cuts[i] : w->recs.len;
		ZSTD_EndDirective mode = i < w->ncuts ? ZSTD_e_flush : ZSTD_e_end;
		if (to == from && mode == ZSTD_e_flush)
			continue;
		ib = (ZSTD_inBuffer){ w->recs.p + from, to - from, 0 };
		do {
			zr = ZSTD_compressStream2(w->cctx, &ob, &ib, mode);
			if (ZSTD_isError(zr))
				return -EIO;
		} while (zr || ib.pos < ib.size);
		from = to;
	}
	w->ncuts = 0;
	w->out.len = ob.pos;
	if (w->out.len > SCA_CHUNK_PAYLOAD_MAX)
		return -E2BIG;

	uint8_t hdr[SCA_CHUNK_HDR_LEN];
	memcpy(hdr, SCA_CHUNK_MAGIC, 4);
	sca_put_le16(hdr + 4, SCA_CHUNK_HDR_LEN);
	sca_put_le16(hdr + 6, 0);
	sca_put_le32(hdr + 8, (uint32_t)w->out.len);
	sca_put_le32(hdr + 12, (uint32_t)raw);
	sca_put_le32(hdr + 16, w->chunk_events);
	sca_put_le32(hdr + 20, sca_crc32c(0, w->out.p, w->out.len));
	sca_put_le64(hdr + 24, w->chunk_tmin);
	sca_put_le64(hdr + 32, w->chunk_tmax);
	sca_put_le32(hdr + 40, (uint32_t)w->st.chunks);
	sca_put_le32(hdr + 44, sca_crc32c(0, hdr, SCA_CHUNK_HDR_LEN - 4));

	if ((err = grow_array((void **)&w->index, &w->capindex, w->nindex, sizeof(*w->index))))
		return err;
	w->index[w->nindex++] = (struct index_ent){ w->offset, w->chunk_events, w->chunk_tmin,
						    w->chunk_tmax };

	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { w->out.p, w->out.len } };
	if ((err = write_all(w, iov, 2)))
		return err;
	if (w->opts.sync && fdatasync(w->fd) && errno != EINVAL && errno != EROFS)
		return -errno;

	w->st.chunks++;
	w->defs.len = w->recs.len = 0;
	w->chunk_events = w->chunk_lost = w->chunk_calls = 0;
	w->chunk_any = false;
	sca_ip_table__clear(&w->ip);
	w->next_str_id = w->next_cont_id = w->next_proc_id = 0;
	w->epoch++;
	if (w->nprocs > INTERN_RESET || w->nstrs > INTERN_RESET || w->nconts > INTERN_RESET)
		intern_reset(w);
	return 0;
}

static void chunk_time(struct sca_writer *w, uint64_t t)
{
	if (!w->chunk_any) {
		w->chunk_tmin = w->chunk_tmax = t;
		w->chunk_any = true;
		return;
	}
	if (t < w->chunk_tmin)
		w->chunk_tmin = t;
	if (t > w->chunk_tmax)
		w->chunk_tmax = t;
}

static int fail(struct sca_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return err;
}

static size_t chunk_bytes(const struct sca_writer *w)
{
	size_t n = w->defs.len + w->recs.len + (size_t)w->batch_n * 8;
	for (int c = 1; c <= SCA_COL_MAX_KNOWN; c++)
		n += w->cols[c].len;
	return n;
}

/*
 * Seal the chunk if it defines the most processes a reader accepts: events
 * alone never get there (one process each at most), events and CALLS
 * records together could. Before lookup_proc(): sealing may drop the
 * interning tables.
 */
static int proc_room(struct sca_writer *w)
{
	return w->next_proc_id >= SCA_CHUNK_PROCS_MAX ? chunk_seal(w) : 0;
}

/* The process of e, defined in this chunk: its chunk-local id in *local. */
static int use_proc(struct sca_writer *w, const struct sca_event *e, uint64_t *local)
{
	uint32_t pidx;
	int err;

	if ((err = proc_room(w)) || (err = lookup_proc(w, e, &pidx)))
		return err;
	return define_proc(w, pidx, local);
}

int sca_writer__add_event(struct sca_writer *w, const struct sca_event *e)
{
	uint64_t local, *ip;
	bool hit;
	int err;

	if (w->err)
		return w->err;
	if ((err = use_proc(w, e, &local)))
		return fail(w, err);
	/* a call site repeats (the libc wrapper): a hit costs one zero byte */
	if (!(ip = sca_ip_table__slot(&w->ip, local, e->syscall, e->arch)))
		return fail(w, -ENOMEM);
	hit = *ip == e->ip;
	*ip = e->ip;
	for (int c = 1; c <= SCA_COL_MAX_KNOWN; c++)
		if (w->cols[c].cap - w->cols[c].len < 64 && sca_buf__reserve(&w->cols[c], 64))
			return fail(w, -ENOMEM);

	struct sca_buf *col = w->cols;
	if (w->batch_n >= w->captdelta &&
	    grow_array((void **)&w->tdelta, &w->captdelta, w->batch_n, sizeof(*w->tdelta)))
		return fail(w, -ENOMEM);
	if (!w->batch_n) {
		w->tdelta[0] = e->time_ns;
		sca_buf__varint_unchecked(&col[SCA_COL_SERIAL], e->serial);
		w->tmax_delta = 0;
	} else {
		uint64_t d = sca_zigzag((int64_t)(e->time_ns - w->batch_prev_time));
		w->tdelta[w->batch_n] = d;
		if (d > w->tmax_delta)
			w->tmax_delta = d;
		sca_buf__varint_unchecked(&col[SCA_COL_SERIAL],
					  sca_zigzag((int64_t)(e->serial - w->batch_prev_serial)));
	}
	w->batch_prev_time = e->time_ns;
	w->batch_prev_serial = e->serial;
	sca_buf__varint_unchecked(&col[SCA_COL_PROC], local);
	sca_buf__varint_unchecked(&col[SCA_COL_TID], sca_zigzag((int64_t)e->tid - e->pid));
	sca_buf__varint_unchecked(&col[SCA_COL_ARCH], e->arch);
	sca_buf__varint_unchecked(&col[SCA_COL_SYSCALL], sca_zigzag(e->syscall));
	sca_buf__varint_unchecked(&col[SCA_COL_CODE], e->code);
	sca_buf__varint_unchecked(&col[SCA_COL_SIGNR], sca_zigzag(e->signr));
	if (hit) {
		sca_buf__varint_unchecked(&col[SCA_COL_IP], 0);
	} else {
		sca_buf__varint_unchecked(&col[SCA_COL_IP], 1);
		sca_buf__varint_unchecked(&col[SCA_COL_IP], e->ip);
	}
	uint8_t flags = (e->compat ? SCA_FLAG_COMPAT : 0) | (e->has_args ? SCA_FLAG_HAS_ARGS : 0);
	col[SCA_COL_FLAGS].p[col[SCA_COL_FLAGS].len++] = flags;
	if (e->has_args) {
		for (int i = 0; i < 6; i++)
			sca_buf__varint_unchecked(&col[SCA_COL_ARGS], e->args[i]);
		w->batch_args = true;
	}
	w->batch_n++;
	w->chunk_events++;
	w->st.events++;
	chunk_time(w, e->time_ns);

	/* seal by count, or by size long before the format's payload limit */
	if ((w->chunk_events >= w->opts.chunk_events ||
	     ((w->chunk_events & 255) == 0 && chunk_bytes(w) >= CHUNK_SOFT_MAX)) &&
	    (err = chunk_seal(w)))
		return fail(w, err);
	return 0;
}

int sca_writer__add_lost(struct sca_writer *w, const struct sca_lost *l)
{
	uint32_t sidx;
	uint64_t src;
	int err = 0;

	if (w->err)
		return w->err;
	sidx = intern_str(w, l->source, &err);
	if (err || (err = define_str(w, sidx, &src)) || (err = batch_close(w)))
		return fail(w, err);
	if (put_record_hdr(&w->recs, SCA_REC_LOST,
			   varint_len(l->time_ns) + varint_len(l->count) + varint_len(src)) ||
	    sca_buf__reserve(&w->recs, 30))
		return fail(w, -ENOMEM);
	sca_buf__varint_unchecked(&w->recs, l->time_ns);
	sca_buf__varint_unchecked(&w->recs, l->count);
	sca_buf__varint_unchecked(&w->recs, src);
	w->st.lost += l->count;
	chunk_time(w, l->time_ns);
	/* a reader refuses a chunk of more lost records than this */
	if (++w->chunk_lost >= SCA_CHUNK_LOST_MAX && (err = chunk_seal(w)))
		return fail(w, err);
	return 0;
}

/* The fields of a CALLS record, in order (docs/format.md 6.8). */
static size_t calls_fields(const struct sca_calls *c, uint64_t proc, uint64_t v[19])
{
	const struct sca_event *e = &c->ev;
	bool none = c->flags & SCA_CALLS_NO_PROCESS;
	size_t n = 7;

	v[0] = proc;
	v[1] = sca_zigzag((int64_t)e->tid - (none ? 0 : e->pid));
	v[2] = e->arch;
	v[3] = sca_zigzag(e->syscall);
	v[4] = e->time_ns;
	v[5] = c->count;
	v[6] = (c->flags & SCA_CALLS_FILTERED ? SCA_CALLS_FLAG_FILTERED : 0) |
	       (none ? SCA_CALLS_FLAG_NO_PROCESS : 0) | (e->compat ? SCA_CALLS_FLAG_COMPAT : 0) |
	       (e->has_args ? SCA_CALLS_FLAG_HAS_ARGS : 0);
	if (e->has_args) {
		for (int i = 0; i < 6; i++) {
			v[n + i] = e->args[i];
			v[n + 6 + i] = c->argmask[i];
		}
		n += 12;
	}
	return n;
}

int sca_writer__add_calls(struct sca_writer *w, const struct sca_calls *c)
{
	uint64_t v[19], local = 0;
	size_t n, len = 0;
	int err;

	if (w->err)
		return w->err;
	if (!c->count)
		return -EINVAL;        /* not sticky: nothing was written */
	/* with NO_PROCESS the process fields are not the calls': none is defined */
	if (!(c->flags & SCA_CALLS_NO_PROCESS) && (err = use_proc(w, &c->ev, &local)))
		return fail(w, err);
	if ((err = batch_close(w)))
		return fail(w, err);
	n = calls_fields(c, local, v);
	for (size_t i = 0; i < n; i++)
		len += varint_len(v[i]);
	if (put_record_hdr(&w->recs, SCA_REC_CALLS, len) || sca_buf__reserve(&w->recs, len))
		return fail(w, -ENOMEM);
	for (size_t i = 0; i < n; i++)
		sca_buf__varint_unchecked(&w->recs, v[i]);
	w->st.calls++;
	w->st.calls_count += c->count;
	chunk_time(w, c->ev.time_ns);
	/* a reader refuses a chunk of more; the size check as for events */
	if ((++w->chunk_calls >= SCA_CHUNK_CALLS_MAX ||
	     ((w->chunk_calls & 255) == 0 && chunk_bytes(w) >= CHUNK_SOFT_MAX)) &&
	    (err = chunk_seal(w)))
		return fail(w, err);
	return 0;
}

int sca_writer__flush(struct sca_writer *w)
{
	int err;
	if (w->err)
		return w->err;
	if ((err = chunk_seal(w)))
		return fail(w, err);
	return 0;
}

static int put_meta_str(struct sca_buf *b, int key, const char *s)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	if (put_record_hdr(b, key, n) || sca_buf__put(b, s, n))
		return -ENOMEM;
	return 0;
}

static int put_meta_int(struct sca_buf *b, int key, uint64_t v)
{
	if (put_record_hdr(b, key, varint_len(v)) || sca_buf__varint(b, v))
		return -ENOMEM;
	return 0;
}

static int write_header(struct sca_writer *w, const struct sca_trace_meta *m)
{
	struct sca_buf b = { 0 };
	int err = -ENOMEM;

	if (sca_buf__reserve(&b, SCA_FILE_HDR_FIXED))
		goto cleanup;
	b.len = SCA_FILE_HDR_FIXED;
	if (m && (put_meta_str(&b, SCA_META_HOST, m->host) ||
		  put_meta_str(&b, SCA_META_KERNEL, m->kernel) ||
		  put_meta_str(&b, SCA_META_SOURCE, m->source) ||
		  put_meta_str(&b, SCA_META_RECORDER, m->recorder) ||
		  put_meta_str(&b, SCA_META_CMDLINE, m->cmdline) ||
		  put_meta_int(&b, SCA_META_NATIVE_ARCH, m->native_arch) ||
		  put_meta_int(&b, SCA_META_WALL_BASE, m->wall_base_ns) ||
		  put_meta_int(&b, SCA_META_BOOT_OFFSET, sca_zigzag(m->boot_offset_ns))))
		goto cleanup;
	if (b.len - SCA_FILE_HDR_FIXED > SCA_META_MAX) {
		err = -E2BIG;
		goto cleanup;
	}
	memcpy(b.p, SCA_FILE_MAGIC, SCA_FILE_MAGIC_LEN);
	sca_put_le16(b.p + 8, SCA_TRACE_VERSION_MAJOR);
	sca_put_le16(b.p + 10, SCA_TRACE_VERSION_MINOR);
	sca_put_le32(b.p + 12, SCA_BOM);
	sca_put_le32(b.p + 16, (uint32_t)(b.len - SCA_FILE_HDR_FIXED));
	uint8_t crc[4];
	sca_put_le32(crc, sca_crc32c(0, b.p, b.len));
	if (sca_buf__put(&b, crc, 4))
		goto cleanup;
	struct iovec iov = { b.p, b.len };
	err = write_all(w, &iov, 1);
cleanup:
	sca_buf__free(&b);
	return err;
}

static int write_footer(struct sca_writer *w)
{
	struct sca_buf b = { 0 };
	uint64_t footer_off = w->offset;
	uint64_t prev = 0;
	int err = -ENOMEM;

	if (sca_buf__reserve(&b, 8 + 40 + w->nindex * 40 + 4 + SCA_TRAILER_LEN))
		goto cleanup;
	b.len = 8;
	sca_buf__varint_unchecked(&b, w->st.events);
	sca_buf__varint_unchecked(&b, w->st.lost);
	/* the index is optional: past the footer size limit, leave it out */
	size_t nindex = w->nindex * 40 + 64 > SCA_FOOTER_MAX ? 0 : w->nindex;
	sca_buf__varint_unchecked(&b, nindex);
	for (size_t i = 0; i < nindex; i++) {
		const struct index_ent *x = &w->index[i];
		sca_buf__varint_unchecked(&b, x->offset - prev);
		sca_buf__varint_unchecked(&b, x->events);
		sca_buf__varint_unchecked(&b, x->t_min);
		sca_buf__varint_unchecked(&b, x->t_max - x->t_min);
		prev = x->offset;
	}
	sca_buf__varint_unchecked(&b, w->st.calls);     /* 1.1: after the index */
	memcpy(b.p, SCA_FOOTER_MAGIC, 4);
	sca_put_le32(b.p + 4, (uint32_t)(b.len - 8));
	sca_put_le32(b.p + b.len, sca_crc32c(0, b.p, b.len));
	b.len += 4;
	sca_put_le64(b.p + b.len, footer_off);
	memcpy(b.p + b.len + 8, SCA_TRAILER_MAGIC, 8);
	b.len += SCA_TRAILER_LEN;
	struct iovec iov = { b.p, b.len };
	err = write_all(w, &iov, 1);
cleanup:
	sca_buf__free(&b);
	return err;
}

struct sca_writer *sca_writer__fdopen(int fd, const struct sca_trace_meta *meta,
				      const struct sca_writer_opts *opts)
{
	struct sca_writer *w = calloc(1, sizeof(*w));
	int err = -ENOMEM;

	if (!w) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	w->fd = fd;
	w->epoch = 1;
	if (opts)
		memcpy(&w->opts, opts, opts->sz < sizeof(w->opts) ? opts->sz : sizeof(w->opts));
	if (!w->opts.level)
		w->opts.level = DEFAULT_LEVEL;
	/* the default is also the most a reader accepts */
	if (!w->opts.chunk_events || w->opts.chunk_events > SCA_CHUNK_EVENTS_MAX)
		w->opts.chunk_events = SCA_CHUNK_EVENTS_MAX;
	w->cctx = ZSTD_createCCtx();
	if (!w->cctx)
		goto cleanup;
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, w->opts.level);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_contentSizeFlag, 1);
	if ((err = write_header(w, meta)))
		goto cleanup;
	return w;
cleanup:
	w->err = err;
	sca_writer__close(w);
	errno = -err;
	return NULL;
}

struct sca_writer *sca_writer__create(const char *path, const struct sca_trace_meta *meta,
				      const struct sca_writer_opts *opts)
{
	bool excl = opts && opts->sz > offsetof(struct sca_writer_opts, exclusive) && opts->exclusive;
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (excl ? O_EXCL : O_TRUNC), 0600);
	if (fd < 0)
		return NULL;
	struct sca_writer *w = sca_writer__fdopen(fd, meta, opts);
	if (!w && excl) {
		/* the file is ours and holds no whole header: leave nothing behind */
		int err = errno;
		unlink(path);
		errno = err;
	}
	return w;
}

int sca_writer__close(struct sca_writer *w)
{
	int err;

	if (!w)
		return 0;
	if (!w->err && (err = chunk_seal(w)))
		fail(w, err);
	if (!w->err && (err = write_footer(w)))
		fail(w, err);
	if (!w->err && w->opts.sync && fdatasync(w->fd) && errno != EINVAL && errno != EROFS)
		fail(w, -errno);
	if (close(w->fd) && !w->err)
		w->err = -errno;
	err = w->err;

	intern_reset(w);
	free(w->strs);
	free(w->conts);
	free(w->procs);
	sca_ip_table__free(&w->ip);
	free(w->index);
	free(w->cuts);
	free(w->tdelta);
	sca_buf__free(&w->defs);
	sca_buf__free(&w->recs);
	sca_buf__free(&w->out);
	for (int c = 0; c <= SCA_COL_MAX_KNOWN; c++)
		sca_buf__free(&w->cols[c]);
	ZSTD_freeCCtx(w->cctx);
	free(w);
	return err;
}

void sca_writer__stats(const struct sca_writer *w, struct sca_writer_stats *st)
{
	*st = w->st;
}
