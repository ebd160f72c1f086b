/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * import.h - `sca record --import`: seccomp records read from a log file
 * (auditd's audit.log, kernel log lines) instead of the kernel, delivered
 * like a source's events so that they are filtered and written the same way.
 */
#ifndef SCA_RECORD_IMPORT_H
#define SCA_RECORD_IMPORT_H

#include <stdbool.h>

#include "source.h"

struct sca_import;

/* Open the log at path ("-": stdin). Returns 0, or a negative errno, said. */
int sca_import__open(struct sca_import **out, const char *path);
void sca_import__close(struct sca_import *im);

#include <signal.h>

/* Stop reading, as if the log ended, once *stop is set (by a signal handler). */
void sca_import__set_stop(struct sca_import *im, volatile sig_atomic_t *stop);

struct sca_progress;

/*
 * Show the reading on P (common/progress.h; NULL: nothing): the share of
 * the log's bytes read, and the seccomp records so far. Its line is erased
 * before the counts at the end.
 */
void sca_import__set_progress(struct sca_import *im, struct sca_progress *p);

/*
 * Deliver every seccomp record to cb (never a loss), saying which lines
 * were malformed, then one line of counts. Returns 0; cb's error, which
 * stops the reading; -EIO after a read error, said; or -EBADMSG if any
 * seccomp line was malformed.
 */
int sca_import__read(struct sca_import *im, sca_source_cb cb, void *ctx);

/* In cb: the host the record's line names ("" when none). */
const char *sca_import__host(const struct sca_import *im);

/* The records of other hosts go to traces of their own (the end note says so). */
void sca_import__set_per_host(struct sca_import *im, bool per_host);

#endif
