/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli.c - small helpers shared by sca's commands.
 */
#include "common/cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/progress.h"

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
	/* a progress line drawn is erased first, not written after */
	sca_progress__clear_shown();
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

char *sca_cli_join(const char *prog, int argc, char *const *argv)
{
	size_t len = strlen(prog) + 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if (!(s = malloc(len)))
		return NULL;
	p = stpcpy(s, prog);
	for (int i = 0; i < argc; i++) {
		*p++ = ' ';
		p = stpcpy(p, argv[i]);
	}
	return s;
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

int sca_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0;
	unsigned shift = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case 0: break;
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	default: return -EINVAL;
	}
	if (*p && p[1])
		return -EINVAL;
	if (v > (UINT64_MAX >> shift))
		return -EINVAL;
	*bytes = v << shift;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push(char ***list, int *n, int *cap, char *s)
{
	if (!s)
		return -ENOMEM;
	if (*n + 1 >= *cap) {
		int c = *cap ? *cap * 2 : 16;
		char **p = realloc(*list, (size_t)c * sizeof(*p));
		if (!p) {
			free(s);
			return -ENOMEM;
		}
		*list = p;
		*cap = c;
	}
	(*list)[(*n)++] = s;
	(*list)[*n] = NULL;
	return 0;
}

static bool is_trace_name(const char *name)
{
	size_t len = strlen(name);
	return name[0] != '.' && len > 6 && !strcmp(name + len - 6, ".trace");
}

/* Append DIR's *.trace files, sorted by name. */
static int push_dir(const char *dir, char ***list, int *n, int *cap, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int first = *n, rc = 0;
	size_t dl = strlen(dir);
	bool slash = dl && dir[dl - 1] == '/';

	if (!d) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return rc;
	}
	while ((de = readdir(d))) {
		struct stat st;
		if (!is_trace_name(de->d_name))
			continue;
		/* a directory called x.trace is not a trace */
		if (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode))
			continue;
		char *path = malloc(dl + strlen(de->d_name) + 2);
		if (path)
			sprintf(path, "%s%s%s", dir, slash ? "" : "/", de->d_name);
		if ((rc = push(list, n, cap, path))) {
			snprintf(err, errlen, "%s: out of memory", dir);
			break;
		}
	}
	closedir(d);
	if (!rc && *n == first) {
		snprintf(err, errlen, "%s: a directory without *.trace files", dir);
		rc = -ENOENT;
	}
	if (!rc)
		qsort(*list + first, (size_t)(*n - first), sizeof(**list), cmp_str);
	return rc;
}

int sca_trace_paths(const char *const *args, int nargs, char ***out, int *n, char *err, size_t errlen)
{
	char **list = NULL;
	int cnt = 0, cap = 0, rc = 0;

	for (int i = 0; i < nargs && !rc; i++) {
		struct stat st;
		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = push_dir(args[i], &list, &cnt, &cap, err, errlen);
		} else if ((rc = push(&list, &cnt, &cap, strdup(args[i])))) {
			/* a file that cannot be read is the reader's to report */
			snprintf(err, errlen, "%s: out of memory", args[i]);
		}
	}
	if (!rc && !list && !(list = calloc(1, sizeof(*list)))) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	if (rc) {
		sca_trace_paths_free(list);
		return rc;
	}
	*out = list;
	*n = cnt;
	return 0;
}

void sca_trace_paths_free(char **paths)
{
	for (char **p = paths; p && *p; p++)
		free(*p);
	free(paths);
}

size_t sca_appendf(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!len || at >= len - 1)
		return len ? len - 1 : 0;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	if (n < 0)
		return at;
	return at + (size_t)n < len - 1 ? at + (size_t)n : len - 1;
}

int sca_term_width(FILE *f)
{
	struct winsize ws;

	if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}
