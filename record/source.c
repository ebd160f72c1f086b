/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source.c - see source.h. The table of --source choices, the auto
 * fallback through it, and the calls through a source's ops. A new source
 * is an ops table in its own file and a row (or a place in a row) here.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/clock.h"
#include "recorder.h"
#include "source.h"
#include "source_audit.h"
#include "source_bpf.h"
#include "source_syscalls.h"

#define TRY_MAX 4
#define WHY_LEN 256

struct sca_source_choice {
	const char *name;
	const struct sca_source_ops *try[TRY_MAX];   /* in order; NULL ends */
	/* all failed: "FAMILY cannot run here: NAME: WHY; ..."; NULL: the last reason alone */
	const char *family;
	bool announce;          /* say which was chosen, and why not the ones before */
};

/* The first row is the default. */
static const struct sca_source_choice choices[] = {
	{ "auto", { &sca_source_bpf_fentry, &sca_source_bpf_kprobe, &sca_source_audit }, NULL, true },
	{ "audit", { &sca_source_audit }, NULL, false },
	{ "bpf", { &sca_source_bpf_fentry, &sca_source_bpf_kprobe }, "the BPF source", false },
	{ "bpf-fentry", { &sca_source_bpf_fentry }, "the BPF source", false },
	{ "bpf-kprobe", { &sca_source_bpf_kprobe }, "the BPF source", false },
};
#define NCHOICES (sizeof(choices) / sizeof(choices[0]))

struct sca_source {
	const struct sca_source_ops *ops;
	void *state;
};

const struct sca_source_choice *sca_source_choice__find(const char *name)
{
	for (size_t i = 0; i < NCHOICES; i++)
		if (!strcmp(name, choices[i].name))
			return &choices[i];
	return NULL;
}

const char *sca_source_choice__names(void)
{
	static char names[128];

	if (!names[0])
		for (size_t i = 0, len = 0; i < NCHOICES && len < sizeof(names); i++)
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "",
						choices[i].name);
	return names;
}

const char *sca_source__name(const struct sca_source *s)
{
	return s->ops->name;
}

int sca_source__fd(const struct sca_source *s)
{
	return s->ops->fd(s->state);
}

int sca_source__read(struct sca_source *s, sca_source_cb cb, void *ctx)
{
	return s->ops->read(s->state, cb, ctx);
}

int sca_source__check_drops(struct sca_source *s, sca_source_cb cb, void *ctx)
{
	return s->ops->check_drops ? s->ops->check_drops(s->state, cb, ctx) : 0;
}

int sca_source__finish(struct sca_source *s, sca_source_cb cb, void *ctx)
{
	return s->ops->finish ? s->ops->finish(s->state, cb, ctx) : 0;
}

bool sca_source__lags(const struct sca_source *s)
{
	return s->ops->lags ? s->ops->lags(s->state) : true;
}

int sca_source_cb__event(sca_source_cb cb, void *ctx, const struct sca_event *ev)
{
	struct sca_record r = { .kind = SCA_RECORD_EVENT, .event = *ev };

	return cb(ctx, &r);
}

int sca_source_cb__lost(sca_source_cb cb, void *ctx, const char *source, uint64_t n)
{
	struct sca_record r = { .kind = SCA_RECORD_LOST };

	r.lost = (struct sca_lost){ .time_ns = sca_clock_ns(CLOCK_REALTIME), .count = n, .source = source };
	return cb(ctx, &r);
}

void sca_source__set_session(struct sca_source *s, uint32_t ses)
{
	if (s->ops->set_session)
		s->ops->set_session(s->state, ses);
}

static void source_close(struct sca_source *s)
{
	if (!s)
		return;
	s->ops->close(s->state);
	free(s);
}

/* Open one; a failure always leaves a reason in why, if only strerror's. */
static int source_open(struct sca_source **out, const struct sca_source_ops *ops,
		       const struct sca_record_opts *o, char *why)
{
	struct sca_source *s = calloc(1, sizeof(*s));
	int err;

	why[0] = 0;
	if (!s)
		err = -ENOMEM;
	else if (!(err = ops->open(&s->state, o, why, WHY_LEN))) {
		s->ops = ops;
		*out = s;
		return 0;
	}
	if (!why[0])
		snprintf(why, WHY_LEN, "%s", strerror(-err));
	free(s);
	return err;
}

/* "NAME: WHY; NAME: WHY" for the first n candidates of c. */
static void join_reasons(char *buf, size_t len, const struct sca_source_choice *c, char why[][WHY_LEN], int n)
{
	size_t at = 0;

	buf[0] = 0;
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s: %s", i ? "; " : "", c->try[i]->name, why[i]);
}

/* o->source's event source, or why none could open (printed by the caller). */
struct events_job {
	const struct sca_record_opts *o;
	const struct sca_source_choice *c;
	struct sca_source *s;
	char why[TRY_MAX][WHY_LEN];
	int n, err;
};

static void *open_events(void *arg)
{
	struct events_job *j = arg;

	j->err = -ENOENT;
	while (j->n < TRY_MAX && j->c->try[j->n] && (j->err = source_open(&j->s, j->c->try[j->n], j->o, j->why[j->n])))
		j->n++;
	return NULL;
}

/*
 * How the event source opened, in one line. Beside the syscall source it is
 * optional: a failure is a warning (refused calls go unseen), not the end.
 */
static int events_say(struct sca_sources *ss, struct events_job *j, bool optional)
{
	char all[TRY_MAX * (WHY_LEN + 32)];
	const struct sca_source_choice *c = j->c;

	join_reasons(all, sizeof(all), c, j->why, j->n);
	if (j->err) {
		if (optional)
			fprintf(stderr, "sca record: warning: no event source, so calls a seccomp filter "
					"refuses go unseen (%s)\n", c->family || !j->n ? all : j->why[j->n - 1]);
		else if (c->family)
			sca_cmd_err("record", "%s cannot run here: %s", c->family, all);
		else if (j->n)
			sca_cmd_err("record", "%s", j->why[j->n - 1]);
		return optional ? 0 : j->err;
	}
	if (c->announce)
		fprintf(stderr, "sca record: source %s%s%s%s\n", j->s->ops->name, j->n ? " (" : "", all,
			j->n ? ")" : "");
	const char *warning = j->s->ops->warning ? j->s->ops->warning(j->s->state) : NULL;
	if (warning)
		fprintf(stderr, "sca record: warning: %s\n", warning);
	ss->src[ss->n++] = j->s;
	return 0;
}

/*
 * The syscall source on a thread of its own beside the event source: each
 * BPF object reads the kernel's BTF and is verified, tens of ms apiece.
 */
struct syscalls_job {
	const struct sca_record_opts *o;
	struct sca_source *s;
	char why[WHY_LEN];
	int err;
};

static void *open_syscalls(void *arg)
{
	struct syscalls_job *j = arg;

	j->err = source_open(&j->s, &sca_source_syscalls, j->o, j->why);
	return NULL;
}

int sca_sources__open(struct sca_sources *ss, const struct sca_record_opts *o)
{
	bool want = o->all_syscalls || (o->cmd && o->learn != SCA_LEARN_LOG_ALL);
	struct events_job ev = { .o = o, .c = o->source ? o->source : &choices[0] };
	struct syscalls_job sy = { .o = o, .err = -ENOENT };
	pthread_t th;
	bool threaded = false;
	int err;

	*ss = (struct sca_sources){ 0 };
	if (want && !(threaded = pthread_create(&th, NULL, open_syscalls, &sy) == 0))
		open_syscalls(&sy);
	open_events(&ev);
	if (threaded)
		pthread_join(th, NULL);
	if (want && sy.err) {
		/* -- CMD learns under a log-all filter instead, unless told not to */
		if (o->all_syscalls || o->learn == SCA_LEARN_SYSCALLS) {
			sca_cmd_err("record", "the syscall source cannot run here: %s", sy.why);
			if (!ev.err)
				source_close(ev.s);
			return sy.err;
		}
		snprintf(ss->why_not_syscalls, sizeof(ss->why_not_syscalls), "%s", sy.why);
	} else if (want) {
		ss->syscalls = sy.s;
		ss->src[ss->n++] = sy.s;
	}
	/* with the syscall source, the event source only sees refusals: a
	 * workload of -- CMD without --profile has no filter of ours */
	if ((err = events_say(ss, &ev, ss->syscalls != NULL)))
		sca_sources__close(ss);
	return err;
}

/* "syscalls+audit": the sources of a recording, for the trace header. */
const char *sca_sources__name(struct sca_sources *ss)
{
	size_t at = 0;

	ss->name[0] = 0;
	for (int i = 0; i < ss->n && at < sizeof(ss->name); i++)
		at += (size_t)snprintf(ss->name + at, sizeof(ss->name) - at, "%s%s", i ? "+" : "",
				       ss->src[i]->ops->name);
	return ss->name;
}

void sca_sources__close(struct sca_sources *ss)
{
	for (int i = 0; i < ss->n; i++)
		source_close(ss->src[i]);
	*ss = (struct sca_sources){ 0 };
}
