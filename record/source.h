/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source.h - where `sca record` gets its events. Every source (the audit
 * netlink multicast, the BPF program on audit_seccomp, and those to come)
 * is an ops table over a state of its own; one table in source.c turns
 * --source NAME into the sources to try, in order. The recorder's loop
 * polls what sca_sources__open() opened and asks each for batches, never
 * knowing which source it holds.
 */
#ifndef SCA_RECORD_SOURCE_H
#define SCA_RECORD_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

struct sca_record_opts;

/*
 * What a source delivers, as the trace reader returns it: an event, a count
 * of events it lost, or syscalls it counted (the syscall source). rec and
 * its strings are valid during the call. A non-zero return stops the batch
 * and is passed up.
 */
typedef int (*sca_source_cb)(void *ctx, const struct sca_record *rec);

/* cb with one event. */
int sca_source_cb__event(sca_source_cb cb, void *ctx, const struct sca_event *ev);
/* cb with a loss of n (> 0) noticed now by the source named source. */
int sca_source_cb__lost(sca_source_cb cb, void *ctx, const char *source, uint64_t n);

/*
 * One kind of source. Only name and open are needed of a source that can
 * never run (a build without it): nothing else is called after a failed
 * open. Ops marked optional may be NULL.
 */
struct sca_source_ops {
	const char *name;       /* --source name, trace header, messages */
	const char *caps;       /* privileges, e.g. "root or CAP_AUDIT_READ" */
	const char *kernel;     /* kernel features, e.g. "kprobe support" */
	/*
	 * Start with what o asks for (buffer sizes). On failure returns a
	 * negative errno and a one-line reason in why.
	 */
	int (*open)(void **state, const struct sca_record_opts *o, char *why, size_t whylen);
	/* Once chosen, a caveat worth a warning, or NULL. Optional. */
	const char *(*warning)(void *state);
	/* Readable (poll) when read has something to deliver. */
	int (*fd)(void *state);
	/* Deliver what is queued now without blocking: events handled, or -errno. */
	int (*read)(void *state, sca_source_cb cb, void *ctx);
	/*
	 * Deliver what is counted rather than queued, since the last call:
	 * losses, and the syscall source's counts (once a second). Optional.
	 */
	int (*check_drops)(void *state, sca_source_cb cb, void *ctx);
	/*
	 * Recording ends: stop taking records and deliver all still held.
	 * Optional; nothing but close follows.
	 */
	int (*finish)(void *state, sca_source_cb cb, void *ctx);
	/*
	 * Whether records of a process may still arrive after it exited
	 * (the audit path lags by up to a few hundred ms), so a recording of
	 * `-- CMD` waits for quiet; NULL: always. The syscall source's
	 * counts are all drained by finish.
	 */
	bool (*lags)(void *state);
	/*
	 * Keep only audit session ses's events, dropping the rest in the kernel
	 * (0: everyone). Set after open: `record -- CMD` learns the session
	 * late. Optional: without it the recorder's own filter does the work.
	 */
	void (*set_session)(void *state, uint32_t ses);
	void (*close)(void *state);
};

/* A --source value: which sources to try, in order. */
struct sca_source_choice;

/* The choice --source NAME means, or NULL if there is none. */
const struct sca_source_choice *sca_source_choice__find(const char *name);
/* Every --source name, ", " separated, for messages. */
const char *sca_source_choice__names(void);

/* One open source. */
struct sca_source;

const char *sca_source__name(const struct sca_source *s);
int sca_source__fd(const struct sca_source *s);
int sca_source__read(struct sca_source *s, sca_source_cb cb, void *ctx);
int sca_source__check_drops(struct sca_source *s, sca_source_cb cb, void *ctx);
int sca_source__finish(struct sca_source *s, sca_source_cb cb, void *ctx);
bool sca_source__lags(const struct sca_source *s);
void sca_source__set_session(struct sca_source *s, uint32_t ses);

#define SCA_SOURCES_MAX 4

/*
 * What one recording reads: the syscall source (when asked for and it can
 * run) and o->source's event source (optional beside it: a warning says
 * when it could not open), in that order.
 */
struct sca_sources {
	struct sca_source *src[SCA_SOURCES_MAX];
	int n;
	struct sca_source *syscalls;  /* one of src, or NULL */
	char why_not_syscalls[256];   /* -- CMD fell back to log-all: why; else "" */
	char name[64];
};

/*
 * Open what o asks for: the syscall source for --all-syscalls and for
 * -- CMD (unless o->learn is log-all; with auto, a failure leaves
 * why_not_syscalls set and goes on without it), then o->source's event
 * source (NULL: auto; one line on stderr says which was chosen and why the
 * ones before it were not). On failure, says why and returns a negative
 * errno.
 */
int sca_sources__open(struct sca_sources *ss, const struct sca_record_opts *o);
/* "syscalls+audit", for the trace header and messages; valid until ss changes. */
const char *sca_sources__name(struct sca_sources *ss);
void sca_sources__close(struct sca_sources *ss);

#endif
