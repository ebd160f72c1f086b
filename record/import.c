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

struct sca_import {
	const char *path;
	FILE *f;
	volatile sig_atomic_t *stop;
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

int sca_import__read(struct sca_import *im, sca_source_cb cb, void *ctx)
{
	struct sca_audit_strings strs;
	uint64_t lineno = 0, skipped = 0, malformed = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int err = 0;

	while (!stopped(im) && (len = getline(&line, &cap, im->f)) > 0) {
		struct sca_event ev;
		lineno++;
		int k = sca_audit__parse_line(line, (size_t)len, &ev, &strs);
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
	if (stopped(im))
		fprintf(stderr, "sca record: %s: stopped by a signal after line %" PRIu64 "\n", im->path,
			lineno);
	else if (ferror(im->f)) {
		sca_cmd_err("record", "%s: read error", im->path);
		if (!err)
			err = -EIO;
	}
	free(line);
	fprintf(stderr, "sca record: %s: %" PRIu64 " lines, %" PRIu64 " seccomp records, %" PRIu64
			" other lines skipped, %" PRIu64 " malformed\n",
		im->path, lineno, lineno - skipped - malformed, skipped, malformed);
	return err ? err : malformed ? -EBADMSG : 0;
}
