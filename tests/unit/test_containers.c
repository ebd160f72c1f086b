/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of record/containers.c: fake runtime state directories in a
 * temporary directory, pointing at real processes of this test, each in a
 * mount namespace of its own (unshare(CLONE_NEWNS) as root, else in a user
 * namespace; the parts that need one are skipped when neither works).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cmocka.h>

#include "containers.h"

#define SEC 1000000000ull
#define DOCKER_ID "4f2d6b1c9e8a7d3f5b0c1e2a3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f"

static char tmp[64];

static void write_file(const char *path, const char *fmt, ...)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s", path);
	/* mkdir -p of its directory */
	for (char *p = dir + strlen(tmp) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(dir, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(f), 0);
}

static uint64_t ns_of(pid_t pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

static uint64_t start_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	for (int field = 2; field < 21; field++)
		p = strchr(p + 1, ' ');
	return strtoull(p + 1, NULL, 10);
}

/* A child that waits to be killed, in a mount namespace of its own when
 * NEWNS (root: CLONE_NEWNS; else inside a new user namespace). -1: cannot. */
static pid_t spawn(bool newns)
{
	int p[2];
	char ok = 0;
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* die with the test, and never hold its output open: a failed
		 * assertion must not leave ctest waiting on an orphan */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 1);
		dup2(null, 2);
		close(p[0]);
		ok = !newns || !unshare(CLONE_NEWNS) || !unshare(CLONE_NEWUSER | CLONE_NEWNS);
		if (write(p[1], &ok, 1) != 1)
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &ok, 1) != 1)
		ok = 0;
	close(p[0]);
	if (!ok) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static void reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static struct sca_event ev_ns(uint64_t mnt_ns, const char *cgroup)
{
	struct sca_event e = { 0 };
	e.pid = 1;
	e.mnt_ns = mnt_ns;
	e.cgroup = cgroup;
	return e;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/sca-ct-XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* runc, crun, Docker, CRI-O and containerd layouts, each naming its container. */
static void test_layouts(void **state)
{
	(void)state;
	pid_t pid[5];
	char path[512];

	for (int i = 0; i < 5; i++)
		pid[i] = spawn(true);
	if (pid[0] < 0) {
		for (int i = 0; i < 5; i++)
			reap(pid[i]);
		skip();
	}
	/* runc, plain: named by its id; with the init's start time */
	snprintf(path, sizeof(path), "%s/runc/plain1/state.json", tmp);
	write_file(path, "{\"id\": \"plain1\", \"init_process_pid\": %d, \"init_process_start\": %llu,"
			 " \"config\": {\"labels\": [\"bundle=%s/bundles/plain1\"]}}",
		   pid[0], (unsigned long long)start_of(pid[0]), tmp);
	snprintf(path, sizeof(path), "%s/bundles/plain1/config.json", tmp);
	write_file(path, "{\"ociVersion\": \"1.0.2\"}");
	/* crun: status, annotations in the config it keeps in its state dir */
	snprintf(path, sizeof(path), "%s/crun/c2/status", tmp);
	write_file(path, "{\"pid\": %d, \"bundle\": \"%s/nowhere\", \"rootfs\": \"/x\"}", pid[1], tmp);
	snprintf(path, sizeof(path), "%s/crun/c2/config.json", tmp);
	write_file(path, "{\"annotations\": {\"nerdctl/name\": \"crunner\"}}");
	/* Docker: runc state under the moby namespace, name and image from config.v2.json */
	snprintf(path, sizeof(path), "%s/run-docker/moby/%s/state.json", tmp, DOCKER_ID);
	write_file(path, "{\"id\": \"%s\", \"init_process_pid\": %d, \"config\": {\"labels\": []}}", DOCKER_ID,
		   pid[2]);
	snprintf(path, sizeof(path), "%s/lib-docker/containers/%s/config.v2.json", tmp, DOCKER_ID);
	write_file(path, "{\"ID\": \"%s\", \"Name\": \"/web\", \"Config\": {\"Image\": \"nginx:1\"}}", DOCKER_ID);
	/* CRI-O: runc's root, its annotations as runc keeps them (labels) */
	snprintf(path, sizeof(path), "%s/runc/crio3/state.json", tmp);
	write_file(path, "{\"id\": \"crio3\", \"init_process_pid\": %d, \"config\": {\"labels\": ["
			 "\"io.kubernetes.pod.name=web-0\", \"io.kubernetes.pod.namespace=shop\","
			 "\"io.kubernetes.container.name=nginx\", \"io.kubernetes.pod.uid=u-1\","
			 "\"io.kubernetes.cri-o.ImageName=docker.io/library/nginx:1\", \"bundle=/nonexistent\"]}}",
		   pid[3]);
	/* containerd CRI: a namespace directory, annotations in the bundle's config */
	snprintf(path, sizeof(path), "%s/containerd/k8s.io/ctrd4/state.json", tmp);
	write_file(path, "{\"id\": \"ctrd4\", \"init_process_pid\": %d, \"config\": {\"labels\": [\"bundle=%s/bundles/ctrd4\"]}}",
		   pid[4], tmp);
	snprintf(path, sizeof(path), "%s/bundles/ctrd4/config.json", tmp);
	write_file(path, "{\"annotations\": {\"io.kubernetes.cri.sandbox-name\": \"mypod\","
			 "\"io.kubernetes.cri.sandbox-namespace\": \"default\", \"io.kubernetes.cri.container-name\": \"container1\","
			 "\"io.kubernetes.cri.sandbox-uid\": \"u-2\", \"io.kubernetes.cri.image-name\": \"busybox:1\","
			 "\"io.kubernetes.cri.container-type\": \"container\"}}");
	/* the same id in another namespace is another container (stopped here) */
	snprintf(path, sizeof(path), "%s/containerd/default/ctrd4/state.json", tmp);
	write_file(path, "{\"id\": \"ctrd4\", \"init_process_pid\": 0}");

	char r[5][256];
	snprintf(r[0], sizeof(r[0]), "%s/runc", tmp);
	snprintf(r[1], sizeof(r[1]), "%s/crun", tmp);
	snprintf(r[2], sizeof(r[2]), "%s/run-docker/moby", tmp);
	snprintf(r[3], sizeof(r[3]), "%s/containerd", tmp);
	snprintf(r[4], sizeof(r[4]), "%s/lib-docker", tmp);
	struct sca_runtime_root roots[] = {
		{ "runc", r[0] }, { "crun", r[1] }, { "docker", r[2] }, { "containerd", r[3] },
	};
	struct sca_containers *c = NULL;
	struct sca_containers_stats st;
	assert_int_equal(sca_containers__new(&c, roots, 4, r[4]), 0);
	sca_containers__stats(c, &st);
	assert_int_equal(st.scans, 1);
	assert_int_equal(st.known, 6);
	assert_int_equal(st.live, 5);

	struct sca_event e = ev_ns(ns_of(pid[0]), NULL);
	const struct sca_container *ct = sca_containers__lookup(c, &e, 10 * SEC);
	assert_non_null(ct);
	assert_string_equal(ct->runtime, "runc");
	assert_string_equal(ct->id, "plain1");
	assert_string_equal(ct->name, "plain1");
	assert_null(ct->image);
	assert_null(ct->pod);

	e = ev_ns(ns_of(pid[1]), NULL);
	ct = sca_containers__lookup(c, &e, 10 * SEC);
	assert_non_null(ct);
	assert_string_equal(ct->runtime, "crun");
	assert_string_equal(ct->name, "crunner");

	e = ev_ns(ns_of(pid[2]), NULL);
	ct = sca_containers__lookup(c, &e, 10 * SEC);
	assert_non_null(ct);
	assert_string_equal(ct->runtime, "docker");
	assert_string_equal(ct->id, DOCKER_ID);
	assert_string_equal(ct->name, "web");
	assert_string_equal(ct->image, "nginx:1");

	e = ev_ns(ns_of(pid[3]), NULL);
	ct = sca_containers__lookup(c, &e, 10 * SEC);
	assert_non_null(ct);
	assert_string_equal(ct->runtime, "cri-o");
	assert_string_equal(ct->name, "nginx");
	assert_string_equal(ct->pod, "web-0");
	assert_string_equal(ct->pod_namespace, "shop");
	assert_string_equal(ct->pod_uid, "u-1");
	assert_string_equal(ct->image, "docker.io/library/nginx:1");

	e = ev_ns(ns_of(pid[4]), NULL);
	ct = sca_containers__lookup(c, &e, 10 * SEC);
	assert_non_null(ct);
	assert_string_equal(ct->runtime, "containerd");
	assert_string_equal(ct->id, "ctrd4");
	assert_string_equal(ct->name, "container1");
	assert_string_equal(ct->pod, "mypod");
	assert_string_equal(ct->pod_namespace, "default");
	assert_string_equal(ct->pod_uid, "u-2");
	assert_string_equal(ct->image, "busybox:1");

	/* all found in the first scan: no rescan needed */
	sca_containers__stats(c, &st);
	assert_int_equal(st.scans, 1);

	/* the host (our own mount namespace), unknown namespaces, nothing to go by */
	e = ev_ns(ns_of(getpid()), NULL);
	assert_null(sca_containers__lookup(c, &e, 10 * SEC));
	e = ev_ns(12345, NULL);
	assert_null(sca_containers__lookup(c, &e, 10 * SEC));
	e = ev_ns(0, NULL);
	assert_null(sca_containers__lookup(c, &e, 10 * SEC));
	e = ev_ns(0, "");
	assert_null(sca_containers__lookup(c, &e, 10 * SEC));

	sca_containers__free(c);
	for (int i = 0; i < 5; i++)
		reap(pid[i]);
	snprintf(path, sizeof(path), "rm -rf '%s'/*", tmp);
	assert_int_equal(system(path), 0);
}

/* Misses rescan at most once a second; new containers are then found, exited ones kept. */
static void test_rescan(void **state)
{
	(void)state;
	char path[512], root[256];
	pid_t a = spawn(true), b = -1;
	if (a < 0)
		skip();
	snprintf(root, sizeof(root), "%s/rs", tmp);
	snprintf(path, sizeof(path), "%s/a/state.json", root);
	write_file(path, "{\"id\": \"a\", \"init_process_pid\": %d}", a);

	struct sca_runtime_root roots[] = { { "runc", root } };
	struct sca_containers *c = NULL;
	struct sca_containers_stats st;
	assert_int_equal(sca_containers__new(&c, roots, 1, NULL), 0);

	/* the first miss rescans (the scan in __new had no time) */
	struct sca_event host = ev_ns(777, NULL), other = ev_ns(778, NULL);
	assert_null(sca_containers__lookup(c, &host, 10 * SEC));
	sca_containers__stats(c, &st);
	assert_int_equal(st.scans, 2);
	/* a burst of misses of one namespace within the second: no rescan */
	for (int i = 0; i < 1000; i++)
		assert_null(sca_containers__lookup(c, &host, 10 * SEC + (uint64_t)i * 1000));
	sca_containers__stats(c, &st);
	assert_int_equal(st.scans, 2);

	/* a container that starts now: its namespace is new, so it is looked
	 * for at once, not a second later */
	b = spawn(true);
	assert_true(b > 0);
	snprintf(path, sizeof(path), "%s/b/state.json", root);
	write_file(path, "{\"id\": \"b\", \"init_process_pid\": %d}", b);
	struct sca_event eb = ev_ns(ns_of(b), NULL);
	const struct sca_container *cb0 = sca_containers__lookup(c, &eb, 10 * SEC + SEC / 2);
	assert_non_null(cb0);
	assert_string_equal(cb0->id, "b");
	sca_containers__stats(c, &st);
	assert_int_equal(st.scans, 3);

	/* but a storm of new namespaces costs at most 16 scans a second */
	for (int i = 0; i < 1000; i++) {
		struct sca_event x = ev_ns(100000 + (uint64_t)i, NULL);
		assert_null(sca_containers__lookup(c, &x, 10 * SEC + SEC / 2 + (uint64_t)i * 1000));
	}
	sca_containers__stats(c, &st);
	assert_int_equal(st.scans, 3 + 15);
	(void)other;
	const struct sca_container *cb = sca_containers__lookup(c, &eb, 11 * SEC);
	assert_non_null(cb);
	assert_string_equal(cb->id, "b");
	sca_containers__stats(c, &st);
	assert_int_equal(st.scans, 18);    /* a cached answer: no scan */
	assert_int_equal(st.live, 2);

	/* a: its init exits and its state goes; what was known stays */
	struct sca_event ea = ev_ns(ns_of(a), NULL);
	const struct sca_container *ca = sca_containers__lookup(c, &ea, 11 * SEC);
	assert_non_null(ca);
	reap(a);
	snprintf(path, sizeof(path), "rm -rf '%s/a'", root);
	assert_int_equal(system(path), 0);
	assert_null(sca_containers__lookup(c, &host, 12 * SEC));   /* rescans */
	sca_containers__stats(c, &st);
	assert_int_equal(st.scans, 19);
	assert_int_equal(st.known, 2);
	assert_int_equal(st.live, 1);
	/* its late events still match for a while, then no longer */
	assert_ptr_equal(sca_containers__lookup(c, &ea, 12 * SEC + 1), ca);
	assert_string_equal(ca->id, "a");
	assert_null(sca_containers__lookup(c, &ea, 30 * SEC));
	assert_ptr_equal(sca_containers__lookup(c, &eb, 30 * SEC), cb);

	sca_containers__free(c);
	reap(b);
	snprintf(path, sizeof(path), "rm -rf '%s'/*", tmp);
	assert_int_equal(system(path), 0);
}

/* The cgroup v2 mount point, from mountinfo; NULL if none. */
static char *cgroup2_mount(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[1024], *found = NULL;
	while (f && !found && fgets(line, sizeof(line), f)) {
		char mnt[512], fstype[64];
		char *sep = strstr(line, " - ");
		if (sep && sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1 && sscanf(sep + 3, "%63s", fstype) == 1 &&
		    !strcmp(fstype, "cgroup2"))
			found = strdup(mnt);
	}
	if (f)
		fclose(f);
	return found;
}

/* A process in the host's mount namespace but a cgroup of its own: matched by cgroup only. */
static void test_cgroup(void **state)
{
	(void)state;
	char path[1024], root[256], cg[768], cgpath[300], ours[256] = "";
	char *mnt = cgroup2_mount();
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[200];
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(ours, sizeof(ours), "%s", strcmp(line + 3, "/") ? line + 3 : "");
		}
	if (f)
		fclose(f);
	snprintf(cgpath, sizeof(cgpath), "%s/sca-ut-%d", ours, (int)getpid());
	snprintf(cg, sizeof(cg), "%s%s", mnt ? mnt : "/nonexistent", cgpath);
	free(mnt);
	if (mkdir(cg, 0755))
		skip();
	pid_t p = spawn(false);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	int fd = open(path, O_WRONLY);
	char pidbuf[16];
	int len = snprintf(pidbuf, sizeof(pidbuf), "%d", (int)p);
	bool moved = fd >= 0 && write(fd, pidbuf, (size_t)len) == len;
	if (fd >= 0)
		close(fd);
	if (!moved) {
		reap(p);
		rmdir(cg);
		skip();
	}

	snprintf(root, sizeof(root), "%s/cg", tmp);
	snprintf(path, sizeof(path), "%s/g/state.json", root);
	write_file(path, "{\"id\": \"g\", \"init_process_pid\": %d}", p);
	struct sca_runtime_root roots[] = { { "runc", root } };
	struct sca_containers *c = NULL;
	assert_int_equal(sca_containers__new(&c, roots, 1, NULL), 0);

	char below[320], beside[320];
	snprintf(below, sizeof(below), "%s/inner", cgpath);
	snprintf(beside, sizeof(beside), "%sx", cgpath);
	uint64_t host = ns_of(getpid());
	struct sca_event e = ev_ns(host, cgpath);
	const struct sca_container *ct = sca_containers__lookup(c, &e, 10 * SEC);
	assert_non_null(ct);
	assert_string_equal(ct->id, "g");
	e = ev_ns(0, below);
	assert_ptr_equal(sca_containers__lookup(c, &e, 10 * SEC), ct);
	e = ev_ns(host, beside);
	assert_null(sca_containers__lookup(c, &e, 10 * SEC));
	e = ev_ns(host, NULL);
	assert_null(sca_containers__lookup(c, &e, 10 * SEC));

	sca_containers__free(c);
	reap(p);
	rmdir(cg);
	snprintf(path, sizeof(path), "rm -rf '%s'/*", tmp);
	assert_int_equal(system(path), 0);
}

/* At most SCA_CONTAINERS_MAX entries: the oldest exited ones make room. */
static void test_bound(void **state)
{
	(void)state;
	char path[512], root[256];
	snprintf(root, sizeof(root), "%s/many", tmp);
	/* pid 0: never running, so each is an exited entry */
	for (int i = 0; i < SCA_CONTAINERS_MAX + 10; i++) {
		snprintf(path, sizeof(path), "%s/c%d/state.json", root, i);
		write_file(path, "{\"id\": \"c%d\", \"init_process_pid\": 0}", i);
	}
	struct sca_runtime_root roots[] = { { "runc", root } };
	struct sca_containers *c = NULL;
	struct sca_containers_stats st;
	assert_int_equal(sca_containers__new(&c, roots, 1, NULL), 0);
	sca_containers__stats(c, &st);
	assert_int_equal(st.known, SCA_CONTAINERS_MAX);
	assert_int_equal(st.live, 0);
	/* a rescan: still full, and the dropped ones evict nothing */
	struct sca_event e = ev_ns(999, NULL);
	assert_null(sca_containers__lookup(c, &e, 10 * SEC));
	sca_containers__stats(c, &st);
	assert_int_equal(st.known, SCA_CONTAINERS_MAX);
	/* a running container still gets in, in the oldest exited one's place */
	pid_t p = spawn(true);
	if (p > 0) {
		snprintf(path, sizeof(path), "%s/live/state.json", root);
		write_file(path, "{\"id\": \"live\", \"init_process_pid\": %d}", p);
		e = ev_ns(ns_of(p), NULL);
		const struct sca_container *ct = sca_containers__lookup(c, &e, 12 * SEC);
		assert_non_null(ct);
		assert_string_equal(ct->id, "live");
		sca_containers__stats(c, &st);
		assert_int_equal(st.known, SCA_CONTAINERS_MAX);
		assert_int_equal(st.live, 1);
		reap(p);
	}
	sca_containers__free(c);
	snprintf(path, sizeof(path), "rm -rf '%s'/*", tmp);
	assert_int_equal(system(path), 0);
}

static void test_args(void **state)
{
	(void)state;
	struct sca_containers *c = NULL;
	struct sca_runtime_root bad[] = { { "", "/run/runc" } };
	assert_int_equal(sca_containers__new(&c, bad, 1, NULL), -EINVAL);
	/* the standard roots, wherever they exist here */
	assert_int_equal(sca_containers__new(&c, NULL, 0, NULL), 0);
	struct sca_event e = ev_ns(ns_of(getpid()), NULL);
	assert_null(sca_containers__lookup(c, &e, SEC));
	sca_containers__free(c);
	sca_containers__free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_rescan),
		cmocka_unit_test(test_cgroup),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_args),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
