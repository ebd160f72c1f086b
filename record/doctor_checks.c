/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor_checks.c - the checks of `sca doctor`, in the order they print.
 * Each asks the kernel (or a runtime) itself and says what it was told:
 * a source is opened and closed again, a BPF program loaded, attached and
 * detached, never assumed from a version. Nothing here changes the
 * system's settings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "audit_ctl.h"
#include "common/clock.h"
#include "common/escape.h"
#include "doctor_int.h"
#include "recorder.h"
#include "source_audit.h"
#include "source_bpf.h"
#include "source_syscalls.h"
#include "tracker.h"
#include "tracker_bpf.h"

extern char **environ;

/* ---- helpers ------------------------------------------------------------ */

/* A small text file, its last newline dropped; bytes read or -errno. */
static ssize_t read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	return n;
}

/* Whether WORD is one of the space-separated words of LIST. */
static bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += wl)
		if ((p == list || p[-1] == ' ') && (p[wl] == ' ' || p[wl] == 0))
			return true;
	return false;
}

/*
 * The kernel's build option NAME (e.g. "CONFIG_KPROBES"), from
 * /proc/config.gz or /boot/config-RELEASE: 'y', 'm', 'n' (is not set),
 * or 0 when the kernel's config cannot be read.
 */
static char kconfig(const char *name)
{
	struct utsname u;
	char path[300], line[512];
	size_t nl = strlen(name);
	char v = 0;
	gzFile f = gzopen("/proc/config.gz", "rb");

	if (!f && uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		f = gzopen(path, "rb");     /* gzopen reads plain text too */
	}
	if (!f)
		return 0;
	v = 'n';                            /* absent from a readable config: not set */
	while (gzgets(f, line, sizeof(line))) {
		if (!strncmp(line, name, nl) && line[nl] == '=') {
			v = line[nl + 1];
			break;
		}
	}
	gzclose(f);
	return v;
}

/*
 * Run ARGV (looked up in PATH) with stdin and stderr on /dev/null, its
 * stdout into out (cut at outlen), for at most 3 s. Its exit status, or
 * -errno when it could not run or took too long (then it is killed).
 */
static int run_capture(char *const argv[], char *out, size_t outlen)
{
	posix_spawn_file_actions_t fa;
	int p[2], status = 0, err = 0;
	size_t at = 0;
	pid_t pid;

	out[0] = 0;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (err) {
		close(p[0]);
		return -err;
	}
	uint64_t end = sca_clock_ns(CLOCK_MONOTONIC) + 3000000000ull;
	for (;;) {
		uint64_t now = sca_clock_ns(CLOCK_MONOTONIC);
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		if (now >= end || poll(&pf, 1, (int)((end - now) / 1000000) + 1) == 0) {
			err = -ETIMEDOUT;
			kill(pid, SIGKILL);
			break;
		}
		char scratch[4096];
		char *dst = at + 1 < outlen ? out + at : scratch;
		size_t room = at + 1 < outlen ? outlen - 1 - at : sizeof(scratch);
		ssize_t n = read(p[0], dst, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (dst == out + at)
			at += (size_t)n;
	}
	out[at] = 0;
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (err)
		return err;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -ECHILD;
}

/* The first line of S, escaped, into buf. */
static void first_line(const char *s, char *buf, size_t len)
{
	char line[256];

	snprintf(line, sizeof(line), "%.*s", (int)strcspn(s, "\n"), s);
	sca_esc(buf, len, line);
}

/* ---- the kernel's audit ------------------------------------------------- */

static void check_kernel_audit(struct sca_doctor *d, struct sca_doctor_result *r)
{
	char cmdline[4096];
	char cfg = kconfig("CONFIG_AUDIT");

	if (cfg == 'n') {
		d->audit_silenced = true;
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "a kernel built with CONFIG_AUDIT=y",
				       "the kernel was built without audit (CONFIG_AUDIT is not set): it "
				       "makes no seccomp audit records");
		return;
	}
	if (read_text("/proc/cmdline", cmdline, sizeof(cmdline)) > 0 && has_word(cmdline, "audit=0")) {
		d->audit_silenced = true;
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "boot without audit=0",
				       "the kernel was booted with audit=0 (/proc/cmdline): it makes no "
				       "audit records");
		return;
	}
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "the kernel makes audit records (%s; no audit=0 "
			       "on its command line)", cfg ? "CONFIG_AUDIT=y" : "its config is not readable");
}

static void check_audit_source(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_record_opts o = { .rcvbuf = 1 << 16 };
	char why[256] = "";
	void *state = NULL;
	int err = sca_source_audit.open(&state, &o, why, sizeof(why));

	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "run sca as root (or with CAP_AUDIT_READ)",
				       "the audit source cannot subscribe: %s", why);
		return;
	}
	sca_source_audit.close(state);
	d->audit_open = true;
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL,
			       "subscribed to the kernel's audit multicast (NETLINK_AUDIT, group READLOG), "
			       "as record's audit source does");
}

static void check_netns(struct sca_doctor *d, struct sca_doctor_result *r)
{
	int initial = sca_audit_source__initial_netns();

	(void)d;
	if (initial == 0)
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca in the host's network namespace",
				       "%s", SCA_AUDIT_NETNS_WARNING);
	else if (initial < 0)
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "cannot compare /proc/self/ns/net with "
				       "/proc/1/ns/net (%s); the BPF sources do not depend on it", strerror(errno));
	else
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "in PID 1's network namespace, to which the "
				       "kernel sends audit records");
}

/* The status is asked once; audit-status and auditd both use it. */
static int audit_status(struct sca_doctor *d, struct sca_audit_status *st)
{
	if (!d->status_asked) {
		d->status_err = sca_audit_ctl__status(&d->status);
		d->status_asked = true;
	}
	*st = d->status;
	return d->status_err;
}

static void check_audit_status(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_audit_status st;
	int err = audit_status(d, &st);
	char fix[96];

	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca as root (or with CAP_AUDIT_CONTROL)",
				       "cannot ask the kernel its audit status: %s", strerror(-err));
		return;
	}
	const char *enabled = st.enabled == 2 ? " (locked: rules cannot change until reboot)" : "";
	if (st.rate_limit) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "auditctl -r 0",
				       "rate_limit %u: the kernel drops audit records past %u a second "
				       "(enabled %u%s, backlog_limit %u, lost %u since boot)", st.rate_limit,
				       st.rate_limit, st.enabled, enabled, st.backlog_limit, st.lost);
		return;
	}
	if (st.lost) {
		snprintf(fix, sizeof(fix), "a larger backlog, e.g. auditctl -b %u", st.backlog_limit * 4 > 8192 ?
			 st.backlog_limit * 4 : 8192);
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, fix,
				       "the kernel has dropped %u audit records since boot (backlog_limit %u, "
				       "backlog %u now, enabled %u%s): a burst can lose seccomp records too",
				       st.lost, st.backlog_limit, st.backlog, st.enabled, enabled);
		return;
	}
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL,
			       "enabled %u%s, rate_limit 0, backlog_limit %u, lost 0 since boot", st.enabled,
			       enabled, st.backlog_limit);
}

struct rules_seen {
	int n, all, some;
	char first_all[512], first_some[512];
};

static int on_rule(void *ctx, const void *rule, size_t len)
{
	struct rules_seen *s = ctx;
	enum sca_audit_drop drop = sca_audit_rule__drops_seccomp(rule, len);

	s->n++;
	if (drop == SCA_AUDIT_DROP_ALL && !s->all++)
		sca_audit_rule__str(rule, len, s->first_all, sizeof(s->first_all));
	if (drop == SCA_AUDIT_DROP_SOME && !s->some++)
		sca_audit_rule__str(rule, len, s->first_some, sizeof(s->first_some));
	return 0;
}

static void check_audit_rules(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct rules_seen s = { 0 };
	char fix[600], more[64] = "";
	int err = sca_audit_ctl__rules(on_rule, &s);

	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca as root (or with CAP_AUDIT_CONTROL), or "
				       "look at auditctl -l", "cannot list the kernel's audit rules: %s; an "
				       "exclude rule there would drop seccomp records unseen", strerror(-err));
		return;
	}
	const char *rule = s.all ? s.first_all : s.first_some;
	int count = s.all ? s.all : s.some;
	if (count > 1)
		snprintf(more, sizeof(more), " (and %d more)", count - 1);
	/* auditctl -d takes the rule as -a does */
	snprintf(fix, sizeof(fix), "auditctl -d %s, and remove it from /etc/audit/rules.d/ (or audit.rules)",
		 rule + 3);
	if (s.all) {
		d->audit_silenced = true;
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, fix, "the exclude rule \"%s\"%s drops every "
				       "seccomp record before any reader (sca, auditd) sees it", rule, more);
	} else if (s.some) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, fix, "the exclude rule \"%s\"%s drops the "
				       "seccomp records of the processes it matches", rule, more);
	} else {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%d audit rules, none drops seccomp records", s.n);
	}
}

static void check_auditd(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_audit_status st;
	char path[64], comm[64] = "?", esc[128];
	int err = audit_status(d, &st);

	if (err) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "cannot tell whether an audit daemon runs: %s",
				       strerror(-err));
		return;
	}
	if (!st.pid) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "no audit daemon is registered: the kernel "
				       "passes records to sca's multicast and to its own log");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%u/comm", st.pid);
	read_text(path, comm, sizeof(comm));
	sca_esc(esc, sizeof(esc), comm);
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "the audit daemon %s (pid %u) runs beside sca: both "
			       "receive every record, and it writes each one to its log, which slows a burst",
			       esc, st.pid);
}

/* ---- seccomp ----------------------------------------------------------- */

/* Actions of LIST in avail but not in logged, " " separated, into out. */
static int missing(const char *const *list, const char *avail, const char *logged, char *out, size_t len)
{
	size_t at = 0;
	int n = 0;

	out[0] = 0;
	for (; *list; list++)
		if (has_word(avail, *list) && !has_word(logged, *list) && at < len) {
			at += (size_t)snprintf(out + at, len - at, "%s%s", n ? " " : "", *list);
			n++;
		}
	return n;
}

static void check_seccomp_actions(struct sca_doctor *d, struct sca_doctor_result *r)
{
	static const char *const always[] = { "kill_process", "kill_thread", "log", NULL };
	static const char *const flagged[] = { "errno", "trap", "trace", "user_notif", NULL };
	char avail[256], logged[256], fix[320], m1[128], m2[128];

	if (read_text("/proc/sys/kernel/seccomp/actions_avail", avail, sizeof(avail)) < 0 ||
	    read_text("/proc/sys/kernel/seccomp/actions_logged", logged, sizeof(logged)) < 0) {
		d->none_logged = true;
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "a kernel of 4.14 or later",
				       "no /proc/sys/kernel/seccomp/actions_logged: this kernel logs no "
				       "seccomp action sca can use (SCMP_ACT_LOG came in 4.14)");
		return;
	}
	int n1 = missing(always, avail, logged, m1, sizeof(m1));
	int n2 = missing(flagged, avail, logged, m2, sizeof(m2));
	/* every available action but allow, which the kernel never logs */
	size_t at = (size_t)snprintf(fix, sizeof(fix), "sysctl kernel.seccomp.actions_logged='");
	for (const char *p = avail; *p && at < sizeof(fix);) {
		size_t wl = strcspn(p, " ");
		if (wl && !(wl == 5 && !strncmp(p, "allow", 5)))
			at += (size_t)snprintf(fix + at, sizeof(fix) - at, "%s%.*s",
					       fix[at - 1] == '\'' ? "" : " ", (int)wl, p);
		p += wl + (p[wl] == ' ');
	}
	if (at < sizeof(fix))
		snprintf(fix + at, sizeof(fix) - at, "'");
	/* nothing audited is logged: no event at all, whatever the filter */
	bool any = false;
	for (const char *const *a = always; *a; a++)
		any |= has_word(logged, *a);
	for (const char *const *a = flagged; *a; a++)
		any |= has_word(logged, *a);
	if (!any) {
		d->none_logged = true;
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, fix, "actions_logged is \"%s\": the kernel "
				       "logs no seccomp action, so no event reaches any source", logged);
	} else if (n1 || n2) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, fix, "actions_logged is \"%s\": filters' %s%s%s "
				       "actions are never logged", logged, m1, n1 && n2 ? " " : "", m2);
	} else {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "actions_logged is \"%s\" (all but allow); "
				       "errno, trap, trace and user_notif are logged only for filters with "
				       "SECCOMP_FILTER_FLAG_LOG", logged);
	}
}

/* ---- privileges and the kernel's BPF ------------------------------------- */

static void check_capabilities(struct sca_doctor *d, struct sca_doctor_result *r)
{
	static const struct { int cap; const char *name; } caps[] = {
		{ 37, "CAP_AUDIT_READ" }, { 30, "CAP_AUDIT_CONTROL" }, { 39, "CAP_BPF" },
		{ 38, "CAP_PERFMON" }, { 21, "CAP_SYS_ADMIN" }, { 19, "CAP_SYS_PTRACE" },
		{ 2, "CAP_DAC_READ_SEARCH" },
	};
	char status[4096], lacking[256] = "";
	unsigned long long eff = 0;
	size_t at = 0;

	(void)d;
	const char *p = read_text("/proc/self/status", status, sizeof(status)) > 0 ? strstr(status, "CapEff:") : NULL;
	if (!p || sscanf(p, "CapEff: %llx", &eff) != 1) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "cannot read CapEff in /proc/self/status");
		return;
	}
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (!(eff >> caps[i].cap & 1) && at < sizeof(lacking))
			at += (size_t)snprintf(lacking + at, sizeof(lacking) - at, "%s%s", at ? ", " : "", caps[i].name);
	bool audit = eff >> 37 & 1, bpf = (eff >> 39 & 1 && eff >> 38 & 1) || eff >> 21 & 1;
	if (!audit && !bpf)
		sca_doctor_result__set(r, SCA_DOCTOR_PROBLEM, "run sca as root", "effective capabilities %llx "
				       "lack %s: neither the audit source (CAP_AUDIT_READ) nor the BPF sources "
				       "(CAP_BPF and CAP_PERFMON) can run", eff, lacking);
	else if (lacking[0])
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "run sca as root", "effective capabilities %llx "
				       "lack %s", eff, lacking);
	else
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "effective capabilities %llx hold all sca uses "
				       "(CAP_AUDIT_READ, CAP_AUDIT_CONTROL, CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN, "
				       "CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH)", eff);
}

static void check_btf(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct stat st;

	(void)d;
	if (stat("/sys/kernel/btf/vmlinux", &st) == 0)
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "/sys/kernel/btf/vmlinux: %lld bytes of kernel "
				       "type information, which sca's BPF programs (CO-RE) need", (long long)st.st_size);
	else
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "a kernel built with CONFIG_DEBUG_INFO_BTF=y",
				       "no /sys/kernel/btf/vmlinux (%s; CONFIG_DEBUG_INFO_BTF %s): sca's BPF "
				       "programs cannot load, the audit source can run", strerror(errno),
				       kconfig("CONFIG_DEBUG_INFO_BTF") == 'y' ? "=y" : "is not set or unknown");
}

static void check_lockdown(struct sca_doctor *d, struct sca_doctor_result *r)
{
	char buf[128], mode[32] = "";
	const char *how = "/sys/kernel/security/lockdown", *open_b;

	(void)d;
	if (read_text("/sys/kernel/security/lockdown", buf, sizeof(buf)) > 0 && (open_b = strchr(buf, '[')))
		snprintf(mode, sizeof(mode), "%.*s", (int)strcspn(open_b + 1, "]"), open_b + 1);
	else {
		how = "forced by the kernel's config; securityfs does not show it";
		if (kconfig("CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY") == 'y')
			snprintf(mode, sizeof(mode), "confidentiality");
		else if (kconfig("CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY") == 'y')
			snprintf(mode, sizeof(mode), "integrity");
	}
	if (!mode[0])
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "no lockdown in force (no "
				       "/sys/kernel/security/lockdown, none forced by the kernel's config)");
	else if (!strcmp(mode, "confidentiality"))
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, "boot with lockdown=integrity or none",
				       "lockdown %s (%s): the kernel refuses kprobes and BPF reads of its memory, "
				       "so the BPF sources cannot run; the audit source can", mode, how);
	else
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "lockdown %s (%s): it refuses BPF writes to user "
				       "memory, which sca never makes", mode, how);
}

static void check_bpf(struct sca_doctor *d, struct sca_doctor_result *r, bool kprobe)
{
	char why[256] = "", extra[128] = "";
	int err = sca_source_bpf__try(kprobe, why, sizeof(why));

	if (!err) {
		d->bpf_open = true;
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "a %s program on audit_seccomp() loaded, "
				       "attached and was detached: the bpf-%s source can run",
				       kprobe ? "kprobe" : "fentry", kprobe ? "kprobe" : "fentry");
		return;
	}
	if (kprobe && kconfig("CONFIG_KPROBES") == 'n')
		snprintf(extra, sizeof(extra), "; the kernel was built without kprobes (CONFIG_KPROBES is not set)");
	sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "the bpf-%s source cannot run: %s%s%s",
			       kprobe ? "kprobe" : "fentry", why, extra,
			       d->audit_open ? " (the audit source serves instead)" : "");
}

static void check_bpf_fentry(struct sca_doctor *d, struct sca_doctor_result *r)
{
	check_bpf(d, r, false);
}

static void check_bpf_kprobe(struct sca_doctor *d, struct sca_doctor_result *r)
{
	check_bpf(d, r, true);
}

static void check_sys_enter(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_record_opts o = { .all_syscalls = true, .syscall_table = 256 };
	char why[256] = "";
	void *state = NULL;

	(void)d;
	/* a tree to follow loads the fork and exit programs of --pid too */
	o.filter.pids[o.filter.npids++] = (int32_t)getpid();
	if (sca_source_syscalls.open(&state, &o, why, sizeof(why))) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "the syscall source cannot run: %s; "
				       "--all-syscalls cannot run, and record -- CMD learns under a filter "
				       "that logs every syscall (about 4 us a call) instead", why);
		return;
	}
	sca_source_syscalls.close(state);
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "programs on the sys_enter tracepoint (and on "
			       "fork and exit, for --pid's trees) loaded, attached and were detached: "
			       "--all-syscalls and record -- CMD learn every syscall, with arguments");
}

static void on_proc(void *ctx, const struct sca_proc_event *e, const struct sca_proc_view *v)
{
	(void)ctx, (void)e, (void)v;
}

static void check_sched(struct sca_doctor *d, struct sca_doctor_result *r)
{
	struct sca_tracker *t = NULL;
	struct sca_tracker_bpf *b = NULL;
	char why[256] = "out of memory";

	(void)d;
	if (sca_tracker__new(&t, 0) || sca_tracker_bpf__open(&b, t, on_proc, NULL, why, sizeof(why))) {
		sca_tracker__free(t);
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "the process tracker's BPF programs "
				       "cannot run: %s; record follows processes through the proc connector "
				       "or /proc, and may not name the container of one gone by then", why);
		return;
	}
	sca_tracker_bpf__close(b);
	sca_tracker__free(t);
	sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "programs on the sched_process_fork, exec and exit "
			       "tracepoints loaded, attached and were detached: events keep their container "
			       "after the process exits");
}

/* ---- container runtimes ---------------------------------------------------- */

/* X.Y of "NAME version X.Y.Z..." in out's first line; 0 if none. */
static int version_of(const char *out, const char *name, int *major, int *minor)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%s version %%d.%%d", name);
	return sscanf(out, fmt, major, minor) == 2;
}

/*
 * The seccomp flags NAME accepts, from `NAME features` (runtime-spec's
 * features document: linux.seccomp.supportedFlags). -ENOENT when the
 * runtime does not say; else how many, listed in out.
 */
static int supported_flags(const char *name, char *out, size_t len)
{
	char buf[65536];
	char *argv[] = { (char *)name, "features", NULL };
	json_t *root, *flags;
	size_t at = 0;
	int n = -ENOENT;

	out[0] = 0;
	if (run_capture(argv, buf, sizeof(buf)) != 0 || !(root = json_loads(buf, 0, NULL)))
		return -ENOENT;
	flags = json_object_get(json_object_get(json_object_get(root, "linux"), "seccomp"), "supportedFlags");
	if (json_is_array(flags)) {
		n = 0;
		for (size_t i = 0; i < json_array_size(flags); i++) {
			const char *f = json_string_value(json_array_get(flags, i));
			if (f && at < len) {
				at += (size_t)snprintf(out + at, len - at, "%s%s", n ? " " : "", f);
				n++;
			}
		}
	}
	json_decref(root);
	return n;
}

static void check_runtime(struct sca_doctor_result *r, const char *name)
{
	char out[4096], ver[160], flags[512], fix[200];
	char *argv[] = { (char *)name, "--version", NULL };
	int major = 0, minor = 0;
	int rc = run_capture(argv, out, sizeof(out));

	if (rc == -ENOENT) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s is not installed (not in PATH)", name);
		return;
	}
	if (rc != 0) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "%s --version failed: %s", name,
				       rc < 0 ? strerror(-rc) : "non-zero exit");
		return;
	}
	first_line(out, ver, sizeof(ver));
	bool known = version_of(out, name, &major, &minor);
	int n = supported_flags(name, flags, sizeof(flags));
	if (n >= 0 && has_word(flags, "SECCOMP_FILTER_FLAG_LOG")) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s; its features list SECCOMP_FILTER_FLAG_LOG "
				       "among the seccomp flags it accepts (%s)", ver, flags);
	} else if (n >= 0 || (!strcmp(name, "runc") && known && (major < 1 || (major == 1 && minor < 2)))) {
		snprintf(fix, sizeof(fix), "to see a container's refusals, give its profile SCMP_ACT_LOG or "
			 "SCMP_ACT_KILL_* actions, or use %s", !strcmp(name, "runc") ? "runc 1.2 or later, or crun" :
			 "a runtime that sets SECCOMP_FILTER_FLAG_LOG");
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, fix, "%s: %s, so a container's SCMP_ACT_ERRNO "
				       "refusals are never logged", ver, n >= 0 ? "its features list no "
				       "SECCOMP_FILTER_FLAG_LOG" : "it refuses every seccomp flag (runc accepts "
				       "them from 1.2.0)");
	} else if (!strcmp(name, "crun") && known && (major > 1 || (major == 1 && minor >= 8))) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s: it applies a profile's seccomp flags, "
				       "SECCOMP_FILTER_FLAG_LOG among them (crun 1.8 and later; this one lists "
				       "no features to confirm it)", ver);
	} else {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s (it does not list the seccomp flags it "
				       "accepts)", ver);
	}
}

static void check_runc(struct sca_doctor *d, struct sca_doctor_result *r)
{
	(void)d;
	check_runtime(r, "runc");
}

static void check_crun(struct sca_doctor *d, struct sca_doctor_result *r)
{
	(void)d;
	check_runtime(r, "crun");
}

/* In the order they print; the quick ones are record's. */
const struct sca_doctor_check sca_doctor_checks[] = {
	{ "kernel-audit", check_kernel_audit, true },
	{ "audit-source", check_audit_source, false },
	{ "network-namespace", check_netns, false },
	{ "audit-status", check_audit_status, true },
	{ "audit-rules", check_audit_rules, true },
	{ "auditd", check_auditd, false },
	{ "seccomp-actions", check_seccomp_actions, true },
	{ "capabilities", check_capabilities, false },
	{ "btf", check_btf, false },
	{ "lockdown", check_lockdown, false },
	{ "bpf-fentry", check_bpf_fentry, false },
	{ "bpf-kprobe", check_bpf_kprobe, false },
	{ "tracepoint-sys-enter", check_sys_enter, false },
	{ "tracepoint-sched", check_sched, false },
	{ "runtime-runc", check_runc, false },
	{ "runtime-crun", check_crun, false },
};
const size_t sca_doctor_nchecks = sizeof(sca_doctor_checks) / sizeof(sca_doctor_checks[0]);
