/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sca trace format: writer and reader.
 *
 * The on-disk layout is specified in docs/format.md. This library knows
 * nothing of BPF, SQLite or libseccomp; it only moves normalized seccomp
 * audit events to and from a file.
 *
 * Conventions (libbpf style): functions return 0 or a positive value on
 * success and a negative errno on failure; objects are opaque and named
 * sca_<object>__<verb>.
 */
#ifndef SCA_FORMAT_TRACE_H
#define SCA_FORMAT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCA_TRACE_VERSION_MAJOR 1
#define SCA_TRACE_VERSION_MINOR 1

/* A container an event's process runs in. Any string may be NULL. */
struct sca_container {
	const char *runtime;   /* "runc", "crun", "docker", "containerd", "cri-o" */
	const char *id;
	const char *name;
	const char *image;
	const char *pod;
	const char *pod_namespace;
	const char *pod_uid;
};

/*
 * One seccomp audit event, whatever source produced it. Strings may be NULL
 * (unknown); the reader returns NULL for strings the writer got as NULL and
 * "" for empty ones.
 */
struct sca_event {
	uint64_t time_ns;      /* wall clock, ns since the Unix epoch */
	uint64_t serial;       /* audit serial; 0 when unknown */
	int32_t pid;           /* tgid */
	int32_t tid;
	int32_t ppid;          /* -1 when unknown */
	uint32_t uid;
	uint32_t gid;
	uint32_t auid;         /* 4294967295 = unset */
	uint32_t ses;          /* 4294967295 = unset */
	uint64_t mnt_ns;       /* namespace inode numbers; 0 when unknown */
	uint64_t pid_ns;
	uint64_t cgroup_id;    /* 0 when unknown */
	const char *comm;
	const char *exe;
	const char *cgroup;    /* cgroup v2 path */
	const struct sca_container *container; /* NULL: host or unknown */

	uint32_t arch;         /* AUDIT_ARCH_* of the syscall */
	int32_t syscall;       /* number for that arch */
	int32_t signr;
	uint32_t code;         /* seccomp return value as audited: action | data */
	uint64_t ip;
	bool compat;
	bool has_args;         /* args[] valid (BPF source) */
	uint64_t args[6];

	/*
	 * Set by the reader, ignored by the writer: equal for events (and
	 * CALLS records) whose process fields (pid ... container) came from the
	 * same process record, so a consumer can intern processes without
	 * comparing every field. Distinct records may still describe equal
	 * processes. Never 0.
	 */
	uint64_t proc_key;
};

/* Seccomp action is the top 16 bits of code; data (e.g. errno) the rest. */
static inline uint32_t sca_event__action(const struct sca_event *e)
{
	return e->code & 0xffff0000u;
}

static inline uint32_t sca_event__data(const struct sca_event *e)
{
	return e->code & 0x0000ffffu;
}

/* Events a source could not deliver (kernel drops, ring buffer full ...). */
struct sca_lost {
	uint64_t time_ns;
	uint64_t count;
	const char *source;    /* e.g. "audit", "bpf" */
};

/*
 * Syscalls the syscall source saw one process make (sys_enter, before any
 * seccomp filter decided on them): count calls of one syscall of one arch,
 * counted exactly in the kernel over one interval, with the process, thread,
 * time and arguments of the first of them in ev. ev's audit-only fields
 * (serial, code, signr, ip) are 0. A process makes one record per syscall
 * (and per value of the arguments the source tells apart, argmask) per
 * interval it was active in; a consumer sums count.
 */
struct sca_calls {
	struct sca_event ev;
	uint64_t count;        /* >= 1 */
	uint32_t flags;        /* SCA_CALLS_* */
	/*
	 * For each argument, the bits that were equal in all count calls
	 * (then ev.args[i] & argmask[i] holds them); 0 where the calls may
	 * differ or the source did not tell them apart. Kept only with
	 * ev.has_args (else 0, as ev.args).
	 */
	uint64_t argmask[6];
};

/* Made by a thread under a seccomp filter (after the filter was loaded). */
#define SCA_CALLS_FILTERED   0x1u
/*
 * The process is unknown: the source's table was full, so these calls were
 * counted per syscall only. The syscalls are known; what made them is not.
 * The writer ignores ev's process fields; the reader returns each field's
 * "unknown": pid 0, ppid -1, uid, gid, auid and ses 4294967295 (no real
 * user, so no uid filter matches), namespaces and cgroup_id 0, comm, exe,
 * cgroup and container NULL. ev.tid is kept.
 */
#define SCA_CALLS_NO_PROCESS 0x2u

/* Recording metadata, stored in the file header. Strings may be NULL. */
struct sca_trace_meta {
	const char *host;
	const char *kernel;        /* uname release */
	const char *source;        /* "audit", "bpf-fentry", "import", "synthetic" ... */
	const char *recorder;      /* recorder name and version */
	const char *cmdline;       /* the recording command line */
	uint32_t native_arch;      /* AUDIT_ARCH_* of the recording host */
	uint64_t wall_base_ns;     /* wall clock when recording started */
	int64_t boot_offset_ns;    /* wall - CLOCK_BOOTTIME at start (BPF times) */
};

/* ---- writer ---------------------------------------------------------- */

struct sca_writer;

struct sca_writer_opts {
	size_t sz;                 /* sizeof(struct sca_writer_opts) */
	int level;                 /* zstd level; 0 = default (3) */
	uint32_t chunk_events;     /* seal a chunk after this many events; 0 = 65536, the most */
	bool sync;                 /* fdatasync() after each sealed chunk */
	bool exclusive;            /* create only: fail with EEXIST if PATH exists */
};

/*
 * Create PATH and write the file header. The file is mode 0600 (traces hold
 * command names and paths) and is never opened through a symbolic link
 * (ELOOP); an existing file is replaced unless opts->exclusive (EEXIST). On
 * failure returns NULL and sets errno; with opts->exclusive, a file it
 * created but could not write the header to (a full disk) is removed.
 */
struct sca_writer *sca_writer__create(const char *path, const struct sca_trace_meta *meta,
				      const struct sca_writer_opts *opts);
/* Same on an open descriptor, which the writer then owns. */
struct sca_writer *sca_writer__fdopen(int fd, const struct sca_trace_meta *meta,
				      const struct sca_writer_opts *opts);

int sca_writer__add_event(struct sca_writer *w, const struct sca_event *e);
int sca_writer__add_lost(struct sca_writer *w, const struct sca_lost *l);
/* c->count must be at least 1 (EINVAL). */
int sca_writer__add_calls(struct sca_writer *w, const struct sca_calls *c);
/* Seal and write the current chunk, if it holds anything. */
int sca_writer__flush(struct sca_writer *w);
/*
 * Flush, write the footer (index and totals) and close. Frees w whatever
 * happens; returns the first error met over the writer's life.
 */
int sca_writer__close(struct sca_writer *w);

struct sca_writer_stats {
	uint64_t events;
	uint64_t lost;             /* sum of lost counts */
	uint64_t calls;            /* CALLS records */
	uint64_t calls_count;      /* sum of their counts */
	uint64_t chunks;
	uint64_t bytes;            /* bytes written to the file so far */
};
void sca_writer__stats(const struct sca_writer *w, struct sca_writer_stats *st);

/* ---- reader ---------------------------------------------------------- */

struct sca_reader;

enum sca_record_kind {
	SCA_RECORD_EVENT = 1,
	SCA_RECORD_LOST = 2,
	SCA_RECORD_CALLS = 3,      /* format 1.1; older readers skip them */
};

struct sca_record {
	enum sca_record_kind kind;
	union {
		struct sca_event event;
		struct sca_lost lost;
		struct sca_calls calls;
	};
};

enum sca_damage_kind {
	SCA_DAMAGE_TRUNCATED = 1,  /* file ends inside a chunk (crash, full disk) */
	SCA_DAMAGE_CHECKSUM,       /* chunk payload does not match its checksum */
	SCA_DAMAGE_GARBAGE,        /* bytes that are no valid chunk; skipped to the next */
	SCA_DAMAGE_PAYLOAD,        /* checksum fine but payload undecodable */
	SCA_DAMAGE_HEADER,         /* file header fails its checksum; metadata lost */
	SCA_DAMAGE_NO_FOOTER,      /* file ends between chunks without a footer */
};

struct sca_damage {
	enum sca_damage_kind kind;
	uint64_t offset;           /* file offset where the damage starts */
	uint64_t length;           /* bytes skipped */
	uint64_t events;           /* events the chunk header announced, if known */
};

struct sca_reader_totals {
	uint64_t events;           /* events returned */
	uint64_t lost;             /* sum of lost-record counts returned */
	uint64_t calls;            /* CALLS records returned */
	uint64_t calls_count;      /* sum of their counts */
	uint64_t chunks;           /* intact chunks read */
	uint64_t chunks_skipped;
	uint64_t bytes_skipped;
	uint64_t time_min, time_max; /* over events and calls returned; 0 if none */
	bool clean_close;          /* a valid footer was found */
	/* From the footer, when clean_close: what the writer wrote. */
	uint64_t footer_events, footer_lost, footer_chunks;
	uint64_t footer_calls;     /* CALLS records; 0 in a 1.0 footer */
};

/*
 * Open a trace and read its header. Returns NULL and sets errno on failure:
 * EBADMSG empty or not a trace (wrong magic), EPROTONOSUPPORT a major
 * version this reader does not know. A damaged header is not a failure: the
 * metadata is then empty and the damage is listed (SCA_DAMAGE_HEADER).
 */
struct sca_reader *sca_reader__open(const char *path);
/* Same on an open descriptor, which the reader then owns. */
struct sca_reader *sca_reader__fdopen(int fd);
void sca_reader__close(struct sca_reader *r);

const struct sca_trace_meta *sca_reader__meta(const struct sca_reader *r);
void sca_reader__version(const struct sca_reader *r, unsigned *major, unsigned *minor);

/*
 * Next record, in file order. Returns 1 with *rec set, 0 at the end, or a
 * negative errno for an I/O error. Damage is not an error: it is skipped and
 * listed by sca_reader__damage(). *rec and the strings it points to stay
 * valid until the next call.
 */
int sca_reader__next(struct sca_reader *r, const struct sca_record **rec);

size_t sca_reader__damage(const struct sca_reader *r, const struct sca_damage **list);
void sca_reader__totals(const struct sca_reader *r, struct sca_reader_totals *t);

/*
 * How far reading has come, for a progress display: *offset the file bytes
 * taken in up to the chunk whose records are being returned, *size the
 * file's size when it was opened (0: not a regular file).
 */
void sca_reader__position(const struct sca_reader *r, uint64_t *offset, uint64_t *size);

const char *sca_damage_kind__str(enum sca_damage_kind k);

/*
 * Damage lines a command prints for one trace before it sums up the rest
 * in one line: a trace of a million damaged chunks is still read at once.
 */
#define SCA_DAMAGE_LINES 10

/*
 * What a failed sca_reader__open() means, for a message "FILE: ...":
 * "not an sca trace", "written by a newer sca ...", else strerror(err).
 */
const char *sca_reader__strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* SCA_FORMAT_TRACE_H */
