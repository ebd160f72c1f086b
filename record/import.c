/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * import.c - see import.h. Lines that are not seccomp records are counted
 * and skipped; a malformed seccomp record is reported with its line number
 * and skipped, and makes the import fail at the end rather than at once, so
 * one bad line still leaves a trace of the rest. What the trace cannot hold
 * as the line had it (no time, no year, another host) is said in one line
 * each at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "audit_parse.h"
#include "common/cli.h"
#include "common/clock.h"
#include "common/escape.h"
#include "common/progress.h"
#include "import.h"

/*
 * An audit record is at most 8970 bytes (the kernel's MAX_AUDIT_MESSAGE_LENGTH):
 * a longer line is none, and is skipped without being held.
 */
#define IMPORT_LINE_MAX (64u << 10)

/* Other hosts named in the warning; the rest are counted. */
#define IMPORT_HOSTS_NAMED 4

/* Records whose line names a host other than this machine. */
struct import_hosts {
	struct utsname self;
	uint64_t records;            /* of any other host */
	unsigned int n;              /* distinct ones, up to IMPORT_HOSTS_NAMED */
	bool more;                   /* and some beyond */
	struct {
		char name[256];
		uint64_t records;
	} host[IMPORT_HOSTS_NAMED];
};

struct sca_import {
	const char *path;
	FILE *f;
	volatile sig_atomic_t *stop;
	size_t pos, len;                 /* buf[pos, len): read, not yet taken */
	char buf[65536];
	char line[IMPORT_LINE_MAX + 2];  /* and its newline, NUL-terminated */
	int read_err;                    /* errno of a failed read, or 0 */
	uint64_t untimed, no_year;       /* records timed by the import, by a guessed year */
	struct import_hosts hosts;
	const char *host;                /* the record being delivered's line's, or "" */
	bool per_host;                   /* other hosts' records have traces of their own */
	uint64_t size;                   /* a regular file's at open, else 0 */
	uint64_t bytes_read;             /* read(2) so far */
	struct sca_progress *progress;   /* shows the reading, or NULL */
};

const char *sca_import__host(const struct sca_import *im)
{
	return im->host ? im->host : "";
}

void sca_import__set_per_host(struct sca_import *im, bool per_host)
{
	im->per_host = per_host;
}

void sca_import__set_stop(struct sca_import *im, volatile sig_atomic_t *stop)
{
	im->stop = stop;
}

void sca_import__set_progress(struct sca_import *im, struct sca_progress *p)
{
	im->progress = p;
}

static bool stopped(const struct sca_import *im)
{
	return im->stop && *im->stop;
}

int sca_import__open(struct sca_import **out, const char *path)
{
	struct sca_import *im = calloc(1, sizeof(*im));
	int err;

	if (!im)
		err = -ENOMEM;
	else if (!(im->f = strcmp(path, "-") ? fopen(path, "re") : stdin))
		err = -errno;
	else {
		struct stat st;

		im->path = path;
		if (fstat(fileno(im->f), &st) == 0 && S_ISREG(st.st_mode))
			im->size = (uint64_t)st.st_size;
		if (uname(&im->hosts.self))
			im->hosts.self.nodename[0] = '\0';
		*out = im;
		return 0;
	}
	sca_cmd_err("record", "%s: %s", path, strerror(-err));
	free(im);
	return err;
}

void sca_import__close(struct sca_import *im)
{
	if (!im)
		return;
	if (im->f != stdin)
		fclose(im->f);
	free(im);
}

/*
 * The next line, newline included, into im->line: its length, 0 at the end,
 * or -E2BIG for a line over IMPORT_LINE_MAX bytes, read to its end and
 * dropped, so that memory stays flat whatever comes (/dev/zero never ends
 * a line).
 */
/*
 * More bytes, as many as are there: read(2), not fread(3), which would wait
 * for a whole buffer while `tail -f` feeds one line at a time. A signal
 * that asks to stop ends the wait. Returns the bytes read, 0 at the end.
 */
static ssize_t fill(struct sca_import *im)
{
	ssize_t r;

	im->pos = im->len = 0;
	do
		r = read(fileno(im->f), im->buf, sizeof(im->buf));
	while (r < 0 && errno == EINTR && !stopped(im));
	if (r < 0 && errno != EINTR)
		im->read_err = errno;
	im->len = r > 0 ? (size_t)r : 0;
	im->bytes_read += im->len;
	return r;
}

static ssize_t next_line(struct sca_import *im)
{
	bool over = false, nl = false;
	size_t n = 0;

	while (!nl) {
		if (im->pos == im->len && fill(im) <= 0)
			break;
		const char *s = im->buf + im->pos, *e = memchr(s, '\n', im->len - im->pos);
		size_t k = e ? (size_t)(e - s) + 1 : im->len - im->pos;

		nl = e != NULL;
		im->pos += k;
		if (!over && n + k - nl <= IMPORT_LINE_MAX) {
			memcpy(im->line + n, s, k);
			n += k;
		} else {
			over = true;
		}
	}
	im->line[n] = 0;
	return over ? -E2BIG : (ssize_t)n;
}

/*
 * The trace's host is this machine's (its header has one host; events have
 * none): count what the lines said otherwise, so that it is not lost unsaid.
 */
static void hosts_note(struct import_hosts *h, const char *host)
{
	unsigned int i;

	if (!*host || !strcmp(host, h->self.nodename))
		return;   /* this machine's */
	h->records++;
	for (i = 0; i < h->n && strcmp(h->host[i].name, host); i++)
		;
	if (i == h->n) {
		if (h->n == IMPORT_HOSTS_NAMED) {
			h->more = true;
			return;
		}
		snprintf(h->host[h->n++].name, sizeof(h->host[0].name), "%s", host);
	}
	h->host[i].records++;
}

/* Where a record's time or host differs from what its line said. */
static void record_note(struct sca_import *im, struct sca_event *ev, const struct sca_audit_strings *s)
{
	if (s->time_from == SCA_AUDIT_TIME_NONE) {
		ev->time_ns = sca_clock_ns(CLOCK_REALTIME);
		im->untimed++;
	} else if (s->time_from == SCA_AUDIT_TIME_NO_YEAR) {
		im->no_year++;
	}
	hosts_note(&im->hosts, s->host);
}

static void notes_say(const struct sca_import *im)
{
	const struct import_hosts *h = &im->hosts;

	if (im->untimed)
		fprintf(stderr, "sca record: %s: %" PRIu64 " seccomp records carry no time (journald's "
				"message without its time stamp): they have the import time\n",
			im->path, im->untimed);
	if (im->no_year)
		fprintf(stderr, "sca record: %s: %" PRIu64 " seccomp records are timed without a year "
				"(syslog, journalctl's default): read as local time, within the past year\n",
			im->path, im->no_year);
	if (!h->records)
		return;
	fprintf(stderr, "sca record: %s: %s%" PRIu64 " seccomp records name another host (", im->path,
		im->per_host ? "" : "warning: ", h->records);
	/* a log line's host is whatever the line says: escaped, like every printed name */
	for (unsigned int i = 0; i < h->n; i++) {
		fputs(i ? ", " : "", stderr);
		sca_esc_fput(stderr, h->host[i].name);
		fprintf(stderr, " %" PRIu64, h->host[i].records);
	}
	if (im->per_host)
		fprintf(stderr, "%s): each host's records are in a trace with that host\n", h->more ? ", ..." : "");
	else
		fprintf(stderr, "%s): a trace has one host, this machine's (%s), and they are written with "
				"it (-o writes each host's into a trace of its own)\n",
			h->more ? ", ..." : "", h->self.nodename);
}

/* "importing NAME: P% of S MiB, R seccomp records" (a pipe: "B MiB read") */
static void show_import(const struct sca_import *im, uint64_t records)
{
	char name[SCA_ESC_SIZE(256)], done[48];
	uint64_t taken = im->bytes_read - (im->len - im->pos);
	int pc = sca_progress__percent(taken, im->size);

	/* a path is the user's, but may be anyone's file name */
	sca_esc(name, sizeof(name), im->path);
	if (pc >= 0)
		snprintf(done, sizeof(done), "%d%% of %.1f MiB", pc, (double)im->size / (1 << 20));
	else
		snprintf(done, sizeof(done), "%.1f MiB read", (double)taken / (1 << 20));
	sca_progress__show(im->progress, "importing %s: %s, %" PRIu64 " seccomp records", name, done,
			   records);
}

int sca_import__read(struct sca_import *im, sca_source_cb cb, void *ctx)
{
	struct sca_audit_strings strs;
	uint64_t lineno = 0, records = 0, skipped = 0, malformed = 0, toolong = 0;
	ssize_t len;
	int err = 0;

	while (!stopped(im) && (len = next_line(im)) != 0) {
		struct sca_event ev;
		lineno++;
		if (im->progress && sca_progress__due(im->progress))
			show_import(im, records);
		if (len < 0) {
			if (!toolong++)
				sca_cmd_err("record", "%s:%" PRIu64 ": line longer than %u bytes, skipped",
					    im->path, lineno, IMPORT_LINE_MAX);
			continue;
		}
		int k = sca_audit__parse_line(im->line, (size_t)len, &ev, &strs);
		if (k == 0) {
			skipped++;
			continue;
		}
		if (k < 0) {
			malformed++;
			sca_cmd_err("record", "%s:%" PRIu64 ": malformed seccomp record, skipped", im->path, lineno);
			continue;
		}
		records++;
		record_note(im, &ev, &strs);
		im->host = strs.host;
		/* a write error, reported where it happened */
		err = sca_source_cb__event(cb, ctx, &ev);
		im->host = NULL;
		if (err)
			break;
	}
	/* the counts start a clean line */
	sca_progress__clear(im->progress);
	if (stopped(im))
		fprintf(stderr, "sca record: %s: stopped by a signal after line %" PRIu64 "\n", im->path,
			lineno);
	else if (im->read_err) {
		sca_cmd_err("record", "%s: read error: %s", im->path, strerror(im->read_err));
		if (!err)
			err = -EIO;
	}
	fprintf(stderr, "sca record: %s: %" PRIu64 " lines, %" PRIu64 " seccomp records, %" PRIu64
			" other lines skipped, %" PRIu64 " malformed",
		im->path, lineno, records, skipped, malformed);
	if (toolong)
		fprintf(stderr, ", %" PRIu64 " too long", toolong);
	fputc('\n', stderr);
	notes_say(im);
	return err ? err : malformed ? -EBADMSG : 0;
}
