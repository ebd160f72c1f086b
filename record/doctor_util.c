/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor_util.c - what the checks share (doctor_int.h): small files read,
 * word lists, the kernel's build options, a program run with a deadline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "common/clock.h"
#include "doctor_int.h"
#include "proc.h"

#define RUN_MS 3000

extern char **environ;

int sca_doctor__read_text(const char *path, char *buf, size_t len)
{
	int n = sca_proc__read(path, buf, len);

	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	return n;
}

bool sca_doctor__has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += wl)
		if ((p == list || p[-1] == ' ') && (p[wl] == ' ' || p[wl] == 0))
			return true;
	return false;
}

char sca_doctor__kconfig(const char *name)
{
	struct utsname u;
	char path[300], line[512];
	size_t nl = strlen(name);
	char v;
	gzFile f = gzopen("/proc/config.gz", "rb");

	if (!f && uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		f = gzopen(path, "rb");     /* gzopen reads plain text too */
	}
	if (!f)
		return 0;
	v = 'n';                            /* absent from a readable config: not set */
	while (gzgets(f, line, sizeof(line)))
		if (!strncmp(line, name, nl) && line[nl] == '=') {
			v = line[nl + 1];
			break;
		}
	gzclose(f);
	return v;
}

/* Ends the child's group, if it still runs, and reaps the child. */
static int reap(pid_t pid, uint64_t end)
{
	int status;

	for (;;) {
		pid_t got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -ECHILD;
		if (got < 0 && errno != EINTR)
			return -errno;
		if (sca_clock_ns(CLOCK_MONOTONIC) >= end) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -ETIMEDOUT;
		}
		nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
	}
}

/* The child's stdout into out until EOF or END; -ETIMEDOUT at END. */
static int drain(int fd, char *out, size_t outlen, uint64_t end)
{
	size_t at = 0;
	char scratch[4096];
	int rc = 0;

	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int left = sca_clock_ms_until(end);
		int ready = left ? poll(&pf, 1, left) : 0;
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			rc = -ETIMEDOUT;
			break;
		}
		/* past outlen the rest is read and dropped, so the child never blocks */
		bool room = at + 1 < outlen;
		ssize_t n = read(fd, room ? out + at : scratch, room ? outlen - 1 - at : sizeof(scratch));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (room)
			at += (size_t)n;
	}
	out[at] = 0;
	return rc;
}

int sca_doctor__run_program(char *const argv[], char *out, size_t outlen)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	uint64_t end = sca_clock_ns(CLOCK_MONOTONIC) + RUN_MS * 1000000ull;
	int p[2], err;
	pid_t pid;

	out[0] = 0;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* a group of its own: a deadline ends whatever it started too */
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	err = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(p[1]);
	if (err) {
		close(p[0]);
		return -err;
	}
	int derr = drain(p[0], out, outlen, end);
	close(p[0]);
	if (derr)
		end = 0;                    /* out of time: end it now */
	int rc = reap(pid, end);
	return derr ? derr : rc;
}
