/*
 * cli.c - small helpers shared by sca's commands.
 */
#include "common/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One stderr line, built in memory so it is written in one go. */
struct line {
	char buf[1024];
	size_t len;
};

static void line_vadd(struct line *l, const char *fmt, va_list ap)
{
	const size_t cap = sizeof(l->buf) - 1; /* one byte kept for '\n' */
	int n;

	if (l->len + 1 >= cap)
		return;
	n = vsnprintf(l->buf + l->len, cap - l->len, fmt, ap);
	if (n < 0)
		return;
	l->len += (size_t)n;
	if (l->len + 1 > cap)
		l->len = cap - 1; /* cut short */
}

static void line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line_vadd(l, fmt, ap);
	va_end(ap);
}

static void line_flush(struct line *l)
{
	l->buf[l->len++] = '\n';
	fwrite(l->buf, 1, l->len, stderr);
	fflush(stderr);
}

static void verr(const char *cmd, int hint, const char *fmt, va_list ap)
{
	struct line l = { .len = 0 };

	if (cmd)
		line_add(&l, "sca %s: ", cmd);
	else
		line_add(&l, "sca: ");
	line_vadd(&l, fmt, ap);
	if (hint) {
		if (cmd)
			line_add(&l, "; see 'sca help %s'", cmd);
		else
			line_add(&l, "; see 'sca help'");
	}
	line_flush(&l);
}

void sca_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(NULL, 0, fmt, ap);
	va_end(ap);
}

void sca_cmd_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(cmd, 0, fmt, ap);
	va_end(ap);
}

int sca_usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(cmd, 1, fmt, ap);
	va_end(ap);
	return SCA_EXIT_USAGE;
}

int sca_is_help_arg(const char *arg)
{
	return arg && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0);
}

int sca_print_usage(FILE *out, const char *usage)
{
	size_t len = strlen(usage);

	if (fputs(usage, out) == EOF)
		return -1;
	if ((len == 0 || usage[len - 1] != '\n') && fputc('\n', out) == EOF)
		return -1;
	return fflush(out) == EOF ? -1 : 0;
}

int sca_cli_split(char *arg, const char **list, int *n, int max)
{
	char *save = NULL;
	for (char *tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == max)
			return -E2BIG;
		list[(*n)++] = tok;
	}
	return 0;
}

int sca_parse_duration(const char *s, int bare_seconds, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = { { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 }, { "d", 86400e9 } };
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v < 0 || v > 1e9)
		return -EINVAL;
	if (!*end && bare_seconds) {
		*ns = (uint64_t)(v * 1e9);
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit)) {
			*ns = (uint64_t)(v * units[i].ns);
			return 0;
		}
	return -EINVAL;
}
