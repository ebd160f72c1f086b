/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * source.c - see source.h. The table of --source choices, the auto
 * fallback through it, and the calls through a source's ops. A new source
 * is an ops table in its own file and a row (or a place in a row) here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "recorder.h"
#include "source.h"
#include "source_audit.h"
#include "source_bpf.h"

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

int sca_sources__open(struct sca_sources *ss, const struct sca_record_opts *o)
{
	const struct sca_source_choice *c = o->source ? o->source : &choices[0];
	char why[TRY_MAX][WHY_LEN], all[TRY_MAX * (WHY_LEN + 32)];
	struct sca_source *s = NULL;
	int n = 0, err = -ENOENT;

	*ss = (struct sca_sources){ 0 };
	while (n < TRY_MAX && c->try[n] && (err = source_open(&s, c->try[n], o, why[n])))
		n++;
	if (err) {
		join_reasons(all, sizeof(all), c, why, n);
		if (c->family)
			sca_cmd_err("record", "%s cannot run here: %s", c->family, all);
		else if (n)
			sca_cmd_err("record", "%s", why[n - 1]);
		return err;
	}
	if (c->announce) {
		join_reasons(all, sizeof(all), c, why, n);
		fprintf(stderr, "sca record: source %s%s%s%s\n", s->ops->name, n ? " (" : "", all, n ? ")" : "");
	}
	const char *warning = s->ops->warning ? s->ops->warning(s->state) : NULL;
	if (warning)
		fprintf(stderr, "sca record: warning: %s\n", warning);
	ss->src[ss->n++] = s;
	return 0;
}

void sca_sources__close(struct sca_sources *ss)
{
	for (int i = 0; i < ss->n; i++)
		source_close(ss->src[i]);
	*ss = (struct sca_sources){ 0 };
}
