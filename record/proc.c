/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proc.c - small /proc readers shared by enrichment and the container table
 * (see proc.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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

const char *sca_proc__cgroup2_root(void)
{
	static char root[256];
	static bool looked;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (looked)
		return root[0] ? root : NULL;
	looked = true;
	if (!(f = fopen("/proc/self/mountinfo", "re")))
		return NULL;
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - FSTYPE SOURCE SUPER" */
	while (getline(&line, &cap, f) > 0) {
		char mnt[256];
		const char *dash = strstr(line, " - ");
		if (dash && !strncmp(dash, " - cgroup2 ", 11) &&
		    sscanf(line, "%*s %*s %*s %*s %255s", mnt) == 1) {
			snprintf(root, sizeof(root), "%s", mnt);
			break;
		}
	}
	free(line);
	fclose(f);
	return root[0] ? root : NULL;
}

int sca_proc__ppid(const char *root, int pid)
{
	char path[320], buf[1024];
	const char *f;
	int ppid;

	snprintf(path, sizeof(path), "%s/%d/stat", root, pid);
	if (sca_proc__read(path, buf, sizeof(buf)) <= 0 || !(f = sca_proc__stat_fields(buf)) ||
	    sscanf(f, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}
