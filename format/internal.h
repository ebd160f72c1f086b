/* SPDX-License-Identifier: BSD-2-Clause */
/* Pieces shared by the trace writer and reader; see docs/format.md. */
#ifndef SCA_FORMAT_INTERNAL_H
#define SCA_FORMAT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SCA_FILE_MAGIC "SCATRACE"
#define SCA_FILE_MAGIC_LEN 8
#define SCA_BOM 0x01020304u
#define SCA_FILE_HDR_FIXED 20          /* magic, major, minor, bom, meta_len */
#define SCA_META_MAX (1u << 20)

#define SCA_CHUNK_MAGIC "SCAC"
#define SCA_FOOTER_MAGIC "SCAF"
#define SCA_CHUNK_HDR_LEN 48
#define SCA_CHUNK_PAYLOAD_MAX (256u << 20)
#define SCA_CHUNK_RAW_MAX (256u << 20)
#define SCA_TRAILER_MAGIC "SCATEND\n"
#define SCA_TRAILER_LEN 16
#define SCA_FOOTER_MAX (64u << 20)

/*
 * What one chunk may hold (docs/format.md 6.9). The writer seals a chunk
 * before it holds more; the reader refuses a chunk that claims more, so
 * decoding one chunk costs memory bounded by these, whatever its header
 * says. The writer defines only what the chunk's records use: a process
 * per event or CALLS record (and seals a chunk before it would define
 * more than SCA_CHUNK_PROCS_MAX, which events and calls together could),
 * a container per process, and a string for each of a process's three and
 * a container's seven fields and each lost record.
 */
#define SCA_CHUNK_EVENTS_MAX 65536u
#define SCA_CHUNK_LOST_MAX SCA_CHUNK_EVENTS_MAX
#define SCA_CHUNK_CALLS_MAX SCA_CHUNK_EVENTS_MAX
#define SCA_CHUNK_PROCS_MAX SCA_CHUNK_EVENTS_MAX
#define SCA_CHUNK_CONTS_MAX SCA_CHUNK_PROCS_MAX
#define SCA_CHUNK_STRS_MAX (3 * SCA_CHUNK_PROCS_MAX + 7 * SCA_CHUNK_CONTS_MAX + SCA_CHUNK_LOST_MAX)

/* Metadata keys in the file header. */
enum {
	SCA_META_HOST = 1,
	SCA_META_KERNEL = 2,
	SCA_META_SOURCE = 3,
	SCA_META_RECORDER = 4,
	SCA_META_CMDLINE = 5,
	SCA_META_NATIVE_ARCH = 6,
	SCA_META_WALL_BASE = 7,
	SCA_META_BOOT_OFFSET = 8,
};

/* Record types inside a chunk payload. */
enum {
	SCA_REC_STRING = 1,
	SCA_REC_CONTAINER = 2,
	SCA_REC_PROCESS = 3,
	SCA_REC_EVENTS = 4,
	SCA_REC_LOST = 5,
	SCA_REC_CALLS = 6,             /* format 1.1 */
};

/* Columns of an EVENTS record. */
enum {
	SCA_COL_TIME = 1,
	SCA_COL_PROC = 2,
	SCA_COL_TID = 3,
	SCA_COL_SERIAL = 4,
	SCA_COL_ARCH = 5,
	SCA_COL_SYSCALL = 6,
	SCA_COL_CODE = 7,
	SCA_COL_SIGNR = 8,
	SCA_COL_IP = 9,
	SCA_COL_FLAGS = 10,
	SCA_COL_ARGS = 11,
	SCA_COL_MAX_KNOWN = 11,
};

#define SCA_FLAG_COMPAT 0x1
#define SCA_FLAG_HAS_ARGS 0x2

/* The flags field of a CALLS record; other bits are ignored. */
#define SCA_CALLS_FLAG_FILTERED 0x1
#define SCA_CALLS_FLAG_NO_PROCESS 0x2
#define SCA_CALLS_FLAG_COMPAT 0x4
#define SCA_CALLS_FLAG_HAS_ARGS 0x8

/* Key of the IP prediction table: (process local id, syscall, arch). */
static inline uint64_t sca_ip_key(uint64_t proc, int32_t syscall, uint32_t arch)
{
	return (proc << 32) ^ ((uint64_t)(uint32_t)syscall << 8) ^ ((uint64_t)arch * 0x9e3779b1u);
}

/*
 * The IP prediction table (docs/format.md 7.4), one for writer and reader:
 * should they disagree, a trace decodes to wrong IPs. Chunk-local.
 */
struct sca_ip_ent {
	uint64_t key;                    /* sca_ip_key() + 1; 0 = empty */
	uint64_t ip;
};

struct sca_ip_table {
	struct sca_ip_ent *ent;
	size_t mask, n;
};

/*
 * The entry of (proc, syscall, arch): the predicted IP, 0 for a key not
 * seen in this chunk, for the caller to set to the event's IP. NULL when
 * out of memory.
 */
uint64_t *sca_ip_table__slot(struct sca_ip_table *t, uint64_t proc, int32_t syscall, uint32_t arch);
/* Empty the table for the next chunk, keeping its memory. */
void sca_ip_table__clear(struct sca_ip_table *t);
void sca_ip_table__free(struct sca_ip_table *t);

uint32_t sca_crc32c(uint32_t crc, const void *buf, size_t len);

static inline void sca_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void sca_put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void sca_put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t sca_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t sca_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t sca_get_le64(const uint8_t *p)
{
	return (uint64_t)sca_get_le32(p) | ((uint64_t)sca_get_le32(p + 4) << 32);
}

static inline uint64_t sca_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t sca_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Growable byte buffer. */
struct sca_buf {
	uint8_t *p;
	size_t len, cap;
};

int sca_buf__reserve(struct sca_buf *b, size_t extra);
void sca_buf__free(struct sca_buf *b);

static inline int sca_buf__put(struct sca_buf *b, const void *src, size_t n)
{
	if (b->cap - b->len < n && sca_buf__reserve(b, n))
		return -1;
	if (n)
		memcpy(b->p + b->len, src, n);
	b->len += n;
	return 0;
}

/* Append a LEB128 varint; callers reserve 10 bytes per value first. */
static inline void sca_buf__varint_unchecked(struct sca_buf *b, uint64_t v)
{
	uint8_t *p = b->p + b->len;
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	b->len = (size_t)(p - b->p);
}

static inline int sca_buf__varint(struct sca_buf *b, uint64_t v)
{
	if (b->cap - b->len < 10 && sca_buf__reserve(b, 10))
		return -1;
	sca_buf__varint_unchecked(b, v);
	return 0;
}

/* Bounds-checked cursor over a byte range, for decoding. */
struct sca_cur {
	const uint8_t *p, *end;
	int err;                         /* sticky: set once a read overruns */
};

static inline uint64_t sca_cur__varint(struct sca_cur *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end)
			break;
		uint8_t byte = *c->p++;
		v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80))
			return v;
	}
	c->err = 1;
	c->p = c->end;
	return 0;
}

static inline const uint8_t *sca_cur__take(struct sca_cur *c, uint64_t n)
{
	if ((uint64_t)(c->end - c->p) < n) {
		c->err = 1;
		c->p = c->end;
		return NULL;
	}
	const uint8_t *r = c->p;
	c->p += n;
	return r;
}

#endif
