/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/outfile.c and common/privdir.c: what an output path
 * is decides how it is written; private directories are 0700 and leave
 * nothing behind. Runs in a scratch directory of its own. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/outfile.h"
#include "common/privdir.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sca-test-outfile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static char *at(const char *name)
{
	static char p[4][128];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

/* 1 if a private directory is left in dir. */
static int count_private(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += !strncmp(de->d_name, ".sca-", 5);
	if (d)
		closedir(d);
	return n;
}

static int write_str(struct sca_outfile *o, const char *s)
{
	return write(sca_outfile__fd(o), s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
}

static void slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t k = fd >= 0 ? read(fd, buf, n - 1) : -1;
	buf[k > 0 ? k : 0] = 0;
	if (fd >= 0)
		close(fd);
}

static void test_new_and_replace(void **state)
{
	struct sca_outfile *o;
	char err[256], buf[64];
	struct stat st;

	(void)state;
	assert_int_equal(sca_outfile__open(&o, at("a"), 0, 0600, err, sizeof(err)), 0);
	assert_non_null(sca_outfile__tmp_path(o));
	/* nothing at the final name until the commit */
	assert_int_equal(lstat(at("a"), &st), -1);
	assert_int_equal(write_str(o, "one"), 0);
	assert_int_equal(sca_outfile__commit(o, err, sizeof(err)), 0);
	slurp(at("a"), buf, sizeof(buf));
	assert_string_equal(buf, "one");
	assert_int_equal(stat(at("a"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* exists: refused without force, replaced with it */
	assert_int_equal(sca_outfile__open(&o, at("a"), 0, 0600, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "already exists"));
	assert_int_equal(sca_outfile__open(&o, at("a"), SCA_OUTFILE_FORCE, 0600, err, sizeof(err)), 0);
	assert_int_equal(write_str(o, "two"), 0);
	sca_outfile__discard(o);
	slurp(at("a"), buf, sizeof(buf));
	assert_string_equal(buf, "one");          /* discarded: the old file stays */
	assert_int_equal(count_private(), 0);
	assert_int_equal(sca_outfile__open(&o, at("a"), SCA_OUTFILE_FORCE | SCA_OUTFILE_SYNC, 0644, err,
					   sizeof(err)), 0);
	assert_int_equal(write_str(o, "three"), 0);
	assert_int_equal(sca_outfile__commit(o, err, sizeof(err)), 0);
	slurp(at("a"), buf, sizeof(buf));
	assert_string_equal(buf, "three");
	assert_int_equal(count_private(), 0);
}

/* Someone creates PATH between open and commit: without force, not replaced. */
static void test_created_meanwhile(void **state)
{
	struct sca_outfile *o;
	char err[256], buf[64];

	(void)state;
	assert_int_equal(sca_outfile__open(&o, at("b"), 0, 0600, err, sizeof(err)), 0);
	int fd = open(at("b"), O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "theirs", 6), 6);
	close(fd);
	assert_int_equal(write_str(o, "ours"), 0);
	assert_int_equal(sca_outfile__commit(o, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "meanwhile"));
	slurp(at("b"), buf, sizeof(buf));
	assert_string_equal(buf, "theirs");
	assert_int_equal(count_private(), 0);
}

static void test_links_and_devices(void **state)
{
	struct sca_outfile *o;
	char err[256];
	struct stat st;

	(void)state;
	/* a link to a regular file: refused, its target untouched */
	assert_int_equal(symlink(at("target"), at("l")), 0);
	assert_int_equal(sca_outfile__open(&o, at("l"), SCA_OUTFILE_FORCE | SCA_OUTFILE_STREAM, 0600, err,
					   sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(lstat(at("target"), &st), -1);
	/* /dev/null, directly or behind a link: in place for a stream only */
	assert_int_equal(symlink("/dev/null", at("n")), 0);
	assert_int_equal(sca_outfile__open(&o, at("n"), SCA_OUTFILE_STREAM, 0600, err, sizeof(err)), 0);
	assert_null(sca_outfile__tmp_path(o));
	assert_int_equal(write_str(o, "gone"), 0);
	assert_int_equal(sca_outfile__commit(o, err, sizeof(err)), 0);
	assert_int_equal(lstat(at("n"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(sca_outfile__open(&o, "/dev/null", 0, 0600, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "not a regular file"));
	/* a directory, and a device that is not a sink */
	assert_int_equal(sca_outfile__open(&o, dir, SCA_OUTFILE_FORCE, 0600, err, sizeof(err)), -EISDIR);
	assert_int_equal(sca_outfile__open(&o, "/dev/zero", SCA_OUTFILE_FORCE | SCA_OUTFILE_STREAM, 0600,
					   err, sizeof(err)), -EPERM);
	assert_int_equal(sca_outfile__open(&o, at("nodir/x"), 0, 0600, err, sizeof(err)), -ENOENT);
	assert_int_equal(count_private(), 0);
}

static void test_privdir(void **state)
{
	struct sca_privdir *d;
	char path[256];
	struct stat st;

	(void)state;
	assert_int_equal(sca_privdir__create(&d, dir), 0);
	assert_int_equal(stat(sca_privdir__path(d), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/f", sca_privdir__path(d));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/g", sca_privdir__path(d));
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s", sca_privdir__path(d));
	sca_privdir__remove(d);
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(count_private(), 0);
	/* the process's own one: under $TMPDIR, one per process */
	setenv("TMPDIR", dir, 1);
	const char *t = sca_privdir__tmp();
	assert_non_null(t);
	assert_ptr_equal(sca_privdir__tmp(), t);
	assert_int_equal(strncmp(t, dir, strlen(dir)), 0);
	sca_privdir__cleanup_all();
	assert_int_equal(count_private(), 0);
}

static void test_same_file(void **state)
{
	(void)state;
	close(open(at("s"), O_WRONLY | O_CREAT, 0600));
	assert_int_equal(link(at("s"), at("s2")), 0);
	assert_true(sca_outfile__same_file(at("s"), at("s2")));
	assert_false(sca_outfile__same_file(at("s"), at("a")));
	assert_false(sca_outfile__same_file(at("s"), at("missing")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_replace),
		cmocka_unit_test(test_created_meanwhile),
		cmocka_unit_test(test_links_and_devices),
		cmocka_unit_test(test_privdir),
		cmocka_unit_test(test_same_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
