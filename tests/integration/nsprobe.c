/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nsprobe: what a profile that checks clone's flags must keep working (a
 * fork, threads) and what it must refuse (new namespaces). `nsprobe learn`
 * forks and execs /bin/true, then creates and joins a thread (glibc 2.36
 * makes that a clone3, falling back to clone on ENOSYS). `nsprobe attack`
 * does the same, then tries a raw clone(CLONE_NEWUSER), unshare
 * (CLONE_NEWUSER), a raw clone3 with no flags and a second thread. One line
 * per attempt:
 *   NAME: ok | NAME: errno N (TEXT)
 * Exits 0 when the program's own starts (fork/exec, threads) worked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *what, int err)
{
	if (err)
		printf("%s: errno %d (%s)\n", what, err, strerror(err));
	else
		printf("%s: ok\n", what);
	fflush(stdout);
}

static int fork_exec(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : ECHILD;
}

static void *thread_main(void *arg)
{
	return arg;
}

static int thread(void)
{
	pthread_t t;
	void *ret;
	int err = pthread_create(&t, NULL, thread_main, NULL);

	return err ? err : pthread_join(t, &ret);
}

/* A raw clone-like call's result: a child that got through leaves at once. */
static int child_or_errno(long ret)
{
	if (ret < 0)
		return errno;
	if (ret == 0)
		_exit(0);
	waitpid((pid_t)ret, NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	int ok, err;

	if (argc != 2 || (strcmp(argv[1], "learn") && strcmp(argv[1], "attack"))) {
		fprintf(stderr, "usage: nsprobe learn|attack\n");
		return 2;
	}
	err = fork_exec();
	say("fork+exec /bin/true", err);
	ok = !err;
	err = thread();
	say("pthread_create", err);
	ok &= !err;
	if (!strcmp(argv[1], "learn"))
		return ok ? 0 : 1;

	say("clone(CLONE_NEWUSER)", child_or_errno(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
	/* clone first: once unshare has moved this process into a user
	 * namespace without a uid map, it could make no other */
	say("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER) ? errno : 0);
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;      /* flags 0: a plain fork, as far as flags go */
	say("clone3(0)", child_or_errno(syscall(SYS_clone3, &ca, sizeof(ca))));
	err = thread();
	say("pthread_create again", err);
	ok &= !err;
	return ok ? 0 : 1;
}
