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
	size_t pos, len;                 /* buf[pos, len): read, not yet taken */
	char buf[65536];
	char line[IMPORT_LINE_MAX + 2];  /* and its newline, NUL-terminated */
};

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
static ssize_t next_line(struct sca_import *im)
{
	bool over = false, nl = false;
	size_t n = 0;

	while (!nl) {
		if (im->pos == im->len) {
			im->pos = 0;
			if (!(im->len = fread(im->buf, 1, sizeof(im->buf), im->f)))
				break;
		}
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

	while ((len = next_line(im)) != 0) {
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
		if ((err = cb(ctx, &ev, 0)))
			break;
	}
	if (ferror(im->f)) {
		sca_cmd_err("record", "%s: read error", im->path);
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
