/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * progress.h - one line of progress for long work (traces loading, a log
 * imported), redrawn in place on a terminal: "\r", the text, "\033[K".
 * Anywhere else it is silent: sca_progress__new() returns NULL, which every
 * call here takes and ignores, so a pipe or a file gets no byte of it.
 *
 * Redraws come at most every SCA_PROGRESS_INTERVAL_MS milliseconds (taken
 * from the environment; default 200). The clock is read only at every
 * SCA_PROGRESS_EVERY-th sca_progress__due(), so asking once per record
 * costs a counter; with the interval 0 each of those calls is due, which
 * makes a redraw per SCA_PROGRESS_EVERY records, without timing (tests).
 */
#ifndef SCA_COMMON_PROGRESS_H
#define SCA_COMMON_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/cli.h"

#define SCA_PROGRESS_INTERVAL_MS 200
#define SCA_PROGRESS_EVERY 1024

struct sca_progress;

/*
 * A reporter for `sca CMD` drawing on F; NULL (silent) when F is no
 * terminal, TERM is "dumb", or memory is short.
 */
struct sca_progress *sca_progress__new(FILE *f, const char *cmd);

/* True when a redraw is due (see above). False for NULL. */
bool sca_progress__due(struct sca_progress *p);

/*
 * Redraw the line as "sca CMD: " and the text, cut to the terminal's
 * width. The text holds no untrusted string but in its terminal form
 * (sca_esc, common/escape.h).
 */
void sca_progress__show(struct sca_progress *p, const char *fmt, ...) SCA_PRINTF(2, 3);

/*
 * Erase the line, if one is drawn, so that what is printed next starts a
 * clean line; the next redraw draws it again.
 */
void sca_progress__clear(struct sca_progress *p);

/*
 * The same for whichever reporter has a line drawn: sca_err() and
 * sca_cmd_err() call it, so an error line never lands on a progress line.
 */
void sca_progress__clear_shown(void);

/*
 * Erase the drawn line, if any, from a signal handler (async-signal-safe:
 * one write(2)), so Ctrl-C leaves the terminal clean.
 */
void sca_progress__erase_on_signal(void);

/* Erase the line and free P (NULL: nothing). */
void sca_progress__free(struct sca_progress *p);

/* DONE of TOTAL as a whole percentage, at most 100; -1 when TOTAL is unknown (0). */
int sca_progress__percent(uint64_t done, uint64_t total);

#endif /* SCA_COMMON_PROGRESS_H */
