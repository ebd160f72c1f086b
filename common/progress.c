/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * progress.c - see progress.h.
 */
#include "common/progress.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/escape.h"

/* Columns when the terminal does not say. */
#define WIDTH_DEFAULT 80

struct sca_progress {
	FILE *f;
	char prefix[32];             /* "sca CMD: " */
	uint64_t interval_ns;
	uint64_t last_ns;            /* CLOCK_MONOTONIC of the last redraw, or of the start */
	unsigned countdown;          /* calls to sca_progress__due() before the clock is read */
	bool drawn;                  /* a line is on the terminal */
};

/* The reporter whose line is drawn: one at a time, on stderr. */
static struct sca_progress *shown;
/* its descriptor, for a signal handler; -1: no line drawn */
static volatile sig_atomic_t shown_fd = -1;

static uint64_t interval_ns(void)
{
	const char *s = getenv("SCA_PROGRESS_INTERVAL_MS");
	char *end;
	long ms;

	if (!s || !*s)
		return SCA_PROGRESS_INTERVAL_MS * 1000000ull;
	ms = strtol(s, &end, 10);
	if (*end || ms < 0)
		return SCA_PROGRESS_INTERVAL_MS * 1000000ull;
	return (uint64_t)ms * 1000000ull;
}

struct sca_progress *sca_progress__new(FILE *f, const char *cmd)
{
	const char *term = getenv("TERM");
	struct sca_progress *p;

	/* a dumb terminal knows no "erase to the end of the line" */
	if (!isatty(fileno(f)) || (term && !strcmp(term, "dumb")))
		return NULL;
	if (!(p = calloc(1, sizeof(*p))))
		return NULL;
	p->f = f;
	snprintf(p->prefix, sizeof(p->prefix), "sca %s: ", cmd);
	p->interval_ns = interval_ns();
	/* work done sooner than the interval draws nothing */
	p->last_ns = sca_clock_ns(CLOCK_MONOTONIC);
	p->countdown = SCA_PROGRESS_EVERY;
	return p;
}

/*
 * Apart, never inlined: the clock's timespec brings the stack protector's
 * canary check, which the call made per record should not pay.
 */
__attribute__((noinline)) static bool interval_passed(struct sca_progress *p)
{
	uint64_t now = sca_clock_ns(CLOCK_MONOTONIC);

	p->countdown = SCA_PROGRESS_EVERY;
	if (now - p->last_ns < p->interval_ns)
		return false;
	p->last_ns = now;
	return true;
}

bool sca_progress__due(struct sca_progress *p)
{
	if (!p || --p->countdown)
		return false;
	return interval_passed(p);
}

static size_t width_of(FILE *f)
{
	int w = sca_term_width(f);

	return w ? (size_t)w : WIDTH_DEFAULT;
}

void sca_progress__show(struct sca_progress *p, const char *fmt, ...)
{
	char text[1024], line[1040];
	size_t cols, n;
	va_list ap;
	int len;

	if (!p)
		return;
	len = snprintf(text, sizeof(text), "%s", p->prefix);
	va_start(ap, fmt);
	vsnprintf(text + len, sizeof(text) - (size_t)len, fmt, ap);
	va_end(ap);
	/* one column short of the width: a full line would wrap on some terminals */
	cols = width_of(p->f);
	n = sca_esc_cut(text, cols > 1 ? cols - 1 : 1, NULL);
	/* one write: stderr is unbuffered */
	len = snprintf(line, sizeof(line), "\r%.*s\033[K", (int)n, text);
	fwrite(line, 1, (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1, p->f);
	fflush(p->f);
	p->drawn = true;
	shown = p;
	shown_fd = fileno(p->f);
}

void sca_progress__clear(struct sca_progress *p)
{
	if (!p || !p->drawn)
		return;
	fputs("\r\033[K", p->f);
	fflush(p->f);
	p->drawn = false;
	if (shown == p) {
		shown = NULL;
		shown_fd = -1;
	}
}

void sca_progress__erase_on_signal(void)
{
	int fd = shown_fd;

	if (fd >= 0 && write(fd, "\r\033[K", 4) == 4)
		shown_fd = -1;
}

void sca_progress__clear_shown(void)
{
	sca_progress__clear(shown);
}

void sca_progress__free(struct sca_progress *p)
{
	sca_progress__clear(p);
	if (shown == p)
		shown = NULL;
	free(p);
}

int sca_progress__percent(uint64_t done, uint64_t total)
{
	if (!total)
		return -1;
	if (done >= total)
		return 100;
	/* in double: done * 100 may not fit in 64 bits */
	return (int)((double)done * 100.0 / (double)total);
}
