/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tracefiles.c - see tracefiles.h. A rotated set's files are numbered from 0001 in
 * the order written; each is a complete trace, closed with its footer
 * before the next begins, so a reader may take any of them alone.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/cli.h"
#include "common/outfile.h"
#include "config.h"
#include "tracefiles.h"
#include "recorder.h"

/* A trace file closed, for the summary. */
struct trace_file {
	char *path;
	uint64_t events, lost, bytes;
};

struct sca_tracefiles {
	const struct sca_record_opts *o;
	const char *source;          /* for the trace header */
	const char *host;            /* ... and its host; NULL: this machine's */
	struct sca_writer *w;        /* the file being written, if any */
	char *base;                  /* rotating: o->out without ".trace" */
	char *path;                  /* the file w writes */
	dev_t dev;                   /* ... and its inode, to see it replaced */
	ino_t ino;
	bool in_place;               /* path is a FIFO, a terminal or /dev/null */
	unsigned seq;                /* its number, rotating */
	uint64_t opened_ns;          /* CLOCK_MONOTONIC when it was opened */
	struct trace_file *files;    /* closed so far */
	size_t nfiles;
	bool failed;                 /* the trace could not be written: recording stops */
};

static bool rotating(const struct sca_record_opts *o)
{
	return o->rotate_size || o->rotate_ns;
}

int sca_tracefiles__new(struct sca_tracefiles **out, const struct sca_record_opts *o)
{
	struct sca_tracefiles *op = calloc(1, sizeof(*op));

	if (!op) {
		sca_cmd_err("record", "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	op->o = o;
	if (o->out && rotating(o)) {
		size_t n = strlen(o->out);
		if (n > 6 && !strcmp(o->out + n - 6, ".trace"))
			n -= 6;
		if (!(op->base = strndup(o->out, n))) {
			sca_cmd_err("record", "%s: %s", o->out, strerror(ENOMEM));
			free(op);
			return -ENOMEM;
		}
	}
	*out = op;
	return 0;
}

void sca_tracefiles__set_host(struct sca_tracefiles *out, const char *host)
{
	out->host = host;
}

void sca_tracefiles__free(struct sca_tracefiles *out)
{
	if (!out)
		return;
	if (out->w)
		sca_writer__close(out->w);
	for (size_t i = 0; i < out->nfiles; i++)
		free(out->files[i].path);
	free(out->files);
	free(out->path);
	free(out->base);
	free(out);
}

/* The first write error is reported, as "PATH: problem"; recording stops. */
static int write_error(struct sca_tracefiles *out, const char *path, int err)
{
	if (!out->failed)
		sca_cmd_err("record", "%s: %s", path, strerror(-err));
	out->failed = true;
	return err;
}

/* Is NAME a file of the rotated set whose file names start with PREFIX? */
static bool set_member(const char *name, const char *prefix)
{
	size_t n = strlen(prefix), digits = 0;

	if (strncmp(name, prefix, n) || name[n] != '.')
		return false;
	name += n + 1;
	while (name[digits] >= '0' && name[digits] <= '9')
		digits++;
	return digits >= 4 && !strcmp(name + digits, ".trace");
}

/* Unlink NAME in DIRFD unless a recording holds it locked (-EBUSY). */
static int remove_unlocked(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), err = 0;

	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB))
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
	if (!err && unlinkat(dirfd, name, 0) && errno != ENOENT)
		err = -errno;
	if (fd >= 0)
		close(fd);
	return err;
}

/*
 * The files of an earlier set beside out->base: with remove, delete them
 * (--force), else report the first by name as already there.
 */
static int earlier_set(struct sca_tracefiles *out, bool remove)
{
	const char *slash = strrchr(out->base, '/');
	const char *prefix = slash ? slash + 1 : out->base;
	int dl = slash ? (int)(slash - out->base) + 1 : 0, err = 0;
	char *dir = dl ? strndup(out->base, (size_t)dl) : strdup("."), *first = NULL;
	struct dirent *de;
	DIR *d;

	if (!dir)
		return write_error(out, out->o->out, -ENOMEM);
	/* a directory that cannot be read holds no set; creating the trace says why */
	if (!(d = opendir(dir))) {
		free(dir);
		return 0;
	}
	while ((de = readdir(d))) {
		if (!set_member(de->d_name, prefix))
			continue;
		if (remove) {
			if ((err = remove_unlocked(dirfd(d), de->d_name))) {
				sca_cmd_err("record", "%.*s%s: %s", dl, out->base, de->d_name,
					    err == -EBUSY ? "another recording is writing it; not replaced" :
							    strerror(-err));
				break;
			}
		} else if (!first || strcmp(de->d_name, first) < 0) {
			free(first);
			if (!(first = strdup(de->d_name))) {
				err = -ENOMEM;
				break;
			}
		}
	}
	closedir(d);
	free(dir);
	if (first) {
		sca_cmd_err("record", "%.*s%s: already exists (use --force to replace it)", dl, out->base, first);
		err = -EEXIST;
	}
	free(first);
	return err;
}

/* A sink, or a link to one (/dev/stdout): written in place, never replaced. */
static bool is_sink_path(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && sca_outfile__is_sink(&st);
}

/*
 * --force on a file another recording writes (it holds an flock on it)
 * is refused: both would exit 0 and one recording would be lost.
 */
static int take_over(const char *path)
{
	struct stat st;
	int fd = -1, err = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return -EPERM;          /* a device or socket is not replaced */
	if (S_ISREG(st.st_mode)) {
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
			return errno == ENOENT ? 0 : -errno;
		if (flock(fd, LOCK_EX | LOCK_NB))
			err = errno == EWOULDBLOCK ? -EBUSY : -errno;
	}
	/* a link is replaced itself, its target never touched */
	if (!err && unlink(path) && errno != ENOENT)
		err = -errno;
	if (fd >= 0)
		close(fd);
	return err;
}

/* Create PATH for this recording, locked, and check it is still the file created. */
static int create_locked(struct sca_tracefiles *out, const char *path, int *fdp)
{
	struct stat fst, pst;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) || fstat(fd, &fst) || lstat(path, &pst) ||
	    fst.st_dev != pst.st_dev || fst.st_ino != pst.st_ino) {
		/* another --force took it between our create and lock */
		close(fd);
		return -EBUSY;
	}
	out->dev = fst.st_dev;
	out->ino = fst.st_ino;
	*fdp = fd;
	return 0;
}

/* The fd for PATH: a sink opened in place, else a new locked file. */
static int open_trace_fd(struct sca_tracefiles *out, const char *path, int *fdp)
{
	int err;

	out->in_place = is_sink_path(path);
	if (out->in_place) {
		*fdp = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		return *fdp < 0 ? -errno : 0;
	}
	if (out->o->force && (err = take_over(path)))
		return err;
	return create_locked(out, path, fdp);
}

int sca_tracefiles__refuse_existing(struct sca_tracefiles *out)
{
	struct stat sb;

	if (!out->o->out)
		return 0;
	if (rotating(out->o))
		return earlier_set(out, false);
	if (lstat(out->o->out, &sb) == 0 && !is_sink_path(out->o->out)) {
		sca_cmd_err("record", "%s: already exists (use --force to replace it)", out->o->out);
		return -EEXIST;
	}
	return 0;
}

static struct sca_writer *open_writer(struct sca_tracefiles *out, int fd)
{
	struct utsname u;
	char recorder[64];
	uint64_t wall = sca_clock_ns(CLOCK_REALTIME), boot = sca_clock_ns(CLOCK_BOOTTIME);

	uname(&u);
	snprintf(recorder, sizeof(recorder), "sca %s", SCA_VERSION);
	struct sca_trace_meta meta = {
		.host = out->host ? out->host : u.nodename, .kernel = u.release, .source = out->source, .recorder = recorder,
		.cmdline = out->o->cmdline, .native_arch = seccomp_arch_native(), .wall_base_ns = wall,
		.boot_offset_ns = (int64_t)(wall - boot),
	};
	struct sca_writer_opts wo = { .sz = sizeof(wo), .exclusive = true };
	struct sca_writer *w = sca_writer__fdopen(fd, &meta, &wo);
	if (!w && !out->in_place) {
		/* the file is ours and holds no whole header: leave nothing behind */
		int err = errno;
		unlink(out->path);
		errno = err;
	}
	return w;
}

/* Why PATH could not be opened: what the user can act on, else errno's words. */
static int open_error(struct sca_tracefiles *out, const char *path, int err)
{
	const char *why = err == -EEXIST ? "already exists (use --force to replace it)" :
			  err == -EBUSY	 ? "another recording is writing it; not replaced" :
			  err == -EPERM	 ? "not a regular file; refusing to replace it" : NULL;
	if (!why)
		return write_error(out, path, err);
	sca_cmd_err("record", "%s: %s", path, why);
	out->failed = true;
	return err;
}

/* Begin the next trace file: o->out, or the set's next one. */
static int open_trace(struct sca_tracefiles *out)
{
	const struct sca_record_opts *o = out->o;
	char *path = NULL;

	if (rotating(o) ? asprintf(&path, "%s.%04u.trace", out->base, out->seq + 1) < 0 :
			  !(path = strdup(o->out)))
		return write_error(out, o->out, -ENOMEM);
	out->seq++;
	free(out->path);
	out->path = path;
	/* replaced, not truncated: a new file is 0600 whatever the old one was */
	int fd = -1, err = open_trace_fd(out, path, &fd);
	if (!err && !(out->w = open_writer(out, fd)))
		err = -errno;
	if (err)
		return open_error(out, path, err);
	out->opened_ns = sca_clock_ns(CLOCK_MONOTONIC);
	return 0;
}

/* Close the current file (footer, unless a write failed) and list it. */
static int close_trace(struct sca_tracefiles *out)
{
	struct sca_writer_stats ws;
	struct stat sb;
	int err;

	if (!out->w)
		return 0;
	sca_writer__stats(out->w, &ws);
	/* checked before the lock goes with the fd: a recording that was
	 * replaced or removed under sca is lost, and must not look saved */
	if (!out->in_place && (lstat(out->path, &sb) || sb.st_dev != out->dev || sb.st_ino != out->ino)) {
		sca_cmd_err("record", "%s: replaced or removed while recording; its events are lost",
			    out->path);
		out->failed = true;
	}
	err = sca_writer__close(out->w);
	out->w = NULL;
	if (err)
		write_error(out, out->path, err);
	struct trace_file *f = realloc(out->files, (out->nfiles + 1) * sizeof(*f));
	if (f) {
		out->files = f;
		f[out->nfiles++] = (struct trace_file){
			.path = out->path, .events = ws.events, .lost = ws.lost,
			.bytes = !out->in_place && stat(out->path, &sb) == 0 ? (uint64_t)sb.st_size : ws.bytes,
		};
		out->path = NULL;
	}
	return err;
}

int sca_tracefiles__begin(struct sca_tracefiles *out, const char *source)
{
	int err;

	if (!out->o->out)
		return 0;
	out->source = source;
	if (rotating(out->o) && out->o->force && (err = earlier_set(out, true))) {
		out->failed = true;
		return err;
	}
	return open_trace(out);
}

int sca_tracefiles__add_event(struct sca_tracefiles *out, const struct sca_event *e)
{
	int err;

	if (out->w && (err = sca_writer__add_event(out->w, e)))
		return write_error(out, out->path, err);
	return 0;
}

int sca_tracefiles__add_lost(struct sca_tracefiles *out, const struct sca_lost *l)
{
	int err;

	if (out->w && (err = sca_writer__add_lost(out->w, l)))
		return write_error(out, out->path, err);
	return 0;
}

int sca_tracefiles__add_calls(struct sca_tracefiles *out, const struct sca_calls *c)
{
	int err;

	if (out->w && (err = sca_writer__add_calls(out->w, c)))
		return write_error(out, out->path, err);
	return 0;
}

int sca_tracefiles__flush(struct sca_tracefiles *out)
{
	int err;

	if (out->w && (err = sca_writer__flush(out->w)))
		return write_error(out, out->path, err);
	return 0;
}

static bool rotate_due(const struct sca_tracefiles *out, uint64_t now)
{
	const struct sca_record_opts *o = out->o;
	struct sca_writer_stats ws;

	if (!out->w || !rotating(o))
		return false;
	if (o->rotate_ns && now - out->opened_ns >= o->rotate_ns)
		return true;
	if (!o->rotate_size)
		return false;
	/* what is on disk: a file ends at the first chunk boundary past the size */
	sca_writer__stats(out->w, &ws);
	return ws.bytes >= o->rotate_size;
}

int sca_tracefiles__rotate_if_due(struct sca_tracefiles *out, uint64_t now)
{
	int err;

	if (!rotate_due(out, now))
		return 0;
	err = close_trace(out);
	return err ? err : open_trace(out);
}

uint64_t sca_tracefiles__rotate_at(const struct sca_tracefiles *out)
{
	return out->o->rotate_ns && out->w ? out->opened_ns + out->o->rotate_ns : 0;
}

void sca_tracefiles__discard(struct sca_tracefiles *out)
{
	if (!out->w)
		return;
	sca_writer__close(out->w);
	out->w = NULL;
	unlink(out->path);
}

void sca_tracefiles__stop(struct sca_tracefiles *out)
{
	close_trace(out);
}

bool sca_tracefiles__failed(const struct sca_tracefiles *out)
{
	return out->failed;
}

static void summary(const struct sca_tracefiles *out, uint64_t events, uint64_t lost)
{
	bool rot = rotating(out->o);
	uint64_t bytes = 0;

	for (size_t i = 0; i < out->nfiles; i++)
		bytes += out->files[i].bytes;
	if (out->failed && out->nfiles)
		fprintf(stderr, "sca record: %" PRIu64 " events, %" PRIu64 " lost; recording stopped, "
				"%s keeps its complete chunks\n",
			events, lost, out->files[out->nfiles - 1].path);
	else if (out->nfiles)
		fprintf(stderr, "sca record: %" PRIu64 " events, %" PRIu64 " lost, %" PRIu64
				" bytes (%.1f bytes/event) written to %s%s\n",
			events, lost, bytes, events ? (double)bytes / (double)events : 0.0,
			rot ? "" : out->files[0].path, rot ? "these files:" : "");
	else
		fprintf(stderr, "sca record: %" PRIu64 " events, %" PRIu64 " lost\n", events, lost);
	for (size_t i = 0; rot && i < out->nfiles; i++)
		fprintf(stderr, "sca record:   %s: %" PRIu64 " events, %" PRIu64 " lost, %" PRIu64 " bytes\n",
			out->files[i].path, out->files[i].events, out->files[i].lost, out->files[i].bytes);
	if (lost)
		fprintf(stderr, "sca record: warning: the kernel dropped %" PRIu64
				" audit records for this recorder (socket buffer overrun)\n",
			lost);
}

int sca_tracefiles__finish(struct sca_tracefiles *out, uint64_t events, uint64_t lost)
{
	int err = close_trace(out);

	summary(out, events, lost);
	return err || out->failed ? -EIO : 0;
}
