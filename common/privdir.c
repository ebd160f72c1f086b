/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * privdir.c - private directories, removed on every way out. Each live one
 * has a slot that a signal handler can read: the parent's fd, the
 * directory's fd and its name, so removal needs only system calls
 * (getdents64, unlinkat), which are async-signal-safe where readdir is not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/privdir.h"
#include "common/progress.h"

#define NSLOTS 8

struct slot {
	volatile sig_atomic_t used;
	int parentfd, fd;
	char name[16];
};

struct sca_privdir {
	int slot;
	char *path;
};

static struct slot slots[NSLOTS];
static struct sca_privdir *tmp_dir;

/* Unlink every entry of the directory FD; entries are files sca made. */
static void empty_dir(int fd)
{
	char buf[1024] __attribute__((aligned(8)));
	long n;

	/* each pass restarts: unlinking while reading may skip entries */
	for (int pass = 0; pass < 64; pass++) {
		bool any = false;
		if (lseek(fd, 0, SEEK_SET) < 0)
			return;
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
			for (long off = 0; off < n;) {
				/* struct linux_dirent64: ino, off, reclen, type, name */
				unsigned short reclen;
				memcpy(&reclen, buf + off + 16, sizeof(reclen));
				const char *name = buf + off + 19;
				off += reclen;
				if (!strcmp(name, ".") || !strcmp(name, ".."))
					continue;
				if (unlinkat(fd, name, 0) && errno == EISDIR)
					unlinkat(fd, name, AT_REMOVEDIR);
				any = true;
			}
		}
		if (!any)
			return;
	}
}

static void remove_slot(struct slot *s)
{
	if (!s->used)
		return;
	s->used = 0;
	empty_dir(s->fd);
	unlinkat(s->parentfd, s->name, AT_REMOVEDIR);
	close(s->fd);
	close(s->parentfd);
}

void sca_privdir__cleanup_all(void)
{
	int e = errno;
	for (int i = 0; i < NSLOTS; i++)
		remove_slot(&slots[i]);
	errno = e;
}

static void at_exit(void)
{
	sca_privdir__cleanup_all();
}

static void random_name(char name[16])
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[6] = { 0 };

	if (getrandom(r, sizeof(r), 0) != sizeof(r)) {
		uint64_t t = (uint64_t)getpid() ^ (uint64_t)(uintptr_t)name ^ (uint64_t)rand();
		memcpy(r, &t, sizeof(r));
	}
	memcpy(name, ".sca-", 5);
	for (int i = 0; i < 6; i++)
		name[5 + i] = set[r[i] % (sizeof(set) - 1)];
	name[11] = 0;
}

/* mkdirat a fresh name in PARENTFD, open it, and check it is ours. */
static int make_dir(struct slot *s, int parentfd)
{
	struct stat st;

	for (int tries = 0;; tries++) {
		random_name(s->name);
		if (mkdirat(parentfd, s->name, 0700) == 0)
			break;
		if (errno != EEXIST || tries > 100)
			return -errno;
	}
	s->fd = openat(parentfd, s->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	/* the parent's owner could swap it in between: only ours, 0700, will do */
	if (fstat(s->fd, &st) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(s->fd);
		return -EPERM;
	}
	return 0;
}

int sca_privdir__create(struct sca_privdir **out, const char *parent)
{
	static bool registered;
	struct sca_privdir *d;
	struct slot *s = NULL;
	int err;

	if (!parent) {
		parent = getenv("TMPDIR");
		if (!parent || !*parent)
			parent = "/tmp";
	}
	for (int i = 0; i < NSLOTS && !s; i++)
		if (!slots[i].used)
			s = &slots[i];
	if (!s)
		return -EMFILE;
	if (!(d = calloc(1, sizeof(*d))))
		return -ENOMEM;
	d->slot = (int)(s - slots);
	s->parentfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->parentfd < 0) {
		err = -errno;
		goto fail;
	}
	if ((err = make_dir(s, s->parentfd))) {
		close(s->parentfd);
		goto fail;
	}
	if (asprintf(&d->path, "%s/%s", parent, s->name) < 0) {
		d->path = NULL;
		err = -ENOMEM;
		s->used = 1;
		remove_slot(s);
		goto fail;
	}
	if (!registered && atexit(at_exit) == 0)
		registered = true;
	s->used = 1;            /* last: a handler sees a slot only when whole */
	*out = d;
	return 0;
fail:
	free(d);
	return err;
}

const char *sca_privdir__path(const struct sca_privdir *d)
{
	return d->path;
}

int sca_privdir__fd(const struct sca_privdir *d)
{
	return slots[d->slot].fd;
}

void sca_privdir__remove(struct sca_privdir *d)
{
	if (!d)
		return;
	if (d == tmp_dir)
		tmp_dir = NULL;
	remove_slot(&slots[d->slot]);
	free(d->path);
	free(d);
}

const char *sca_privdir__tmp(void)
{
	int err;

	if (!tmp_dir && (err = sca_privdir__create(&tmp_dir, NULL))) {
		errno = -err;
		return NULL;
	}
	return tmp_dir->path;
}

/* What is ours goes before the signal takes its course: files, the progress line. */
static void on_fatal_signal(int sig)
{
	sca_privdir__cleanup_all();
	sca_progress__erase_on_signal();
	raise(sig);             /* SA_RESETHAND: delivered, as before, on return */
}

void sca_privdir__catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };
	struct sigaction old;

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
}
