/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * import.c - see import.h. Lines that are not seccomp records are counted
 * and skipped; a malformed seccomp record is reported with its line number
 * and skipped, and makes the import fail at the end rather than at once, so
 * one bad line still leaves a trace of the rest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_parse.h"
#include "common/cli.h"
#include "import.h"

/*
 * An audit record is at most 8970 bytes (the kernel's MAX_AUDIT_MESSAGE_LENGTH):
 * a longer line is none, and is skipped without being held.
 */
#define IMPORT_LINE_MAX (64u << 10)

struct sca_import {
	const char *path;
	FILE *f;
	volatile sig_atomic_t *stop;
	size_t pos, len;                 /* buf[pos, len): read, not yet taken */
	char buf[65536];
	char line[IMPORT_LINE_MAX + 2];  /* and its newline, NUL-terminated */
	int read_err;                    /* errno of a failed read, or 0 */
};

void sca_import__set_stop(struct sca_import *im, volatile sig_atomic_t *stop)
{
	im->stop = stop;
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
		im->path = path;
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

int sca_import__read(struct sca_import *im, sca_source_cb cb, void *ctx)
{
	struct sca_audit_strings strs;
	uint64_t lineno = 0, skipped = 0, malformed = 0, toolong = 0;
	ssize_t len;
	int err = 0;

	while (!stopped(im) && (len = next_line(im)) != 0) {
		struct sca_event ev;
		lineno++;
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
		/* a write error, reported where it happened */
		if ((err = sca_source_cb__event(cb, ctx, &ev)))
			break;
	}
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
		im->path, lineno, lineno - skipped - malformed - toolong, skipped, malformed);
	if (toolong)
		fprintf(stderr, ", %" PRIu64 " too long", toolong);
	fputc('\n', stderr);
	return err ? err : malformed ? -EBADMSG : 0;
}
