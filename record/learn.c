/* SPDX-License-Identifier: BSD-2-Clause */
/* learn.c - see learn.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "learn.h"
#include "proc.h"
#include "profile.h"

struct msg {
	uint32_t ses;
	int32_t err;          /* 0: ses is valid; else a negative errno */
	char text[240];
};

static void send_msg(int fd, uint32_t ses, int err, const char *text)
{
	struct msg m = { .ses = ses, .err = err };
	snprintf(m.text, sizeof(m.text), "%s", text);
	if (write(fd, &m, sizeof(m)) != sizeof(m))
		_exit(127);
}

/*
 * A number from a one-line /proc file (none holds a negative one), or a
 * negative errno: returned, not stored through a pointer, so no caller can
 * be left with it unset.
 */
static long long read_proc_number(const char *path)
{
	char buf[32];
	int n = sca_proc__read(path, buf, sizeof(buf));

	if (n < 0)
		return n;
	return n ? strtoll(buf, NULL, 10) : -EIO;
}

/* A fresh audit session: write our loginuid back (or our uid if unset). */
static int new_session(uint32_t *ses)
{
	char buf[32];
	long long auid, id;
	int fd, err;
	ssize_t n;

	if ((auid = read_proc_number("/proc/self/loginuid")) < 0)
		return (int)auid;
	if (auid == 4294967295ll)
		auid = getuid();
	fd = open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%lld", auid);
	if (write(fd, buf, (size_t)n) != n) {
		err = -errno;
		close(fd);
		return err;
	}
	close(fd);
	if ((id = read_proc_number("/proc/self/sessionid")) < 0)
		return (int)id;
	*ses = (uint32_t)id;
	return 0;
}

/* The profile's filter; FLAG_LOG audits what it refuses, not only what it logs. */
static int profile_filter(const char *profile, bool log_refusals, scmp_filter_ctx *out, char *err,
			  size_t n)
{
	struct sca_profile *p = NULL;
	int rc = sca_profile__load(profile, &p, err, n);

	if (!rc)
		rc = sca_profile__build(p, out, NULL, err, n);
	sca_profile__free(p);
	if (!rc && log_refusals && (rc = seccomp_attr_set(*out, SCMP_FLTATR_CTL_LOG, 1))) {
		snprintf(err, n, "cannot ask the kernel to log what the profile refuses "
				 "(SECCOMP_FILTER_FLAG_LOG): %s; try --learn log-all", strerror(-rc));
		seccomp_release(*out);
		*out = NULL;
	}
	return rc;
}

/* *out NULL: no filter (the syscall source learns without one). */
static int build_filter(const struct sca_learn_opts *lo, scmp_filter_ctx *out, char *err, size_t n)
{
	scmp_filter_ctx ctx = NULL;
	int rc;

	*out = NULL;
	if (lo->profile) {
		if ((rc = profile_filter(lo->profile, !lo->log_all, &ctx, err, n)))
			return rc;
	} else if (lo->log_all) {
		ctx = seccomp_init(SCMP_ACT_LOG);
		if (!ctx) {
			snprintf(err, n, "cannot create the learning filter");
			return -ENOMEM;
		}
		/* compat syscalls would otherwise hit the bad-arch kill action */
		uint32_t native = seccomp_arch_native();
		if (native == SCMP_ARCH_X86_64) {
			seccomp_arch_add(ctx, SCMP_ARCH_X86);
			seccomp_arch_add(ctx, SCMP_ARCH_X32);
		} else if (native == SCMP_ARCH_AARCH64) {
			seccomp_arch_add(ctx, SCMP_ARCH_ARM);
		}
	} else {
		return 0;
	}
	/* As root (CAP_SYS_ADMIN) the workload keeps setuid binaries working. */
	if (geteuid() == 0)
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	*out = ctx;
	return 0;
}

/* The child: a session, word to the parent, its go, the filter, exec. Never returns. */
static void child_run(char **argv, const struct sca_learn_opts *lo, int msg_fd, int go_fd)
{
	sigset_t all;
	char text[240] = "", go;
	scmp_filter_ctx ctx = NULL;
	uint32_t s = 0;
	int rc;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	if ((rc = new_session(&s))) {
		snprintf(text, sizeof(text),
			 "cannot start an audit session for the command (writing /proc/self/loginuid: %s; needs CAP_AUDIT_CONTROL)",
			 strerror(-rc));
		send_msg(msg_fd, 0, rc, text);
		_exit(127);
	}
	if ((rc = build_filter(lo, &ctx, text, sizeof(text)))) {
		send_msg(msg_fd, 0, rc, text);
		_exit(127);
	}
	send_msg(msg_fd, s, 0, "");
	/* the sources select the session now: wait until they do */
	if (read(go_fd, &go, 1) != 1)
		_exit(127);
	if (ctx && (rc = seccomp_load(ctx))) {
		snprintf(text, sizeof(text), "cannot load the seccomp filter: %s", strerror(-rc));
		send_msg(msg_fd, 0, rc, text);
		_exit(127);
	}
	execvp(argv[0], argv);
	rc = -errno;
	snprintf(text, sizeof(text), "%s: %s", argv[0], strerror(errno));
	send_msg(msg_fd, 0, rc, text);
	_exit(127);
}

int sca_learn__spawn(char **argv, const struct sca_learn_opts *lo, pid_t *pid_out, uint32_t *ses,
		     char *err, size_t errlen)
{
	int pfd[2], gfd[2];
	struct msg m;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -errno;
	}
	if (pipe2(gfd, O_CLOEXEC)) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		snprintf(err, errlen, "pipe: %s", strerror(e));
		return -e;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		close(gfd[0]);
		close(gfd[1]);
		snprintf(err, errlen, "fork: %s", strerror(e));
		return -e;
	}
	if (pid == 0) {
		close(pfd[0]);
		close(gfd[1]);
		child_run(argv, lo, pfd[1], gfd[0]);
	}
	close(pfd[1]);
	close(gfd[0]);

	ssize_t n = read(pfd[0], &m, sizeof(m));
	if (n == sizeof(m) && m.err == 0) {
		*ses = m.ses;
		if (lo->on_session)
			lo->on_session(lo->ctx, m.ses);
		if (write(gfd[1], "g", 1) != 1)
			n = -1;
		close(gfd[1]);
		gfd[1] = -1;
		/* a second message only comes when loading or exec failed */
		if (n > 0)
			n = read(pfd[0], &m, sizeof(m));
		if (n == 0) {
			close(pfd[0]);
			*pid_out = pid;
			return 0;
		}
	}
	if (gfd[1] >= 0)
		close(gfd[1]);
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	if (n == sizeof(m)) {
		snprintf(err, errlen, "%s", m.text);
		return m.err ? m.err : -EIO;
	}
	snprintf(err, errlen, "the command's setup failed before exec");
	return -EIO;
}
