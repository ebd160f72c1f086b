/* SPDX-License-Identifier: BSD-2-Clause */
/* hosttraces.c - see hosttraces.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "common/cli.h"
#include "common/escape.h"
#include "common/progress.h"
#include "hosttraces.h"
#include "recorder.h"

struct host_trace {
	char *host;
	struct sca_record_opts o;    /* -o's, with this trace's path */
	struct sca_tracefiles *out;
	bool begun;
	uint64_t events;
};

struct sca_hosttraces {
	const struct sca_record_opts *o;
	struct sca_tracefiles *main;
	char *main_host;             /* MAIN's, once begun */
	const char *source;
	struct utsname self;
	struct host_trace t[SCA_HOSTTRACES_MAX];
	size_t n;
	uint64_t over;               /* records of hosts past the limit */
};

int sca_hosttraces__new(struct sca_hosttraces **out, const struct sca_record_opts *o,
			struct sca_tracefiles *main, const char *source)
{
	struct sca_hosttraces *h = calloc(1, sizeof(*h));

	if (!h) {
		sca_cmd_err("record", "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	h->o = o;
	h->main = main;
	h->source = source;
	if (uname(&h->self))
		h->self.nodename[0] = '\0';
	*out = h;
	return 0;
}

void sca_hosttraces__free(struct sca_hosttraces *h)
{
	for (size_t i = 0; h && i < h->n; i++) {
		if (h->t[i].out)
			sca_tracefiles__free(h->t[i].out);
		free((char *)h->t[i].o.out);
		free(h->t[i].host);
	}
	if (h)
		free(h->main_host);
	free(h);
}

/* BASE.HOST.trace for -o BASE.trace (or BASE), HOST made a safe file name. */
static char *host_path(const char *out, const char *host)
{
	char safe[SCA_FILE_NAME_MAX + 1], *path;
	size_t n = strlen(out);

	if (n > 6 && !strcmp(out + n - 6, ".trace"))
		n -= 6;
	sca_file_name(safe, host);
	return asprintf(&path, "%.*s.%s.trace", (int)n, out, safe) < 0 ? NULL : path;
}

static struct host_trace *begin(struct sca_hosttraces *h, const char *host, int *err)
{
	struct host_trace *t = &h->t[h->n];

	memset(t, 0, sizeof(*t));
	t->o = *h->o;
	if (!(t->host = strdup(host)) || !(t->o.out = host_path(h->o->out, host))) {
		free(t->host);
		sca_cmd_err("record", "%s", strerror(ENOMEM));
		*err = -ENOMEM;
		return NULL;
	}
	h->n++;      /* owned now, freed with the rest */
	if ((*err = sca_tracefiles__new(&t->out, &t->o)))
		return NULL;
	sca_tracefiles__set_host(t->out, t->host);
	if (!t->o.force && (*err = sca_tracefiles__refuse_existing(t->out)))
		return NULL;
	if ((*err = sca_tracefiles__begin(t->out, h->source)))
		return NULL;
	t->begun = true;
	return t;
}

/* MAIN begun as HOST's. */
static int begin_main(struct sca_hosttraces *h, const char *host)
{
	if (!(h->main_host = strdup(host))) {
		sca_cmd_err("record", "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	sca_tracefiles__set_host(h->main, h->main_host);
	return sca_tracefiles__begin(h->main, h->source);
}

int sca_hosttraces__begin_main(struct sca_hosttraces *h)
{
	return h->main && !h->main_host ? begin_main(h, h->self.nodename) : 0;
}

struct sca_tracefiles *sca_hosttraces__get(struct sca_hosttraces *h, const char *host, int *err)
{
	*err = 0;
	if (!h->main)
		return NULL;
	if (!host || !*host)
		host = h->self.nodename;
	if (!h->main_host)
		return (*err = begin_main(h, host)) ? NULL : h->main;
	if (!strcmp(host, h->main_host))
		return h->main;
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->t[i].host, host))
			return h->t[i].begun ? h->t[i].out : NULL;
	if (h->n == SCA_HOSTTRACES_MAX) {
		if (!h->over++) {
			sca_progress__clear_shown();    /* said mid-import: on a line of its own */
			fprintf(stderr, "sca record: more than %d hosts: the records of the rest go to %s\n",
				SCA_HOSTTRACES_MAX, h->o->out);
		}
		return h->main;
	}
	struct host_trace *t = begin(h, host, err);
	return t ? t->out : NULL;
}

void sca_hosttraces__count(struct sca_hosttraces *h, struct sca_tracefiles *t, uint64_t events)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->t[i].out == t)
			h->t[i].events += events;
}

int sca_hosttraces__finish(struct sca_hosttraces *h, uint64_t *events)
{
	int rc = 0;

	*events = 0;
	for (size_t i = 0; i < h->n; i++) {
		if (!h->t[i].begun)
			continue;
		*events += h->t[i].events;
		if (sca_tracefiles__finish(h->t[i].out, h->t[i].events, 0))
			rc = -EIO;
	}
	return rc;
}
