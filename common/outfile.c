/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * outfile.c - writing a user's output file safely as root. What PATH is now
 * decides how: absent or a regular file, it is built in a private directory
 * in PATH's directory (same file system, so rename works; 0700, so no one
 * else can swap the file under sca) and renamed over PATH; a stream sink is
 * opened in place and checked after opening to be the file that was judged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/outfile.h"
#include "common/privdir.h"

struct sca_outfile {
	int fd, dirfd;              /* the file; PATH's directory (replace only) */
	unsigned flags;
	char *path, *dir, *base;    /* PATH as given, split */
	char *tmp;                  /* the file in the private directory */
	struct sca_privdir *priv;   /* NULL: written in place */
};

/* /dev/null and terminals: writing to them in place is what `>` would do. */
bool sca_outfile__is_sink(const struct stat *st)
{
	if (S_ISFIFO(st->st_mode))
		return true;
	if (!S_ISCHR(st->st_mode))
		return false;
	unsigned maj = major(st->st_rdev), min = minor(st->st_rdev);
	return (maj == 1 && min == 3) ||               /* /dev/null */
	       maj == 4 || maj == 5 ||                 /* tty*, ttyS*, /dev/tty, console */
	       (maj >= 136 && maj <= 143);             /* pseudo-terminals */
}

static int split(struct sca_outfile *o, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return -EISDIR;
	o->path = strdup(path);
	o->base = strdup(base);
	o->dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	return o->path && o->base && o->dir ? 0 : -ENOMEM;
}

/* Open a sink in place; refuse if what opened is not what was judged. */
static int open_in_place(struct sca_outfile *o, const char *path, const struct stat *judged)
{
	struct stat st;

	o->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (o->fd < 0)
		return -errno;
	if (fstat(o->fd, &st) || st.st_ino != judged->st_ino || st.st_dev != judged->st_dev ||
	    !sca_outfile__is_sink(&st))
		return -EAGAIN;
	return 0;
}

static int open_replacement(struct sca_outfile *o, mode_t mode)
{
	int err;

	o->dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->dirfd < 0)
		return -errno;
	if ((err = sca_privdir__create(&o->priv, o->dir)))
		return err;
	if (asprintf(&o->tmp, "%s/%s", sca_privdir__path(o->priv), o->base) < 0) {
		o->tmp = NULL;
		return -ENOMEM;
	}
	o->fd = openat(sca_privdir__fd(o->priv), o->base,
		       O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	return o->fd < 0 ? -errno : 0;
}

/* Decide from what PATH is now; returns 0 or a negative errno, WHY the reason. */
static int choose(struct sca_outfile *o, const char *path, mode_t mode, const char **why)
{
	struct stat lst, st;

	if (lstat(path, &lst)) {
		if (errno != ENOENT)
			return -errno;
		return open_replacement(o, mode);
	}
	if (S_ISREG(lst.st_mode)) {
		if (!(o->flags & SCA_OUTFILE_FORCE)) {
			*why = "already exists (use --force to replace it)";
			return -EEXIST;
		}
		return open_replacement(o, mode);
	}
	if (S_ISDIR(lst.st_mode))
		return -EISDIR;
	if (stat(path, &st))
		st = lst;
	if (sca_outfile__is_sink(&st) && (o->flags & SCA_OUTFILE_STREAM))
		return open_in_place(o, path, &st);
	if (S_ISLNK(lst.st_mode))
		*why = S_ISREG(st.st_mode) ? "is a symbolic link; sca does not write through links "
					     "(name the file it points to)" :
					     "is a symbolic link to something sca cannot write";
	else if (sca_outfile__is_sink(&st))
		*why = "not a regular file, and this output must be one";
	else
		*why = "not a regular file; refusing to replace or write it";
	return -EPERM;
}

int sca_outfile__open(struct sca_outfile **out, const char *path, unsigned flags, mode_t mode,
		      char *err, size_t errlen)
{
	struct sca_outfile *o = calloc(1, sizeof(*o));
	const char *why = NULL;
	int rc;

	if (!o)
		return -ENOMEM;
	*o = (struct sca_outfile){ .fd = -1, .dirfd = -1, .flags = flags };
	if (!(rc = split(o, path)))
		rc = choose(o, path, mode, &why);
	if (rc == -EAGAIN)
		why = "changed while sca opened it; not written";
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, why ? why : strerror(-rc));
		sca_outfile__discard(o);
		return rc;
	}
	*out = o;
	return 0;
}

int sca_outfile__fd(const struct sca_outfile *o)
{
	return o->fd;
}

const char *sca_outfile__tmp_path(const struct sca_outfile *o)
{
	return o->tmp;
}

static void outfile_free(struct sca_outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->dirfd >= 0)
		close(o->dirfd);
	sca_privdir__remove(o->priv);
	free(o->path);
	free(o->dir);
	free(o->base);
	free(o->tmp);
	free(o);
}

/* rename without replacing: another run may have created PATH meanwhile */
static int put_in_place(struct sca_outfile *o)
{
	int privfd = sca_privdir__fd(o->priv);

	if (o->flags & SCA_OUTFILE_FORCE)
		return renameat(privfd, o->base, o->dirfd, o->base) ? -errno : 0;
	if (renameat2(privfd, o->base, o->dirfd, o->base, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* a file system without RENAME_NOREPLACE: link(2) never replaces either */
	if (linkat(privfd, o->base, o->dirfd, o->base, 0))
		return -errno;
	return 0;
}

int sca_outfile__commit(struct sca_outfile *o, char *err, size_t errlen)
{
	int rc = 0;

	if (o->priv) {
		if ((o->flags & SCA_OUTFILE_SYNC) && fsync(o->fd))
			rc = -errno;
		if (!rc)
			rc = put_in_place(o);
		if (rc == -EEXIST)
			snprintf(err, errlen, "%s: created by someone else meanwhile; not replaced",
				 o->path);
		else if (rc)
			snprintf(err, errlen, "%s: %s", o->path, strerror(-rc));
	}
	outfile_free(o);
	return rc;
}

void sca_outfile__discard(struct sca_outfile *o)
{
	if (o)
		outfile_free(o);
}

bool sca_outfile__same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}
