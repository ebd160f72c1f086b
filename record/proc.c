/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proc.c - small /proc readers shared by enrichment and the container table
 * (see proc.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

int sca_proc__read(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t got = read(fd, buf, n - 1);
	/* close() must not replace read()'s errno */
	int err = errno;
	close(fd);
	if (got < 0) {
		errno = err;
		return -err;
	}
	buf[got] = 0;
	return (int)got;
}

char *sca_proc__cgroup(char *buf)
{
	char *l = strncmp(buf, "0::", 3) == 0 ? buf : strstr(buf, "\n0::");

	if (!l)
		return NULL;
	l += l == buf ? 3 : 4;
	l[strcspn(l, "\n")] = 0;
	return l;
}

const char *sca_proc__stat_fields(const char *buf)
{
	const char *p = strrchr(buf, ')');
	return p ? p + 1 : NULL;
}
