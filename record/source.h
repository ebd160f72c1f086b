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

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

struct sca_record_opts;

/*
 * What a source delivers: an event (ev and its strings valid during the
 * call, lost 0), or a count of events it lost (ev NULL, lost > 0). A
 * non-zero return stops the batch and is passed up.
 */
typedef int (*sca_source_cb)(void *ctx, const struct sca_event *ev, uint64_t lost);

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
	/* Deliver the losses counted since the last call (once a second). Optional. */
	int (*check_drops)(void *state, sca_source_cb cb, void *ctx);
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
void sca_source__set_session(struct sca_source *s, uint32_t ses);

#define SCA_SOURCES_MAX 4

/*
 * What one recording reads: src[0] is the event source o->source chose;
 * sources that only help it (attribution) would follow.
 */
struct sca_sources {
	struct sca_source *src[SCA_SOURCES_MAX];
	int n;
};

/*
 * Open o->source's sources (NULL: auto): the first of its candidates that
 * can run here. With auto, one line on stderr says which was chosen and why
 * the ones before it were not. On failure, says why and returns a negative
 * errno.
 */
int sca_sources__open(struct sca_sources *ss, const struct sca_record_opts *o);
void sca_sources__close(struct sca_sources *ss);

#endif
