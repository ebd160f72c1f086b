/* SPDX-License-Identifier: BSD-2-Clause */
/* Seccomp audit record parser: log line kinds, field decoding, damage. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "audit_parse.h"
#include "trace.h"

#define T_SEC 1700000000ull
#define T_NS(sec, ms) ((uint64_t)(sec) * 1000000000ull + (uint64_t)(ms) * 1000000ull)

/* What a record should decode to; NULL strings mean "absent". */
struct want {
	uint64_t time_ns;
	uint64_t serial;
	uint32_t auid, uid, gid, ses;
	int32_t pid;
	const char *comm;
	const char *exe;
	const char *subj;
	int32_t sig;
	uint32_t arch;
	int32_t syscall;
	bool compat;
	uint64_t ip;
	uint32_t code;
};

static void check_event(const struct sca_event *e, const struct sca_audit_strings *s,
			const struct want *w)
{
	assert_int_equal(e->time_ns, w->time_ns);
	assert_int_equal(e->serial, w->serial);
	assert_int_equal(e->auid, w->auid);
	assert_int_equal(e->uid, w->uid);
	assert_int_equal(e->gid, w->gid);
	assert_int_equal(e->ses, w->ses);
	assert_int_equal(e->pid, w->pid);
	assert_int_equal(e->tid, w->pid);
	assert_int_equal(e->ppid, -1);
	assert_non_null(e->comm);
	assert_ptr_equal(e->comm, s->comm);
	assert_string_equal(e->comm, w->comm);
	if (w->exe) {
		assert_ptr_equal(e->exe, s->exe);
		assert_string_equal(e->exe, w->exe);
	} else {
		assert_null(e->exe);
	}
	assert_string_equal(s->subj, w->subj ? w->subj : "");
	assert_int_equal(e->signr, w->sig);
	assert_int_equal(e->arch, w->arch);
	assert_int_equal(e->syscall, w->syscall);
	assert_int_equal(e->compat, w->compat);
	assert_int_equal(e->ip, w->ip);
	assert_int_equal(e->code, w->code);

	/* what an audit record cannot tell */
	assert_int_equal(e->mnt_ns, 0);
	assert_int_equal(e->pid_ns, 0);
	assert_int_equal(e->cgroup_id, 0);
	assert_null(e->cgroup);
	assert_null(e->container);
	assert_false(e->has_args);
	for (int i = 0; i < 6; i++)
		assert_int_equal(e->args[i], 0);
}

/* Parse LINE as is, then with a newline, then not NUL-terminated. */
static void expect_line(const char *line, const struct want *w)
{
	struct sca_audit_strings *s = malloc(sizeof(*s));
	size_t n = strlen(line);
	char *buf = malloc(n + 16);
	struct sca_event e;

	assert_non_null(s);
	assert_non_null(buf);

	assert_int_equal(sca_audit__parse_line(line, n, &e, s), 1);
	check_event(&e, s, w);

	memcpy(buf, line, n);
	memcpy(buf + n, "\r\n", 3);
	assert_int_equal(sca_audit__parse_line(buf, n + 2, &e, s), 1);
	check_event(&e, s, w);

	/* only len bytes count: whatever follows must not be read as the record */
	memcpy(buf + n, " code=0x1 ", 10);
	assert_int_equal(sca_audit__parse_line(buf, n, &e, s), 1);
	check_event(&e, s, w);

	free(buf);
	free(s);
}

static void expect_skip(const char *line)
{
	struct sca_audit_strings s;
	struct sca_event e;

	assert_int_equal(sca_audit__parse_line(line, strlen(line), &e, &s), 0);
}

static void expect_bad(const char *line)
{
	struct sca_audit_strings s;
	struct sca_event e;
	int err = sca_audit__parse_line(line, strlen(line), &e, &s);

	if (err != -EINVAL)
		fail_msg("got %d, want -EINVAL, for: %s", err, line);
}

/* ---- line kinds ------------------------------------------------------ */

static void test_auditd_raw(void **state)
{
	(void)state;
	expect_line("type=SECCOMP msg=audit(1700000000.123:456): auid=1000 uid=1000 gid=1000 "
		    "ses=3 subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 pid=4242 "
		    "comm=\"nginx\" exe=\"/usr/sbin/nginx\" sig=0 arch=c000003e syscall=83 "
		    "compat=0 ip=0x7f3a1b2c3d4e code=0x7ffc0000",
		    &(struct want){
			    .time_ns = 1700000000123000000ull, .serial = 456,
			    .auid = 1000, .uid = 1000, .gid = 1000, .ses = 3, .pid = 4242,
			    .comm = "nginx", .exe = "/usr/sbin/nginx",
			    .subj = "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023",
			    .sig = 0, .arch = 0xc000003e, .syscall = 83, .compat = false,
			    .ip = 0x7f3a1b2c3d4eull, .code = 0x7ffc0000,
		    });
	/* sec * 1e9 + ms * 1e6, exactly */
	assert_int_equal(1700000000123000000ull, T_NS(T_SEC, 123));
}

static void test_auditd_node_enriched(void **state)
{
	(void)state;
	expect_line("node=web01.example.com type=SECCOMP msg=audit(1700000001.005:789): "
		    "auid=0 uid=0 gid=0 ses=1 pid=100 comm=\"mkdir\" exe=\"/usr/bin/mkdir\" "
		    "sig=0 arch=c000003e syscall=83 compat=0 ip=0x7f0000001234 code=0x50001"
		    "\x1d" "AUID=\"root\" UID=\"root\" GID=\"root\" ARCH=x86_64 SYSCALL=mkdir",
		    &(struct want){
			    .time_ns = T_NS(1700000001, 5), .serial = 789,
			    .auid = 0, .uid = 0, .gid = 0, .ses = 1, .pid = 100,
			    .comm = "mkdir", .exe = "/usr/bin/mkdir",
			    .sig = 0, .arch = 0xc000003e, .syscall = 83,
			    .ip = 0x7f0000001234ull, .code = 0x50001,
		    });
	/* an enriched tail that would not parse as fields is not looked at */
	expect_line("type=SECCOMP msg=audit(1700000001.005:789): auid=0 uid=0 gid=0 ses=1 "
		    "pid=100 comm=\"mkdir\" exe=\"/usr/bin/mkdir\" sig=0 arch=c000003e "
		    "syscall=83 compat=0 ip=0x7f0000001234 code=0x50001"
		    "\x1d" "AUID=\"ro syscall=x code=\"",
		    &(struct want){
			    .time_ns = T_NS(1700000001, 5), .serial = 789,
			    .auid = 0, .uid = 0, .gid = 0, .ses = 1, .pid = 100,
			    .comm = "mkdir", .exe = "/usr/bin/mkdir",
			    .sig = 0, .arch = 0xc000003e, .syscall = 83,
			    .ip = 0x7f0000001234ull, .code = 0x50001,
		    });
	/* auditd without a name for the type */
	expect_line("type=UNKNOWN[1326] msg=audit(1700000002.000:1): auid=4294967295 uid=33 "
		    "gid=33 ses=4294967295 pid=7 comm=\"php-fpm\" exe=\"/usr/sbin/php-fpm8.2\" "
		    "sig=0 arch=c000003e syscall=41 compat=0 ip=0x7f1 code=0x7ffc0000",
		    &(struct want){
			    .time_ns = T_NS(1700000002, 0), .serial = 1,
			    .auid = UINT32_MAX, .uid = 33, .gid = 33, .ses = UINT32_MAX,
			    .pid = 7, .comm = "php-fpm", .exe = "/usr/sbin/php-fpm8.2",
			    .sig = 0, .arch = 0xc000003e, .syscall = 41, .ip = 0x7f1,
			    .code = 0x7ffc0000,
		    });
}

static const struct want dmesg_want = {
	.time_ns = 1700000000123000000ull, .serial = 456,
	.auid = UINT32_MAX, .uid = 101, .gid = 103, .ses = UINT32_MAX, .pid = 812,
	.comm = "systemd-resolve", .exe = "/usr/lib/systemd/systemd-resolved",
	.subj = "unconfined",
	.sig = 0, .arch = 0xc000003e, .syscall = 56, .compat = false,
	.ip = 0x7f5e8c91b2a3ull, .code = 0x7ffc0000,
};

#define DMESG_BODY "audit: type=1326 audit(1700000000.123:456): auid=4294967295 uid=101 " \
	"gid=103 ses=4294967295 subj=unconfined pid=812 comm=\"systemd-resolve\" " \
	"exe=\"/usr/lib/systemd/systemd-resolved\" sig=0 arch=c000003e syscall=56 " \
	"compat=0 ip=0x7f5e8c91b2a3 code=0x7ffc0000"

static void test_kernel_log(void **state)
{
	(void)state;
	expect_line("[ 1234.567890] " DMESG_BODY, &dmesg_want);
	expect_line("[Tue Nov 14 22:13:20 2023] " DMESG_BODY, &dmesg_want);
	expect_line(DMESG_BODY, &dmesg_want);
	/* journalctl -k and syslog's kern.log */
	expect_line("Nov 14 22:13:20 web01 kernel: " DMESG_BODY, &dmesg_want);
	expect_line("2023-11-14T22:13:20.123456+00:00 web01 kernel: [ 1234.567890] " DMESG_BODY,
		    &dmesg_want);
	/* a forwarded auditd line behind a syslog prefix */
	expect_line("Nov 14 22:13:20 web01 audisp-syslog: type=SECCOMP "
		    "msg=audit(1700000000.123:456): auid=4294967295 uid=101 gid=103 "
		    "ses=4294967295 subj=unconfined pid=812 comm=\"systemd-resolve\" "
		    "exe=\"/usr/lib/systemd/systemd-resolved\" sig=0 arch=c000003e syscall=56 "
		    "compat=0 ip=0x7f5e8c91b2a3 code=0x7ffc0000",
		    &dmesg_want);
}

static void test_other_lines(void **state)
{
	(void)state;
	expect_skip("");
	expect_skip("\n");
	expect_skip("hello world");
	expect_skip("----");
	expect_skip("time->Tue Nov 14 22:13:20 2023");
	expect_skip("type=SYSCALL msg=audit(1700000000.123:456): arch=c000003e syscall=83 "
		    "success=no exit=-13 a0=7ffd a1=1ff a2=0 a3=0 items=1 ppid=1 pid=4242 "
		    "auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 "
		    "sgid=1000 fsgid=1000 tty=pts0 ses=3 comm=\"mkdir\" exe=\"/usr/bin/mkdir\" "
		    "key=(null)");
	expect_skip("type=AVC msg=audit(1700000000.123:457): avc:  denied  { read } for  "
		    "pid=4242 comm=\"nginx\" name=\"x\" dev=\"sda1\" ino=1 "
		    "scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:etc_t:s0 "
		    "tclass=file permissive=0");
	expect_skip("node=web01 type=PROCTITLE msg=audit(1700000000.123:456): proctitle=6D6B646972");
	expect_skip("[ 1234.567890] audit: type=1400 audit(1700000000.123:458): "
		    "apparmor=\"DENIED\" operation=\"open\" profile=\"x\" pid=1 comm=\"x\"");
	expect_skip("[ 1234.567890] audit: type=13260 audit(1700000000.123:458): x=1");
	expect_skip("[ 1234.567890] audit: audit_lost=5 audit_rate_limit=0 audit_backlog_limit=64");
	/* only the record's own type counts, not text a program had logged */
	expect_skip("type=USER_AVC msg=audit(1700000000.123:459): pid=1 uid=0 auid=4294967295 "
		    "ses=4294967295 msg='type=SECCOMP msg=audit(1700000000.123:456): auid=0 uid=0 "
		    "gid=0 ses=1 pid=1 comm=\"x\" sig=0 arch=c000003e syscall=1 code=0x0'");
	expect_skip("node=web01 type=USER_AVC msg=audit(1700000000.123:459): msg=' "
		    "type=SECCOMP msg=audit(1700000000.123:456): x'");
	expect_skip("Nov 14 22:13:20 web01 myapp: subtype=1326 audit(1700000000.123:456):");
}

/* ---- field decoding -------------------------------------------------- */

static void test_hex_strings(void **state)
{
	(void)state;
	/* "my comm" and "/tmp/my prog (deleted)": spaces force hex */
	expect_line("type=SECCOMP msg=audit(1700000000.999:10): auid=1000 uid=1000 gid=1000 "
		    "ses=2 pid=31337 comm=6D7920636F6D6D "
		    "exe=2F746D702F6D792070726F67202864656C6574656429 sig=0 arch=c000003e "
		    "syscall=59 compat=0 ip=0x401000 code=0x7ffc0000",
		    &(struct want){
			    .time_ns = T_NS(T_SEC, 999), .serial = 10,
			    .auid = 1000, .uid = 1000, .gid = 1000, .ses = 2, .pid = 31337,
			    .comm = "my comm", .exe = "/tmp/my prog (deleted)",
			    .sig = 0, .arch = 0xc000003e, .syscall = 59, .ip = 0x401000,
			    .code = 0x7ffc0000,
		    });
	/* non-ASCII, lowercase hex, and a '"' in the name */
	expect_line("type=SECCOMP msg=audit(1700000000.000:11): auid=1000 uid=1000 gid=1000 "
		    "ses=2 pid=5 comm=636166C3A9 exe=2f612262 sig=0 arch=c000003e syscall=1 "
		    "compat=0 ip=0x1 code=0x7ffc0000",
		    &(struct want){
			    .time_ns = T_NS(T_SEC, 0), .serial = 11,
			    .auid = 1000, .uid = 1000, .gid = 1000, .ses = 2, .pid = 5,
			    .comm = "caf\xc3\xa9", .exe = "/a\"b",
			    .sig = 0, .arch = 0xc000003e, .syscall = 1, .ip = 1,
			    .code = 0x7ffc0000,
		    });
	/* an empty comm is quoted */
	expect_line("type=SECCOMP msg=audit(1700000000.000:12): auid=1 uid=1 gid=1 ses=1 "
		    "pid=5 comm=\"\" exe=\"/x\" sig=0 arch=c000003e syscall=1 compat=0 ip=0x1 "
		    "code=0x7ffc0000",
		    &(struct want){
			    .time_ns = T_NS(T_SEC, 0), .serial = 12,
			    .auid = 1, .uid = 1, .gid = 1, .ses = 1, .pid = 5,
			    .comm = "", .exe = "/x",
			    .sig = 0, .arch = 0xc000003e, .syscall = 1, .ip = 1,
			    .code = 0x7ffc0000,
		    });
}

static void test_subj(void **state)
{
	(void)state;
	/* absent (no LSM), "?" (several LSMs), and AppArmor's label with a mode */
	struct want w = {
		.time_ns = T_NS(T_SEC, 1), .serial = 2,
		.auid = 1000, .uid = 1000, .gid = 1000, .ses = 2, .pid = 9,
		.comm = "chrome", .exe = "/snap/chromium/2529/usr/lib/chromium-browser/chrome",
		.sig = 0, .arch = 0xc000003e, .syscall = 330, .ip = 0x7f00, .code = 0x50000,
	};

	expect_line("type=SECCOMP msg=audit(1700000000.001:2): auid=1000 uid=1000 gid=1000 "
		    "ses=2 pid=9 comm=\"chrome\" "
		    "exe=\"/snap/chromium/2529/usr/lib/chromium-browser/chrome\" sig=0 "
		    "arch=c000003e syscall=330 compat=0 ip=0x7f00 code=0x50000", &w);
	w.subj = "?";
	expect_line("type=SECCOMP msg=audit(1700000000.001:2): auid=1000 uid=1000 gid=1000 "
		    "ses=2 subj=? pid=9 comm=\"chrome\" "
		    "exe=\"/snap/chromium/2529/usr/lib/chromium-browser/chrome\" sig=0 "
		    "arch=c000003e syscall=330 compat=0 ip=0x7f00 code=0x50000", &w);
	w.subj = "snap.chromium.chromium (enforce)";
	expect_line("type=SECCOMP msg=audit(1700000000.001:2): auid=1000 uid=1000 gid=1000 "
		    "ses=2 subj=snap.chromium.chromium (enforce) pid=9 comm=\"chrome\" "
		    "exe=\"/snap/chromium/2529/usr/lib/chromium-browser/chrome\" sig=0 "
		    "arch=c000003e syscall=330 compat=0 ip=0x7f00 code=0x50000", &w);
}

static void test_compat_i386(void **state)
{
	(void)state;
	/* i386 syscall 39 is mkdir (x86_64 39 is getpid): arch is kept as given */
	expect_line("type=SECCOMP msg=audit(1700000000.500:77): auid=1000 uid=1000 gid=1000 "
		    "ses=4 pid=2000 comm=\"wine\" exe=\"/usr/lib/wine/wine\" sig=0 "
		    "arch=40000003 syscall=39 compat=1 ip=0xf7f01549 code=0x50001",
		    &(struct want){
			    .time_ns = T_NS(T_SEC, 500), .serial = 77,
			    .auid = 1000, .uid = 1000, .gid = 1000, .ses = 4, .pid = 2000,
			    .comm = "wine", .exe = "/usr/lib/wine/wine",
			    .sig = 0, .arch = 0x40000003, .syscall = 39, .compat = true,
			    .ip = 0xf7f01549, .code = 0x50001,
		    });
}

static void test_actions(void **state)
{
	struct sca_audit_strings s;
	struct sca_event e;
	const char *l;

	(void)state;
	l = "type=SECCOMP msg=audit(1700000000.123:456): auid=0 uid=0 gid=0 ses=1 pid=100 "
	    "comm=\"mkdir\" exe=\"/usr/bin/mkdir\" sig=0 arch=c000003e syscall=83 compat=0 "
	    "ip=0x7f0000001234 code=0x50001";
	assert_int_equal(sca_audit__parse_line(l, strlen(l), &e, &s), 1);
	assert_int_equal(e.code, 0x50001);
	assert_int_equal(sca_event__action(&e), 0x50000); /* SECCOMP_RET_ERRNO */
	assert_int_equal(sca_event__data(&e), 1);         /* EPERM */

	/* kill_thread: SIGSYS */
	expect_line("type=SECCOMP msg=audit(1700000000.123:457): auid=1000 uid=1000 gid=1000 "
		    "ses=3 pid=4243 comm=\"worker\" exe=\"/opt/app/bin/worker\" sig=31 "
		    "arch=c000003e syscall=101 compat=0 ip=0x7f3a1b2c3d4e code=0x0",
		    &(struct want){
			    .time_ns = T_NS(T_SEC, 123), .serial = 457,
			    .auid = 1000, .uid = 1000, .gid = 1000, .ses = 3, .pid = 4243,
			    .comm = "worker", .exe = "/opt/app/bin/worker",
			    .sig = 31, .arch = 0xc000003e, .syscall = 101,
			    .ip = 0x7f3a1b2c3d4eull, .code = 0,
		    });
	/* kill_process */
	expect_line("type=SECCOMP msg=audit(1700000000.123:458): auid=1000 uid=1000 gid=1000 "
		    "ses=3 pid=4244 comm=\"worker\" exe=\"/opt/app/bin/worker\" sig=31 "
		    "arch=c00000b7 syscall=220 compat=0 ip=0xffffa0b1c2d4 code=0x80000000",
		    &(struct want){
			    .time_ns = T_NS(T_SEC, 123), .serial = 458,
			    .auid = 1000, .uid = 1000, .gid = 1000, .ses = 3, .pid = 4244,
			    .comm = "worker", .exe = "/opt/app/bin/worker",
			    .sig = 31, .arch = 0xc00000b7, .syscall = 220,
			    .ip = 0xffffa0b1c2d4ull, .code = 0x80000000,
		    });
}

static void test_exe_null_and_absent(void **state)
{
	struct want w = {
		.time_ns = T_NS(T_SEC, 42), .serial = 3,
		.auid = UINT32_MAX, .uid = 0, .gid = 0, .ses = UINT32_MAX, .pid = 1,
		.comm = "init", .exe = NULL,
		.sig = 0, .arch = 0xc000003e, .syscall = 165, .ip = 0x7f01, .code = 0x7ffc0000,
	};

	(void)state;
	expect_line("type=SECCOMP msg=audit(1700000000.042:3): auid=4294967295 uid=0 gid=0 "
		    "ses=4294967295 pid=1 comm=\"init\" exe=(null) sig=0 arch=c000003e "
		    "syscall=165 compat=0 ip=0x7f01 code=0x7ffc0000", &w);
	expect_line("type=SECCOMP msg=audit(1700000000.042:3): auid=4294967295 uid=0 gid=0 "
		    "ses=4294967295 pid=1 comm=\"init\" sig=0 arch=c000003e "
		    "syscall=165 compat=0 ip=0x7f01 code=0x7ffc0000", &w);
}

static void test_old_kernel_and_unknown_fields(void **state)
{
	struct want w = {
		.time_ns = T_NS(T_SEC, 7), .serial = 8,
		.auid = 500, .uid = 500, .gid = 500, .ses = 1, .pid = 321,
		.comm = "sshd", .exe = "/usr/sbin/sshd",
		.sig = 31, .arch = 0xc000003e, .syscall = 2, .compat = false, .ip = 0,
		.code = 0,
	};

	(void)state;
	/* no compat= nor ip= */
	expect_line("type=SECCOMP msg=audit(1700000000.007:8): auid=500 uid=500 gid=500 ses=1 "
		    "pid=321 comm=\"sshd\" exe=\"/usr/sbin/sshd\" sig=31 arch=c000003e syscall=2 "
		    "code=0x0", &w);
	/* fields a later kernel may add, in any place and any quoting */
	w.ip = 0x7f10;
	expect_line("type=SECCOMP msg=audit(1700000000.007:8): auid=500 uid=500 gid=500 ses=1 "
		    "pid=321 comm=\"sshd\" exe=\"/usr/sbin/sshd\" tty=pts0 sig=31 arch=c000003e "
		    "syscall=2 compat=0 ip=0x7f10 code=0x0 note=\"x=1\" why='two words' "
		    "flag nsid=4026531836", &w);
	/* extra spaces between fields */
	expect_line("type=SECCOMP  msg=audit(1700000000.007:8):  auid=500  uid=500 gid=500 "
		    "ses=1 pid=321 comm=\"sshd\" exe=\"/usr/sbin/sshd\" sig=31 arch=c000003e "
		    "syscall=2 compat=0 ip=0x7f10 code=0x0 ", &w);
}

static void test_limits(void **state)
{
	(void)state;
	expect_line("type=SECCOMP msg=audit(18446744073.709:18446744073709551615): "
		    "auid=4294967295 uid=4294967295 gid=0 ses=0 pid=2147483647 comm=\"x\" "
		    "exe=\"/x\" sig=-2147483648 arch=ffffffff syscall=-1 compat=0 "
		    "ip=0xffffffffffffffff code=0xffffffff",
		    &(struct want){
			    .time_ns = 18446744073709000000ull, .serial = UINT64_MAX,
			    .auid = UINT32_MAX, .uid = UINT32_MAX, .gid = 0, .ses = 0,
			    .pid = INT32_MAX, .comm = "x", .exe = "/x",
			    .sig = INT32_MIN, .arch = UINT32_MAX, .syscall = -1,
			    .ip = UINT64_MAX, .code = UINT32_MAX,
		    });
	expect_line("type=SECCOMP msg=audit(0.000:0): auid=0 uid=0 gid=0 ses=0 pid=0 "
		    "comm=\"x\" exe=\"/x\" sig=0 arch=0 syscall=0 compat=0 ip=0x0 code=0x0",
		    &(struct want){ .comm = "x", .exe = "/x" });
}

/* The kernel's longest exe: a 4095-byte path, deleted, hex-encoded. */
static void test_long_strings(void **state)
{
	static const char head[] = "type=SECCOMP msg=audit(1700000000.123:456): auid=1 uid=1 "
				   "gid=1 ses=1 pid=1 comm=";
	static const char tail[] = " sig=0 arch=c000003e syscall=1 compat=0 ip=0x1 code=0x0";
	const char del[] = " (deleted)";
	size_t plen = 4095 + strlen(del), n = 0;
	char *path = malloc(plen + 1), *line = malloc(64 * 1024);
	struct sca_audit_strings *s = malloc(sizeof(*s));
	struct sca_event e;

	(void)state;
	assert_non_null(path);
	assert_non_null(line);
	assert_non_null(s);
	path[0] = '/';
	memset(path + 1, 'a', 4094);
	memcpy(path + 4095, del, sizeof(del));

	n += (size_t)sprintf(line + n, "%s\"short\" exe=", head);
	for (size_t i = 0; i < plen; i++)
		n += (size_t)sprintf(line + n, "%02X", (unsigned char)path[i]);
	n += (size_t)sprintf(line + n, "%s", tail);
	assert_int_equal(sca_audit__parse_line(line, n, &e, s), 1);
	assert_int_equal(strlen(e.exe), plen);
	assert_string_equal(e.exe, path);

	/* a comm longer than any kernel writes is cut, not refused */
	n = (size_t)sprintf(line, "%s\"%0100d\" exe=\"/x\"%s", head, 0, tail);
	assert_int_equal(sca_audit__parse_line(line, n, &e, s), 1);
	assert_int_equal(strlen(e.comm), sizeof(s->comm) - 1);
	assert_memory_equal(e.comm, "0000000000", 10);

	free(s);
	free(line);
	free(path);
}

/* sca_audit__parse() on a netlink payload: no type, maybe a trailing NUL. */
static void test_parse_record(void **state)
{
	static const char rec[] = "audit(1700000000.123:456): auid=1000 uid=1000 gid=1000 ses=3 "
				  "pid=4242 comm=\"nginx\" exe=\"/usr/sbin/nginx\" sig=0 "
				  "arch=c000003e syscall=83 compat=0 ip=0x7f3a1b2c3d4e "
				  "code=0x7ffc0000";
	const struct want w = {
		.time_ns = 1700000000123000000ull, .serial = 456,
		.auid = 1000, .uid = 1000, .gid = 1000, .ses = 3, .pid = 4242,
		.comm = "nginx", .exe = "/usr/sbin/nginx",
		.sig = 0, .arch = 0xc000003e, .syscall = 83,
		.ip = 0x7f3a1b2c3d4eull, .code = 0x7ffc0000,
	};
	struct sca_audit_strings s;
	struct sca_event e;

	(void)state;
	assert_int_equal(sca_audit__parse(rec, strlen(rec), &e, &s), 0);
	check_event(&e, &s, &w);
	assert_int_equal(sca_audit__parse(rec, sizeof(rec), &e, &s), 0);
	check_event(&e, &s, &w);
	/* cut short of code= */
	assert_int_equal(sca_audit__parse(rec, strlen(rec) - 16, &e, &s), -EINVAL);
	assert_int_equal(sca_audit__parse(rec + 1, strlen(rec) - 1, &e, &s), -EINVAL);
	assert_int_equal(sca_audit__parse(rec, 0, &e, &s), -EINVAL);
}

/* ---- damage ---------------------------------------------------------- */

#define H "type=SECCOMP msg=audit(1700000000.123:456): "
#define IDS "auid=1000 uid=1000 gid=1000 ses=3 "
#define PROC "pid=4242 comm=\"nginx\" exe=\"/usr/sbin/nginx\" "
#define TAIL "sig=0 arch=c000003e syscall=83 compat=0 ip=0x7f3a code=0x50001"

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		/* cut short */
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x7f3a",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x7f3a co",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x7f3a code=",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x7f3a code=0x",
		H IDS "pid=4242 comm=\"ngi",
		H IDS "pid=4242 comm=\"nginx\" exe=\"/usr/sb",
		H IDS "subj=unconfined",
		H "auid=1000 uid=1000",
		H,
		"type=SECCOMP msg=audit(1700000000.123:456)",
		"type=SECCOMP msg=audit(1700000000.123:4",
		"type=SECCOMP msg=audit(",
		"type=SECCOMP",
		"[ 1.0] audit: type=1326",
		/* bad hex */
		H IDS "pid=4242 comm=6D7G exe=\"/x\" " TAIL,
		H IDS "pid=4242 comm=6D7 exe=\"/x\" " TAIL,
		H IDS "pid=4242 comm=6D00 exe=\"/x\" " TAIL,
		H IDS "pid=4242 comm=\"nginx\" exe=2F78Z0 " TAIL,
		H IDS "pid=4242 comm= exe=\"/x\" " TAIL,
		H IDS "pid=4242 comm=\"ngi\"nx exe=\"/x\" " TAIL,
		H IDS "pid=4242 comm='nginx' exe=\"/x\" " TAIL,
		/* missing required fields */
		H IDS PROC "sig=0 arch=c000003e compat=0 ip=0x7f3a code=0x50001",
		H IDS PROC "arch=c000003e syscall=83 compat=0 ip=0x7f3a code=0x50001",
		H IDS PROC "sig=0 syscall=83 compat=0 ip=0x7f3a code=0x50001",
		H IDS "comm=\"nginx\" exe=\"/x\" " TAIL,
		H IDS "pid=4242 exe=\"/x\" " TAIL,
		H "uid=1000 gid=1000 ses=3 " PROC TAIL,
		/* out of range or not a number */
		H "auid=1000 uid=4294967296 gid=1000 ses=3 " PROC TAIL,
		H "auid=1000 uid=18446744073709551616 gid=1000 ses=3 " PROC TAIL,
		H "auid=1000 uid=-1 gid=1000 ses=3 " PROC TAIL,
		H "auid=1000 uid=+1 gid=1000 ses=3 " PROC TAIL,
		H "auid=1000 uid=1x gid=1000 ses=3 " PROC TAIL,
		H "auid=1000 uid= gid=1000 ses=3 " PROC TAIL,
		H IDS "pid=2147483648 comm=\"nginx\" exe=\"/x\" " TAIL,
		H IDS "pid=- comm=\"nginx\" exe=\"/x\" " TAIL,
		H IDS PROC "sig=0 arch=c000003e syscall=-2147483649 compat=0 ip=0x1 code=0x0",
		H IDS PROC "sig=0 arch=1c000003e syscall=83 compat=0 ip=0x1 code=0x0",
		H IDS PROC "sig=0 arch=0xc000003e syscall=83 compat=0 ip=0x1 code=0x0",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=0x100000000",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=50001",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=0x5x",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=0x5GARBAGE",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=0xAUID=\"unset\"",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=0x7FFC0000",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x1 code=0x1\"x\"",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=0x10000000000000000 code=0x0",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=0 ip=7f3a code=0x0",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat=2 ip=0x1 code=0x0",
		H IDS PROC "sig=0 arch=c000003e syscall=83 compat= ip=0x1 code=0x0",
		H IDS PROC "sig=0 arch=c000003e syscall=read compat=0 ip=0x1 code=0x0",
		/* the same field twice */
		H IDS PROC "sig=0 arch=c000003e syscall=83 syscall=84 compat=0 ip=0x1 code=0x0",
		/* bad time stamps */
		"type=SECCOMP msg=audit(1700000000:456): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(1700000000.12:456): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(1700000000.1234:456): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(1700000000.1a3:456): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(.123:456): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(abc.123:456): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(1700000000.123:): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(1700000000.123:45x): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(1700000000.123:456) " IDS PROC TAIL,
		"type=SECCOMP msg=audit(1700000000.123:456):" IDS PROC TAIL,
		"type=SECCOMP msg=audit(18446744073.710:1): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(99999999999999999999.000:1): " IDS PROC TAIL,
		"type=SECCOMP msg=audit(1700000000.123:18446744073709551616): " IDS PROC TAIL,
		/* ausearch -i output is for people, not for us */
		"type=SECCOMP msg=audit(11/14/2023 22:13:20.123:456) : auid=root uid=root "
		"gid=root ses=3 pid=4242 comm=nginx exe=/usr/sbin/nginx sig=none "
		"arch=x86_64 syscall=mkdir compat=0 ip=0x7f3a code=errno",
		"[ 1.0] audit: type=1326 msg=(1700000000.123:456): " IDS PROC TAIL,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i]);

	/* and the good line the damaged ones were made from */
	expect_line(H IDS PROC TAIL, &(struct want){
		.time_ns = T_NS(T_SEC, 123), .serial = 456,
		.auid = 1000, .uid = 1000, .gid = 1000, .ses = 3, .pid = 4242,
		.comm = "nginx", .exe = "/usr/sbin/nginx",
		.sig = 0, .arch = 0xc000003e, .syscall = 83, .ip = 0x7f3a, .code = 0x50001,
	});
}


/* ---- what the line says beside the record ---------------------------- */

/* Parse LINE (one seccomp record), check it as expect_line() does, and return its strings. */
static struct sca_audit_strings *parse_one(const char *line, struct sca_event *e)
{
	struct sca_audit_strings *s = malloc(sizeof(*s));

	assert_non_null(s);
	assert_int_equal(sca_audit__parse_line(line, strlen(line), e, s), 1);
	return s;
}

static void expect_meta(const char *line, const struct want *w, const char *host,
			enum sca_audit_time from)
{
	struct sca_event e;
	struct sca_audit_strings *s;

	expect_line(line, w);
	s = parse_one(line, &e);
	assert_string_equal(s->host, host);
	assert_int_equal(s->time_from, from);
	free(s);
}

/* journald's MESSAGE: the record's text after its type's name, no audit(...) stamp. */
#define JD_BODY "auid=4294967295 uid=1000 gid=1000 ses=4294967295 pid=8401 " \
	"comm=4C617A792049646C65 exe=\"/usr/lib/firefox-esr/firefox-esr\" sig=0 arch=c000003e " \
	"syscall=101 compat=0 ip=0x7f2a4c1e9b5d code=0x50001"

static const struct want jd_want = {
	.auid = UINT32_MAX, .uid = 1000, .gid = 1000, .ses = UINT32_MAX, .pid = 8401,
	.comm = "Lazy Idle", .exe = "/usr/lib/firefox-esr/firefox-esr",
	.sig = 0, .arch = 0xc000003e, .syscall = 101, .ip = 0x7f2a4c1e9b5dull, .code = 0x50001,
};

static void test_journald(void **state)
{
	struct want w = jd_want;

	(void)state;
	/* journalctl -o cat, and the identifier without a prefix: no time at all */
	expect_meta("SECCOMP " JD_BODY, &w, "", SCA_AUDIT_TIME_NONE);
	expect_meta("audit[8401]: SECCOMP " JD_BODY, &w, "", SCA_AUDIT_TIME_NONE);
	expect_meta("audit: SECCOMP " JD_BODY, &w, "", SCA_AUDIT_TIME_NONE);
	expect_meta("audit[8401]: AUDIT1326 " JD_BODY, &w, "", SCA_AUDIT_TIME_NONE);
	/* -o short-iso, short-iso-precise, rsyslog's RFC 3339, short-unix */
	w.time_ns = 1701133323000000000ull;
	expect_meta("2023-11-28T01:02:03+0000 build-host-7 audit[8401]: SECCOMP " JD_BODY, &w,
		    "build-host-7", SCA_AUDIT_TIME_PREFIX);
	expect_meta("2023-11-28T02:02:03+01:00 build-host-7 audit[8401]: SECCOMP " JD_BODY, &w,
		    "build-host-7", SCA_AUDIT_TIME_PREFIX);
	expect_meta("2023-11-27T19:32:03-0530 h audit[8401]: SECCOMP " JD_BODY, &w, "h",
		    SCA_AUDIT_TIME_PREFIX);
	w.time_ns = 1701133323123456000ull;
	expect_meta("2023-11-28T01:02:03.123456Z web01.example.com audit[8401]: SECCOMP " JD_BODY,
		    &w, "web01.example.com", SCA_AUDIT_TIME_PREFIX);
	expect_meta("1701133323.123456 build-host-8 audit[8401]: SECCOMP " JD_BODY, &w,
		    "build-host-8", SCA_AUDIT_TIME_PREFIX);
	w.time_ns = 1701133323123456789ull;
	expect_meta("2023-11-28T01:02:03.123456789+00:00 h audit[8401]: SECCOMP " JD_BODY, &w, "h",
		    SCA_AUDIT_TIME_PREFIX);
	/* a prefix without a host */
	w.time_ns = 1701133323000000000ull;
	expect_meta("2023-11-28T01:02:03Z audit[8401]: SECCOMP " JD_BODY, &w, "",
		    SCA_AUDIT_TIME_PREFIX);

	/* journald's other records, whatever their text quotes, are other lines */
	expect_skip("audit[1]: USER_AVC pid=1 uid=0 auid=4294967295 ses=4294967295 "
		    "msg=' type=SECCOMP msg=audit(1701133325.000:1): x'");
	expect_skip("Nov 28 01:02:05 build-host-7 audit[1]: USER_AVC pid=1 uid=0 msg=' type=SECCOMP "
		    "msg=audit(1701133325.000:1): auid=0 uid=0 gid=0 ses=1 pid=1 comm=\"x\" sig=0 "
		    "arch=c000003e syscall=1 code=0x0'");
	expect_skip("USER_AVC pid=1 uid=0 auid=4294967295 ses=4294967295 msg=' SECCOMP auid=0'");
	expect_skip("audit[1]: SERVICE_START pid=1 uid=0 msg='unit=systemd-journald'");
	expect_skip("Nov 28 01:02:05 build-host-7 systemd[1]: Started journald.");
	expect_skip("CRON[42]: (root) CMD (true)");
}

/* "Nov 28 01:02:04": local time in the year that puts it last, not past tomorrow. */
static void test_journald_no_year(void **state)
{
	struct sca_audit_strings *s;
	struct sca_event e;
	time_t now = time(NULL), t;
	struct tm tm;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	s = parse_one("Nov 28 01:02:04 build-host-7 audit[8401]: SECCOMP " JD_BODY, &e);
	assert_int_equal(s->time_from, SCA_AUDIT_TIME_NO_YEAR);
	assert_string_equal(s->host, "build-host-7");
	t = (time_t)(e.time_ns / 1000000000ull);
	assert_int_equal(e.time_ns % 1000000000ull, 0);
	assert_true(t <= now + 86400 && t > now + 86400 - 366 * 86400);
	assert_non_null(gmtime_r(&t, &tm));
	assert_int_equal(tm.tm_mon, 10);
	assert_int_equal(tm.tm_mday, 28);
	assert_int_equal(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec, 3600 + 120 + 4);
	free(s);

	/* syslog pads the day with a space; short-precise adds microseconds */
	s = parse_one("Jul  8 10:31:23.250000 ubuntu2004 audit[8401]: SECCOMP " JD_BODY, &e);
	t = (time_t)(e.time_ns / 1000000000ull);
	assert_int_equal(e.time_ns % 1000000000ull, 250000000);
	assert_non_null(gmtime_r(&t, &tm));
	assert_int_equal(tm.tm_mon, 6);
	assert_int_equal(tm.tm_mday, 8);
	assert_string_equal(s->host, "ubuntu2004");
	free(s);
}

/* node= and a syslog prefix's host, beside records that carry their own time. */
static void test_hosts(void **state)
{
	struct want w = dmesg_want;

	(void)state;
	expect_meta("Nov 14 22:13:20 web01 kernel: " DMESG_BODY, &w, "web01", SCA_AUDIT_TIME_RECORD);
	expect_meta("2023-11-14T22:13:20.123456+00:00 web01 kernel: [ 1234.567890] " DMESG_BODY, &w,
		    "web01", SCA_AUDIT_TIME_RECORD);
	expect_meta("[ 1234.567890] " DMESG_BODY, &w, "", SCA_AUDIT_TIME_RECORD);
	expect_meta(DMESG_BODY, &w, "", SCA_AUDIT_TIME_RECORD);
	/* auditd's node wins over the host that forwarded the line */
	expect_meta("Nov 14 22:13:20 relay audisp-syslog: node=build-host-7 type=SECCOMP "
		    "msg=audit(1700000000.123:456): auid=4294967295 uid=101 gid=103 "
		    "ses=4294967295 subj=unconfined pid=812 comm=\"systemd-resolve\" "
		    "exe=\"/usr/lib/systemd/systemd-resolved\" sig=0 arch=c000003e syscall=56 "
		    "compat=0 ip=0x7f5e8c91b2a3 code=0x7ffc0000", &w, "build-host-7",
		    SCA_AUDIT_TIME_RECORD);
	expect_meta("node=build-host-7 type=SECCOMP msg=audit(1700000000.123:456): auid=4294967295 "
		    "uid=101 gid=103 ses=4294967295 subj=unconfined pid=812 comm=\"systemd-resolve\" "
		    "exe=\"/usr/lib/systemd/systemd-resolved\" sig=0 arch=c000003e syscall=56 "
		    "compat=0 ip=0x7f5e8c91b2a3 code=0x7ffc0000", &w, "build-host-7",
		    SCA_AUDIT_TIME_RECORD);
}

/* The Security Profiles Operator's test lines (tests/data/audit/ORIGINS). */
static void test_enriched_separator_lost(void **state)
{
	const struct want close_want = {
		.time_ns = T_NS(1613596317, 899), .serial = 6461,
		.auid = UINT32_MAX, .uid = 0, .gid = 0, .ses = UINT32_MAX, .pid = 2039886,
		.comm = "ls", .exe = "/bin/ls", .subj = "system_u:system_r:spc_t:s0:c284,c594",
		.sig = 0, .arch = 0xc000003e, .syscall = 3, .ip = 0x7f62dce3d4c7ull,
		.code = 0x7ffc0000,
	};
	struct want w = close_want;

	(void)state;
	expect_line("type=SECCOMP msg=audit(1613596317.899:6461): auid=4294967295 uid=0 gid=0 "
		    "ses=4294967295 subj=system_u:system_r:spc_t:s0:c284,c594 pid=2039886 "
		    "comm=\"ls\" exe=\"/bin/ls\" sig=0 arch=c000003e syscall=3 compat=0 "
		    "ip=0x7f62dce3d4c7 code=0x7ffc0000AUID=\"unset\" UID=\"root\" GID=\"root\" "
		    "ARCH=x86_64 SYSCALL=close", &w);
	/* 'A' is a hex digit, but the kernel's %x writes lowercase ones */
	w.code = 0x50001;
	expect_line("type=SECCOMP msg=audit(1613596317.899:6461): auid=4294967295 uid=0 gid=0 "
		    "ses=4294967295 subj=system_u:system_r:spc_t:s0:c284,c594 pid=2039886 "
		    "comm=\"ls\" exe=\"/bin/ls\" sig=0 arch=c000003e syscall=3 compat=0 "
		    "ip=0x7f62dce3d4c7 code=0x50001AUID=\"unset\"", &w);
	/* the separator turned into a space */
	expect_line("type=SECCOMP msg=audit(1624537480.360:8477): auid=1000 uid=0 gid=0 ses=1 "
		    "subj=kernel pid=2060394 comm=\"sleep\" exe=\"/bin/busybox\" sig=0 "
		    "arch=c000003e syscall=10 compat=0 ip=0x7f4ce626349b code=0x7ffc0000 "
		    "AUID=\"user\" UID=\"root\" GID=\"root\" ARCH=x86_64 SYSCALL=/bin/busybox",
		    &(struct want){
			    .time_ns = T_NS(1624537480, 360), .serial = 8477,
			    .auid = 1000, .uid = 0, .gid = 0, .ses = 1, .pid = 2060394,
			    .comm = "sleep", .exe = "/bin/busybox", .subj = "kernel",
			    .sig = 0, .arch = 0xc000003e, .syscall = 10, .ip = 0x7f4ce626349bull,
			    .code = 0x7ffc0000,
		    });
}

/* After code=, the kernel wrote nothing: what a log appended is not looked at. */
static void test_trailing_fields(void **state)
{
	const struct want w = {
		.time_ns = T_NS(T_SEC, 123), .serial = 456,
		.auid = 1000, .uid = 1000, .gid = 1000, .ses = 3, .pid = 4242,
		.comm = "nginx", .exe = "/usr/sbin/nginx",
		.sig = 0, .arch = 0xc000003e, .syscall = 83, .ip = 0x7f3a, .code = 0x50001,
	};

	(void)state;
	expect_line(H IDS PROC TAIL " note=\"cut", &w);
	expect_line(H IDS PROC TAIL " pid=1 syscall=2 comm=6D7", &w);
	expect_line(H IDS PROC TAIL " \xff\x01 'x", &w);
	expect_line(H IDS PROC TAIL "  ", &w);
}

/* A line of no known form that names a seccomp record is reported, not skipped. */
static void test_names_seccomp(void **state)
{
	(void)state;
	expect_bad("Nov 28 01:02:07 build-host-7 audit[8403]: SECCOMP auid=4294967295 uid=1000");
	expect_bad("SECCOMP auid=4294967295 uid=1000 gid=1000");
	expect_bad("audit[8403]: AUDIT1326 auid=4294967295 uid=1000");
	expect_bad("Nov 28 01:02:08 build-host-7 audit-relay[5]: forwarded a SECCOMP record");
	expect_bad("SECCOMP");
	expect_bad("a log said type=1326 once");
	expect_bad("2023-11-28T01:02:03Z h relay: AUDIT1326: lost");
	/* glued to another word, it names nothing */
	expect_skip("seccomp: SECCOMPx USE_SECCOMP=1 subtype=1326 type=13260");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auditd_raw),
		cmocka_unit_test(test_auditd_node_enriched),
		cmocka_unit_test(test_kernel_log),
		cmocka_unit_test(test_other_lines),
		cmocka_unit_test(test_hex_strings),
		cmocka_unit_test(test_subj),
		cmocka_unit_test(test_compat_i386),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_exe_null_and_absent),
		cmocka_unit_test(test_old_kernel_and_unknown_fields),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_parse_record),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_journald),
		cmocka_unit_test(test_journald_no_year),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_enriched_separator_lost),
		cmocka_unit_test(test_trailing_fields),
		cmocka_unit_test(test_names_seccomp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
